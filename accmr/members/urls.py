from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.OrganisationList.cached_view(), name="list"),
    path("suggest.json", views.organisation_suggest, name="suggest"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
]
