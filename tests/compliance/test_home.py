from ramparts.compliance import services
from ramparts.compliance.dashboard import compliance_summary
from ramparts.compliance.personal import controls_and_signoffs
from ramparts.core.roles import Role
from ramparts.inventory import services as inventory


def test_dashboard_widget(client, manager, unit_a, catalogs):
    services.control_create(
        actor=manager, business_unit=unit_a, name="C", status="implemented", requirements=["csf-mini:GV.OC-01"]
    )
    summary = compliance_summary(manager)
    assert summary["n_controls"] == 1 and summary["n_orphans"] == 1
    assert {c.framework.slug: c.tally.implemented for c in summary["coverages"]} == {
        "csf-mini": 1,
        "iso-mini": 1,
    }  # A.5.1 ⊂ GV.OC-01
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'id="widget-compliance"' in page and "CSF mini" in page


def test_personal_items(make_user, manager, unit_a, catalogs):
    analyst = make_user(Role.ANALYST)
    inventory.person_create(
        actor=manager, business_unit=unit_a, employee_id="E9", full_name="An Alyst", user=analyst.username
    )
    services.control_create(actor=manager, business_unit=unit_a, name="Mine", owner="PER-1")
    services.assessment_create(
        actor=manager, business_unit=unit_a, name="Review me", framework="csf-mini", reviewer=manager.username
    )
    assert [i.kind for i in controls_and_signoffs(analyst)] == ["Control"]
    assert [i.kind for i in controls_and_signoffs(manager)] == ["Sign-off"]
    assert controls_and_signoffs(make_user(Role.EMPLOYEE)) == []
