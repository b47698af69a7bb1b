"""Treatment plans (mitigate, accept, transfer, avoid) and their actions."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require, scope_to_units
from ramparts.risk.models import TreatmentAction, TreatmentPlan
from ramparts.risk.services import _common
from ramparts.risk.services.fields import LINKS, _date, _links, _owner
from ramparts.risk.services.risks import _load

MAX_COST = Decimal("999999999999")


def plan_create(*, actor, ref: str, option: str, description: str = "", owner=None) -> TreatmentPlan:
    problems: list[Problem] = []
    if option not in TreatmentPlan.Option.values:
        problems.append(Problem(f"must be one of {', '.join(TreatmentPlan.Option.values)}", column="option"))
    user = _owner(owner, problems)
    if problems:
        raise ValidationFailed("The treatment plan was not created.", problems)
    with transaction.atomic():
        risk = _load(actor, ref, "risk.change")
        plan = TreatmentPlan.objects.create(
            risk=risk, option=option, description=(description or "").strip(), owner=user
        )
        _common.record(actor, audit.Action.CREATE, plan, audit.created(audit.snapshot(plan)), ref=f"{risk.ref} plan")
        if risk.status in ("identified", "assessed"):
            risk.status = "treating"
            risk.save(update_fields=["status", "updated_at"])
    return plan


def _plan(actor, pk: int, action: str) -> TreatmentPlan:
    require(actor, action)
    from ramparts.risk.models import Risk

    plan = (
        TreatmentPlan.objects.filter(pk=pk, risk__in=scope_to_units(actor, Risk.objects.all()).values("pk"))
        .select_related("risk")
        .first()
    )
    if plan is None:
        raise NotFound("No such treatment plan.")
    return plan


def plan_delete(*, actor, pk: int) -> None:
    with transaction.atomic():
        plan = _plan(actor, pk, "risk.change")
        _common.record(
            actor, audit.Action.DELETE, plan, audit.deleted(audit.snapshot(plan)), ref=f"{plan.risk.ref} plan"
        )
        plan.delete()


def _action_values(actor, fields: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    allowed = {"title", "owner", "due", "cost", "status", "finding", "control"}
    for name in fields:
        if name not in allowed:
            problems.append(Problem("not a field of a treatment action", column=name))
    if "title" in fields:
        values["title"] = str(fields["title"] or "").strip()
        if not values["title"] or len(values["title"]) > 300:
            problems.append(Problem("is required (≤ 300 characters)", column="title"))
    if "owner" in fields:
        values["owner"] = _owner(fields["owner"], problems)
    if "due" in fields:
        values["due"] = _date(fields["due"], "due", problems)
    if "cost" in fields:
        try:
            cost = Decimal(str(fields["cost"] if fields["cost"] not in (None, "") else 0))
            if not cost.is_finite() or cost < 0 or cost > MAX_COST:
                raise InvalidOperation
            values["cost"] = cost.quantize(Decimal("0.01"))
        except InvalidOperation:
            problems.append(Problem(f"must be an amount of 0 or more, got {fields['cost']!r}", column="cost"))
    if "status" in fields:
        if fields["status"] not in TreatmentAction.Status.values:
            problems.append(Problem(f"must be one of {', '.join(TreatmentAction.Status.values)}", column="status"))
        values["status"] = fields["status"]
    for name, prefix in (("finding", "FND"), ("control", "CTL")):
        if name in fields:
            raw = fields[name]
            found = _links(actor, LINKS[f"{name}s"][0], prefix, name, [raw] if raw else [], problems)
            values[name] = found[0] if found else None
    return values


def action_create(*, actor, plan: int, title: str, **fields: Any) -> TreatmentAction:
    problems: list[Problem] = []
    values = _action_values(actor, {"title": title, **fields}, problems)
    if problems:
        raise ValidationFailed("The action was not created.", problems)
    with transaction.atomic():
        owner_plan = _plan(actor, plan, "risk.change")
        action = TreatmentAction.objects.create(plan=owner_plan, **values)
        if action.status == TreatmentAction.Status.DONE:
            action.completed_at = timezone.now()
            action.save(update_fields=["completed_at"])
        _common.record(actor, audit.Action.CREATE, action, audit.created(audit.snapshot(action)), ref=_ref(action))
    return action


def _ref(action: TreatmentAction) -> str:
    return f"{action.plan.risk.ref} action: {action.title}"[:200]


def action_update(*, actor, pk: int, **fields: Any) -> TreatmentAction:
    problems: list[Problem] = []
    values = _action_values(actor, fields, problems)
    if problems:
        raise ValidationFailed("The action was not changed.", problems)
    from ramparts.risk.models import Risk

    with transaction.atomic():
        require(actor, "risk.change")
        risks = scope_to_units(actor, Risk.objects.all()).values("pk")
        action = (
            TreatmentAction.objects.select_for_update(of=("self",))
            .select_related("plan__risk")
            .filter(pk=pk, plan__risk__in=risks)
            .first()
        )
        if action is None:
            raise NotFound("No such treatment action.")
        before = audit.snapshot(action)
        for key, value in values.items():
            setattr(action, key, value)
        if action.status == TreatmentAction.Status.DONE and action.completed_at is None:
            action.completed_at = timezone.now()
        elif action.status != TreatmentAction.Status.DONE:
            action.completed_at = None
        action.save()
        changes = audit.diff(before, audit.snapshot(action))
        if changes:
            _common.record(actor, audit.Action.UPDATE, action, changes, ref=_ref(action))
    return action


def is_overdue(action: TreatmentAction, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    open_statuses = (TreatmentAction.Status.PLANNED, TreatmentAction.Status.IN_PROGRESS)
    return action.due is not None and action.due < today and action.status in open_statuses
