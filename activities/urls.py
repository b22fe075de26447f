from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityList.cached_view(), name="list"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("map.geojson", views.activity_map, name="map"),
    path("<slug:slug>/", views.activity_detail, name="detail"),
    path("<slug:slug>/calendar.ics", views.activity_ics, name="ics"),
]
