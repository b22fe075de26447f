from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.SupportList.cached_view(), name="list"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("conversation/<str:token>/", views.conversation, name="conversation"),
]
