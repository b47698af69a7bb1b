"""Reads of policies, acknowledgements, reports and exceptions. The acting user comes first.

Who sees a policy: people of its owner unit, and, once it is published, people of the units it
is addressed to (a policy addressed to no unit is addressed to the whole organisation). Changing
a policy needs its owner unit (`policy_for_change`). Everyone acts on what is addressed to them
through `addressed_to`, whatever their role's other rights. Anything else answers NotFound.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units, unit_ids
from ramparts.inventory.models import Person
from ramparts.policies.engine.audience import Audience, PersonRow, Rate, rates
from ramparts.policies.filters import ExceptionFilters, PolicyFilters
from ramparts.policies.models import Acknowledgement, Policy, PolicyException, PolicyVersion
from ramparts.policies.refs import parse_ref, parse_version

REVIEW_SOON_DAYS = 30
_Units = Policy.audience_units.through


def _live() -> Q:
    return Q(current_version__isnull=False, retired_at__isnull=True)


def _addressed_to_units(units: set[int]) -> Q:
    """Published and addressed to the whole organisation or to one of `units`."""
    any_unit = Exists(_Units.objects.filter(policy_id=OuterRef("pk")))
    one_of = Exists(_Units.objects.filter(policy_id=OuterRef("pk"), businessunit_id__in=units))
    return _live() & (~any_unit | one_of)


def policies_visible_to(user) -> QuerySet[Policy]:
    require(user, "policies.view")
    units = unit_ids(user)
    qs = Policy.objects.all()
    if units is None:
        return qs
    return qs.filter(Q(business_unit_id__in=units) | _addressed_to_units(units))


def _search(qs: QuerySet[Policy], q: str) -> QuerySet[Policy]:
    text = q.strip()
    if text.upper().startswith("POL-") and text[4:].isdigit():
        return qs.filter(number=int(text[4:]))
    return qs.filter(Q(title__icontains=text) | Q(summary__icontains=text))


def _in_approval() -> Exists:
    return Exists(PolicyVersion.objects.filter(policy_id=OuterRef("pk"), status=PolicyVersion.Status.IN_APPROVAL))


def policy_list(user, *, filters: PolicyFilters | None = None, today: dt.date | None = None) -> QuerySet[Policy]:
    f = filters or PolicyFilters()
    today = today or timezone.localdate()
    qs = policies_visible_to(user).select_related("business_unit", "owner", "current_version")
    qs = qs.annotate(in_approval=_in_approval())
    if f.q:
        qs = _search(qs, f.q)
    if f.business_unit:
        qs = qs.filter(business_unit__code=f.business_unit)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.owner:
        qs = qs.filter(owner__username=f.owner)
    if f.state == "draft":
        qs = qs.filter(current_version__isnull=True, retired_at__isnull=True)
    elif f.state == "published":
        qs = qs.filter(_live())
    elif f.state == "retired":
        qs = qs.filter(retired_at__isnull=False)
    elif f.state == "in_approval":
        qs = qs.filter(in_approval=True)  # type: ignore[misc]  # an annotation above
    if f.review == "overdue":
        qs = qs.filter(_live(), next_review_on__lt=today)
    elif f.review == "due_soon":
        qs = qs.filter(_live(), next_review_on__gte=today, next_review_on__lte=today + dt.timedelta(REVIEW_SOON_DAYS))
    return qs.order_by(*f.ordering())


def policy_get(user, *, ref: str) -> Policy:
    number = parse_ref(ref, Policy.REF_PREFIX)
    policy = (
        policies_visible_to(user)
        .select_related("business_unit", "owner", "current_version")
        .filter(number=number)
        .first()
    )
    if policy is None:
        raise NotFound(f"No policy {ref}.")
    return policy


def policy_for_change(user, *, ref: str) -> Policy:
    """A policy the user may write to: visible, and owned by one of their units."""
    policy = policy_get(user, ref=ref)
    units = unit_ids(user)
    if units is not None and policy.business_unit_id not in units:
        raise NotFound(f"No policy {ref}.")
    return policy


def versions_of(policy: Policy) -> list[PolicyVersion]:
    return list(policy.versions.select_related("author", "approver", "published_by", "submitted_by"))


def version_get(policy: Policy, *, label: str) -> PolicyVersion:
    major, minor = parse_version(label)
    version = (
        policy.versions.select_related("author", "approver", "published_by", "submitted_by")
        .filter(major=major, minor=minor)
        .first()
    )
    if version is None:
        raise NotFound(f"{policy.ref} has no version {label}.")
    return version


def open_version(policy: Policy) -> PolicyVersion | None:
    """The version being worked on (draft, in approval or approved), if any."""
    open_states = [PolicyVersion.Status.DRAFT, PolicyVersion.Status.IN_APPROVAL, PolicyVersion.Status.APPROVED]
    return policy.versions.filter(status__in=open_states).first()


def approvals_pending(user) -> QuerySet[PolicyVersion]:
    require(user, "policies.approve")
    visible = policies_visible_to(user)
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.IN_APPROVAL, policy__in=visible)
        .select_related("policy", "policy__owner", "author", "submitted_by")
        .order_by("submitted_at", "id")
    )


# --- what is addressed to a person ---------------------------------------------------------------


def member_units(user) -> set[int]:
    """The units a person belongs to (not the ones they may see): their account's units and the
    unit of their inventory record."""
    cached = getattr(user, "_ramparts_member_units", None)
    if cached is None:
        cached = set(user.business_units.values_list("id", flat=True))
        cached |= set(Person.objects.filter(user=user).values_list("business_unit_id", flat=True))
        user._ramparts_member_units = cached
    return cached


def addressed_to(user) -> QuerySet[Policy]:
    require(user, "policies.acknowledge")
    roles = Q(audience_roles="") | Q(audience_roles__contains=f",{user.role},")
    return Policy.objects.filter(_addressed_to_units(member_units(user)), roles)


def _acknowledged(user) -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.filter(
        policy_id=OuterRef("pk"), user_id=user.pk, major=OuterRef("current_version__major")
    )


def my_policies(user) -> QuerySet[Policy]:
    """Addressed to the user, with `acknowledged_at` (of the current major version) or None."""
    return (
        addressed_to(user)
        .select_related("current_version", "owner")
        .annotate(acknowledged_at=Subquery(_acknowledged(user).values("acknowledged_at")[:1]))
        .order_by("title", "number")
    )


def my_pending(user) -> QuerySet[Policy]:
    return my_policies(user).filter(acknowledged_at__isnull=True)  # type: ignore[misc]  # annotated


def my_policy_get(user, *, ref: str) -> Policy:
    number = parse_ref(ref, Policy.REF_PREFIX)
    policy = my_policies(user).filter(number=number).first()
    if policy is None:
        raise NotFound(f"No policy {ref} is addressed to you.")
    return policy


def my_acknowledgements(user, policy: Policy) -> list[Acknowledgement]:
    return list(Acknowledgement.objects.filter(user=user, policy=policy).select_related("version"))


# --- acknowledgement reports ---------------------------------------------------------------------


def audience_of(policy: Policy) -> Audience:
    return Audience(frozenset(u.pk for u in policy.audience_units.all()), frozenset(policy.role_list))


def _audience_q(audience: Audience) -> Q:
    q = Q(status=Person.Status.ACTIVE)
    if audience.units:
        q &= Q(business_unit_id__in=audience.units)
    if audience.roles:
        role_q = Q(user__role__in=audience.roles)
        if "employee" in audience.roles:
            role_q |= Q(user__isnull=True)
        q &= role_q
    return q


def report_policy_get(user, *, ref: str) -> Policy:
    require(user, "policies.report")
    policy = policy_get(user, ref=ref)
    if policy.state != "published":
        raise NotFound(f"{policy.ref} is not published: nobody is asked to acknowledge it.")
    return policy


def audience_people(user, policy: Policy) -> QuerySet[Person]:
    """The active people (in the reader's units) the policy addresses, with `acknowledged_at`."""
    require(user, "policies.report")
    acked = Acknowledgement.objects.filter(
        policy=policy, user_id=OuterRef("user_id"), major=policy.current_version.major if policy.current_version else 0
    )
    return (
        scope_to_units(user, Person.objects.filter(_audience_q(audience_of(policy))))
        .select_related("business_unit", "user")
        .annotate(acknowledged_at=Subquery(acked.values("acknowledged_at")[:1]))
    )


@dataclass(frozen=True)
class DepartmentRate:
    department: str
    rate: Rate


def department_rates(user, policy: Policy) -> list[DepartmentRate]:
    rows = (
        audience_people(user, policy)
        .order_by()
        .values("department")
        .annotate(total=Count("id"), acked=Count("id", filter=Q(acknowledged_at__isnull=False)))
        .order_by("department")
    )
    return [DepartmentRate(r["department"] or "", Rate(r["total"], r["acked"])) for r in rows]


def missing_people(user, policy: Policy) -> QuerySet[Person]:
    people = audience_people(user, policy)
    return people.filter(acknowledged_at__isnull=True).order_by("department", "full_name")  # type: ignore[misc]


def overview_policies(user) -> QuerySet[Policy]:
    require(user, "policies.report")
    return (
        policies_visible_to(user)
        .filter(_live())
        .select_related("current_version", "owner")
        .prefetch_related("audience_units")
        .order_by("number")
    )


def rates_for(user, policies: list[Policy]) -> dict[int, Rate]:
    """Acknowledgement rates of a page of policies in two queries, whatever the page's length."""
    require(user, "policies.report")
    if not policies:
        return {}
    people = [
        PersonRow(p["id"], p["business_unit_id"], p["department"], p["user_id"], p["user__role"])
        for p in scope_to_units(user, Person.objects.filter(status=Person.Status.ACTIVE)).values(
            "id", "business_unit_id", "department", "user_id", "user__role"
        )
    ]
    majors = Q()
    for policy in policies:
        majors |= Q(policy_id=policy.pk, major=policy.current_version.major if policy.current_version else 0)
    acknowledged = set(Acknowledgement.objects.filter(majors).values_list("policy_id", "user_id"))
    return rates({p.pk: audience_of(p) for p in policies}, people, acknowledged)


# --- reviews -------------------------------------------------------------------------------------


def reviews_due(user, *, within_days: int = REVIEW_SOON_DAYS, today: dt.date | None = None) -> QuerySet[Policy]:
    today = today or timezone.localdate()
    return (
        policies_visible_to(user)
        .filter(_live(), next_review_on__lte=today + dt.timedelta(within_days))
        .select_related("owner")
        .order_by("next_review_on", "number")
    )


# --- exceptions ----------------------------------------------------------------------------------


def exceptions_visible_to(user) -> QuerySet[PolicyException]:
    require(user, "policies.view")
    return scope_to_units(user, PolicyException.objects.all())


def _status(qs: QuerySet[PolicyException], status: str, today: dt.date) -> QuerySet[PolicyException]:
    approved = PolicyException.Status.APPROVED
    if status == "expired":
        return qs.filter(Q(status=PolicyException.Status.EXPIRED) | Q(status=approved, expires_on__lt=today))
    if status == "approved":
        return qs.filter(status=approved, expires_on__gte=today)
    return qs.filter(status=status)


def exception_list(
    user, *, filters: ExceptionFilters | None = None, today: dt.date | None = None
) -> QuerySet[PolicyException]:
    f = filters or ExceptionFilters()
    today = today or timezone.localdate()
    qs = exceptions_visible_to(user).select_related("policy", "business_unit", "requested_by")
    if f.q:
        text = f.q.strip()
        if text.upper().startswith("EXC-") and text[4:].isdigit():
            qs = qs.filter(number=int(text[4:]))
        else:
            qs = qs.filter(Q(title__icontains=text) | Q(justification__icontains=text))
    if f.business_unit:
        qs = qs.filter(business_unit__code=f.business_unit)
    if f.status:
        qs = _status(qs, f.status, today)
    if f.policy:
        try:
            qs = qs.filter(policy__number=parse_ref(f.policy, Policy.REF_PREFIX))
        except NotFound:
            qs = qs.none()
    if f.system:
        try:
            qs = qs.filter(systems__number=parse_ref(f.system, "SYS"))
        except NotFound:
            qs = qs.none()
    return qs.order_by(*f.ordering())


def exception_get(user, *, ref: str) -> PolicyException:
    number = parse_ref(ref, PolicyException.REF_PREFIX)
    found = (
        exceptions_visible_to(user)
        .select_related("policy", "business_unit", "requested_by", "decided_by", "risk")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise NotFound(f"No exception {ref}.")
    return found


def exceptions_to_expire(today: dt.date | None = None) -> QuerySet[PolicyException]:
    """Approved exceptions past their date that nobody has marked expired yet (no user: a job)."""
    today = today or timezone.localdate()
    return PolicyException.objects.filter(status=PolicyException.Status.APPROVED, expires_on__lt=today)
