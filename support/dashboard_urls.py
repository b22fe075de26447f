"""The posters' pages beside the kit's: a post's conversations and its lifecycle."""

from django.urls import path

from . import views

app_name = "support_manage"
urlpatterns = [
    path("<int:pk>/conversations/", views.post_conversations, name="conversations"),
    path("<int:pk>/state/", views.post_state, name="state"),
]
