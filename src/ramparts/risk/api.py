"""The risk API under /api/v1/risk/: the register, quantification, heat map, appetite, treatment,
acceptance and the portfolio. Each endpoint calls one selector or service; domain errors become
responses in ramparts/api.py (403, 404 also for other units, 400 with `problems`, 409)."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require
from ramparts.core.selectors import business_unit_list
from ramparts.risk import schemas, selectors, services
from ramparts.risk.evaluation import Judge, active_acceptance, current_matrix, matrix_row
from ramparts.risk.models import RiskCategory
from ramparts.risk.portfolio import PORTFOLIO_SEED
from ramparts.risk.portfolio import portfolio as build_portfolio
from ramparts.risk.quant.model import QuantError
from ramparts.risk.quant.whatif import what_if
from ramparts.risk.services.quantify import scenario_of

router = Router(tags=["Risk"])
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class RiskFiltersIn(Schema):
    q: str = ""
    category: str = ""
    status: str = ""
    owner: str = ""
    business_unit: str = ""
    accepted: str = ""
    quantified: str = ""
    stage: str = ""
    likelihood: int | None = None
    impact: int | None = None
    order: str = ""


def _detail(user, ref: str):
    """The risk with what its API view adds: KEV count, appetite verdict, acceptance in force."""
    risk = selectors.risk_get(user, ref=ref)
    verdict = Judge().verdict(risk)
    risk.acceptance = active_acceptance(risk)  # type: ignore[attr-defined]
    risk.accepted = risk.acceptance is not None  # type: ignore[attr-defined]
    risk.open_kev_findings = selectors.kev_findings(risk).count()  # type: ignore[attr-defined]
    risk.appetite = {  # type: ignore[attr-defined]
        "checked": verdict.evaluation.checked,
        "within": verdict.evaluation.within,
        "reasons": verdict.evaluation.reasons,
    }
    return risk


@router.get("/risks", response=list[schemas.RiskOut], operation_id="risk_list", summary="List risks")
@paginate(PageNumber)
def risk_list(request: HttpRequest, filters: Query[RiskFiltersIn]):
    return selectors.risk_list(request.user, filters=selectors.RiskFilters(**filters.dict()))


@router.get("/risks/{ref}", response=schemas.RiskDetailOut, operation_id="risk_get", summary="One risk")
def risk_get(request: HttpRequest, ref: str):
    return _detail(request.user, ref)


@router.post("/risks", response={201: schemas.RiskDetailOut}, operation_id="risk_create", summary="Create a risk")
def risk_create(request: HttpRequest, payload: schemas.RiskIn):
    fields = payload.dict(exclude_unset=True)
    risk = services.risk_create(actor=request.user, **fields)
    return Status(201, _detail(request.user, risk.ref))


@router.patch("/risks/{ref}", response=schemas.RiskDetailOut, operation_id="risk_update", summary="Change a risk")
def risk_update(request: HttpRequest, ref: str, payload: schemas.RiskPatch):
    risk = services.risk_update(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return _detail(request.user, risk.ref)


@router.delete("/risks/{ref}", response={204: None}, operation_id="risk_delete", summary="Delete a risk")
def risk_delete(request: HttpRequest, ref: str):
    services.risk_delete(actor=request.user, ref=ref)
    return Status(204, None)


@router.post("/risks/{ref}/quantify", response=schemas.RiskDetailOut, operation_id="risk_quantify", summary="Simulate")
def risk_quantify(request: HttpRequest, ref: str, payload: schemas.QuantifyIn):
    selectors.risk_get(request.user, ref=ref)
    services.risk_quantify(actor=request.user, ref=ref, years=payload.years, seed=payload.seed)
    return _detail(request.user, ref)


@router.get("/risks/{ref}/lec", operation_id="risk_lec", summary="Loss exceedance curve and tolerance")
def risk_lec(request: HttpRequest, ref: str):
    risk = selectors.risk_get(request.user, ref=ref)
    verdict = Judge().verdict(risk)
    if not risk.lec:
        raise NotFound(f"{risk.ref} is not quantified yet.")
    return {
        "ref": risk.ref,
        "seed": risk.quant_seed,
        "years": risk.quant_years,
        "amounts": risk.lec["amounts"],
        "probabilities": risk.lec["probabilities"],
        "tolerance": verdict.statement.tolerance if verdict.statement else [],
    }


@router.get("/risks/{ref}/what-if", operation_id="risk_what_if", summary="ΔALE, ΔP95 and ROSI of a control")
def risk_what_if(request: HttpRequest, ref: str, effectiveness: float, annual_cost: float = 0, years: int = 100_000):
    risk = selectors.risk_get(request.user, ref=ref)
    base = scenario_of(risk)
    if years > 1_000_000:
        raise ValidationFailed("Not simulated.", [Problem("at most 1,000,000", column="years")])
    try:
        result = what_if(
            base,
            base.with_vulnerability_reduced(effectiveness),
            years=years,
            seed=risk.quant_seed or 1,
            annual_cost=annual_cost,
        )
    except QuantError as error:
        raise ValidationFailed("Not simulated.", [Problem(error.reason, column=error.field)]) from None
    return {
        "seed": result.seed,
        "years": result.years,
        "ale_before": result.base.ale,
        "ale_after": result.changed.ale,
        "delta_ale": result.delta_ale,
        "delta_p95": result.delta_p95,
        "rosi": result.rosi,
    }


@router.post("/risks/{ref}/accept", response={201: schemas.AcceptanceOut}, operation_id="risk_accept")
def risk_accept(request: HttpRequest, ref: str, payload: schemas.AcceptIn):
    """Accept a risk; above appetite only an executive may (403 otherwise)."""
    acceptance = services.acceptance_create(actor=request.user, ref=ref, **payload.dict())
    return Status(201, acceptance)


@router.post("/risks/{ref}/revoke", response=schemas.AcceptanceOut, operation_id="risk_revoke")
def risk_revoke(request: HttpRequest, ref: str, payload: schemas.RevokeIn):
    return services.acceptance_revoke(actor=request.user, ref=ref, reason=payload.reason)


@router.get("/acceptances", response=list[schemas.AcceptanceOut], operation_id="risk_acceptances")
@paginate(PageNumber)
def acceptance_list(request: HttpRequest):
    return selectors.acceptances(request.user)


@router.get("/heat-map", operation_id="risk_heat_map", summary="Counts per likelihood × impact cell")
def heat_map(request: HttpRequest, stage: str = "residual"):
    matrix = current_matrix()
    counts = selectors.heat_counts(request.user, stage=stage)
    return {
        "stage": stage,
        "likelihood": [b.label for b in matrix.likelihood],
        "impact": [b.label for b in matrix.impact],
        "levels": list(matrix.levels),
        "cells": [
            {"likelihood": r, "impact": c, "count": counts.get((r, c), 0), "level": matrix.level(r, c)}
            for r in range(1, len(matrix.likelihood) + 1)
            for c in range(1, len(matrix.impact) + 1)
        ],
    }


@router.get("/portfolio", operation_id="risk_portfolio", summary="Portfolio of quantified risks vs appetite")
def portfolio(request: HttpRequest, years: int = 100_000, seed: int = PORTFOLIO_SEED, rho: float | None = None):
    if not 1_000 <= years <= 1_000_000:
        raise ValidationFailed("Not simulated.", [Problem("must be between 1,000 and 1,000,000", column="years")])
    if rho is not None and not 0 <= rho < 1:
        raise ValidationFailed("Not simulated.", [Problem("must be within [0, 1)", column="rho")])
    result = build_portfolio(request.user, years=years, seed=seed, rho=rho)
    return {
        "risks": [r.ref for r in result.risks],
        "seed": result.seed,
        "years": result.years,
        "summary": result.summary.as_dict() if result.summary else None,
        "lec": result.curve.as_dict() if result.curve is not None else None,
        "appetite": {
            "checked": result.evaluation.checked,
            "within": result.evaluation.within,
            "reasons": result.evaluation.reasons,
        },
        "sum_of_p99": result.sum_of_p99,
    }


@router.get("/appetite", operation_id="risk_appetite", summary="Appetite statements and current breaches")
def appetite(request: HttpRequest):
    judge = Judge()
    risks = selectors.risk_list(request.user).exclude(status="closed")
    return {
        "statements": [
            {
                "category": s.category.name if s.category else None,
                "statement": s.statement,
                "max_level": s.max_level,
                "tolerance": s.tolerance,
                "approved_by": s.approved_by.username if s.approved_by else None,
                "approved_at": s.approved_at,
            }
            for s in selectors.statements(request.user)
        ],
        "breaches": [
            {"risk": r.ref, "reasons": v.evaluation.reasons, "accepted": getattr(r, "accepted", False)}
            for r in risks
            if (v := judge.verdict(r)).breach
        ],
    }


@router.put("/appetite", operation_id="risk_appetite_set", summary="Record the board's appetite for a category")
def appetite_set(request: HttpRequest, payload: schemas.AppetiteIn):
    require(request.user, "risk.appetite")
    category = None
    if payload.category:
        category = RiskCategory.objects.filter(name__iexact=payload.category).first()
        if category is None:
            raise ValidationFailed("Not saved.", [Problem(f"no category {payload.category!r}", column="category")])
    row = services.appetite_set(actor=request.user, category=category, **payload.dict(exclude={"category"}))
    return {
        "category": payload.category,
        "statement": row.statement,
        "max_level": row.max_level,
        "tolerance": row.tolerance,
    }


@router.get("/categories", operation_id="risk_categories")
def categories(request: HttpRequest):
    return [
        {"id": c.pk, "name": c.name, "description": c.description, "risks": getattr(c, "count", 0)}
        for c in selectors.categories(request.user)
    ]


@router.post("/categories", response={201: dict}, operation_id="risk_category_create")
def category_create(request: HttpRequest, payload: schemas.CategoryIn):
    category = services.category_create(actor=request.user, name=payload.name, description=payload.description)
    return Status(201, {"id": category.pk, "name": category.name})


@router.get("/matrix", operation_id="risk_matrix", summary="The likelihood × impact matrix and its anchors")
def matrix(request: HttpRequest):
    require(request.user, "risk.view")
    row = matrix_row()
    return {"likelihood": row.likelihood, "impact": row.impact, "levels": row.levels, "grid": row.grid}


@router.put("/matrix", operation_id="risk_matrix_set", summary="Replace the matrix")
def matrix_set(request: HttpRequest, payload: schemas.MatrixIn):
    services.matrix_update(actor=request.user, definition=payload.dict())
    return matrix(request)


@router.get("/plans", response=list[schemas.PlanOut], operation_id="risk_plans", summary="Treatment plans and progress")
@paginate(PageNumber)
def plan_list(request: HttpRequest):
    return selectors.plans(request.user)


@router.post("/risks/{ref}/plans", response={201: schemas.PlanOut}, operation_id="risk_plan_create")
def plan_create(request: HttpRequest, ref: str, payload: schemas.PlanIn):
    plan = services.plan_create(actor=request.user, ref=ref, **payload.dict())
    return Status(201, selectors.plans(request.user).get(pk=plan.pk))


@router.get("/actions", response=list[schemas.ActionOut], operation_id="risk_actions", summary="Treatment actions")
@paginate(PageNumber)
def action_list(request: HttpRequest, overdue: bool = False, mine: bool = False):
    return selectors.actions(request.user, overdue_only=overdue, owner=request.user if mine else None)


@router.post("/plans/{plan}/actions", response={201: schemas.ActionOut}, operation_id="risk_action_create")
def action_create(request: HttpRequest, plan: int, payload: schemas.ActionIn):
    return Status(201, services.action_create(actor=request.user, plan=plan, **payload.dict()))


@router.patch("/actions/{pk}", response=schemas.ActionOut, operation_id="risk_action_update")
def action_update(request: HttpRequest, pk: int, payload: schemas.ActionPatch):
    return services.action_update(actor=request.user, pk=pk, **payload.dict(exclude_unset=True))


@router.post("/import", response={201: dict}, operation_id="risk_import", summary="Import pyfair JSON / riskquant CSV")
def risk_import(
    request: HttpRequest,
    kind: Form[str],
    business_unit: Form[str],
    category: Form[str],
    file: File[UploadedFile],
):
    require(request.user, "risk.import")
    if file.size and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed("Nothing was imported.", [Problem(f"over {MAX_IMPORT_BYTES:,} bytes", column="file")])
    unit = next((u for u in business_unit_list(request.user) if u.code == business_unit), None)
    if unit is None:
        raise NotFound("No such business unit.")
    found = RiskCategory.objects.filter(name__iexact=category).first()
    if found is None:
        raise ValidationFailed("Nothing was imported.", [Problem(f"no category {category!r}", column="category")])
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("Nothing was imported.", [Problem("is not UTF-8 text", column="file")]) from None
    risks = services.risks_import(actor=request.user, text=text, kind=kind, business_unit=unit, category=found)
    return Status(201, {"created": [r.ref for r in risks]})
