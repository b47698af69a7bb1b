from django.urls import include, path

from ramparts.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list_view, name="audit_list"),
    path("audit/export.csv", views.audit_export, {"fmt": "csv"}, name="audit_export_csv"),
    path("audit/export.json", views.audit_export, {"fmt": "json"}, name="audit_export_json"),
    path("", include("ramparts.core.user_urls")),
]
