"""Categories, the matrix and the board's appetite statements."""

import datetime as dt
import math
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, Problem, ValidationFailed
from ramparts.core.models import User
from ramparts.core.permissions import require
from ramparts.risk.engine.matrix import MatrixError, build
from ramparts.risk.evaluation import current_matrix, matrix_row
from ramparts.risk.models import AppetiteStatement, Risk, RiskCategory
from ramparts.risk.services import _common, breaches


def _category_values(name: str, description: str) -> dict[str, str]:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed(
            "The category was not saved.", [Problem("is required (≤ 120 characters)", column="name")]
        )
    return {"name": name, "description": (description or "").strip()}


def category_create(*, actor, name: str, description: str = "") -> RiskCategory:
    require(actor, "risk.appetite")
    values = _category_values(name, description)
    try:
        with transaction.atomic():
            category = RiskCategory.objects.create(**values)
            _common.record(actor, audit.Action.CREATE, category, audit.created(audit.snapshot(category)))
    except IntegrityError:
        raise Conflict(f"A category named {values['name']!r} exists already.") from None
    return category


def _category(pk: int) -> RiskCategory:
    category = RiskCategory.objects.filter(pk=pk).first()
    if category is None:
        raise NotFound("No such risk category.")
    return category


def category_update(*, actor, pk: int, name: str, description: str = "") -> RiskCategory:
    require(actor, "risk.appetite")
    values = _category_values(name, description)
    try:
        with transaction.atomic():
            category = _category(pk)
            before = audit.snapshot(category)
            for key, value in values.items():
                setattr(category, key, value)
            category.save()
            changes = audit.diff(before, audit.snapshot(category))
            if changes:
                _common.record(actor, audit.Action.UPDATE, category, changes)
    except IntegrityError:
        raise Conflict(f"A category named {values['name']!r} exists already.") from None
    return category


def category_delete(*, actor, pk: int) -> None:
    require(actor, "risk.appetite")
    with transaction.atomic():
        category = _category(pk)
        if category.risks.exists():
            raise Conflict(f"{category.name!r} still has risks: move them to another category first.")
        _common.record(actor, audit.Action.DELETE, category, audit.deleted(audit.snapshot(category)))
        category.delete()


def matrix_update(*, actor, definition: dict[str, Any]) -> None:
    """Replace the matrix (levels, anchors, grid). Existing ratings must still fit its size."""
    require(actor, "risk.appetite")
    try:
        matrix = build(definition)
    except MatrixError as error:
        raise ValidationFailed("The matrix was not saved.", [Problem(error.reason, column=error.field)]) from None
    from django.db.models import Max

    from ramparts.risk.models import Risk

    with transaction.atomic():
        row = matrix_row()
        used = Risk.objects.aggregate(
            **{
                f"{s}_{a}": Max(f"{s}_{a}")
                for s in ("inherent", "residual", "target")
                for a in ("likelihood", "impact")
            }
        )
        too_high = [
            k for k, v in used.items() if v and v > len(matrix.likelihood if "likelihood" in k else matrix.impact)
        ]
        if too_high:
            raise Conflict(f"Risks are rated at levels the new matrix lacks ({', '.join(too_high)}).")
        before = {k: getattr(row, k) for k in ("likelihood", "impact", "levels", "grid")}
        for key in before:
            setattr(row, key, definition[key])
        row.save()
        _common.record(actor, audit.Action.UPDATE, row, audit.diff(before, definition), ref="risk matrix")


def appetite_set(
    *,
    actor,
    category: RiskCategory | None,
    statement: str,
    max_level: int | None = None,
    tolerance: list[dict[str, Any]] | None = None,
    approved_by: User | str | None = None,
    approved_at: dt.datetime | dt.date | None = None,
) -> AppetiteStatement:
    """Record the board's appetite for a category (or the portfolio, category None)."""
    require(actor, "risk.appetite")
    problems: list[Problem] = []
    statement = (statement or "").strip()
    if not statement:
        problems.append(Problem("is required", column="statement"))
    levels = len(current_matrix().levels)
    if max_level is not None and not (isinstance(max_level, int) and 1 <= max_level <= levels):
        problems.append(Problem(f"must be a level from 1 to {levels}", column="max_level"))
    points = _tolerance(tolerance or [], problems)
    if max_level is None and not points:
        problems.append(Problem("give a maximum level, tolerance points, or both", column="max_level"))
    approver = approved_by
    if isinstance(approved_by, str):
        approver = User.objects.filter(username=approved_by.strip(), is_active=True).first() if approved_by else None
        if approved_by and approver is None:
            problems.append(Problem(f"no active user {approved_by!r}", column="approved_by"))
    approved = approved_at
    if isinstance(approved_at, dt.date) and not isinstance(approved_at, dt.datetime):
        approved = dt.datetime.combine(approved_at, dt.time(12), tzinfo=dt.UTC)
    if approved is not None and approved > timezone.now():
        problems.append(Problem("cannot be in the future", column="approved_at"))
    if problems:
        raise ValidationFailed("The appetite statement was not saved.", problems)
    values = {
        "statement": statement,
        "max_level": max_level,
        "tolerance": points,
        "approved_by": approver,
        "approved_at": approved,
    }
    with transaction.atomic():
        row = AppetiteStatement.objects.select_for_update().filter(category=category).first()
        judged = _open_risks_judged_by(category)
        was_breach = {risk.pk: breaches.is_breach(risk) for risk in judged}
        if row is None:
            row = AppetiteStatement.objects.create(category=category, **values)
            _common.record(actor, audit.Action.CREATE, row, audit.created(audit.snapshot(row)), ref=str(row))
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
            changes = audit.diff(before, audit.snapshot(row))
            if changes:
                _common.record(actor, audit.Action.UPDATE, row, changes, ref=str(row))
        # A tighter appetite puts risks above it without any change to them: tell their owners now.
        for risk in judged:
            breaches.notify_if_new(risk, was_breach=was_breach[risk.pk])
    return row


def _open_risks_judged_by(category: RiskCategory | None) -> list[Risk]:
    """The open risks whose verdict a category's statement decides (none for the portfolio's)."""
    if category is None:
        return []
    return list(
        Risk.objects.filter(category=category)
        .exclude(status=Risk.Status.CLOSED)
        .select_related("owner", "category", "business_unit")
    )


def _tolerance(raw: list[dict[str, Any]], problems: list[Problem]) -> list[dict[str, float]]:
    points = []
    for i, item in enumerate(raw, start=1):
        where = f"tolerance[{i}]"
        try:
            loss, probability = float(item["loss"]), float(item["probability"])
        except (KeyError, TypeError, ValueError):
            problems.append(Problem("must have a loss and a probability", column=where))
            continue
        if not (math.isfinite(loss) and loss > 0):
            problems.append(Problem(f"loss must be a positive amount, got {item['loss']!r}", column=f"{where}.loss"))
        elif not (0 <= probability <= 1):
            problems.append(
                Problem(f"must be within [0, 1], got {item['probability']!r}", column=f"{where}.probability")
            )
        else:
            points.append({"loss": loss, "probability": probability})
    return sorted(points, key=lambda p: p["loss"])
