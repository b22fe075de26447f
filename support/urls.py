from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.SupportList.cached_view(), name="list"),
    path("<int:pk>/", views.post_detail, name="detail"),
    # The mailed link (a signed token, exchanged at once), then the page behind it.
    path("conversation/<int:pk>/", views.conversation, name="conversation"),
    path("conversation/<str:token>/", views.conversation_link, name="conversation_link"),
]
