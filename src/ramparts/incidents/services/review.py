"""Post-incident review, its action items, and the cost of the response."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Problem
from ramparts.incidents.models import ActionItem, CostItem, EffortEntry, EntryKind, Incident, IncidentRole, Review
from ramparts.incidents.services._common import fail_if, guard, record, text, timeline
from ramparts.incidents.services.tasks import _owner

REVIEW_FIELDS = ("what_happened", "went_well", "went_badly", "root_cause")


def review_update(*, actor, incident: Incident, **fields: str) -> Review:
    guard(actor, incident)
    problems = [Problem("cannot be changed here", column=n) for n in sorted(set(fields) - set(REVIEW_FIELDS))]
    values = {n: text(v, n, problems, max_length=50000) for n, v in fields.items() if n in REVIEW_FIELDS}
    fail_if(problems, "The review was not saved.")
    with transaction.atomic():
        review, _ = Review.objects.get_or_create(incident=incident)
        before = audit.snapshot(review)
        for name, value in values.items():
            setattr(review, name, value)
        review.updated_by = actor
        review.save()
        changes = audit.diff(before, audit.snapshot(review))
        changes.pop("updated_at", None)
        if changes:
            record(actor, audit.Action.UPDATE, review, incident.ref, changes)
    return review


def _control(ref: Any, incident: Incident, problems: list[Problem]):
    if ref in (None, ""):
        return None
    from ramparts.compliance.models import Control

    if isinstance(ref, Control):
        return ref
    prefix, _, number = str(ref).rpartition("-")
    found = (
        Control.objects.filter(number=int(number)).first()
        if prefix == Control.REF_PREFIX and number.isdigit()
        else None
    )
    if found is None:
        problems.append(Problem(f"no control {str(ref)[:40]!r}", column="control"))
    return found


def action_create(
    *,
    actor,
    incident: Incident,
    title: str,
    owner: Any = None,
    due_on: date | None = None,
    control: Any = None,
    treatment_plan: int | None = None,
) -> ActionItem:
    """A tracked action from the review; it may improve a control (CTL-…) or carry out a risk treatment plan
    of a risk this incident realised."""
    guard(actor, incident)
    problems: list[Problem] = []
    title = text(title, "title", problems, max_length=300, required=True)
    user = _owner(owner, incident, problems)
    ctl = _control(control, incident, problems)
    plan = None
    if treatment_plan not in (None, ""):
        from ramparts.risk.models import TreatmentPlan

        plan = TreatmentPlan.objects.filter(pk=treatment_plan, risk__incidents=incident).first()
        if plan is None:
            problems.append(Problem("no treatment plan of a risk this incident realised", column="treatment_plan"))
    if due_on is not None and not isinstance(due_on, date):
        problems.append(Problem("must be a date", column="due_on"))
    fail_if(problems, "The action was not created.")
    with transaction.atomic():
        number = (incident.actions.aggregate(m=Max("number"))["m"] or 0) + 1
        item = ActionItem.objects.create(
            incident=incident, number=number, title=title, owner=user, due_on=due_on, control=ctl, treatment_plan=plan
        )
        record(actor, audit.Action.CREATE, item, f"{incident.ref}/{item.ref}", audit.created(audit.snapshot(item)))
        timeline(incident, EntryKind.CHANGE, f"Review action {item.ref}: {title}", actor=actor)
    return item


def action_set_status(*, actor, item: ActionItem, status: str) -> ActionItem:
    guard(actor, item.incident)
    if status not in ActionItem.Status.values:
        fail_if(
            [Problem(f"{status!r} is not one of {', '.join(ActionItem.Status.values)}", column="status")],
            "The action was not changed.",
        )
    with transaction.atomic():
        before = item.status
        item.status = status
        item.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
        item.save()
        if before != status:
            record(actor, audit.Action.UPDATE, item, f"{item.incident.ref}/{item.ref}", {"status": [before, status]})
    return item


def _amount(value: Any, field: str, problems: list[Problem], *, limit: Decimal) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(Problem(f"{str(value)[:30]!r} is not a number", column=field))
        return Decimal(0)
    if not amount.is_finite() or amount <= 0 or amount > limit:
        problems.append(Problem(f"must be more than 0 and at most {limit}", column=field))
    return amount.quantize(Decimal("0.01")) if amount.is_finite() else Decimal(0)


def effort_add(*, actor, incident: Incident, role: str, hours: Any, user: Any = None, note: str = "") -> EffortEntry:
    guard(actor, incident)
    problems: list[Problem] = []
    if role not in IncidentRole.values:
        problems.append(Problem(f"{role!r} is not one of {', '.join(IncidentRole.values)}", column="role"))
    amount = _amount(hours, "hours", problems, limit=Decimal(10000))
    person = _owner(user, incident, problems)
    note = text(note, "note", problems, max_length=300)
    fail_if(problems, "The hours were not recorded.")
    with transaction.atomic():
        entry = EffortEntry.objects.create(
            incident=incident, role=role, hours=amount, user=person, note=note, recorded_at=timezone.now()
        )
        record(actor, audit.Action.CREATE, entry, incident.ref, audit.created(audit.snapshot(entry)))
    return entry


def cost_add(*, actor, incident: Incident, description: str, amount: Any) -> CostItem:
    guard(actor, incident)
    problems: list[Problem] = []
    description = text(description, "description", problems, max_length=300, required=True)
    value = _amount(amount, "amount", problems, limit=Decimal("999999999999"))
    fail_if(problems, "The cost was not recorded.")
    with transaction.atomic():
        item = CostItem.objects.create(
            incident=incident, description=description, amount=value, recorded_at=timezone.now(), recorded_by=actor
        )
        record(actor, audit.Action.CREATE, item, incident.ref, audit.created(audit.snapshot(item)))
    return item
