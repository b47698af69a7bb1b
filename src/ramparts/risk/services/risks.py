"""Create, edit and delete risks."""

from typing import Any

from django.db import transaction

from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require, require_unit, scope_to_units
from ramparts.risk.evaluation import current_matrix
from ramparts.risk.models import Risk
from ramparts.risk.selectors import parse_ref
from ramparts.risk.services import _common, breaches
from ramparts.risk.services.fields import LINKS, resolve

REQUIRED = ("business_unit", "title", "category", "inherent_likelihood", "inherent_impact")


def _links_snapshot(risk: Risk) -> dict[str, list[str]]:
    return {name: sorted(o.ref for o in getattr(risk, name).all()) for name in LINKS}


def risk_create(*, actor, **fields: Any) -> Risk:
    """A new risk. Residual levels default to the inherent ones (nothing treated yet)."""
    require(actor, "risk.change")
    matrix = current_matrix()
    problems: list[Problem] = []
    values, links = resolve(actor, fields, matrix, problems)
    problems += [Problem("is required", column=n) for n in REQUIRED if values.get(n) in (None, "") and n in fields]
    problems += [Problem("is required", column=n) for n in REQUIRED if n not in fields]
    if problems:
        raise ValidationFailed("The risk was not created.", problems)
    require_unit(actor, values["business_unit"].pk, "risk.change")
    values.setdefault("residual_likelihood", values["inherent_likelihood"])
    values.setdefault("residual_impact", values["inherent_impact"])
    values["residual_likelihood"] = values["residual_likelihood"] or values["inherent_likelihood"]
    values["residual_impact"] = values["residual_impact"] or values["inherent_impact"]
    with transaction.atomic():
        risk = Risk(number=_common.next_risk_number(Risk), **values)
        risk.save()
        for name, objects in links.items():
            getattr(risk, name).set(objects)
        after = audit.snapshot(risk) | _links_snapshot(risk)
        _common.record(actor, audit.Action.CREATE, risk, audit.created(after))
        breaches.notify_if_new(risk, was_breach=False)
    return risk


def _load(actor, ref: str, action: str, *, lock: bool = False) -> Risk:
    require(actor, action)
    qs = scope_to_units(actor, Risk.objects.filter(number=parse_ref(ref)))
    risk = (qs.select_for_update() if lock else qs).first()
    if risk is None:
        from ramparts.core.errors import NotFound

        raise NotFound(f"No such risk: {ref}.")
    return risk


def risk_update(*, actor, ref: str, **fields: Any) -> Risk:
    matrix = current_matrix()
    with transaction.atomic():
        risk = _load(actor, ref, "risk.change", lock=True)
        problems: list[Problem] = []
        values, links = resolve(actor, fields, matrix, problems)
        for name in ("title", "category", "business_unit", "inherent_likelihood", "inherent_impact"):
            if name in values and values[name] in (None, ""):
                problems.append(Problem("is required", column=name))
        for name in ("residual_likelihood", "residual_impact"):
            if name in values and values[name] is None:
                problems.append(Problem("is required", column=name))
        if problems:
            raise ValidationFailed(f"{risk.ref} was not changed.", problems)
        if "business_unit" in values:
            require_unit(actor, values["business_unit"].pk, "risk.change")
        if risk.quantified and ("residual_likelihood" in values or "residual_impact" in values):
            derived = (risk.residual_likelihood, risk.residual_impact)
            asked = (values.get("residual_likelihood", derived[0]), values.get("residual_impact", derived[1]))
            if asked != derived:
                raise ValidationFailed(
                    f"{risk.ref} was not changed.",
                    [Problem("follows the quantification while the risk is quantified", column="residual_likelihood")],
                )
        before = audit.snapshot(risk) | _links_snapshot(risk)
        was_breach = breaches.is_breach(risk)
        if "fair" in values and values["fair"] != risk.fair:
            _clear_results(risk)  # results of another scenario must not stay on display
        for name, value in values.items():
            setattr(risk, name, value)
        risk.save()
        for name, objects in links.items():
            getattr(risk, name).set(objects)
        changes = audit.diff(before, audit.snapshot(risk) | _links_snapshot(risk))
        if changes:
            _common.record(actor, audit.Action.UPDATE, risk, changes)
        breaches.notify_if_new(risk, was_breach=was_breach)
    return risk


def _clear_results(risk: Risk) -> None:
    for name in ("quant_seed", "quant_years", "quantified_at", "ale", "p5", "p50", "p90", "p95", "p99", "es99"):
        setattr(risk, name, None)
    risk.p_no_loss = None
    risk.lec = None


def risk_delete(*, actor, ref: str) -> None:
    with transaction.atomic():
        risk = _load(actor, ref, "risk.delete", lock=True)
        before = audit.snapshot(risk)
        _common.record(actor, audit.Action.DELETE, risk, audit.deleted(before))
        risk.delete()
