from django.urls import path

from ramparts.compliance.views import assessments, controls, evidence, exports, overview, profiles

app_name = "compliance"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("gaps/", overview.gaps, name="gaps"),
    path("controls/", controls.control_list, name="control_list"),
    path("controls/new/", controls.control_create, name="control_create"),
    path("controls/<str:ref>/", controls.control_detail, name="control_detail"),
    path("controls/<str:ref>/edit/", controls.control_edit, name="control_edit"),
    path("controls/<str:ref>/delete/", controls.control_delete, name="control_delete"),
    path("controls/<str:ref>/map/", controls.control_map, name="control_map"),
    path("evidence/", evidence.evidence_list, name="evidence_list"),
    path("evidence/new/", evidence.evidence_add, name="evidence_add"),
    path("evidence/<str:ref>/download/", evidence.evidence_download, name="evidence_download"),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/new/", assessments.assessment_create, name="assessment_create"),
    path("assessments/<str:ref>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<str:ref>/results/<str:identifier>/", assessments.result_set, name="result_set"),
    path("assessments/<str:ref>/signoff/", assessments.assessment_signoff, name="assessment_signoff"),
    path("assessments/<str:ref>/migrate/", assessments.assessment_migrate, name="assessment_migrate"),
    path("assessments/<str:ref>/export.<str:fmt>", exports.assessment_download, name="assessment_export"),
    path("systems/<str:ref>/ssp.json", exports.ssp_download, name="system_ssp"),
    path("assessments/<str:ref>/gaps/actions/", profiles.assessment_gaps_to_actions, name="assessment_gaps_to_actions"),
    path("profiles/<str:ref>/gaps/actions/", profiles.profile_gaps_to_actions, name="profile_gaps_to_actions"),
    path("profiles/", profiles.profile_list, name="profile_list"),
    path("profiles/new/", profiles.profile_create, name="profile_create"),
    path("profiles/<str:ref>/", profiles.profile_detail, name="profile_detail"),
    path("profiles/<str:ref>/edit/", profiles.profile_edit, name="profile_edit"),
    path("profiles/<str:ref>/outcomes/", profiles.profile_outcomes, name="profile_outcomes"),
]
