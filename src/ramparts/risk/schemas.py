"""API shapes of the risk module."""

import datetime as dt
from typing import Any

from ninja import Field, Schema


class RiskOut(Schema):
    ref: str
    title: str
    because: str
    affecting: str
    resulting_in: str
    category: str = Field(alias="category.name")
    business_unit: str = Field(alias="business_unit.code")
    owner: str | None
    status: str
    accepted: bool = False
    next_review: dt.date | None
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    target_likelihood: int | None
    target_impact: int | None
    ale: float | None
    p5: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    es99: float | None
    p_no_loss: float | None
    quant_seed: int | None
    quant_years: int | None
    quantified_at: dt.datetime | None

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return obj.owner.username if obj.owner_id else None


class RiskDetailOut(RiskOut):
    threat: str
    existing_controls: str
    services: list[str]
    systems: list[str]
    data_assets: list[str]
    findings: list[str]
    controls: list[str]
    fair: dict[str, Any] | None
    open_kev_findings: int
    appetite: dict[str, Any]
    acceptance: "AcceptanceOut | None"

    @staticmethod
    def resolve_services(obj) -> list[str]:
        return [o.ref for o in obj.services.all()]

    @staticmethod
    def resolve_systems(obj) -> list[str]:
        return [o.ref for o in obj.systems.all()]

    @staticmethod
    def resolve_data_assets(obj) -> list[str]:
        return [o.ref for o in obj.data_assets.all()]

    @staticmethod
    def resolve_findings(obj) -> list[str]:
        return [o.ref for o in obj.findings.all()]

    @staticmethod
    def resolve_controls(obj) -> list[str]:
        return [o.ref for o in obj.controls.all()]


class RiskIn(Schema):
    business_unit: str
    title: str
    category: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    target_likelihood: int | None = None
    target_impact: int | None = None
    because: str = ""
    affecting: str = ""
    resulting_in: str = ""
    owner: str | None = None
    status: str = "identified"
    next_review: dt.date | None = None
    threat: str = ""
    existing_controls: str = ""
    services: list[str] = []
    systems: list[str] = []
    data_assets: list[str] = []
    findings: list[str] = []
    controls: list[str] = []
    fair: dict[str, Any] | None = None


class RiskPatch(Schema):
    business_unit: str | None = None
    title: str | None = None
    category: str | None = None
    inherent_likelihood: int | None = None
    inherent_impact: int | None = None
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    target_likelihood: int | None = None
    target_impact: int | None = None
    because: str | None = None
    affecting: str | None = None
    resulting_in: str | None = None
    owner: str | None = None
    status: str | None = None
    next_review: dt.date | None = None
    threat: str | None = None
    existing_controls: str | None = None
    services: list[str] | None = None
    systems: list[str] | None = None
    data_assets: list[str] | None = None
    findings: list[str] | None = None
    controls: list[str] | None = None
    fair: dict[str, Any] | None = None


class QuantifyIn(Schema):
    years: int = 100_000
    seed: int | None = None


class AcceptIn(Schema):
    rationale: str
    expires_at: dt.date | dt.datetime
    compensating_controls: str = ""


class RevokeIn(Schema):
    reason: str = ""


class AppetiteIn(Schema):
    category: str | None = None  # a category name; null for the whole portfolio
    statement: str
    max_level: int | None = None
    tolerance: list[dict[str, float]] = []
    approved_by: str | None = None
    approved_at: dt.date | None = None


class CategoryIn(Schema):
    name: str
    description: str = ""


class PlanIn(Schema):
    option: str
    description: str = ""
    owner: str | None = None


class ActionIn(Schema):
    title: str
    owner: str | None = None
    due: dt.date | None = None
    cost: float = 0
    status: str = "planned"
    finding: str | None = None
    control: str | None = None


class ActionPatch(Schema):
    title: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    cost: float | None = None
    status: str | None = None
    finding: str | None = None
    control: str | None = None


class ActionOut(Schema):
    id: int
    risk: str = Field(alias="plan.risk.ref")
    plan: int = Field(alias="plan_id")
    title: str
    owner: str | None
    due: dt.date | None
    cost: float
    status: str

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return obj.owner.username if obj.owner_id else None


class PlanOut(Schema):
    id: int
    risk: str = Field(alias="risk.ref")
    option: str
    description: str
    owner: str | None
    actions_total: int = Field(0, alias="total")
    actions_done: int = Field(0, alias="done")
    actions_overdue: int = Field(0, alias="overdue")
    cost: float | None = None

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return obj.owner.username if obj.owner_id else None


class AcceptanceOut(Schema):
    risk: str = Field(alias="risk.ref")
    approved_by: str = Field(alias="approved_by.username")
    accepted_at: dt.datetime
    expires_at: dt.datetime
    rationale: str
    compensating_controls: str
    above_appetite: bool
    revoked_at: dt.datetime | None
    in_force: bool = False

    @staticmethod
    def resolve_in_force(obj) -> bool:
        from django.utils import timezone

        return obj.revoked_at is None and obj.expires_at > timezone.now()


RiskDetailOut.model_rebuild()


class MatrixIn(Schema):
    likelihood: list[dict[str, Any]]
    impact: list[dict[str, Any]]
    levels: list[str]
    grid: list[list[int]]
