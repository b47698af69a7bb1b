"""/api/v1/alerts: the alert queue, triage, sources and suppression rules. The signed intake
webhook itself is /alerts/hooks/<slug>/ (not under /api: it authenticates by signature, not token)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ramparts.alerts import selectors, services
from ramparts.alerts.selectors import AlertFilters
from ramparts.core.errors import NotFound
from ramparts.core.models import BusinessUnit
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import user_can

router = Router(tags=["Alerts"])


class AlertOut(Schema):
    ref: str
    source: str = Field(description="Source slug.")
    source_ref: str
    title: str
    severity: str
    occurred_at: dt.datetime | None
    host: str
    ip: str
    user: str
    technique: str
    rule: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    count: int
    status: str
    group: int | None = Field(None, description="Group id: alerts of one group share it.")
    dismiss_reason: str
    incident: str = Field(description="Incident ref after merge or promotion.")

    @staticmethod
    def resolve_source(obj) -> str:
        return obj.source.slug

    @staticmethod
    def resolve_group(obj) -> int | None:
        return obj.group_id

    @staticmethod
    def resolve_incident(obj) -> str:
        return obj.incident_ref


class AlertDetailOut(AlertOut):
    raw: Any
    systems: list[str] = Field(description="Inventory systems matched by host name or IP address.")


class AlertFilterIn(Schema):
    q: str = ""
    status: str = Field("open", description="open (new), any status with an empty value, or a status.")
    severity: str = ""
    source: str = ""
    host: str = ""
    group: int | None = None


class DismissIn(Schema):
    reason: str


class MergeIn(Schema):
    incident: str = Field(description="Incident ref, e.g. INC-2026-007.")


class PromoteIn(Schema):
    title: str = ""
    incident_type: str = "other"
    severity: str | None = None


class SourceOut(Schema):
    name: str
    slug: str
    kind: str
    business_unit: str
    webhook: str
    mapping: dict
    group_by: list[str]
    group_window_minutes: int
    rate_limit_per_minute: int
    active: bool

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_webhook(obj) -> str:
        return f"/alerts/hooks/{obj.slug}/"


class SourceCreatedOut(SourceOut):
    secret: str = Field(description="The signing secret, returned only here.")

    @staticmethod
    def resolve_secret(obj) -> str:
        return obj.secret_once


class SourceIn(Schema):
    name: str
    business_unit: str = Field(description="Business unit code.")
    kind: str = "generic"
    slug: str = ""
    mapping: dict | None = Field(None, description="JSONPath mapping; omitted: the kind's ready-made one.")
    group_by: list[str] | None = None
    group_window_minutes: int = 10
    rate_limit_per_minute: int = 6000
    active: bool = True


class SourcePatchIn(Schema):
    name: str | None = None
    mapping: dict | None = None
    group_by: list[str] | None = None
    group_window_minutes: int | None = None
    rate_limit_per_minute: int | None = None
    active: bool | None = None


class SecretOut(Schema):
    secret: str


class SuppressionOut(Schema):
    id: int
    source: str | None
    field: str
    value: str
    until: dt.datetime
    reason: str

    @staticmethod
    def resolve_source(obj) -> str | None:
        return obj.source.slug if obj.source_id else None


class SuppressionIn(Schema):
    source: str | None = Field(None, description="Source slug; omitted: every source.")
    field: str
    value: str
    until: dt.datetime
    reason: str


@router.get("/", response=list[AlertOut], summary="Alerts, newest first (open ones by default)")
@paginate(PageNumber)
def alert_list(request: HttpRequest, filters: Query[AlertFilterIn]):
    return selectors.alert_list(request.user, filters=AlertFilters(**filters.dict()))


@router.get("/sources", response=list[SourceOut], summary="Alert sources (without secrets)")
def source_list(request: HttpRequest):
    return selectors.sources_visible_to(request.user)


@router.post("/sources", response={201: SourceCreatedOut}, summary="Create a source (secret returned once)")
def source_create(request: HttpRequest, payload: SourceIn):
    data = payload.dict()
    unit = BusinessUnit.objects.filter(code=data.pop("business_unit")).first()
    if unit is None:
        raise NotFound("No such business unit.")
    source, secret = services.source_create(actor=request.user, business_unit=unit, **data)
    source.secret_once = secret  # type: ignore[attr-defined]
    return Status(201, source)


@router.get("/sources/{slug}", response=SourceOut, summary="One alert source")
def source_get(request: HttpRequest, slug: str):
    return selectors.source_get(request.user, slug=slug)


@router.patch("/sources/{slug}", response=SourceOut, summary="Change a source")
def source_update(request: HttpRequest, slug: str, payload: SourcePatchIn):
    source = selectors.source_get(request.user, slug=slug)
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    return services.source_update(actor=request.user, source=source, **fields)


@router.post("/sources/{slug}/rotate", response=SecretOut, summary="New signing secret (returned once)")
def source_rotate(request: HttpRequest, slug: str):
    source = selectors.source_get(request.user, slug=slug)
    return {"secret": services.source_rotate_secret(actor=request.user, source=source)}


@router.get("/suppressions", response=list[SuppressionOut], summary="Active suppression rules")
def suppression_list(request: HttpRequest):
    return selectors.suppression_list(request.user)


@router.post("/suppressions", response={201: SuppressionOut}, summary="Suppress matching alerts until a time")
def suppression_create(request: HttpRequest, payload: SuppressionIn):
    data = payload.dict()
    slug = data.pop("source")
    source = selectors.source_get(request.user, slug=slug) if slug else None
    return Status(201, services.suppression_create(actor=request.user, source=source, **data))


@router.post("/suppressions/{rule_id}/end", response=SuppressionOut, summary="End a suppression rule now")
def suppression_end(request: HttpRequest, rule_id: int):
    rule = selectors.suppression_get(request.user, rule_id=rule_id)
    return services.suppression_end(actor=request.user, rule=rule)


@router.get("/{ref}", response=AlertDetailOut, summary="One alert, with its raw payload and matched systems")
def alert_get(request: HttpRequest, ref: str):
    alert = selectors.alert_get(request.user, ref=ref)
    systems = selectors.matching_systems(request.user, alert) if user_can(request.user, "inventory.view") else []
    alert.systems = [s.ref for s in systems]  # type: ignore[attr-defined]
    return alert


@router.post("/{ref}/dismiss", response=AlertOut, summary="Dismiss an alert with a reason")
def alert_dismiss(request: HttpRequest, ref: str, payload: DismissIn):
    alert = selectors.alert_get(request.user, ref=ref)
    return services.alert_dismiss(actor=request.user, alert=alert, reason=payload.reason)


@router.post("/{ref}/merge", response=AlertOut, summary="Merge an alert into an existing incident")
def alert_merge(request: HttpRequest, ref: str, payload: MergeIn):
    alert = selectors.alert_get(request.user, ref=ref)
    return services.alert_merge(actor=request.user, alert=alert, incident_ref=payload.incident)


@router.post("/{ref}/promote", response={201: AlertOut}, summary="Promote an alert to a new incident")
def alert_promote(request: HttpRequest, ref: str, payload: PromoteIn):
    alert = selectors.alert_get(request.user, ref=ref)
    fields = {k: v for k, v in payload.dict().items() if v not in (None, "")}
    return Status(201, services.alert_promote(actor=request.user, alert=alert, **fields))
