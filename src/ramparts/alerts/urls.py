from django.urls import path

from ramparts.alerts import hooks, views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("hooks/<slug:slug>/", hooks.receive, name="hook"),
    path("sources/", views.source_list, name="sources"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<slug:slug>/", views.source_edit, name="source_edit"),
    path("sources/<slug:slug>/rotate/", views.source_rotate, name="source_rotate"),
    path("suppressions/", views.suppression_list, name="suppressions"),
    path("suppressions/<int:rule_id>/end/", views.suppression_end, name="suppression_end"),
    path("<str:ref>/", views.alert_detail, name="detail"),
    path("<str:ref>/dismiss/", views.alert_dismiss, name="dismiss"),
    path("<str:ref>/merge/", views.alert_merge, name="merge"),
    path("<str:ref>/promote/", views.alert_promote, name="promote"),
]
