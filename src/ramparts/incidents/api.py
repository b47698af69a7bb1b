"""The incidents API under /api/v1/incidents/. Each endpoint calls one selector or service.

Domain errors become responses in ramparts/api.py: PermissionDenied 403, NotFound (also for incidents
of other business units) 404, ValidationFailed 400 with `problems`, Conflict 409."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.models import BusinessUnit, User
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require
from ramparts.incidents import exports, metrics, schemas, selectors, services
from ramparts.incidents.models import Incident

router = Router(tags=["incidents"])


class ListParams(Schema):
    q: str = ""
    phase: str = ""
    type: str = ""
    severity: int | None = None
    business_unit: str = ""


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise ValidationFailed("Nothing was changed.", [Problem(f"no active user {username[:40]!r}", column=field)])
    return found


def _detail(request, incident: Incident) -> Incident:
    """The incident with everything its page shows attached as api_* attributes (IncidentDetailOut)."""
    page = selectors.incident_page(request.user, ref=incident.ref, timeline_limit=0)
    i = page.incident
    i.api_conditions = {k: v for k, v in i.conditions.items() if not k.startswith("_")}  # type: ignore[attr-defined]
    i.api_systems = [s.ref for s in page.systems]  # type: ignore[attr-defined]
    i.api_data_assets = [d.ref for d in page.data_assets]  # type: ignore[attr-defined]
    i.api_services = [s.ref for s in page.services]  # type: ignore[attr-defined]
    i.api_risks = [r.ref for r in page.risks]  # type: ignore[attr-defined]
    i.api_roles = page.roles  # type: ignore[attr-defined]
    i.api_tasks = page.tasks  # type: ignore[attr-defined]
    i.api_clocks = [_clock(c) for c in page.clocks]  # type: ignore[attr-defined]
    i.api_observables = page.observables  # type: ignore[attr-defined]
    i.api_techniques = page.techniques  # type: ignore[attr-defined]
    i.api_notices = page.notices  # type: ignore[attr-defined]
    i.api_actions = page.actions  # type: ignore[attr-defined]
    i.api_review = page.review  # type: ignore[attr-defined]
    i.api_cost_total = metrics.cost_breakdown(i)["total"]  # type: ignore[attr-defined]
    i.api_timeline_total = page.timeline_total  # type: ignore[attr-defined]
    return i


def _clock(c) -> dict:
    remaining = c.status.remaining
    return {
        "regime": c.deadline.regime,
        "report": c.deadline.report,
        "rule_id": c.deadline.rule_id,
        "source": c.deadline.source,
        "due": c.deadline.due,
        "basis": c.deadline.basis,
        "state": c.status.state.value,
        "remaining_seconds": int(remaining.total_seconds()) if remaining is not None else None,
        "level": c.status.level,
        "provisional": c.deadline.provisional,
        "assumed": list(c.deadline.assumed),
        "waiting_for": list(c.deadline.waiting_for),
        "submitted_at": c.deadline.submitted_at,
    }


def _get(request, ref: str) -> Incident:
    return selectors.incident_get(request.user, ref=ref)


@router.get("/incidents", response=list[schemas.IncidentOut], operation_id="incidents_list", summary="List incidents")
@paginate(PageNumber)
def incident_list(request: HttpRequest, params: Query[ListParams]):
    return selectors.incident_list(
        request.user,
        filters=selectors.IncidentFilters(
            q=params.q,
            phase=params.phase,
            incident_type=params.type,
            severity=params.severity,
            business_unit=params.business_unit,
        ),
    )


@router.post(
    "/incidents", response={201: schemas.IncidentDetailOut}, operation_id="incidents_declare", summary="Declare"
)
def incident_declare(request: HttpRequest, payload: schemas.DeclareIn):
    require(request.user, "incidents.declare")
    unit = BusinessUnit.objects.filter(code=payload.business_unit).first()
    if unit is None:
        raise ValidationFailed(
            "The incident was not declared.", [Problem("no such business unit", column="business_unit")]
        )
    fields = payload.dict()
    fields.pop("business_unit")
    incident = services.incident_declare(actor=request.user, business_unit=unit, **fields)
    return Status(201, _detail(request, incident))


@router.get(
    "/incidents/{ref}", response=schemas.IncidentDetailOut, operation_id="incidents_get", summary="One incident"
)
def incident_get(request: HttpRequest, ref: str):
    return _detail(request, _get(request, ref))


@router.patch("/incidents/{ref}", response=schemas.IncidentDetailOut, operation_id="incidents_update")
def incident_update(request: HttpRequest, ref: str, payload: schemas.IncidentPatchIn):
    incident = services.incident_update(
        actor=request.user, incident=_get(request, ref), **payload.dict(exclude_unset=True)
    )
    return _detail(request, incident)


@router.post("/incidents/{ref}/transition", response=schemas.IncidentDetailOut, operation_id="incidents_transition")
def incident_transition(request: HttpRequest, ref: str, payload: schemas.TransitionIn):
    incident = services.incident_transition(actor=request.user, incident=_get(request, ref), **payload.dict())
    return _detail(request, incident)


@router.put("/incidents/{ref}/conditions", response=schemas.IncidentDetailOut, operation_id="incidents_conditions")
def incident_conditions(request: HttpRequest, ref: str, payload: schemas.ConditionsIn):
    incident = services.incident_set_conditions(
        actor=request.user, incident=_get(request, ref), conditions=payload.conditions
    )
    return _detail(request, incident)


@router.get("/incidents/{ref}/clocks", response=list[schemas.ClockOut], operation_id="incidents_clocks")
def incident_clocks(request: HttpRequest, ref: str):
    return [_clock(c) for c in selectors.incident_page(request.user, ref=ref, timeline_limit=0).clocks]


@router.post("/incidents/{ref}/assets", response=schemas.IncidentDetailOut, operation_id="incidents_assets")
def incident_assets(request: HttpRequest, ref: str, payload: schemas.AssetsIn):
    incident = services.incident_link_assets(actor=request.user, incident=_get(request, ref), **payload.dict())
    return _detail(request, incident)


@router.post("/incidents/{ref}/risks", response=schemas.IncidentDetailOut, operation_id="incidents_risks")
def incident_risks(request: HttpRequest, ref: str, payload: schemas.RisksIn):
    incident = services.incident_link_risks(actor=request.user, incident=_get(request, ref), **payload.dict())
    return _detail(request, incident)


@router.post("/incidents/{ref}/roles", response={201: schemas.RoleOut}, operation_id="incidents_role_assign")
def role_assign(request: HttpRequest, ref: str, payload: schemas.RoleIn):
    user = _user(payload.user, "user")
    if user is None:
        raise ValidationFailed("The role was not given.", [Problem("is required", column="user")])
    return Status(
        201,
        services.role_assign(
            actor=request.user, incident=_get(request, ref), user=user, role=payload.role, at=payload.at
        ),
    )


@router.post("/incidents/{ref}/roles/{pk}/release", response=schemas.RoleOut, operation_id="incidents_role_release")
def role_release(request: HttpRequest, ref: str, pk: int):
    assignment = _get(request, ref).roles.filter(pk=pk).first()
    if assignment is None:
        raise NotFound("No such role.")
    return services.role_release(actor=request.user, assignment=assignment)


@router.get("/incidents/{ref}/tasks", response=list[schemas.TaskOut], operation_id="incidents_tasks")
def task_list(request: HttpRequest, ref: str):
    return selectors.incident_page(request.user, ref=ref, timeline_limit=0).tasks


@router.post("/incidents/{ref}/tasks", response={201: schemas.TaskOut}, operation_id="incidents_task_create")
def task_create(request: HttpRequest, ref: str, payload: schemas.TaskIn):
    fields = payload.dict()
    fields["owner"] = _user(fields.pop("owner"), "owner")
    return Status(201, services.task_create(actor=request.user, incident=_get(request, ref), **fields))


@router.patch("/incidents/{ref}/tasks/{number}", response=schemas.TaskOut, operation_id="incidents_task_update")
def task_update(request: HttpRequest, ref: str, number: int, payload: schemas.TaskPatchIn):
    task = selectors.task_get(request.user, incident=_get(request, ref), number=number)
    fields = payload.dict(exclude_unset=True)
    if "owner" in fields:
        fields["owner"] = _user(fields["owner"], "owner")
    return services.task_update(actor=request.user, task=task, **fields)


@router.post(
    "/incidents/{ref}/tasks/{number}/checklist/{pk}", response=schemas.ChecklistOut, operation_id="incidents_checklist"
)
def checklist_set(request: HttpRequest, ref: str, number: int, pk: int, payload: schemas.ChecklistIn):
    task = selectors.task_get(request.user, incident=_get(request, ref), number=number)
    item = task.checklist.filter(pk=pk).first()
    if item is None:
        raise NotFound("No such checklist item.")
    return services.checklist_set(actor=request.user, item=item, done=payload.done)


@router.get("/incidents/{ref}/timeline", response=list[schemas.EntryOut], operation_id="incidents_timeline")
@paginate(PageNumber)
def timeline(request: HttpRequest, ref: str):
    return selectors.timeline_entries(request.user, incident=_get(request, ref))


@router.post("/incidents/{ref}/timeline", response={201: schemas.EntryOut}, operation_id="incidents_timeline_add")
def timeline_add(request: HttpRequest, ref: str, payload: schemas.EntryIn):
    return Status(201, services.timeline_add(actor=request.user, incident=_get(request, ref), **payload.dict()))


@router.post("/incidents/{ref}/timeline/{pk}/pin", response=schemas.EntryOut, operation_id="incidents_timeline_pin")
def timeline_pin(request: HttpRequest, ref: str, pk: int, payload: schemas.PinIn):
    entry = _get(request, ref).timeline.filter(pk=pk).first()
    if entry is None:
        raise NotFound("No such entry.")
    return services.timeline_pin(actor=request.user, entry=entry, pinned=payload.pinned)


@router.post("/incidents/{ref}/observables", response={201: schemas.ObservableOut}, operation_id="incidents_ioc_add")
def observable_add(request: HttpRequest, ref: str, payload: schemas.ObservableIn):
    return Status(201, services.observable_add(actor=request.user, incident=_get(request, ref), **payload.dict()))


@router.delete("/incidents/{ref}/observables/{pk}", response={204: None}, operation_id="incidents_ioc_remove")
def observable_remove(request: HttpRequest, ref: str, pk: int):
    obs = _get(request, ref).observables.filter(pk=pk).first()
    if obs is None:
        raise NotFound("No such observable.")
    services.observable_remove(actor=request.user, observable=obs)
    return Status(204, None)


@router.post(
    "/incidents/{ref}/techniques", response={201: schemas.TechniqueOut}, operation_id="incidents_technique_add"
)
def technique_add(request: HttpRequest, ref: str, payload: schemas.TechniqueIn):
    return Status(201, services.technique_add(actor=request.user, incident=_get(request, ref), **payload.dict()))


@router.delete("/incidents/{ref}/techniques/{pk}", response={204: None}, operation_id="incidents_technique_remove")
def technique_remove(request: HttpRequest, ref: str, pk: int):
    tech = _get(request, ref).techniques.filter(pk=pk).first()
    if tech is None:
        raise NotFound("No such technique.")
    services.technique_remove(actor=request.user, technique=tech)
    return Status(204, None)


class NoticeForm(Schema):
    rule_id: str
    sent_at: str
    recipient: str
    content: str
    reference: str = ""


@router.post("/incidents/{ref}/notices", response={201: schemas.NoticeOut}, operation_id="incidents_notice_record")
def notice_record(
    request: HttpRequest, ref: str, payload: Form[NoticeForm], evidence: File[UploadedFile | None] = None
):
    """Multipart form: rule_id, sent_at (ISO 8601 with offset), recipient, content, reference, evidence (file)."""
    return Status(
        201,
        services.notice_record(
            actor=request.user,
            incident=_get(request, ref),
            evidence=evidence.read() if evidence else None,
            evidence_name=evidence.name or "" if evidence else "",
            evidence_type=evidence.content_type or "" if evidence else "",
            **payload.dict(),
        ),
    )


@router.get("/incidents/{ref}/notices/{pk}/evidence", operation_id="incidents_notice_evidence")
def notice_evidence(request: HttpRequest, ref: str, pk: int):
    from ramparts.incidents.services.regulatory import evidence_bytes
    from ramparts.incidents.views.actions import evidence_response

    notice = _get(request, ref).notices.filter(pk=pk).exclude(evidence_sha256="").first()
    if notice is None:
        raise NotFound("No evidence file.")
    return evidence_response(evidence_bytes(notice), notice.evidence_name)


@router.put("/incidents/{ref}/review", response=schemas.ReviewOut, operation_id="incidents_review")
def review(request: HttpRequest, ref: str, payload: schemas.ReviewIn):
    return services.review_update(actor=request.user, incident=_get(request, ref), **payload.dict(exclude_none=True))


@router.post("/incidents/{ref}/actions", response={201: schemas.ActionOut}, operation_id="incidents_action_create")
def action_create(request: HttpRequest, ref: str, payload: schemas.ActionIn):
    fields = payload.dict()
    fields["owner"] = _user(fields.pop("owner"), "owner")
    return Status(201, services.action_create(actor=request.user, incident=_get(request, ref), **fields))


@router.patch("/incidents/{ref}/actions/{number}", response=schemas.ActionOut, operation_id="incidents_action_update")
def action_update(request: HttpRequest, ref: str, number: int, payload: schemas.ActionPatchIn):
    item = _get(request, ref).actions.filter(number=number).first()
    if item is None:
        raise NotFound("No such action.")
    return services.action_set_status(actor=request.user, item=item, status=payload.status)


@router.post("/incidents/{ref}/effort", response={201: dict}, operation_id="incidents_effort_add")
def effort_add(request: HttpRequest, ref: str, payload: schemas.EffortIn):
    fields = payload.dict()
    fields["user"] = _user(fields.pop("user"), "user")
    entry = services.effort_add(actor=request.user, incident=_get(request, ref), **fields)
    return Status(201, {"id": entry.pk, "role": entry.role, "hours": str(entry.hours)})


@router.post("/incidents/{ref}/costs", response={201: dict}, operation_id="incidents_cost_add")
def cost_add(request: HttpRequest, ref: str, payload: schemas.CostIn):
    item = services.cost_add(actor=request.user, incident=_get(request, ref), **payload.dict())
    return Status(201, {"id": item.pk, "description": item.description, "amount": str(item.amount)})


@router.get("/incidents/{ref}/export/{fmt}", operation_id="incidents_export", summary="md, pdf, csv (timeline), stix")
def export(request: HttpRequest, ref: str, fmt: str):
    require(request.user, "incidents.export")
    if fmt not in ("md", "pdf", "csv", "stix"):
        raise NotFound("Unknown export format (md, pdf, csv, stix).")
    incident = _get(request, ref)
    name = (
        f"{incident.ref}-"
        + {"md": "report.md", "pdf": "report.pdf", "csv": "timeline.csv", "stix": "iocs.stix.json"}[fmt]
    )
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exports.timeline_csv(incident), content_type="text/csv; charset=utf-8")
    elif fmt == "stix":
        response = HttpResponse(exports.stix_bundle(incident), content_type="application/stix+json;version=2.1")
    else:
        page = selectors.incident_page(request.user, ref=ref, timeline_limit=1000)
        now = timezone.now()
        if fmt == "md":
            response = HttpResponse(exports.report_markdown(page, now=now), content_type="text/markdown; charset=utf-8")
        else:
            response = HttpResponse(exports.report_pdf(page, now=now), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _groups(groups: dict) -> list[dict]:
    return [
        {
            "key": str(key),
            "label": g.label,
            "count": g.count,
            "measures": [
                {"key": m.key, "label": m.label, "n": m.n, "mean_hours": m.mean, "median_hours": m.median}
                for m in g.measures.values()
            ],
        }
        for key, g in groups.items()
    ]


@router.get("/metrics", response=schemas.MetricsOut, operation_id="incidents_metrics", summary="MTTD/MTTA/MTTC/MTTR")
def incident_metrics(request: HttpRequest, params: Query[ListParams]):
    require(request.user, "incidents.metrics")
    data = metrics.incident_metrics(
        request.user,
        filters=selectors.IncidentFilters(
            q=params.q,
            phase=params.phase,
            incident_type=params.type,
            severity=params.severity,
            business_unit=params.business_unit,
        ),
    )
    return {
        "overall": _groups({"all": data.overall})[0],
        "by_type": _groups(data.by_type),
        "by_severity": _groups(data.by_severity),
        "by_month": _groups(data.by_month),
        "cost_total": data.cost_total,
        "cost_by_type": data.cost_by_type,
        "currency": data.currency,
    }
