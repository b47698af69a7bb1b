"""Writes of NIST CSF 2.0 organisational profiles (current and target, tiers 1–4, outcome tiers)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ramparts.compliance.models import CsfProfile, ProfileOutcome
from ramparts.compliance.refs import next_number
from ramparts.compliance.selectors import framework_get, profile_get
from ramparts.compliance.services._common import choice, record, unit_for
from ramparts.core import audit
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require
from ramparts.frameworks.models import Requirement
from ramparts.frameworks.services import BUILTIN_CSF_SLUG

CSF_SLUG = BUILTIN_CSF_SLUG
OUTCOME_TIERS = range(0, 5)


def profile_create(
    *,
    actor,
    business_unit,
    name: str,
    kind: str,
    tier: int = 1,
    framework: str = CSF_SLUG,
    current: str | None = None,
    description: str = "",
) -> CsfProfile:
    require(actor, "compliance.assess")
    unit = unit_for(actor, business_unit, "compliance.assess")
    name = (name or "").strip()
    problems = []
    if not name or len(name) > 200:
        problems.append(Problem("a name of 1 to 200 characters is required", column="name"))
    try:
        kind = choice(kind, CsfProfile.Kind.choices, "kind")
        tier = choice(tier, CsfProfile.Tier.choices, "tier")
    except ValidationFailed as exc:
        problems += exc.problems
    if problems:
        raise ValidationFailed("Invalid profile.", problems)
    framework_obj = framework_get(actor, slug=framework)
    current_obj = profile_get(actor, ref=current) if current else None
    if current_obj is not None and (kind != CsfProfile.Kind.TARGET or current_obj.kind != CsfProfile.Kind.CURRENT):
        raise ValidationFailed(
            "Only a target profile is compared with a current one.",
            [Problem("must be a current profile", column="current")],
        )
    with transaction.atomic():
        profile = CsfProfile.objects.create(
            number=next_number(CsfProfile),
            business_unit=unit,
            name=name,
            kind=kind,
            tier=tier,
            framework=framework_obj,
            current=current_obj,
            description=description or "",
        )
        record(actor, audit.Action.CREATE, profile, audit.created(audit.snapshot(profile)))
    return profile


def profile_update(*, actor, ref: str, **fields: Any) -> CsfProfile:
    profile = profile_get(actor, ref=ref)
    require(actor, "compliance.assess")
    unknown = sorted(set(fields) - {"name", "description", "tier", "current"})
    if unknown:
        raise ValidationFailed(
            "Unknown profile fields.", [Problem("not a field you can set", column=n) for n in unknown]
        )
    before = audit.snapshot(profile)
    if "name" in fields:
        if not str(fields["name"] or "").strip():
            raise ValidationFailed("Invalid profile.", [Problem("a name is required", column="name")])
        profile.name = str(fields["name"]).strip()[:200]
    if "description" in fields:
        profile.description = str(fields["description"] or "")
    if "tier" in fields:
        profile.tier = choice(fields["tier"], CsfProfile.Tier.choices, "tier")
    if "current" in fields:
        profile.current = profile_get(actor, ref=fields["current"]) if fields["current"] else None
        if profile.current is not None and (profile.kind != "target" or profile.current.kind != "current"):
            raise ValidationFailed(
                "Only a target profile is compared with a current one.", [Problem("invalid", column="current")]
            )
    with transaction.atomic():
        profile.save()
        changes = audit.diff(before, audit.snapshot(profile))
        if changes:
            record(actor, audit.Action.UPDATE, profile, changes)
    return profile


def profile_outcomes_set(
    *, actor, ref: str, outcomes: Mapping[str, Any], priorities: Mapping[str, str] | None = None
) -> int:
    """Set the tier (0–4; 0 removes the outcome) of subcategories by identifier. Returns how many changed."""
    profile = profile_get(actor, ref=ref)
    require(actor, "compliance.assess")
    priorities = priorities or {}
    known = dict(
        Requirement.objects.filter(
            framework=profile.framework, assessable=True, identifier__in=list(outcomes)
        ).values_list("identifier", "id")
    )
    problems = []
    wanted: dict[int, tuple[int, str]] = {}
    for identifier, raw in outcomes.items():
        if identifier not in known:
            problems.append(Problem(f"no subcategory {identifier!r} in {profile.framework}", column="outcomes"))
            continue
        try:
            tier = int(raw or 0)
        except (TypeError, ValueError):
            tier = -1
        if tier not in OUTCOME_TIERS:
            problems.append(Problem(f"{identifier}: tier must be 0 to 4", column="outcomes"))
            continue
        priority = (priorities.get(identifier) or "").strip()
        if priority and priority not in ProfileOutcome.Priority.values:
            problems.append(Problem(f"{identifier}: priority must be high, medium or low", column="priorities"))
            continue
        wanted[known[identifier]] = (tier, priority)
    if problems:
        raise ValidationFailed("Invalid outcomes.", problems)
    existing = {o.requirement_id: o for o in profile.outcomes.filter(requirement_id__in=list(wanted))}
    changes: dict[str, list] = {}
    with transaction.atomic():
        create, update, delete = [], [], []
        ids = {v: k for k, v in known.items()}
        for rid, (tier, priority) in wanted.items():
            current = existing.get(rid)
            if tier == 0:
                if current is not None:
                    delete.append(current.pk)
                    changes[ids[rid]] = [current.tier, 0]
            elif current is None:
                create.append(ProfileOutcome(profile=profile, requirement_id=rid, tier=tier, priority=priority))
                changes[ids[rid]] = [0, tier]
            elif (current.tier, current.priority) != (tier, priority):
                changes[ids[rid]] = [current.tier, tier]
                current.tier, current.priority = tier, priority
                update.append(current)
        ProfileOutcome.objects.bulk_create(create)
        ProfileOutcome.objects.bulk_update(update, ["tier", "priority"])
        ProfileOutcome.objects.filter(pk__in=delete).delete()
        if changes:
            record(actor, audit.Action.UPDATE, profile, {"outcomes": [None, changes]})
    return len(changes)
