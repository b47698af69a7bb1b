"""Permission-matrix requests of the notifications module (collected by matrix_modules; see its docstring)."""

from tests.security.matrix_base import api, ui


def _endpoint_form(w) -> dict:
    return {"name": f"Matrix hook {w.n}", "url": "https://hooks.example.org/x", "format": "generic", "active": "on"}


MATRIX: dict[str, dict[str, list]] = {
    "notifications.own": {
        "ui": [
            ui("GET", "/notifications/"),
            ui("GET", "/notifications/preferences/"),
            ui("POST", "/notifications/preferences/", {"in_app:incident.declared": "on"}),
            ui("POST", "/notifications/read/"),
        ],
        "api": [
            api("GET", "/notifications/inbox"),
            api("GET", "/notifications/preferences"),
            api("PUT", "/notifications/preferences", [{"event": "incident.declared", "in_app": True, "email": False}]),
            api("POST", "/notifications/inbox/read", {}),
        ],
    },
    "notifications.webhooks": {
        "ui": [
            ui("GET", "/notifications/webhooks/"),
            ui("GET", "/notifications/webhooks/new/"),
            ui("POST", "/notifications/webhooks/new/", _endpoint_form),
            ui("GET", "/notifications/webhooks/{endpoint}/"),
            ui("POST", "/notifications/webhooks/{endpoint}/rotate/"),
            ui("POST", "/notifications/webhooks/{endpoint}/delete/"),
            ui("POST", "/notifications/deliveries/{delivery}/retry/"),
        ],
        "api": [
            api("GET", "/notifications/webhooks"),
            api("POST", "/notifications/webhooks", {"name": "Api hook", "url": "https://hooks.example.org/y"}),
            api("GET", "/notifications/webhooks/{endpoint}"),
            api("PATCH", "/notifications/webhooks/{endpoint}", {"active": False}),
            api("POST", "/notifications/webhooks/{endpoint}/rotate"),
            api("DELETE", "/notifications/webhooks/{endpoint}"),
            api("POST", "/notifications/deliveries/{delivery}/retry"),
        ],
    },
    "notifications.deliveries": {
        "ui": [ui("GET", "/notifications/deliveries/")],
        "api": [api("GET", "/notifications/deliveries")],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    from django.utils import timezone

    from ramparts.notifications.models import Delivery, WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(
        name=f"Matrix endpoint {unit.code}", url="https://hooks.example.org/matrix", secret="whsec_matrix"
    )
    delivery = Delivery.objects.create(
        channel="webhook", event="incident.declared", endpoint=endpoint, to=endpoint.name, subject="S",
        status="failed", attempts=8, created_at=timezone.now(),
    )  # fmt: skip
    return {"endpoint": str(endpoint.pk), "delivery": str(delivery.pk)}
