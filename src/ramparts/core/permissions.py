"""The single choke point for 'may this user do this, and in which business units'."""

from django.db.models import Q, QuerySet

from ramparts.core.errors import NotFound, PermissionDenied
from ramparts.core.roles import Role, role_allows


def user_can(user, action: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return role_allows(user.role, action)


def require(user, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(f"Your role may not do this ({action}).")


def sees_all_units(user) -> bool:
    return user.role == Role.ADMIN or user.all_units


def unit_ids(user) -> set[int] | None:
    """The business units the user works in; None means every unit."""
    if sees_all_units(user):
        return None
    cached = getattr(user, "_ramparts_unit_ids", None)
    if cached is None:
        cached = set(user.business_units.values_list("id", flat=True))
        user._ramparts_unit_ids = cached
    return cached


def scope_to_units(user, queryset: QuerySet, field: str = "business_unit") -> QuerySet:
    units = unit_ids(user)
    if units is None:
        return queryset
    return queryset.filter(Q(**{f"{field}__in": units}))


def require_unit(user, business_unit_id: int | None, action: str) -> None:
    """Writes into a unit the user cannot see answer NotFound, so ids never leak across units."""
    require(user, action)
    units = unit_ids(user)
    if units is not None and business_unit_id not in units:
        raise NotFound("No such business unit.")
