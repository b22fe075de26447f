from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.stats_page, name="page"),
    path("<slug:key>.csv", views.chart_csv, name="csv"),
]
