"""Reads that feed the pure engine: controls, mappings and crosswalks in, statuses and coverage out.

Each function runs a fixed number of queries whatever the number of requirements or controls, and
leaves the arithmetic to `engine/`.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ramparts.compliance.engine.coverage import Coverage, Item, Tally, coverage
from ramparts.compliance.engine.status import Derivation, Relation, control_level, derive
from ramparts.compliance.models import Assessment, AssessmentResult, Control, ControlRequirement, Evidence
from ramparts.compliance.selectors import visible_to
from ramparts.frameworks.models import Framework, Requirement, RequirementRelation


def today() -> dt.date:
    return timezone.localdate()


def derivation_for(controls: QuerySet[Control]) -> tuple[Derivation, list[tuple[int, int]]]:
    """Statuses of every requirement the given controls reach (3 queries)."""
    levels = {
        cid: control_level(status, eff) for cid, status, eff in controls.values_list("id", "status", "effectiveness")
    }
    mappings = list(
        ControlRequirement.objects.filter(control_id__in=list(levels)).values_list("control_id", "requirement_id")
    )
    relations = [
        Relation(s, t, r)
        for s, t, r in RequirementRelation.objects.values_list("source_id", "target_id", "relationship")
    ]
    return derive(levels, mappings, relations), mappings


@dataclass
class FrameworkCoverage:
    framework: Framework
    tally: Tally


def framework_coverage(user) -> list[FrameworkCoverage]:
    """Every framework with the coverage the user's controls give it (directly or by crosswalk)."""
    derivation, _ = derivation_for(visible_to(user, Control))
    tallies: dict[int, Tally] = {}
    assessable = Requirement.objects.filter(assessable=True, withdrawn=False).values_list("id", "framework_id")
    for requirement_id, framework_id in assessable:
        tally = tallies.get(framework_id)
        if tally is None:
            tally = tallies[framework_id] = Tally(str(framework_id))
        tally.add(derivation.status(requirement_id))
    return [
        FrameworkCoverage(f, tallies.get(f.id, Tally(str(f.id)))) for f in Framework.objects.order_by("name", "version")
    ]


# --- an assessment's page -----------------------------------------------------------------------


@dataclass
class Row:
    result_id: int
    requirement_id: int
    identifier: str
    title: str
    groups: list[tuple[str, str]]
    derived: str | None
    via: str = ""  # "nist-800-53:AC-2 (superset of)" when carried across a crosswalk
    override: str = ""
    reason: str = ""
    final: str = ""
    evidence: int = 0
    amber: bool = False  # expired evidence on the requirement or on one of its controls
    controls: list[tuple[str, str]] = field(default_factory=list)  # (ref, name)

    @property
    def effective(self) -> str | None:
        return self.final or self.override or self.derived

    @property
    def overridden(self) -> bool:
        return bool(self.override)


@dataclass
class AssessmentView:
    rows: list[Row]
    coverage: Coverage


def scoped_controls(assessment: Assessment) -> QuerySet[Control]:
    """The controls that apply to an assessment's scope: organisation-wide ones (no unit in
    scope), those covering a unit in scope (or the unit of a service in scope), and those covering
    a system a service in scope depends on. No scope at all means every control."""
    from ramparts.inventory.models import Dependency

    services = list(assessment.scope_services.all())
    units = {u.id for u in assessment.scope_units.all()} | {s.business_unit_id for s in services}
    if not units:
        return Control.objects.all()
    systems = Dependency.objects.filter(service__in=services, system__isnull=False).values("system_id")
    wanted = Q(units_in_scope__isnull=True) | Q(units_in_scope__in=units) | Q(systems__in=systems)
    return Control.objects.filter(id__in=Control.objects.filter(wanted).values("id"))


def requirement_groups(framework: Framework) -> dict[int, tuple[str, str, list[tuple[str, str]]]]:
    """requirement id -> (identifier, title, [(key, label) of its ancestors at depth 0 and 1])."""
    nodes = {
        rid: (parent, identifier, title, depth)
        for rid, parent, identifier, title, depth in Requirement.objects.filter(framework=framework)
        .order_by("order")
        .values_list("id", "parent_id", "identifier", "title", "depth")
    }
    result = {}
    for rid, (parent, identifier, title, _depth) in nodes.items():
        chain = []
        while parent is not None and parent in nodes:
            p_parent, p_identifier, p_title, p_depth = nodes[parent]
            if p_depth <= 1:
                chain.append((p_identifier, f"{p_identifier} {p_title}".strip()))
            parent = p_parent
        result[rid] = (identifier, title, list(reversed(chain)))
    return result


def assessment_view(assessment: Assessment) -> AssessmentView:
    controls = scoped_controls(assessment)
    derivation, mappings = derivation_for(controls)
    groups = requirement_groups(assessment.framework)
    results = list(
        AssessmentResult.objects.filter(assessment=assessment)
        .annotate(n_evidence=Count("evidence"))
        .values_list("id", "requirement_id", "override", "reason", "final", "n_evidence")
    )
    wanted = {r[1] for r in results}
    controls_of: dict[int, list[int]] = defaultdict(list)
    for control_id, requirement_id in mappings:
        if requirement_id in wanted:
            controls_of[requirement_id].append(control_id)
    shown_controls = {cid for ids in controls_of.values() for cid in ids}
    names = {
        cid: (f"{Control.REF_PREFIX}-{number}", name)
        for cid, number, name in Control.objects.filter(id__in=shown_controls).values_list("id", "number", "name")
    }
    expired = Q(expires_on__lt=today())
    expired_results = set(
        Evidence.objects.filter(expired, result__assessment=assessment).values_list("result_id", flat=True)
    )
    expired_controls = set(
        Evidence.objects.filter(expired, control_id__in=shown_controls).values_list("control_id", flat=True)
    )
    via_ids = {d.via for rid, d in derivation.statuses.items() if rid in wanted and d.via is not None}
    via_names = {
        rid: f"{slug}:{identifier}"
        for rid, slug, identifier in Requirement.objects.filter(id__in=via_ids).values_list(
            "id", "framework__slug", "identifier"
        )
    }
    rows = []
    for result_id, requirement_id, override, reason, final, n_evidence in results:
        identifier, title, group = groups.get(requirement_id, ("?", "", []))
        derived = derivation.statuses.get(requirement_id)
        via = ""
        if derived is not None and derived.via is not None:
            via = f"{via_names.get(derived.via, '?')} ({derived.relationship.replace('_', ' ')})"
        control_ids = controls_of.get(requirement_id, [])
        rows.append(
            Row(
                result_id=result_id,
                requirement_id=requirement_id,
                identifier=identifier,
                title=title,
                groups=group,
                derived=derivation.status(requirement_id),
                via=via,
                override=override,
                reason=reason,
                final=final,
                evidence=n_evidence,
                amber=result_id in expired_results or any(c in expired_controls for c in control_ids),
                controls=sorted(names[c] for c in control_ids if c in names),
            )
        )
    order = {rid: index for index, rid in enumerate(groups)}
    rows.sort(key=lambda r: order.get(r.requirement_id, 0))
    return AssessmentView(rows, coverage(Item(r.effective, r.groups) for r in rows))


def requirements_without_controls(user, framework: Framework) -> list[tuple[str, str]]:
    """(identifier, title) of the framework's assessable requirements that no control of the user's
    answers, neither directly nor through a crosswalk."""
    derivation, _ = derivation_for(visible_to(user, Control))
    return [
        (identifier, title)
        for rid, identifier, title in Requirement.objects.filter(framework=framework, assessable=True, withdrawn=False)
        .order_by("order")
        .values_list("id", "identifier", "title")
        if rid not in derivation.statuses
    ]


# --- CSF profiles: gap analysis --------------------------------------------------------------------


@dataclass
class Gap:
    identifier: str
    title: str
    groups: list[tuple[str, str]]
    current: int
    target: int
    priority: str


@dataclass
class ProfileAnalysis:
    outcomes: list[tuple[str, str, int, str]]  # (identifier, title, tier, priority) of this profile
    coverage: Coverage | None  # a target compared with its current profile
    gaps: list[Gap]


def _outcomes(profile) -> dict[int, tuple[int, str]]:
    return {
        rid: (tier, priority)
        for rid, tier, priority in profile.outcomes.values_list("requirement_id", "tier", "priority")
    }


def profile_analysis(profile) -> ProfileAnalysis:
    """A profile's outcomes and, for a target with a current profile, coverage per function and
    category (current tier ÷ target tier per outcome) and the outcomes still short of the target."""
    from ramparts.compliance.engine.coverage import tier_score

    groups = requirement_groups(profile.framework)
    own = _outcomes(profile)
    outcomes = [(groups[rid][0], groups[rid][1], tier, prio) for rid, (tier, prio) in own.items() if rid in groups]
    order = {g[0]: index for index, g in enumerate(groups.values())}
    outcomes.sort(key=lambda o: order.get(o[0], 0))
    if profile.kind != "target" or profile.current_id is None:
        return ProfileAnalysis(outcomes, None, [])
    current = _outcomes(profile.current)
    items, gaps = [], []
    for rid, (target, priority) in own.items():
        if rid not in groups or target <= 0:
            continue
        identifier, title, group = groups[rid]
        have = current.get(rid, (0, ""))[0]
        score = tier_score(have, target)
        status = "implemented" if score >= 1 else "partial" if score > 0 else "not_implemented"
        items.append(Item(status, group, score))
        if have < target:
            gaps.append(Gap(identifier, title, group, have, target, priority))
    rank = {"high": 0, "medium": 1, "low": 2, "": 3}
    gaps.sort(key=lambda g: (rank.get(g.priority, 3), g.current - g.target, order.get(g.identifier, 0)))
    return ProfileAnalysis(outcomes, coverage(items), gaps)
