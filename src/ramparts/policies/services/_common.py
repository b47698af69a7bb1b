"""What the policy services share: resolving references in inputs, audit records, dates."""

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models

from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import scope_to_units
from ramparts.core.roles import Role

MAX_TITLE = 200
MAX_TEXT = 200_000
MAX_INTERVAL_MONTHS = 60


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has none (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def unit_of(value: Any, *, field: str = "business_unit") -> BusinessUnit:
    if isinstance(value, BusinessUnit):
        return value
    unit = BusinessUnit.objects.filter(code=str(value or "").strip()).first()
    if unit is None:
        raise ValidationFailed("Unknown business unit.", [Problem(f"no business unit {value!r}", column=field)])
    return unit


def units_of(values: Iterable[Any], *, field: str = "audience_units") -> list[BusinessUnit]:
    values = list(values or [])
    codes = {v.code if isinstance(v, BusinessUnit) else str(v).strip() for v in values}
    found = {u.code: u for u in BusinessUnit.objects.filter(code__in=codes)}
    missing = sorted(c for c in codes if c not in found)
    if missing:
        raise ValidationFailed(
            "Unknown business units.", [Problem(f"no business unit {c!r}", column=field) for c in missing]
        )
    return sorted(found.values(), key=lambda u: u.code)


def roles_of(values: Iterable[str], *, field: str = "audience_roles") -> str:
    roles = sorted({str(v).strip() for v in values or [] if str(v).strip()})
    known = {r.value for r in Role}
    bad = [r for r in roles if r not in known]
    if bad:
        raise ValidationFailed(
            "Unknown roles.", [Problem(f"{r!r} is not a role ({', '.join(sorted(known))})", column=field) for r in bad]
        )
    return f",{','.join(roles)}," if roles else ""


def user_of(value: Any, *, field: str) -> User | None:
    if value in (None, ""):
        return None
    if isinstance(value, User):
        return value
    user = User.objects.filter(username=str(value).strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed("Unknown user.", [Problem(f"no active user {value!r}", column=field)])
    return user


def controls_of(actor, refs: Iterable[Any], *, field: str = "controls") -> list:
    from ramparts.compliance.models import Control
    from ramparts.core.errors import NotFound
    from ramparts.policies.refs import parse_ref

    wanted: dict[int, str] = {}
    problems = []
    for ref in refs or []:
        if isinstance(ref, Control):
            ref = ref.ref
        try:
            wanted[parse_ref(str(ref), Control.REF_PREFIX)] = str(ref)
        except NotFound:
            problems.append(Problem(f"{ref!r} is not a control reference (CTL-12)", column=field))
    found = {c.number: c for c in scope_to_units(actor, Control.objects.filter(number__in=wanted))}
    problems += [Problem(f"no control {ref}", column=field) for n, ref in wanted.items() if n not in found]
    if problems:
        raise ValidationFailed("Unknown controls.", problems)
    return [found[n] for n in wanted]


def requirements_of(refs: Iterable[Any], *, field: str = "requirements") -> list:
    """["nist-csf-2-0:GV.PO-01", ...] -> Requirement objects; every unknown one is named."""
    from ramparts.frameworks.models import Requirement

    wanted: list[tuple[str, str]] = []
    problems = []
    for ref in refs or []:
        if isinstance(ref, Requirement):
            wanted.append((ref.framework.slug, ref.identifier))
            continue
        slug, sep, identifier = str(ref or "").strip().partition(":")
        if not sep or not slug or not identifier.strip():
            problems.append(Problem(f"{ref!r} is not framework-slug:identifier", column=field))
        else:
            wanted.append((slug, identifier.strip()))
    found = {
        (r.framework.slug, r.identifier): r
        for r in Requirement.objects.filter(
            framework__slug__in={s for s, _ in wanted}, identifier__in={i for _, i in wanted}
        ).select_related("framework")
    }
    result = []
    for key in wanted:
        if key not in found:
            problems.append(Problem(f"no requirement {key[1]!r} in framework {key[0]!r}", column=field))
        elif found[key] not in result:
            result.append(found[key])
    if problems:
        raise ValidationFailed("Unknown requirements.", problems)
    return result


def require_text(value: str | None, *, field: str, limit: int, problems: list[Problem], required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        problems.append(Problem("is required", column=field))
    elif len(text) > limit:
        problems.append(Problem(f"is longer than {limit} characters ({len(text)})", column=field))
    return text


def m2m_labels(instance: models.Model, name: str) -> list[str]:
    return sorted(str(getattr(o, "ref", None) or getattr(o, "code", None) or o) for o in getattr(instance, name).all())


def record(actor, instance, action: str, changes: dict) -> None:
    audit.record(
        actor,
        audit.Change(
            action=action,
            object_type=audit.object_type_of(instance),
            object_id=str(instance.pk),
            object_ref=getattr(instance, "ref", None) or str(instance),
            changes=changes,
        ),
    )
