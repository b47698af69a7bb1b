import pytest

from ramparts.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.inventory import services
from ramparts.inventory.models import Dependency, System


def entries(obj):
    return list(AuditEntry.objects.filter(object_id=str(obj.pk), object_type__endswith=obj._meta.model_name))


def test_create_system_is_audited_with_the_values(make_system, make_person):
    owner = make_person()
    system = make_system(hostnames=["web-1.example.com", "web-1"], owner=owner, internet_facing=True, criticality=3)
    assert system.ref == "SYS-1"
    assert system.hostname_list == ["web-1.example.com", "web-1"]
    assert system.own_criticality == 3 and system.owner == owner
    (entry,) = entries(system)
    assert entry.action == "create"
    assert entry.changes["name"] == [None, "web-1"]
    assert entry.changes["owner"] == [None, "E1"]
    assert entry.changes["internet_facing"] == [None, "true"]


def test_numbers_go_up(make_system):
    assert [make_system(name=f"s{i}").number for i in range(3)] == [1, 2, 3]


def test_update_records_a_field_level_diff(make_system, manager):
    system = make_system()
    services.system_update(actor=manager, ref=system.ref, environment="staging", tags="pci; edge")
    system.refresh_from_db()
    assert system.environment == "staging" and system.tag_list == ["pci", "edge"]
    update = entries(system)[0]
    assert update.action == "update"
    assert update.changes == {"environment": ["production", "staging"], "tags": ["", "pci; edge"]}


def test_update_without_change_writes_nothing(make_system, manager):
    system = make_system(environment="test")
    services.system_update(actor=manager, ref=system.ref, environment="test")
    assert len(entries(system)) == 1


def test_bad_values_are_all_reported(manager, unit_a):
    with pytest.raises(ValidationFailed) as exc:
        services.system_create(
            actor=manager, business_unit=unit_a, name="x", kind="toaster", cpe="cpe:2.3:a:bad", ip_addresses="1.2.3.999"
        )
    columns = {p.column for p in exc.value.problems}
    assert columns == {"kind", "cpe", "ip_addresses"}
    assert not System.objects.exists()


def test_unknown_field_is_refused(manager, unit_a):
    with pytest.raises(ValidationFailed):
        services.system_create(actor=manager, business_unit=unit_a, name="x", kind="server", colour="red")


def test_duplicate_name_conflicts(make_system):
    make_system()
    with pytest.raises(Conflict):
        make_system()


def test_writes_outside_units_are_not_found(make_system, manager, other_manager, unit_b):
    system = make_system()
    with pytest.raises(NotFound):
        services.system_update(actor=other_manager, ref=system.ref, environment="test")
    with pytest.raises(NotFound):
        services.system_delete(actor=other_manager, ref=system.ref)
    with pytest.raises(NotFound):
        services.system_create(actor=manager, business_unit=unit_b, name="y", kind="server")


def test_roles_are_checked(make_system, make_user):
    system = make_system()
    auditor = make_user(Role.AUDITOR)
    analyst = make_user(Role.ANALYST)
    with pytest.raises(PermissionDenied):
        services.system_update(actor=auditor, ref=system.ref, environment="test")
    with pytest.raises(PermissionDenied):
        services.system_delete(actor=analyst, ref=system.ref)


def test_delete_is_audited(make_system, manager):
    system = make_system(vendor="Acme")
    pk = system.pk
    services.system_delete(actor=manager, ref=system.ref)
    assert not System.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.filter(object_id=str(pk), action="delete").get()
    assert entry.changes["vendor"] == ["Acme", None]


def test_bulk_update(make_system, manager):
    systems = [make_system(name=f"s{i}") for i in range(3)]
    changed = services.systems_bulk_update(actor=manager, refs=[s.ref for s in systems], lifecycle="retired")
    assert changed == 3
    assert set(System.objects.values_list("lifecycle", flat=True)) == {"retired"}
    assert services.systems_bulk_update(actor=manager, refs=[s.ref for s in systems], lifecycle="retired") == 0


def test_people_manager_and_dates(make_person, manager):
    boss = make_person("E1", "Boss")
    worker = make_person("E2", "Worker", manager=boss, start_date="2024-01-01")
    assert worker.manager == boss
    with pytest.raises(ValidationFailed) as exc:
        services.person_update(actor=manager, ref=worker.ref, end_date="2023-01-01")
    assert exc.value.problems[0].column == "end_date"
    with pytest.raises(ValidationFailed):
        services.person_update(actor=manager, ref=boss.ref, manager="E1")


def test_dependencies_propagate_and_cycles_are_refused(make_system, manager, unit_a):
    payments = services.service_create(actor=manager, business_unit=unit_a, name="Payments", criticality="critical")
    cards = services.service_create(actor=manager, business_unit=unit_a, name="Card processing", criticality="low")
    db = make_system(name="card-db", kind="database")
    data = services.data_asset_create(
        actor=manager,
        business_unit=unit_a,
        name="Customer records",
        classification="restricted",
        confidentiality="high",
        systems=[db],
    )
    db.refresh_from_db()
    assert db.confidentiality == 3
    assert "confidentiality high: holds Customer records (restricted)" in db.criticality_reasons
    services.dependency_add(actor=manager, service=payments.ref, target=cards.ref)
    services.dependency_add(actor=manager, service=cards.ref, target=db.ref)
    db.refresh_from_db()
    assert db.criticality == 4
    assert db.criticality_reasons[0] == "critical: supports Payments (tier 1) via Card processing"
    with pytest.raises(ValidationFailed) as exc:
        services.dependency_add(actor=manager, service=cards.ref, target=payments.ref)
    assert "Card processing → Payments → Card processing" in str(exc.value)
    assert Dependency.objects.count() == 2
    services.dependency_remove(actor=manager, service=payments.ref, target=cards.ref)
    db.refresh_from_db()
    assert db.criticality == 1
    history = AuditEntry.objects.filter(object_type="inventory.businessservice", object_id=str(payments.pk))
    assert [e.action for e in history.order_by("seq")] == ["create", "update", "update"]
    assert data.systems.count() == 1


def test_dependency_on_an_object_outside_units_is_not_found(make_system, manager, other_manager, unit_a, unit_b):
    svc = services.service_create(actor=manager, business_unit=unit_a, name="Payments")
    other = services.system_create(actor=other_manager, business_unit=unit_b, name="theirs", kind="server")
    with pytest.raises(NotFound):
        services.dependency_add(actor=manager, service=svc.ref, target=other.ref)


def test_deleting_records_what_it_changes_elsewhere(make_system, make_person, manager, unit_a):
    owner = make_person()
    system = make_system(owner=owner)
    svc = services.service_create(actor=manager, business_unit=unit_a, name="Payments")
    services.dependency_add(actor=manager, service=svc.ref, target=system.ref)
    services.person_delete(actor=manager, ref=owner.ref)
    assert entries(system)[0].changes == {"owner": ["E1", None]}
    services.system_delete(actor=manager, ref=system.ref)
    assert entries(svc)[0].changes == {"depends_on": ["system SYS-1 web-1", None]}


def test_linking_an_account_twice_conflicts(make_person, manager):
    make_person("E1", user=manager)
    with pytest.raises(Conflict):
        make_person("E2", user=manager)
