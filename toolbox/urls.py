from django.urls import path

from . import views

app_name = "toolbox"
urlpatterns = [
    path("", views.ToolboxList.cached_view(), name="list"),
    path("<slug:slug>/", views.item_detail, name="detail"),
    path("<slug:slug>/download/", views.item_download, name="download"),
    path("<slug:slug>/preview.png", views.item_preview, name="preview"),
]
