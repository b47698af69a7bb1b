from django.urls import include, path

from ramparts.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("ramparts.core.user_urls")),
]
