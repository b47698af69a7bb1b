import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ramparts.core import selectors, tokens
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    email: str
    role: str
    all_units: bool
    business_units: list[str]


@router.get("/me", response=MeOut, summary="Who am I")
def me(request: HttpRequest):
    user = request.auth  # type: ignore[attr-defined]  # set by ninja to what the auth class returned
    return {
        "username": user.username,
        "email": user.email,
        "role": user.role,
        "all_units": user.all_units,
        "business_units": [u.code for u in selectors.business_unit_list(user)],
    }


class BusinessUnitOut(Schema):
    code: str
    name: str


@router.get("/business-units", response=list[BusinessUnitOut], summary="Business units I work in")
@paginate(PageNumber)
def business_units(request: HttpRequest):
    return selectors.business_unit_list(request.user)


class TokenIn(Schema):
    name: str
    scopes: list[str] = Field(default_factory=lambda: ["read"])
    expires_in_days: int = 90


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret. It is shown only in this response.")


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(PageNumber)
def token_list(request: HttpRequest):
    return tokens.api_token_list(request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn):
    issued = tokens.api_token_create(
        actor=request.user, name=payload.name, scopes=payload.scopes, expires_in_days=payload.expires_in_days
    )
    out = TokenOut.from_orm(issued.token).dict()
    return Status(201, {**out, "token": issued.secret})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int):
    return tokens.api_token_revoke(actor=request.user, token_id=token_id)


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke an API token (the row is kept for the record)")
def token_delete(request: HttpRequest, token_id: int):
    return tokens.api_token_revoke(actor=request.user, token_id=token_id)


class AuditOut(Schema):
    seq: int
    at: dt.datetime
    actor: str = Field(alias="actor_label")
    channel: str
    ip: str
    action: str
    object_type: str
    object_id: str
    object_ref: str
    changes: dict
    hash: str


class AuditFilterIn(Schema):
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    action: str = ""
    channel: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    q: str = ""


@router.get("/audit", response=list[AuditOut], summary="Audit trail (auditors, managers, administrators)")
@paginate(PageNumber)
def audit_list(request: HttpRequest, filters: Query[AuditFilterIn]):
    return selectors.audit_list(request.user, filters=selectors.AuditFilters(**filters.dict()))


@router.get(
    "/audit/export",
    summary="Export the audit trail as CSV or JSON (auditors, managers, administrators)",
    description="format: csv or json. Takes the audit page's filters (object_type, object_id, q, actor, "
    "action, channel, since, until as dates). Streamed, so a large trail never sits in memory.",
)
def audit_export(request: HttpRequest, format: str = "csv"):
    # The same code as the audit page's export links: one adapter delegates to the other.
    from ramparts.core import views
    from ramparts.core.errors import Problem, ValidationFailed

    require(request.user, "audit.export")
    if format not in ("csv", "json"):
        raise ValidationFailed("Unknown format.", [Problem("choose csv or json", column="format")])
    return views.audit_export(request, fmt=format)


class WidgetOut(Schema):
    key: str
    title: str
    data: dict


def _jsonable(value):
    from django.db import models

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return {"ref": getattr(value, "ref", None) or str(value.pk), "name": str(value)}
    if isinstance(value, list | tuple | models.QuerySet):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


@router.get("/dashboard", response=list[WidgetOut], summary="The home dashboard's widgets and their figures")
def dashboard(request: HttpRequest):
    from ramparts.core.dashboard import widgets_for

    require(request.user, "dashboard.view")
    return [
        {
            "key": shown.widget.key,
            "title": shown.widget.title,
            "data": _jsonable(shown.context),
        }
        for shown in widgets_for(request.user)
    ]
