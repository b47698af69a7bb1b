from django.urls import path

from ramparts.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
