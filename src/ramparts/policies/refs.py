"""Human references (POL-7, EXC-3, version "1.2") and their numbers."""

from django.db import connection, models
from django.db.models import Max

from ramparts.core.errors import NotFound

_LOCK_KEYS = {"policy": 76_001, "policyexception": 76_002}


def parse_ref(ref: str, prefix: str) -> int:
    """ "POL-7" (any case, spaces ignored) -> 7; anything else is NotFound."""
    head, _, number = (ref or "").strip().upper().partition("-")
    if head != prefix or not number.isdigit() or len(number) > 9:
        raise NotFound(f"No such {prefix} reference: {ref!r}.")
    return int(number)


def parse_version(label: str) -> tuple[int, int]:
    """ "1.2" -> (1, 2); anything else is NotFound."""
    major, dot, minor = (label or "").strip().lstrip("vV").partition(".")
    if not dot or not major.isdigit() or not minor.isdigit() or len(major) > 6 or len(minor) > 6:
        raise NotFound(f"No such version: {label!r}.")
    return int(major), int(minor)


def next_number(model: type[models.Model]) -> int:
    """max+1 inside the writing transaction; on PostgreSQL an advisory lock serialises writers."""
    assert connection.in_atomic_block, "next_number must run inside the writing transaction"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model._meta.model_name or ""]])
    return (model._default_manager.aggregate(m=Max("number"))["m"] or 0) + 1
