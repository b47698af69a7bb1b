"""The vulnerability API under /api/v1/vulns/: findings (same filters as the UI), facets, triage, CVEs, feeds.

Domain errors become responses in ramparts/api.py: PermissionDenied 403, NotFound (also for
findings of other business units) 404, ValidationFailed 400 with `problems`, Conflict 409.
"""

import itertools
import tempfile
from pathlib import Path

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.core.errors import ValidationFailed
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require
from ramparts.vulns import feed_updates, schemas, selectors, triage
from ramparts.vulns.export import findings_csv
from ramparts.vulns.filters import FindingFilters

router = Router(tags=["Vulnerabilities"])
MAX_FEED_UPLOAD = 200 * 1024 * 1024


def _filters(params: schemas.FindingFilterIn) -> FindingFilters:
    return FindingFilters.from_params(params.dict())


# --- findings -------------------------------------------------------------------------------------


@router.get("/findings", response=list[schemas.FindingOut], operation_id="vulns_finding_list", summary="List findings")
@paginate(PageNumber)
def finding_list(request: HttpRequest, params: Query[schemas.FindingFilterIn]):
    triage.acceptances_expire()
    return selectors.finding_rows(request.user, _filters(params))


@router.get("/findings/facets", response=schemas.FacetsOut, operation_id="vulns_finding_facets", summary="Facets")
def finding_facets(request: HttpRequest, params: Query[schemas.FindingFilterIn]):
    """Counts per severity, priority, KEV, EPSS band, age, overdue, tool, system, business unit and status."""
    return selectors.finding_facets(request.user, _filters(params))


@router.get("/findings/export", operation_id="vulns_finding_export", summary="Export findings as CSV")
def finding_export(request: HttpRequest, params: Query[schemas.FindingFilterIn]):
    """The filtered findings as CSV (at most 100,000 rows; spreadsheet formulas neutralised)."""
    rows = findings_csv(request.user, _filters(params))
    header = next(rows)  # runs the permission check before the response starts
    response = StreamingHttpResponse(itertools.chain([header], rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ramparts-findings.csv"'
    return response


@router.post("/findings/bulk", response=schemas.BulkOut, operation_id="vulns_finding_bulk", summary="Bulk triage")
def finding_bulk(request: HttpRequest, payload: schemas.BulkIn):
    """One action on the listed refs, or on every finding matching `filters` (at most 10,000)."""
    findings: QuerySet | list[str]
    if payload.filters is not None:
        findings = selectors.finding_list(request.user, _filters(payload.filters))
    elif payload.refs:
        findings = payload.refs
    else:
        raise ValidationFailed("Give `refs` or `filters`.")
    changed = triage.findings_bulk(
        actor=request.user,
        findings=findings,
        action=payload.action,
        assignee=payload.assignee,
        reason=payload.reason,
        expires_on=payload.expires_on,
        approver=payload.approver,
    )
    return {"changed": changed}


@router.get(
    "/findings/{ref}", response=schemas.FindingDetailOut, operation_id="vulns_finding_get", summary="Get a finding"
)
def finding_get(request: HttpRequest, ref: str):
    return selectors.finding_get(request.user, ref=ref)


def _after(request: HttpRequest, ref: str):
    return selectors.finding_get(request.user, ref=ref)


@router.post("/findings/{ref}/assign", response=schemas.FindingDetailOut, operation_id="vulns_finding_assign")
def finding_assign(request: HttpRequest, ref: str, payload: schemas.AssignIn):
    triage.finding_assign(actor=request.user, ref=ref, assignee=payload.assignee or None)
    return _after(request, ref)


@router.post("/findings/{ref}/comments", response={201: schemas.CommentOut}, operation_id="vulns_finding_comment")
def finding_comment(request: HttpRequest, ref: str, payload: schemas.CommentIn):
    return Status(201, triage.finding_comment(actor=request.user, ref=ref, body=payload.body))


@router.post(
    "/findings/{ref}/false-positive", response=schemas.FindingDetailOut, operation_id="vulns_finding_false_positive"
)
def finding_false_positive(request: HttpRequest, ref: str, payload: schemas.ReasonIn):
    triage.finding_mark_false_positive(actor=request.user, ref=ref, reason=payload.reason)
    return _after(request, ref)


@router.post("/findings/{ref}/accept", response=schemas.FindingDetailOut, operation_id="vulns_finding_accept")
def finding_accept(request: HttpRequest, ref: str, payload: schemas.AcceptIn):
    triage.finding_accept(
        actor=request.user, ref=ref, reason=payload.reason, expires_on=payload.expires_on, approver=payload.approver
    )
    return _after(request, ref)


@router.post("/findings/{ref}/revoke", response=schemas.FindingDetailOut, operation_id="vulns_finding_revoke")
def finding_revoke(request: HttpRequest, ref: str):
    triage.finding_revoke_acceptance(actor=request.user, ref=ref)
    return _after(request, ref)


@router.post("/findings/{ref}/reopen", response=schemas.FindingDetailOut, operation_id="vulns_finding_reopen")
def finding_reopen(request: HttpRequest, ref: str):
    triage.finding_reopen(actor=request.user, ref=ref)
    return _after(request, ref)


# --- CVEs and feeds -------------------------------------------------------------------------------


@router.get("/cves/{cve}", response=schemas.CveOut, operation_id="vulns_cve_get", summary="Which systems have CVE-X")
def cve_get(request: HttpRequest, cve: str):
    view = selectors.cve_view(request.user, cve=cve)
    kev, epss = view.kev, view.epss
    return {
        "cve": view.cve,
        "in_kev": kev is not None,
        "kev_date_added": kev.date_added if kev else None,
        "kev_due_date": kev.due_date if kev else None,
        "kev_ransomware": kev.known_ransomware if kev else None,
        "kev_name": kev.name if kev else "",
        "epss_score": epss.score if epss else None,
        "epss_percentile": epss.percentile if epss else None,
        "epss_date": epss.date if epss else None,
        "open_findings": view.open_count,
        "finding_count": view.finding_count,
        "systems": [
            {
                "system": s["system"].ref if s["system"] else None,
                "name": s["system"].name if s["system"] else None,
                "criticality": s["system"].criticality if s["system"] else None,
                "internet_facing": s["system"].internet_facing if s["system"] else None,
                "open": s["open"],
                "findings": s["findings"],
            }
            for s in view.systems
        ],
        "services": [s.ref for s in view.services],
        "findings": view.findings,
    }


@router.get("/feeds", response=list[schemas.FeedOut], operation_id="vulns_feed_status", summary="Feed status")
def feed_status(request: HttpRequest):
    require(request.user, "vulns.view")
    return feed_updates.feed_status()


@router.post("/feeds/{feed}", response=schemas.FeedUpdateOut, operation_id="vulns_feed_update", summary="Update a feed")
def feed_update(request: HttpRequest, feed: str, file: UploadedFile | None = File(None)):  # noqa: B008
    """With a file (KEV .json/.csv, EPSS .csv/.csv.gz): offline update; without: download from the official URL."""
    require(request.user, "feeds.update")
    if file is None:
        return feed_updates.feed_update(actor=request.user, feed=feed).as_dict()
    if file.size and file.size > MAX_FEED_UPLOAD:
        raise ValidationFailed(f"{file.name}: larger than {MAX_FEED_UPLOAD // (1024 * 1024)} MB.")
    suffix = "".join(Path(file.name or "feed.json").suffixes[-2:])[:16] or ".json"
    with tempfile.TemporaryDirectory(prefix="ramparts-feed-api-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        try:
            return feed_updates.feed_update(actor=request.user, feed=feed, path=path).as_dict()
        except ValidationFailed as exc:
            raise ValidationFailed(str(exc).replace(str(path), file.name or "upload")) from None


# --- imports (vulns-imports) ---
from ramparts.vulns.api_imports import router as imports_router  # noqa: E402

router.add_router("", imports_router)
