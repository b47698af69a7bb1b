"""Downloads: incident report (Markdown, PDF), timeline CSV, IOCs as a STIX 2.1 bundle."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors
from ramparts.incidents import exports, selectors

FORMATS = {
    "md": ("text/markdown; charset=utf-8", "report.md"),
    "pdf": ("application/pdf", "report.pdf"),
    "csv": ("text/csv; charset=utf-8", "timeline.csv"),
    "stix": ("application/stix+json;version=2.1", "iocs.stix.json"),
}


def _download(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@domain_errors
def export(request, ref: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    require(request.user, "incidents.export")
    content_type, suffix = FORMATS[fmt]
    name = f"{ref.upper()}-{suffix}"
    if fmt == "csv":
        incident = selectors.incident_get(request.user, ref=ref)
        return _download(StreamingHttpResponse(exports.timeline_csv(incident), content_type=content_type), name)
    if fmt == "stix":
        incident = selectors.incident_get(request.user, ref=ref)
        return _download(HttpResponse(exports.stix_bundle(incident), content_type=content_type), name)
    page = selectors.incident_page(request.user, ref=ref, timeline_limit=1000)
    now = timezone.now()
    body = exports.report_markdown(page, now=now) if fmt == "md" else exports.report_pdf(page, now=now)
    return _download(HttpResponse(body, content_type=content_type), name)
