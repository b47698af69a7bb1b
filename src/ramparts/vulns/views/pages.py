"""Per-system and per-CVE views, burn-down chart, feed status and upload."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ramparts.core import charts
from ramparts.core.errors import ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors
from ramparts.vulns import feed_updates, selectors
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.views.findings import list_context, render_list

MAX_FEED_UPLOAD = 200 * 1024 * 1024


@login_required
@require_GET
@domain_errors
def system_findings(request, ref: str):
    """The findings of one system, with the list's filters and facets."""
    params = request.GET.copy()
    params["system"] = ref
    filters = FindingFilters.from_params(params)
    system, _ = selectors.findings_of_system(request.user, ref=ref)
    extra = {"system": system, "fixed": ("system",)}
    context = list_context(request, filters, title=f"Findings on {system.name}", extra=extra)
    return render_list(request, context)


@login_required
@require_GET
@domain_errors
def cve_search(request):
    cve = request.GET.get("cve", "").strip()
    if cve:
        return redirect("vulns:cve_detail", cve=cve.upper())
    require(request.user, "vulns.view")
    return render(request, "vulns/cve_detail.html", {"view": None})


@login_required
@require_GET
@domain_errors
def cve_detail(request, cve: str):
    return render(request, "vulns/cve_detail.html", {"view": selectors.cve_view(request.user, cve=cve)})


@login_required
@require_GET
@domain_errors
def burndown(request):
    try:
        days = max(7, min(int(request.GET.get("days", 90)), 730))
    except ValueError:
        days = 90
    series = selectors.burndown(request.user, days=days)
    css = {"Act": "chart-series-0", "Attend": "chart-series-1", "Track*": "chart-series-2", "Track": "chart-series-3"}
    drawn = [charts.Series(label, points, css=css[label]) for label, points in series.items() if points]
    chart = None
    if drawn:
        chart = charts.line_chart(
            drawn,
            stacked=True,
            y_format=charts.integer,
            y_label="open findings",
            summary=f"Open findings by SSVC priority over the last {days} days.",
        )
    return render(
        request,
        "vulns/finding_burndown.html",
        {"chart": chart, "days": days, "summary": selectors.summary(request.user)},
    )


@login_required
@require_GET
@domain_errors
def feed_status(request):
    require(request.user, "vulns.view")
    return render(request, "vulns/finding_feeds.html", {"feeds": feed_updates.feed_status()})


@login_required
@require_POST
@domain_errors
def feed_upload(request, feed: str):
    """`ramparts feeds update FEED --from-file` from the browser (an offline catalogue or EPSS file)."""
    require(request.user, "feeds.update")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a file to upload.")
        return redirect("vulns:feed_status")
    if upload.size > MAX_FEED_UPLOAD:
        messages.error(request, f"{upload.name}: larger than {MAX_FEED_UPLOAD // (1024 * 1024)} MB.")
        return redirect("vulns:feed_status")
    suffix = "".join(Path(upload.name).suffixes[-2:])[:16] or ".json"
    with tempfile.TemporaryDirectory(prefix="ramparts-feed-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            result = feed_updates.feed_update(actor=request.user, feed=feed, path=path)
        except ValidationFailed as exc:
            messages.error(request, str(exc).replace(str(path), upload.name))
        else:
            done = f"{result.feed.upper()}: {result.count} entries; {result.findings_updated} open findings updated."
            messages.success(request, done)
    return redirect("vulns:feed_status")
