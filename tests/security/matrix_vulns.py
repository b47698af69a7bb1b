"""Permission-matrix requests of the vulns module: findings, triage, acceptance, export, feeds
(collected by matrix_modules; see its docstring). Scan-import requests are in matrix_vulns_import.py."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.security.matrix_base import api, ui

CVE = "CVE-2023-4966"
KEV_CSV = (
    "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,"
    "knownRansomwareCampaignUse,notes,cwes\n"
    f'{CVE},Citrix,NetScaler,"Citrix Bleed",2023-10-18,"d","a",2023-11-08,Known,,CWE-119\n'
)


def _later() -> str:
    return (timezone.now().date() + dt.timedelta(days=60)).isoformat()


def kev_upload(w) -> dict:
    return {"file": SimpleUploadedFile("kev.csv", KEV_CSV.encode(), content_type="text/csv")}


def accept_form(w) -> dict:
    return {"reason": "Compensating control: WAF rule", "expires_on": _later()}


MATRIX: dict[str, dict[str, list]] = {
    "vulns.view": {
        "ui": [
            ui("GET", "/vulns/findings/"),
            ui("GET", "/vulns/findings/{finding}/"),
            ui("GET", "/vulns/overdue/"),
            ui("GET", "/vulns/burndown/"),
            ui("GET", "/vulns/systems/{system}/"),
            ui("GET", f"/vulns/cves/{CVE}/"),
            ui("GET", "/vulns/feeds/"),
        ],
        "api": [
            api("GET", "/vulns/findings"),
            api("GET", "/vulns/findings/{finding}"),
            api("GET", "/vulns/findings/facets?kev=true"),
            api("GET", f"/vulns/cves/{CVE}"),
            api("GET", "/vulns/feeds"),
        ],
    },
    "vulns.triage": {
        "ui": [
            ui("POST", "/vulns/findings/{finding}/comment/", {"body": "Patch scheduled"}),
            ui("POST", "/vulns/findings/{finding}/false-positive/", {"reason": "Test host"}),
            ui("POST", "/vulns/findings/{finding_fp}/reopen/"),
            ui("POST", "/vulns/findings/bulk/", lambda w: {"bulk_action": "assign", "refs": [w.extras["finding"]]}),
        ],
        "api": [
            api("POST", "/vulns/findings/{finding}/comments", {"body": "Patch scheduled"}),
            api("POST", "/vulns/findings/{finding}/false-positive", {"reason": "Test host"}),
            api("POST", "/vulns/findings/{finding}/assign", {"assignee": None}),
            api("POST", "/vulns/findings/{finding_fp}/reopen"),
            api("POST", "/vulns/findings/bulk", lambda w: {"action": "assign", "refs": [w.extras["finding"]]}),
        ],
    },
    "vulns.accept": {
        "ui": [
            ui("POST", "/vulns/findings/{finding}/accept/", accept_form),
            ui("POST", "/vulns/findings/{finding_accepted}/revoke/"),
        ],
        "api": [
            api("POST", "/vulns/findings/{finding}/accept", accept_form),
            api("POST", "/vulns/findings/{finding_accepted}/revoke"),
            api(
                "POST",
                "/vulns/findings/bulk",
                lambda w: {"action": "accept", "refs": [w.extras["finding"]], **accept_form(w)},
            ),
        ],
    },
    "vulns.export": {
        "ui": [ui("GET", "/vulns/findings/export.csv")],
        "api": [api("GET", "/vulns/findings/export?kev=true")],
    },
    "feeds.update": {
        "ui": [ui("POST", "/vulns/feeds/kev/upload/", kev_upload, body="multipart")],
        "api": [api("POST", "/vulns/feeds/kev", kev_upload, body="multipart")],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    """An open finding on the world's system, a false positive and a risk-accepted one, all in `unit`."""
    from ramparts.vulns import triage
    from ramparts.vulns.models import Finding, FindingScope

    base = (Finding.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    now = timezone.now()
    refs = {}
    for offset, key in enumerate(("finding", "finding_fp", "finding_accepted")):
        f = Finding.objects.create(
            number=base + offset,
            business_unit=unit,
            system=world.system,
            fingerprint=f"matrix-{base + offset}".encode(),
            scope=FindingScope.objects.get_or_create(key=f"unit:{unit.code}|system:{world.system.ref}|format:trivy")[0],
            title=f"OpenSSL flaw {key}",
            severity=4,
            cve=CVE,
            tool="trivy",
            first_seen=now,
            last_seen=now,
        )
        refs[key] = f.ref
    triage.finding_mark_false_positive(actor=owner, ref=refs["finding_fp"], reason="matrix")
    triage.finding_accept(
        actor=owner,
        ref=refs["finding_accepted"],
        reason="matrix",
        expires_on=timezone.now().date() + dt.timedelta(days=300),
    )
    return refs
