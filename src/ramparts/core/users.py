"""Accounts of the people who use Ramparts: created by administrators, audited."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
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


def _check_username(username: str) -> None:
    # Letters, digits and @.+-_ only: a username ends up in CSV exports, URLs and log lines.
    try:
        UnicodeUsernameValidator()(username)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "Invalid username.", [Problem(column="username", reason=m) for m in exc.messages]
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
    _check_username(username)
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


def user_update(*, actor, user: User, business_units: list[BusinessUnit] | None = None, **fields) -> User:
    require(actor, "users.manage")
    if "role" in fields:
        _check_role(fields["role"])
    unknown = set(fields) - set(AUDITED_FIELDS)
    if unknown:
        raise ValidationFailed("Unknown fields.", [Problem(column=f, reason="not a user field") for f in unknown])
    if fields.get("is_active") is False and user.pk == getattr(actor, "pk", None):
        raise Conflict("You cannot deactivate your own account.")
    demoted = fields.get("role", user.role) != Role.ADMIN or not fields.get("is_active", user.is_active)
    if user.role == Role.ADMIN and user.is_active and demoted and not _other_active_admins(user):
        raise Conflict("This is the last active administrator; appoint another one first.")
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
            audit.record(actor, audit.Change(audit.Action.UPDATE, "core.user", str(user.pk), user.username, changes))
    return user


def _password_problems(password: str, user: User) -> list[Problem]:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        return [Problem(column="password", reason=m) for m in exc.messages]
    return []


def _other_active_admins(user: User) -> bool:
    return User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()


def user_deactivate(*, actor, user: User) -> User:
    """Deactivation, not deletion: the audit trail keeps naming the account. An inactive user can
    neither log in nor use an API token (both check is_active on every request)."""
    require(actor, "users.manage")
    if not user.is_active:
        return user
    return user_update(actor=actor, user=user, is_active=False)


def user_reactivate(*, actor, user: User) -> User:
    require(actor, "users.manage")
    if user.is_active:
        return user
    return user_update(actor=actor, user=user, is_active=True)


def user_set_password(*, actor, user: User, password: str) -> User:
    """An administrator sets a new password (the user lost theirs). The trail says that it
    changed, never what it is."""
    require(actor, "users.manage")
    problems = _password_problems(password, user)
    if problems:
        raise ValidationFailed("The password does not meet the policy.", problems)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(
            actor,
            audit.Change(
                audit.Action.UPDATE,
                "core.user",
                str(user.pk),
                user.username,
                {"password_set": [None, "by administrator"]},
            ),
        )
    return user


def user_mfa_reset(*, actor, user: User) -> int:
    """Remove every second factor of a user who lost their device; they enrol again at next log-in."""
    from allauth.mfa.models import Authenticator

    require(actor, "users.manage")
    with transaction.atomic():
        authenticators = list(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        if not authenticators:
            return 0
        Authenticator.objects.filter(user=user).delete()
        audit.record(
            actor,
            audit.Change(
                audit.Action.UPDATE,
                "core.user",
                str(user.pk),
                user.username,
                {"authenticators": [sorted(authenticators), []]},
            ),
        )
    return len(authenticators)


# --- reads ------------------------------------------------------------------------------------


def user_list(actor, *, q: str = "", role: str = "", active: bool | None = None):
    require(actor, "users.manage")
    qs = User.objects.prefetch_related("business_units").order_by("username")
    if q:
        from django.db.models import Q

        qs = qs.filter(
            Q(username__icontains=q) | Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def user_get(actor, *, username: str) -> User:
    from ramparts.core.errors import NotFound

    require(actor, "users.manage")
    user = User.objects.prefetch_related("business_units").filter(username=username).first()
    if user is None:
        raise NotFound("No such user.")
    return user


def business_units_by_code(codes: list[str]) -> list[BusinessUnit]:
    units = list(BusinessUnit.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {u.code for u in units})
    if missing:
        raise ValidationFailed(
            "Unknown business units.", [Problem(column="business_units", reason=f"no unit {c!r}") for c in missing]
        )
    return units
