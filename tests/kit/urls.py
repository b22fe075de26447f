from django.urls import path

from . import views

app_name = "kit"
urlpatterns = [
    path("", views.ProgrammeList.cached_view(), name="list"),
    path("<int:pk>/", views.programme_detail, name="detail"),
]
