from django.urls import path

from ramparts.incidents.views import actions, exports, pages

app_name = "incidents"

urlpatterns = [
    path("", pages.incident_list, name="list"),
    path("declare/", pages.incident_declare, name="declare"),
    path("metrics/", pages.incident_metrics, name="metrics"),
    path("<str:ref>/", pages.incident_detail, name="detail"),
    path("<str:ref>/timeline/", pages.incident_timeline, name="timeline"),
    path("<str:ref>/transition/", actions.transition, name="transition"),
    path("<str:ref>/edit/", actions.edit, name="edit"),
    path("<str:ref>/conditions/", actions.conditions, name="conditions"),
    path("<str:ref>/roles/", actions.role_assign, name="role_assign"),
    path("<str:ref>/roles/<int:pk>/release/", actions.role_release, name="role_release"),
    path("<str:ref>/tasks/", actions.task_create, name="task_create"),
    path("<str:ref>/tasks/<int:number>/", actions.task_update, name="task_update"),
    path("<str:ref>/timeline/add/", actions.timeline_add, name="timeline_add"),
    path("<str:ref>/timeline/pin/", actions.timeline_pin, name="timeline_pin"),
    path("<str:ref>/observables/", actions.observable_add, name="observable_add"),
    path("<str:ref>/observables/<int:pk>/delete/", actions.observable_remove, name="observable_remove"),
    path("<str:ref>/techniques/", actions.technique_add, name="technique_add"),
    path("<str:ref>/techniques/<int:pk>/delete/", actions.technique_remove, name="technique_remove"),
    path("<str:ref>/assets/", actions.assets, name="assets"),
    path("<str:ref>/risks/", actions.risks, name="risks"),
    path("<str:ref>/notices/", actions.notice_record, name="notice_record"),
    path("<str:ref>/notices/<int:pk>/evidence/", actions.notice_evidence, name="notice_evidence"),
    path("<str:ref>/review/", actions.review, name="review"),
    path("<str:ref>/actions/", actions.action_create, name="action_create"),
    path("<str:ref>/actions/<int:number>/", actions.action_status, name="action_status"),
    path("<str:ref>/effort/", actions.effort_add, name="effort_add"),
    path("<str:ref>/costs/", actions.cost_add, name="cost_add"),
    path("<str:ref>/export/<str:fmt>/", exports.export, name="export"),
]
