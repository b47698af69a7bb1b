"""Incident pages: list, declare, the incident itself, its full timeline, metrics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ramparts.core import charts
from ramparts.core.errors import ValidationFailed
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import require, scope_to_units, unit_ids, user_can
from ramparts.core.ui import domain_errors, paginate
from ramparts.incidents import config, metrics, selectors, services
from ramparts.incidents.models import (
    PHASE_ORDER,
    IncidentRole,
    ObservableKind,
    Phase,
    Priority,
    Severity,
    TaskStatus,
    Tlp,
)
from ramparts.incidents.services.regulatory import report_choices
from ramparts.incidents.views.common import form_time, user_zone
from ramparts.inventory.models import BusinessService, DataAsset, System

TIME_FIELDS = (
    ("occurred_at", "Occurred"),
    ("detected_at", "Detected"),
    ("reported_at", "Reported"),
    ("acknowledged_at", "Acknowledged"),
    ("contained_at", "Contained"),
    ("eradicated_at", "Eradicated"),
    ("recovered_at", "Recovered"),
    ("closed_at", "Closed"),
    ("aware_at", "Aware (regulatory awareness)"),
    ("classified_at", "Classified major (DORA)"),
    ("determined_at", "Incident determined (NYDFS)"),
    ("material_at", "Determined material (SEC)"),
    ("discovered_at", "Breach discovered (HIPAA)"),
    ("payment_at", "Ransom/extortion paid"),
)


def _filters(request) -> selectors.IncidentFilters:
    try:
        severity = int(request.GET.get("severity") or 0) or None
    except ValueError:
        severity = None
    return selectors.IncidentFilters(
        q=request.GET.get("q", "")[:200],
        phase=request.GET.get("phase", ""),
        incident_type=request.GET.get("type", ""),
        severity=severity,
        business_unit=request.GET.get("business_unit", ""),
    )


def _units(user):
    units = unit_ids(user)
    return BusinessUnit.objects.all() if units is None else BusinessUnit.objects.filter(pk__in=units)


@login_required
@require_GET
@domain_errors
def incident_list(request):
    filters = _filters(request)
    pagination = paginate(request, selectors.incident_list(request.user, filters=filters))
    context = {
        "filters": filters,
        "pagination": pagination,
        "rows": pagination.page.object_list,
        "filtered": any([filters.q, filters.phase, filters.incident_type, filters.severity, filters.business_unit]),
        "phases": Phase.choices,
        "types": config.incident_types().values(),
        "severities": list(reversed(Severity.choices)),
        "units": _units(request.user),
    }
    if request.htmx and not request.htmx.boosted and request.htmx.target == "list-results":
        return render(request, "incidents/list.html#results", context)
    return render(request, "incidents/list.html", context)


def _lines(request, name: str) -> list[str]:
    return [v.strip() for v in request.POST.getlist(name) if v.strip()]


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def incident_declare(request):
    require(request.user, "incidents.declare")
    units = list(_units(request.user))
    problems: list = []
    if request.method == "POST":
        unit = next((u for u in units if u.code == request.POST.get("business_unit")), None)
        try:
            if unit is None:
                from ramparts.core.errors import Problem

                raise ValidationFailed(
                    "The incident was not declared.", [Problem("choose a business unit", column="business_unit")]
                )
            incident = services.incident_declare(
                actor=request.user,
                business_unit=unit,
                title=request.POST.get("title", ""),
                incident_type=request.POST.get("incident_type", ""),
                severity=request.POST.get("severity", ""),
                priority=request.POST.get("priority") or None,
                summary=request.POST.get("summary", ""),
                occurred_at=form_time(request, "occurred_at"),
                occurred_estimated=bool(request.POST.get("occurred_estimated")),
                detected_at=form_time(request, "detected_at"),
                systems=_lines(request, "systems"),
                data_assets=_lines(request, "data_assets"),
                services=_lines(request, "services"),
            )
        except ValidationFailed as exc:
            problems = exc.problems
        else:
            messages.success(request, f"{incident.ref} declared. The playbook's tasks are on the incident.")
            return redirect("incidents:detail", incident.ref)
    return render(
        request,
        "incidents/declare.html",
        {
            "units": units,
            "types": config.incident_types().values(),
            "severities": list(reversed(Severity.choices)),
            "priorities": Priority.choices,
            "problems": problems,
            "errors": {p.column: p.reason for p in problems},
            "data": request.POST,
            "systems": scope_to_units(request.user, System.objects.only("number", "name", "business_unit_id"))[:500],
            "data_assets": scope_to_units(request.user, DataAsset.objects.only("number", "name", "business_unit_id"))[
                :500
            ],
            "services": scope_to_units(
                request.user, BusinessService.objects.only("number", "name", "business_unit_id")
            )[:500],
        },
    )


@login_required
@require_GET
@domain_errors
def incident_detail(request, ref: str):
    page = selectors.incident_page(request.user, ref=ref)
    incident = page.incident
    index = PHASE_ORDER.index(incident.phase)
    zone = user_zone(request.user)
    people = User.objects.filter(is_active=True).order_by("username")
    units = unit_ids(request.user)
    if units is not None:
        people = people.filter(business_units=incident.business_unit_id) | people.filter(all_units=True)
    return render(
        request,
        "incidents/detail.html",
        {
            "page": page,
            "incident": incident,
            "type_label": config.type_label(incident.incident_type),
            "phases": [(p, Phase(p).label, i < index, i == index) for i, p in enumerate(PHASE_ORDER)],
            "next_phase": PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None,
            "next_phase_label": Phase(PHASE_ORDER[index + 1]).label if index + 1 < len(PHASE_ORDER) else "",
            "phase_choices": Phase.choices,
            "role_choices": IncidentRole.choices,
            "task_statuses": TaskStatus.choices,
            "observable_kinds": ObservableKind.choices,
            "tlps": Tlp.choices,
            "report_choices": report_choices(),
            "people": people.distinct()[:300],
            "conditions": _conditions(incident),
            "cost": metrics.cost_breakdown(incident),
            "open_tasks": sum(1 for t in page.tasks if t.is_open),
            "time_fields": TIME_FIELDS,
            "time_values": {
                name: getattr(incident, name).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
                for name, _ in TIME_FIELDS
                if getattr(incident, name)
            },
            "now": timezone.now(),
            "csrf_value": get_token(request),
            # evaluated once: `can.*` goes through the lazy request.user on every use, inside loops too
            "manage": user_can(
                request.user, "incidents.manage"
            ),  # one token for the per-task forms (the tag costs per use)
        },
    )


def _conditions(incident) -> list[tuple[str, str, object]]:
    from ramparts.incidents.engine.ruleset import load_rules

    values = incident.conditions
    return [(name, cond.label, values.get(name)) for name, cond in load_rules().conditions.items()]


@login_required
@require_GET
@domain_errors
def incident_timeline(request, ref: str):
    incident = selectors.incident_get(request.user, ref=ref)
    pagination = paginate(request, selectors.timeline_entries(request.user, incident=incident), default_size=100)
    return render(
        request,
        "incidents/timeline.html",
        {"incident": incident, "pagination": pagination, "entries": pagination.page.object_list},
    )


@login_required
@require_GET
@domain_errors
def incident_metrics(request):
    require(request.user, "incidents.metrics")
    filters = _filters(request)
    data = metrics.incident_metrics(request.user, filters=filters)
    charts_by = {}
    for name, groups in (("type", data.by_type), ("severity", data.by_severity), ("month", data.by_month)):
        charts_by[name] = charts.bar_chart(
            [
                charts.Bar(g.label, round(g.measures["mttr"].mean or 0, 2))
                for g in groups.values()
                if g.measures["mttr"].mean is not None
            ],
            value_format=lambda v: f"{v:.1f} h",
            summary=f"Mean time to recover by {name}, in hours",
        )
    return render(
        request,
        "incidents/metrics.html",
        {
            "data": data,
            "measures": metrics.MEASURES,
            "charts": charts_by,
            "tables": [("type", data.by_type), ("severity", data.by_severity), ("month", data.by_month)],
            "filters": filters,
            "types": config.incident_types().values(),
            "severities": list(reversed(Severity.choices)),
        },
    )
