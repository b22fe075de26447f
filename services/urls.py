from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.ServiceList.cached_view(), name="list"),
    path("map.geojson", views.service_map, name="map"),
    path("<slug:slug>/", views.service_detail, name="detail"),
]
