import pytest

from ramparts.compliance import selectors, services
from ramparts.compliance.derivation import framework_coverage
from ramparts.compliance.selectors import ControlFilters
from ramparts.core.errors import NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.inventory import services as inventory


def test_create_control_with_scope_technology_and_mappings(manager, unit_a, catalogs):
    edr = inventory.system_create(actor=manager, business_unit=unit_a, name="EDR", kind="security_tool")
    owner = inventory.person_create(actor=manager, business_unit=unit_a, employee_id="E1", full_name="Ann Owner")
    control = services.control_create(
        actor=manager,
        business_unit=unit_a,
        name="Endpoint protection",
        owner=owner.ref,
        control_type="detective",
        automation="automated",
        frequency="continuous",
        status="implemented",
        annual_cost="12,500.50",
        effectiveness=4,
        technologies=[edr.ref],
        units_in_scope=[unit_a.code],
        requirements=["csf-mini:PR.AA-01", "iso-mini:A.5.1"],
    )
    assert control.ref == "CTL-1"
    assert str(control.annual_cost) == "12500.50"
    assert list(control.technologies.all()) == [edr]
    assert control.mappings.count() == 2
    entry = AuditEntry.objects.filter(object_type="compliance.control").get()
    assert entry.changes["requirements"][1] == ["csf-mini:PR.AA-01", "iso-mini:A.5.1"]


def test_invalid_fields_are_named(manager, unit_a, catalogs):
    with pytest.raises(ValidationFailed) as err:
        services.control_create(
            actor=manager, business_unit=unit_a, name="", control_type="magic", annual_cost="-3", effectiveness=9
        )
    assert {p.column for p in err.value.problems} == {"name", "control_type", "annual_cost", "effectiveness"}
    with pytest.raises(ValidationFailed) as err:
        services.control_create(actor=manager, business_unit=unit_a, name="x", requirements=["csf-mini:NOPE", "bad"])
    assert len(err.value.problems) == 2
    with pytest.raises(ValidationFailed):
        services.control_create(actor=manager, business_unit=unit_a, name="x", requirements=["csf-mini:GV"])  # heading


def test_control_map_and_coverage_change_in_both_frameworks(manager, unit_a, catalogs):
    control = services.control_create(actor=manager, business_unit=unit_a, name="MFA", status="implemented")
    before = {c.framework.slug: c.tally.percent for c in framework_coverage(manager)}
    assert before == {"csf-mini": 0.0, "iso-mini": 0.0}
    services.control_map(actor=manager, ref=control.ref, add=["csf-mini:PR.AA-01"])
    after = {c.framework.slug: c.tally for c in framework_coverage(manager)}
    assert after["csf-mini"].implemented == 1
    assert after["iso-mini"].implemented == 1  # A.5.15 equal PR.AA-01
    services.control_map(actor=manager, ref=control.ref, remove=["csf-mini:PR.AA-01"])
    assert framework_coverage(manager)[0].tally.implemented == 0


def test_other_units_controls_do_not_exist(manager, make_user, unit_a, unit_b, catalogs):
    control = services.control_create(actor=manager, business_unit=unit_a, name="Backups")
    outsider = make_user(Role.SECURITY_MANAGER, units=[unit_b])
    with pytest.raises(NotFound):
        selectors.control_get(outsider, ref=control.ref)
    with pytest.raises(NotFound):
        services.control_update(actor=outsider, ref=control.ref, name="pwned")
    with pytest.raises(NotFound):
        services.control_create(actor=outsider, business_unit=unit_a, name="sneaky")
    assert list(selectors.control_list(outsider)) == []


def test_auditor_cannot_change_controls(make_user, manager, unit_a, catalogs):
    control = services.control_create(actor=manager, business_unit=unit_a, name="Backups")
    auditor = make_user(Role.AUDITOR)
    assert selectors.control_get(auditor, ref=control.ref) == control
    with pytest.raises(PermissionDenied):
        services.control_update(actor=auditor, ref=control.ref, name="changed")


def test_gap_filters(manager, unit_a, catalogs):
    tool = inventory.system_create(actor=manager, business_unit=unit_a, name="SIEM", kind="security_tool")
    owner = inventory.person_create(actor=manager, business_unit=unit_a, employee_id="E1", full_name="O")
    services.control_create(actor=manager, business_unit=unit_a, name="none")
    services.control_create(actor=manager, business_unit=unit_a, name="tool", technologies=[tool.ref])
    services.control_create(actor=manager, business_unit=unit_a, name="owner", owner=owner.ref)

    def names(gap):
        return sorted(c.name for c in selectors.control_list(manager, filters=ControlFilters(gap=gap)))

    assert names("no_tool_no_owner") == ["none"]
    assert names("no_tool") == ["none", "owner"]
    assert names("no_owner") == ["none", "tool"]
    assert names("unmapped") == ["none", "owner", "tool"]


def test_delete_is_audited(manager, unit_a, catalogs):
    control = services.control_create(
        actor=manager, business_unit=unit_a, name="Gone", requirements=["csf-mini:GV.OC-01"]
    )
    services.control_delete(actor=manager, ref=control.ref)
    assert AuditEntry.objects.filter(object_type="compliance.control", action="delete").exists()


def test_attack_techniques_a_control_mitigates(client, manager, unit_a, catalogs):
    from ramparts.frameworks.models import AttackTechnique, Requirement, RequirementTechnique

    technique = AttackTechnique.objects.create(technique_id="T1078", name="Valid Accounts")
    requirement = Requirement.objects.get(framework=catalogs.csf, identifier="PR.AA-01")
    RequirementTechnique.objects.create(requirement=requirement, technique=technique, origin="test")
    control = services.control_create(
        actor=manager, business_unit=unit_a, name="MFA", requirements=["csf-mini:PR.AA-01"]
    )
    assert selectors.control_techniques(manager, control=control) == [("T1078", "Valid Accounts")]
    client.force_login(manager)
    assert "T1078" in client.get(f"/compliance/controls/{control.ref}/").content.decode()
