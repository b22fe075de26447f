from django.urls import path

from . import dashboard

app_name = "service_dashboard"
urlpatterns = [
    path("new/", dashboard.service_create, name="create"),
    path("<int:pk>/edit/", dashboard.service_edit, name="edit"),
    path("<int:pk>/archive/", dashboard.service_archive, name="archive"),
    path("<int:pk>/restore/", dashboard.service_restore, name="restore"),
    path("<int:pk>/verify/", dashboard.service_verify, name="verify"),
]
