from django.urls import path

from ramparts.policies.views import exceptions, library, mine, reports

app_name = "policies"

urlpatterns = [
    path("", library.policy_list, name="list"),
    path("new/", library.policy_create, name="create"),
    path("approvals/", library.approvals, name="approvals"),
    path("mine/", mine.my_list, name="mine"),
    path("mine/<str:ref>/", mine.my_detail, name="my_detail"),
    path("mine/<str:ref>/acknowledge/", mine.acknowledge, name="acknowledge"),
    path("reports/", reports.overview, name="reports"),
    path("reports/<str:ref>/", reports.policy_report, name="report"),
    path("reports/<str:ref>/missing.csv", reports.missing_csv, name="missing_csv"),
    path("exceptions/", exceptions.exception_list, name="exceptions"),
    path("exceptions/new/", exceptions.exception_create, name="exception_create"),
    path("exceptions/<str:ref>/", exceptions.exception_detail, name="exception_detail"),
    path("exceptions/<str:ref>/edit/", exceptions.exception_edit, name="exception_edit"),
    path("exceptions/<str:ref>/approve/", exceptions.exception_approve, name="exception_approve"),
    path("exceptions/<str:ref>/reject/", exceptions.exception_reject, name="exception_reject"),
    path("exceptions/<str:ref>/revoke/", exceptions.exception_revoke, name="exception_revoke"),
    path("exceptions/<str:ref>/renew/", exceptions.exception_renew, name="exception_renew"),
    path("<str:ref>/", library.policy_detail, name="detail"),
    path("<str:ref>/edit/", library.policy_edit, name="edit"),
    path("<str:ref>/review/", library.policy_review, name="review"),
    path("<str:ref>/retire/", library.policy_retire, name="retire"),
    path("<str:ref>/diff/", library.version_diff, name="diff"),
    path("<str:ref>/versions/new/", library.version_create, name="version_create"),
    path("<str:ref>/versions/<str:label>/", library.version_detail, name="version"),
    path("<str:ref>/versions/<str:label>/edit/", library.version_edit, name="version_edit"),
    path("<str:ref>/versions/<str:label>/submit/", library.version_submit, name="version_submit"),
    path("<str:ref>/versions/<str:label>/approve/", library.version_approve, name="version_approve"),
    path("<str:ref>/versions/<str:label>/reject/", library.version_reject, name="version_reject"),
    path("<str:ref>/versions/<str:label>/publish/", library.version_publish, name="version_publish"),
]
