"""Gaps of a target profile or an assessment become treatment actions of a risk."""

import pytest

from ramparts.compliance import services
from ramparts.core.errors import NotFound, PermissionDenied, ValidationFailed
from ramparts.core.roles import Role
from ramparts.risk import services as risk_services
from ramparts.risk.models import RiskCategory, TreatmentAction


@pytest.fixture
def risk(manager, unit_a):
    category, _ = RiskCategory.objects.get_or_create(name="Cyber")
    return risk_services.risk_create(
        actor=manager, business_unit=unit_a, category=category, title="Account takeover",
        inherent_likelihood=3, inherent_impact=3,
    )  # fmt: skip


@pytest.fixture
def target(manager, unit_a, catalogs):
    current = services.profile_create(
        actor=manager, business_unit=unit_a, name="Now", kind="current", framework="csf-mini"
    )
    services.profile_outcomes_set(actor=manager, ref=current.ref, outcomes={"PR.AA-01": 1})
    target = services.profile_create(
        actor=manager, business_unit=unit_a, name="Then", kind="target", framework="csf-mini", current=current.ref
    )
    services.profile_outcomes_set(actor=manager, ref=target.ref, outcomes={"PR.AA-01": 3, "GV.RM-01": 2})
    return target


def test_profile_gaps_become_actions_of_the_mitigate_plan(manager, unit_a, risk, target):
    control = services.control_create(
        actor=manager, business_unit=unit_a, name="IAM", requirements=["csf-mini:PR.AA-01"]
    )
    actions = services.profile_gaps_to_actions(
        actor=manager, ref=target.ref, risk=risk.ref, identifiers=["PR.AA-01", "GV.RM-01"]
    )
    assert len(actions) == 2
    by_title = {a.title.split(" ")[1]: a for a in actions}
    assert by_title["PR.AA-01"].title.startswith("Raise PR.AA-01 from tier 1 to 3")
    assert by_title["PR.AA-01"].control == control
    assert by_title["GV.RM-01"].control is None
    assert {a.plan_id for a in actions} == {risk.plans.get(option="mitigate").pk}
    # A second batch reuses the plan.
    services.profile_gaps_to_actions(actor=manager, ref=target.ref, risk=risk.ref, identifiers=["GV.RM-01"])
    assert risk.plans.count() == 1 and TreatmentAction.objects.count() == 3


def test_assessment_gaps_and_refusals(client, make_user, manager, unit_a, unit_b, risk, catalogs):
    services.control_create(
        actor=manager, business_unit=unit_a, name="C", status="implemented", requirements=["csf-mini:GV.OC-01"]
    )
    assessment = services.assessment_create(actor=manager, business_unit=unit_a, name="A", framework="csf-mini")
    with pytest.raises(ValidationFailed):  # implemented: not a gap
        services.assessment_gaps_to_actions(actor=manager, ref=assessment.ref, risk=risk.ref, identifiers=["GV.OC-01"])
    with pytest.raises(NotFound):
        services.assessment_gaps_to_actions(
            actor=manager, ref=assessment.ref, risk="RISK-999", identifiers=["GV.RM-01"]
        )
    with pytest.raises(PermissionDenied):
        services.assessment_gaps_to_actions(
            actor=make_user(Role.AUDITOR), ref=assessment.ref, risk=risk.ref, identifiers=["GV.RM-01"]
        )
    with pytest.raises(NotFound):  # the risk is in another unit for this manager
        services.assessment_gaps_to_actions(
            actor=make_user(Role.SECURITY_MANAGER, units=[unit_b]),
            ref=assessment.ref,
            risk=risk.ref,
            identifiers=["GV.RM-01"],
        )
    assert not TreatmentAction.objects.exists()
    client.force_login(manager)
    page = client.get(f"/compliance/assessments/{assessment.ref}/?status=gap")
    assert 'id="gaps-form"' in page.content.decode()
    response = client.post(
        f"/compliance/assessments/{assessment.ref}/gaps/actions/",
        {"risk": risk.ref, "identifiers": ["GV.RM-01", "PR.AA-01"]},
    )
    assert response.status_code == 302
    assert TreatmentAction.objects.count() == 2
    api = client.post(
        f"/api/v1/compliance/assessments/{assessment.ref}/gaps/actions",
        {"risk": risk.ref, "identifiers": ["GV.RM-01"], "due": "2027-03-31"},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["created"] == 1
    assert TreatmentAction.objects.filter(due="2027-03-31").count() == 1
