import pytest

from ramparts.core.errors import ValidationFailed
from ramparts.core.roles import Role
from ramparts.incidents import services


@pytest.fixture
def risk(unit_a):
    from ramparts.risk.models import Risk, RiskCategory, TreatmentPlan

    category = RiskCategory.objects.create(name="Cyber")
    made = Risk.objects.create(
        number=4, business_unit=unit_a, title="Ransomware halts claims", category=category,
        inherent_likelihood=4, inherent_impact=5, residual_likelihood=3, residual_impact=4,
    )  # fmt: skip
    TreatmentPlan.objects.create(risk=made, option="mitigate", description="Immutable backups")
    return made


def test_incident_links_the_risks_it_realised(declare, analyst, risk, client):
    incident = declare()
    services.incident_link_risks(actor=analyst, incident=incident, risks=["RISK-4"])
    assert list(risk.incidents.all()) == [incident]
    plan = risk.plans.get()
    action = services.action_create(actor=analyst, incident=incident, title="Test restores", treatment_plan=plan.pk)
    assert action.treatment_plan == plan
    client.force_login(analyst)
    body = client.get(f"/api/v1/incidents/incidents/{incident.ref}").json()
    assert body["risks"] == ["RISK-4"]
    assert "Ransomware halts claims" in client.get(f"/incidents/{incident.ref}/").content.decode()


def test_risks_of_other_units_and_foreign_plans_are_refused(declare, analyst, risk, make_user, unit_b):
    from ramparts.risk.models import TreatmentPlan

    incident = declare()
    outsider = make_user(Role.ANALYST, units=[unit_b])
    risk.business_unit = unit_b
    risk.save()
    with pytest.raises(ValidationFailed):
        services.incident_link_risks(actor=analyst, incident=incident, risks=["RISK-4"])
    plan = TreatmentPlan.objects.get()
    with pytest.raises(ValidationFailed) as err:
        services.action_create(actor=analyst, incident=incident, title="x", treatment_plan=plan.pk)
    assert err.value.problems[0].column == "treatment_plan"
    assert outsider  # the outsider exists only to give unit_b a member
