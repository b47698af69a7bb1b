from django.urls import path

from ramparts.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("diff/", views.framework_diff, name="diff"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/r/<path:identifier>/", views.requirement_detail, name="requirement"),
]
