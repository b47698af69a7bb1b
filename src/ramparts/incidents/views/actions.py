"""POSTs on one incident. Each calls one service; errors come back as a message naming the field."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.models import User
from ramparts.core.ui import domain_errors
from ramparts.incidents import selectors, services
from ramparts.incidents.models import Phase
from ramparts.incidents.views.common import form_time, incident_action


def _user(request, name: str = "user") -> User | None:
    username = request.POST.get(name, "").strip()
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise ValidationFailed("Nothing was changed.", [Problem(f"no active user {username[:40]!r}", column=name)])
    return found


def _date(request, name: str) -> date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("Nothing was changed.", [Problem("must be a date (YYYY-MM-DD)", column=name)]) from None


@incident_action("header")
def transition(request, incident):
    to_phase = request.POST.get("to_phase", "")
    services.incident_transition(
        actor=request.user,
        incident=incident,
        to_phase=to_phase,
        at=form_time(request, "at"),
        note=request.POST.get("note", ""),
    )
    return f"{incident.ref} is now in {Phase(to_phase).label}."


EDIT_TIMES = (
    "occurred_at",
    "detected_at",
    "reported_at",
    "acknowledged_at",
    "contained_at",
    "eradicated_at",
    "recovered_at",
    "closed_at",
    "aware_at",
    "classified_at",
    "determined_at",
    "material_at",
    "discovered_at",
    "payment_at",
)


@incident_action("facts")
def edit(request, incident):
    fields = {}
    for name in ("title", "summary", "incident_type", "severity", "priority"):
        if name in request.POST:
            fields[name] = request.POST[name]
    for name in EDIT_TIMES:
        if name in request.POST:
            fields[name] = form_time(request, name)
    if "occurred_at" in request.POST:
        fields["occurred_estimated"] = bool(request.POST.get("occurred_estimated"))
    services.incident_update(actor=request.user, incident=incident, **fields)
    return "Saved."


@incident_action("clocks")
def conditions(request, incident):
    from ramparts.incidents.engine.ruleset import load_rules

    values: dict[str, bool | None] = {}
    for name in load_rules().conditions:
        raw = request.POST.get(f"cond_{name}")
        if raw is not None:
            values[name] = {"yes": True, "no": False}.get(raw)
    services.incident_set_conditions(actor=request.user, incident=incident, conditions=values)
    return "Conditions recorded; the clocks are recomputed."


@incident_action("roles")
def role_assign(request, incident):
    user = _user(request)
    if user is None:
        raise ValidationFailed("The role was not given.", [Problem("choose a person", column="user")])
    services.role_assign(actor=request.user, incident=incident, user=user, role=request.POST.get("role", ""))
    return f"{user.get_username()} has the role."


@incident_action("roles")
def role_release(request, incident, pk: int):
    assignment = incident.roles.filter(pk=pk).first()
    if assignment is None:
        raise NotFound("No such role.")
    services.role_release(actor=request.user, assignment=assignment)
    return "Role released."


@incident_action("tasks")
def task_create(request, incident):
    task = services.task_create(
        actor=request.user,
        incident=incident,
        title=request.POST.get("title", ""),
        owner=_user(request, "owner"),
        due_at=form_time(request, "due_at"),
        checklist=[line for line in request.POST.get("checklist", "").splitlines() if line.strip()],
    )
    return f"Task {task.ref} created."


@incident_action("tasks")
def task_update(request, incident, number: int):
    task = selectors.task_get(request.user, incident=incident, number=number)
    fields: dict = {}
    if "status" in request.POST:
        fields["status"] = request.POST["status"]
    if "owner" in request.POST:
        fields["owner"] = _user(request, "owner")
    if "due_at" in request.POST:
        fields["due_at"] = form_time(request, "due_at")
    if request.POST.get("checklist"):  # the task's form carries its checklist: ticked boxes are done
        done = set(request.POST.getlist("done"))
        for item in task.checklist.all():
            if item.done != (str(item.pk) in done):
                services.checklist_set(actor=request.user, item=item, done=str(item.pk) in done)
    services.task_update(actor=request.user, task=task, **fields)
    return f"Task {task.ref} updated."


@incident_action("timeline")
def timeline_add(request, incident):
    services.timeline_add(
        actor=request.user,
        incident=incident,
        text=request.POST.get("text", ""),
        occurred_at=form_time(request, "occurred_at"),
        pinned=bool(request.POST.get("pinned")),
    )
    return "Entry added."


@incident_action("timeline")
def timeline_pin(request, incident):
    """One form serves every entry: each pin button sends `entry=<id>:<1 to pin | 0 to unpin>`."""
    pk, _, pinned = request.POST.get("entry", "").partition(":")
    entry = incident.timeline.filter(pk=int(pk)).first() if pk.isdigit() else None
    if entry is None:
        raise NotFound("No such entry.")
    services.timeline_pin(actor=request.user, entry=entry, pinned=pinned == "1")
    return ""


@incident_action("iocs")
def observable_add(request, incident):
    services.observable_add(
        actor=request.user,
        incident=incident,
        kind=request.POST.get("kind", ""),
        value=request.POST.get("value", ""),
        tlp=request.POST.get("tlp", "amber"),
        note=request.POST.get("note", ""),
    )
    return "Observable added."


@incident_action("iocs")
def observable_remove(request, incident, pk: int):
    obs = incident.observables.filter(pk=pk).first()
    if obs is None:
        raise NotFound("No such observable.")
    services.observable_remove(actor=request.user, observable=obs)
    return "Observable removed."


@incident_action("iocs")
def technique_add(request, incident):
    services.technique_add(
        actor=request.user,
        incident=incident,
        technique_id=request.POST.get("technique_id", ""),
        name=request.POST.get("name", ""),
    )
    return "Technique added."


@incident_action("iocs")
def technique_remove(request, incident, pk: int):
    tech = incident.techniques.filter(pk=pk).first()
    if tech is None:
        raise NotFound("No such technique.")
    services.technique_remove(actor=request.user, technique=tech)
    return "Technique removed."


@incident_action("assets")
def assets(request, incident):
    services.incident_link_assets(
        actor=request.user,
        incident=incident,
        systems=[v for v in request.POST.get("systems", "").replace(",", " ").split() if v],
        data_assets=[v for v in request.POST.get("data_assets", "").replace(",", " ").split() if v],
        services=[v for v in request.POST.get("services", "").replace(",", " ").split() if v],
        remove=request.POST.get("remove") == "1",
    )
    return "Affected assets updated."


@incident_action("assets")
def risks(request, incident):
    services.incident_link_risks(
        actor=request.user,
        incident=incident,
        risks=[v for v in request.POST.get("risks", "").replace(",", " ").split() if v],
        remove=request.POST.get("remove") == "1",
    )
    return "Realised risks updated."


@incident_action("notices")
def notice_record(request, incident):
    upload = request.FILES.get("evidence")
    services.notice_record(
        actor=request.user,
        incident=incident,
        rule_id=request.POST.get("rule_id", ""),
        sent_at=form_time(request, "sent_at"),
        recipient=request.POST.get("recipient", ""),
        content=request.POST.get("content", ""),
        reference=request.POST.get("reference", ""),
        evidence=upload.read() if upload else None,
        evidence_name=upload.name if upload else "",
        evidence_type=upload.content_type if upload else "",
    )
    return "Proof of notice recorded; the report is marked as sent."


@login_required
@require_GET
@domain_errors
def notice_evidence(request, ref: str, pk: int):
    from ramparts.incidents.services.regulatory import evidence_bytes

    incident = selectors.incident_get(request.user, ref=ref)
    notice = incident.notices.filter(pk=pk).exclude(evidence_sha256="").first()
    if notice is None:
        raise NotFound("No evidence file.")
    return evidence_response(evidence_bytes(notice), notice.evidence_name)


def evidence_response(data: bytes, name: str) -> HttpResponse:
    """An uploaded file, never rendered by the browser: attachment, nosniff, sandboxed."""
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name or "evidence")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@incident_action("review")
def review(request, incident):
    services.review_update(
        actor=request.user,
        incident=incident,
        **{n: request.POST.get(n, "") for n in ("what_happened", "went_well", "went_badly", "root_cause")},
    )
    return "Review saved."


@incident_action("review")
def action_create(request, incident):
    item = services.action_create(
        actor=request.user,
        incident=incident,
        title=request.POST.get("title", ""),
        owner=_user(request, "owner"),
        due_on=_date(request, "due_on"),
        control=request.POST.get("control", "").strip() or None,
        treatment_plan=int(plan) if (plan := request.POST.get("treatment_plan", "").strip()).isdigit() else None,
    )
    return f"Action {item.ref} created."


@incident_action("review")
def action_status(request, incident, number: int):
    item = incident.actions.filter(number=number).first()
    if item is None:
        raise NotFound("No such action.")
    services.action_set_status(actor=request.user, item=item, status=request.POST.get("status", ""))
    return f"Action {item.ref} updated."


@incident_action("cost")
def effort_add(request, incident):
    services.effort_add(
        actor=request.user,
        incident=incident,
        role=request.POST.get("role", ""),
        hours=request.POST.get("hours", ""),
        user=_user(request),
        note=request.POST.get("note", ""),
    )
    return "Hours recorded."


@incident_action("cost")
def cost_add(request, incident):
    services.cost_add(
        actor=request.user,
        incident=incident,
        description=request.POST.get("description", ""),
        amount=request.POST.get("amount", ""),
    )
    return "Cost recorded."
