"""Helpers the risk services share: numbering, audit records, notifications."""

from typing import Any

from django.db import connection, models
from django.db.models import Max

from ramparts.core import audit
from ramparts.core.models import User
from ramparts.core.roles import Role

_LOCK_KEY = 74_001  # PostgreSQL advisory lock that serialises RISK numbering


def next_risk_number(model: type[models.Model]) -> int:
    """max+1, inside the writing transaction; on PostgreSQL an advisory lock serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    return (model._default_manager.aggregate(m=Max("number"))["m"] or 0) + 1


def record(actor, action: str, obj: models.Model, changes: dict[str, Any], ref: str = "") -> None:
    audit.record(
        actor,
        audit.Change(
            action=action,
            object_type=audit.object_type_of(obj),
            object_id=str(obj.pk),
            object_ref=ref or str(getattr(obj, "ref", "") or obj),
            changes=changes,
        ),
    )


def security_managers(business_unit_id: int) -> list[User]:
    """The CISO's people for a unit: active security managers who work in it (or in every unit)."""
    from django.db.models import Q

    return list(
        User.objects.filter(role=Role.SECURITY_MANAGER, is_active=True)
        .filter(Q(all_units=True) | Q(business_units=business_unit_id))
        .distinct()
    )


def notify(*, event: str, recipients: list, subject: str, body: str, link: str, payload: dict) -> None:
    from ramparts.notifications.services import notify as send

    send(event=event, recipients=recipients, subject=subject, body=body, link=link, payload=payload)
