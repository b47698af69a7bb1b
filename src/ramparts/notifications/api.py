"""/api/v1/notifications: my inbox and preferences, webhook endpoints, the deliveries log."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ramparts.core.pagination import PageNumber
from ramparts.notifications import selectors, services
from ramparts.notifications.services import host_of

router = Router(tags=["Notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    subject: str
    body: str
    link: str
    payload: dict
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxFilter(Schema):
    unread: bool = False


class MarkReadIn(Schema):
    ids: list[int] | None = Field(None, description="Notifications to mark read; omitted: all unread ones.")


class MarkedOut(Schema):
    marked: int


class PreferenceIO(Schema):
    event: str
    label: str = ""
    in_app: bool
    email: bool


class EndpointOut(Schema):
    id: int
    name: str
    url_host: str = Field(description="Scheme and host only: the full URL may carry a credential.")
    format: str
    events: list[str]
    active: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_url_host(obj) -> str:
        return host_of(obj.url)


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(description="The signing secret, returned only here.")

    @staticmethod
    def resolve_secret(obj) -> str:
        return obj.secret_once


class EndpointIn(Schema):
    name: str
    url: str
    format: str = "generic"
    events: list[str] = Field(default_factory=list, description="Empty: every event.")
    active: bool = True


class EndpointPatchIn(Schema):
    name: str | None = None
    url: str | None = None
    format: str | None = None
    events: list[str] | None = None
    active: bool | None = None


class SecretOut(Schema):
    secret: str


class DeliveryOut(Schema):
    id: int
    channel: str
    event: str
    to: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    last_status_code: int | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


class DeliveryFilter(Schema):
    status: str = ""
    channel: str = ""
    event: str = ""


@router.get("/inbox", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(PageNumber)
def inbox(request: HttpRequest, filters: Query[InboxFilter]):
    return selectors.inbox(request.user, unread_only=filters.unread)


@router.post("/inbox/read", response=MarkedOut, summary="Mark my notifications read")
def mark_read(request: HttpRequest, payload: MarkReadIn):
    return {"marked": services.notifications_mark_read(actor=request.user, ids=payload.ids)}


@router.get("/preferences", response=list[PreferenceIO], summary="My preferences per event kind")
def preferences(request: HttpRequest):
    return selectors.preferences(request.user)


@router.put("/preferences", response=list[PreferenceIO], summary="Set my preferences (listed events only)")
def preferences_set(request: HttpRequest, payload: list[PreferenceIO]):
    services.preferences_set(actor=request.user, choices={p.event: (p.in_app, p.email) for p in payload})
    return selectors.preferences(request.user)


@router.get("/webhooks", response=list[EndpointOut], summary="Outgoing webhook endpoints")
def endpoint_list(request: HttpRequest):
    return selectors.endpoint_list(request.user)


@router.post(
    "/webhooks", response={201: EndpointCreatedOut}, summary="Create a webhook endpoint (secret returned once)"
)
def endpoint_create(request: HttpRequest, payload: EndpointIn):
    endpoint, secret = services.webhook_endpoint_create(actor=request.user, **payload.dict())
    endpoint.secret_once = secret  # type: ignore[attr-defined]
    return Status(201, endpoint)


@router.get("/webhooks/{endpoint_id}", response=EndpointOut, summary="One webhook endpoint")
def endpoint_get(request: HttpRequest, endpoint_id: int):
    return selectors.endpoint_get(request.user, endpoint_id=endpoint_id)


@router.patch("/webhooks/{endpoint_id}", response=EndpointOut, summary="Change a webhook endpoint")
def endpoint_update(request: HttpRequest, endpoint_id: int, payload: EndpointPatchIn):
    selectors.endpoint_get(request.user, endpoint_id=endpoint_id)
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    return services.webhook_endpoint_update(actor=request.user, endpoint_id=endpoint_id, **fields)


@router.post("/webhooks/{endpoint_id}/rotate", response=SecretOut, summary="New signing secret (returned once)")
def endpoint_rotate(request: HttpRequest, endpoint_id: int):
    return {"secret": services.webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint_id)}


@router.post("/webhooks/{endpoint_id}/test", response={202: DeliveryOut}, summary="Queue a test message")
def endpoint_test(request: HttpRequest, endpoint_id: int):
    return Status(202, services.webhook_endpoint_test(actor=request.user, endpoint_id=endpoint_id))


@router.delete("/webhooks/{endpoint_id}", response={204: None}, summary="Delete a webhook endpoint")
def endpoint_delete(request: HttpRequest, endpoint_id: int):
    services.webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint_id)
    return Status(204, None)


@router.get("/deliveries", response=list[DeliveryOut], summary="E-mails and webhook calls, newest first")
@paginate(PageNumber)
def delivery_list(request: HttpRequest, filters: Query[DeliveryFilter]):
    return selectors.delivery_list(request.user, **filters.dict())


@router.post("/deliveries/{delivery_id}/retry", response={202: DeliveryOut}, summary="Send a delivery again")
def delivery_retry(request: HttpRequest, delivery_id: int):
    return Status(202, services.delivery_retry(actor=request.user, delivery_id=delivery_id))
