"""Gaps turned into risk treatment actions: each chosen gap (a profile outcome below its target, or
an assessment requirement not fully implemented) becomes an action of the risk's "mitigate" plan
(created when the risk has none), linked to a control that answers the requirement when there is one."""

from collections.abc import Iterable

from django.db import transaction

from ramparts.compliance.derivation import assessment_view, profile_analysis
from ramparts.compliance.models import Control, ControlRequirement
from ramparts.compliance.selectors import assessment_get, profile_get, visible_to
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require


def _plan_for(actor, risk: str) -> int:
    from ramparts.risk import services as risk_services
    from ramparts.risk.models import TreatmentPlan
    from ramparts.risk.selectors import risk_get

    found = risk_get(actor, ref=risk)
    plan = TreatmentPlan.objects.filter(risk=found, option=TreatmentPlan.Option.MITIGATE).order_by("id").first()
    if plan is None:
        plan = risk_services.plan_create(
            actor=actor, ref=found.ref, option="mitigate", description="Close compliance gaps"
        )
    return plan.pk


def _create(actor, *, risk: str, framework, gaps: list[tuple[str, str]], due=None) -> list:
    """gaps: (identifier, action title)."""
    from ramparts.risk import services as risk_services

    require(actor, "compliance.assess")
    if not gaps:
        raise ValidationFailed("No gap chosen.", [Problem("choose at least one gap", column="identifiers")])
    controls = visible_to(actor, Control)
    first_control: dict[str, str] = {}
    for identifier, number in (
        ControlRequirement.objects.filter(
            requirement__framework=framework,
            requirement__identifier__in=[i for i, _ in gaps],
            control__in=controls,
        )
        .order_by("control__number")
        .values_list("requirement__identifier", "control__number")
    ):
        first_control.setdefault(identifier, f"CTL-{number}")
    with transaction.atomic():
        plan = _plan_for(actor, risk)
        extra = {"due": due} if due else {}
        return [
            risk_services.action_create(
                actor=actor, plan=plan, title=title[:300], control=first_control.get(identifier), **extra
            )
            for identifier, title in gaps
        ]


def _chosen(identifiers: Iterable[str], available: dict[str, str]) -> list[tuple[str, str]]:
    wanted = [i.strip() for i in identifiers if i and i.strip()]
    unknown = [i for i in wanted if i not in available]
    if unknown:
        raise ValidationFailed(
            "These are not open gaps.", [Problem(f"{i} is not a gap here", column="identifiers") for i in unknown]
        )
    return [(i, available[i]) for i in dict.fromkeys(wanted)]


def _label(status: str | None) -> str:
    return (status or "not assessed").replace("_", " ")


def profile_gaps_to_actions(*, actor, ref: str, risk: str, identifiers: Iterable[str], due=None) -> list:
    profile = profile_get(actor, ref=ref)
    require(actor, "compliance.assess")
    available = {
        g.identifier: f"Raise {g.identifier} from tier {g.current} to {g.target} ({profile.ref}): {g.title}"
        for g in profile_analysis(profile).gaps
    }
    return _create(actor, risk=risk, framework=profile.framework, gaps=_chosen(identifiers, available), due=due)


def assessment_gaps_to_actions(*, actor, ref: str, risk: str, identifiers: Iterable[str], due=None) -> list:
    assessment = assessment_get(actor, ref=ref)
    require(actor, "compliance.assess")
    available = {
        r.identifier: f"Implement {r.identifier} ({assessment.ref}, now {_label(r.effective)}): {r.title}"
        for r in assessment_view(assessment).rows
        if r.effective in (None, "not_implemented", "partial")
    }
    return _create(actor, risk=risk, framework=assessment.framework, gaps=_chosen(identifiers, available), due=due)
