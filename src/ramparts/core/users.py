"""Accounts of the people who use Ramparts: created by administrators, audited."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from ramparts.core import audit
from ramparts.core.errors import Conflict, Problem, ValidationFailed
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import require
from ramparts.core.roles import Role

AUDITED_FIELDS = ("username", "email", "first_name", "last_name", "role", "all_units", "is_active", "time_zone")


def _check_role(role: str) -> None:
    try:
        Role(role)
    except ValueError:
        raise ValidationFailed(
            "Unknown role.", [Problem(column="role", reason=f"choose from {', '.join(r.value for r in Role)}")]
        ) from None


def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    business_units: list[BusinessUnit] | None = None,
    all_units: bool = False,
) -> User:
    """`actor=None` is the command line bootstrapping the first administrator."""
    if actor is not None:
        require(actor, "users.manage")
    _check_role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"A user named {username!r} already exists.")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        all_units=all_units,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "The password does not meet the policy.", [Problem(column="password", reason=m) for m in exc.messages]
        ) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
        if business_units:
            user.business_units.set(business_units)
        after = audit.snapshot(user, AUDITED_FIELDS)
        after["business_units"] = sorted(str(u) for u in business_units or [])
        audit.record(
            actor,
            audit.Change(audit.Action.CREATE, "core.user", str(user.pk), user.username, audit.created(after)),
        )
    return user


def user_update(
    *, actor, user: User, business_units: list[BusinessUnit] | None = None, **fields
) -> User:
    require(actor, "users.manage")
    if "role" in fields:
        _check_role(fields["role"])
    unknown = set(fields) - set(AUDITED_FIELDS)
    if unknown:
        raise ValidationFailed("Unknown fields.", [Problem(column=f, reason="not a user field") for f in unknown])
    with transaction.atomic():
        before = audit.snapshot(user, AUDITED_FIELDS)
        before["business_units"] = sorted(str(u) for u in user.business_units.all())
        for name, value in fields.items():
            setattr(user, name, value)
        if "role" in fields:
            user.is_staff = user.is_superuser = user.role == Role.ADMIN
        user.save()
        if business_units is not None:
            user.business_units.set(business_units)
        after = audit.snapshot(user, AUDITED_FIELDS)
        after["business_units"] = sorted(str(u) for u in user.business_units.all())
        changes = audit.diff(before, after)
        if changes:
            audit.record(
                actor, audit.Change(audit.Action.UPDATE, "core.user", str(user.pk), user.username, changes)
            )
    return user
