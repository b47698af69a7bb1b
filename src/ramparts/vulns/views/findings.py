"""Findings list (facets, filters, bulk triage), detail with triage forms, export. Thin: selectors and services."""

import datetime as dt
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import PAGE_SIZES, domain_errors, paginate
from ramparts.vulns import selectors, triage
from ramparts.vulns.enrichment import explain
from ramparts.vulns.export import findings_csv
from ramparts.vulns.filters import AGE_BANDS, EPSS_BANDS, SEVERITY_WORDS, FindingFilters
from ramparts.vulns.models import PRIORITY_OF_KEY, Finding

FACET_TITLES = {
    "status": "Status",
    "priority": "Priority (SSVC)",
    "severity": "Severity",
    "kev": "CISA KEV",
    "epss": "EPSS (30-day exploitation)",
    "overdue": "SLA",
    "age": "Age",
    "tool": "Tool",
    "system": "System",
    "business_unit": "Business unit",
}


def facet_links(request, facets: selectors.Facets, fixed: tuple[str, ...] = ()) -> list[tuple[str, list[dict]]]:
    """Each facet value as a link that selects it (or, when selected, clears it), keeping the other filters."""
    groups = []
    for name, title in FACET_TITLES.items():
        if name in fixed or not facets.groups.get(name):
            continue
        links = []
        for v in facets.groups[name]:
            params = request.GET.copy()
            params.pop("page", None)
            if v.selected:
                params[name] = "all" if name == "status" else ""
            else:
                params[name] = v.value
            links.append({"label": v.label, "count": v.count, "selected": v.selected, "query": params.urlencode()})
        groups.append((title, links))
    return groups


def list_context(request, filters: FindingFilters, *, title: str, extra: dict | None = None) -> dict:
    triage.acceptances_expire()  # lazily, so an expired acceptance never shows as accepted
    facets = selectors.finding_facets(request.user, filters)  # first: it builds the snapshot the rows use
    pagination = paginate(request, selectors.finding_rows(request.user, filters))
    fixed = tuple((extra or {}).get("fixed", ()))
    return {
        "title": title,
        "filters": filters,
        "rows": pagination.page.object_list,
        "pagination": pagination,
        "facets": facets,
        "facet_groups": facet_links(request, facets, fixed),
        "units": selectors.units_of(request.user),
        "page_sizes": PAGE_SIZES,
        "severity_words": list(SEVERITY_WORDS)[::-1],
        "priority_words": list(PRIORITY_OF_KEY)[::-1],
        "epss_bands": EPSS_BANDS,
        "age_bands": AGE_BANDS,
        "statuses": Finding.Status.choices,
        "filtered": bool(filters.as_params()),
        "today": timezone.now().date(),
        **(extra or {}),
    }


def render_list(request, context: dict, template: str = "vulns/finding_list.html"):
    partial = getattr(request, "htmx", None) and not request.htmx.boosted and request.htmx.target == "list-results"
    return render(request, f"{template}#results" if partial else template, context)


@login_required
@require_GET
@domain_errors
def finding_list(request):
    filters = FindingFilters.from_params(request.GET)
    return render_list(request, list_context(request, filters, title="Findings"))


@login_required
@require_GET
@domain_errors
def overdue(request):
    params = request.GET.copy()
    params["overdue"] = "yes"
    params.setdefault("sort", "due")
    filters = FindingFilters.from_params(params)
    extra = {"overdue_page": True, "fixed": ("overdue",)}
    context = list_context(request, filters, title="Overdue findings", extra=extra)
    return render_list(request, context)


@login_required
@require_GET
@domain_errors
def finding_detail(request, ref: str):
    triage.acceptances_expire()
    finding = selectors.finding_get(request.user, ref=ref)
    return render(
        request,
        "vulns/finding_detail.html",
        {
            "f": finding,
            "decision": explain(finding),
            "comments": finding.comments.select_related("author"),
            "acceptances": finding.acceptances.select_related("approver", "requested_by", "ended_by"),
            "assignable": selectors.assignable_users(request.user, finding),
            "aliases": [a for a in finding.aliases.split("\n") if a],
            "today": timezone.now().date(),
            "default_expiry": timezone.now().date() + dt.timedelta(days=90),
        },
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        raise ValidationFailed("The expiry date is not a date (YYYY-MM-DD).") from None


def _run(request, action, success: str):
    try:
        action()
    except (ValidationFailed, Conflict) as exc:
        problems = "; ".join(str(p) for p in getattr(exc, "problems", []))
        messages.error(request, f"{exc if not problems else getattr(exc, 'message', exc)}: {problems}".rstrip(": "))
    else:
        messages.success(request, success)


@login_required
@require_POST
@domain_errors
def finding_action(request, ref: str, action: str):
    user, post = request.user, request.POST
    actions = {
        "assign": (lambda: triage.finding_assign(actor=user, ref=ref, assignee=post.get("assignee", "")), "Assigned."),
        "comment": (lambda: triage.finding_comment(actor=user, ref=ref, body=post.get("body", "")), "Comment added."),
        "false-positive": (
            lambda: triage.finding_mark_false_positive(actor=user, ref=ref, reason=post.get("reason", "")),
            "Marked as a false positive: re-imports will not reopen it.",
        ),
        "accept": (
            lambda: triage.finding_accept(
                actor=user,
                ref=ref,
                reason=post.get("reason", ""),
                expires_on=_date(post.get("expires_on", "")),
                approver=post.get("approver", "") or None,
            ),
            "Risk accepted until the expiry date; the finding reopens then.",
        ),
        "reopen": (lambda: triage.finding_reopen(actor=user, ref=ref), "Reopened."),
        "revoke": (lambda: triage.finding_revoke_acceptance(actor=user, ref=ref), "Acceptance revoked: open again."),
    }
    if action not in actions:
        return redirect("vulns:finding_detail", ref=ref)
    call, success = actions[action]
    _run(request, call, success)
    return redirect("vulns:finding_detail", ref=ref)


@login_required
@require_POST
@domain_errors
def finding_bulk(request):
    """Selected rows (refs), or with `scope=filter` every finding matching the filters in the form."""
    post = request.POST
    back = post.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = reverse("vulns:finding_list")
    action = post.get("bulk_action", "")
    require(request.user, "vulns.accept" if action == "accept" else "vulns.triage")
    if post.get("scope") == "filter":
        findings = selectors.finding_list(request.user, FindingFilters.from_params(post))
    else:
        findings = [r for r in post.getlist("refs") if r]
        if not findings:
            messages.warning(request, "Select at least one finding first, or apply to every finding of the filter.")
            return redirect(back)
    result: dict[str, int] = {}

    def apply():
        result["n"] = triage.findings_bulk(
            actor=request.user,
            findings=findings,
            action=action,
            assignee=post.get("assignee", "") or None,
            reason=post.get("reason", ""),
            expires_on=_date(post.get("expires_on", "")),
            approver=post.get("approver", "") or None,
        )

    _run(request, apply, "")
    if "n" in result:
        messages.success(request, f"{result['n']} finding(s) changed.")
    return redirect(back)


@login_required
@require_GET
@domain_errors
def finding_export(request):
    """The list as filtered on screen, as CSV (streamed; at most EXPORT_LIMIT rows, formulas neutralised)."""
    rows = findings_csv(request.user, FindingFilters.from_params(request.GET))
    header = next(rows)  # runs the permission check before the response starts
    rows = itertools.chain([header], rows)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ramparts-findings-{timezone.now():%Y%m%d-%H%M%S}.csv"'
    return response
