from django.urls import path
from django.views.generic import RedirectView

from ramparts.vulns.views import findings, imports, pages

app_name = "vulns"

urlpatterns: list = [
    path("", RedirectView.as_view(pattern_name="vulns:finding_list"), name="index"),
    path("findings/", findings.finding_list, name="finding_list"),
    path("findings/bulk/", findings.finding_bulk, name="finding_bulk"),
    path("findings/export.csv", findings.finding_export, name="finding_export"),
    path("findings/<str:ref>/", findings.finding_detail, name="finding_detail"),
    path("findings/<str:ref>/<slug:action>/", findings.finding_action, name="finding_action"),
    path("overdue/", findings.overdue, name="finding_overdue"),
    path("burndown/", pages.burndown, name="finding_burndown"),
    path("systems/<str:ref>/", pages.system_findings, name="system_findings"),
    path("cves/", pages.cve_search, name="cve_search"),
    path("cves/<str:cve>/", pages.cve_detail, name="cve_detail"),
    path("feeds/", pages.feed_status, name="feed_status"),
    path("feeds/<slug:feed>/upload/", pages.feed_upload, name="feed_upload"),
    # --- imports (vulns-imports) ---
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_new, name="import_new"),
    path("imports/<str:ref>/", imports.import_detail, name="import_detail"),
]
