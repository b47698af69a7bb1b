import pytest

from ramparts.core.errors import NotFound, PermissionDenied
from ramparts.core.roles import Role
from ramparts.inventory import selectors, services
from ramparts.inventory.filters import DataAssetFilters, PersonFilters, ServiceFilters, SystemFilters
from ramparts.inventory.tasks import propagate_criticality_task


@pytest.fixture
def two_units(manager, other_manager, unit_a, unit_b):
    for actor, unit, suffix in ((manager, unit_a, "a"), (other_manager, unit_b, "b")):
        person = services.person_create(actor=actor, business_unit=unit, employee_id=f"E-{suffix}", full_name=suffix)
        system = services.system_create(
            actor=actor, business_unit=unit, name=f"sys-{suffix}", kind="server", owner=person, tags=["pci", "edge"]
        )
        services.data_asset_create(actor=actor, business_unit=unit, name=f"data-{suffix}", systems=[system])
        svc = services.service_create(actor=actor, business_unit=unit, name=f"svc-{suffix}", criticality="high")
        services.dependency_add(actor=actor, service=svc.ref, target=system.ref)


def test_lists_are_scoped_to_the_users_units(two_units, analyst, make_user, unit_a, unit_b):
    assert [s.name for s in selectors.system_list(analyst, filters=SystemFilters())] == ["sys-a"]
    assert [p.employee_id for p in selectors.person_list(analyst, filters=PersonFilters())] == ["E-a"]
    assert [d.name for d in selectors.data_asset_list(analyst, filters=DataAssetFilters())] == ["data-a"]
    assert [s.name for s in selectors.service_list(analyst, filters=ServiceFilters())] == ["svc-a"]
    everyone = make_user(Role.AUDITOR, all_units=True)
    assert selectors.system_list(everyone, filters=SystemFilters()).count() == 2


def test_objects_of_other_units_are_not_found_by_ref(two_units, analyst):
    assert selectors.system_get(analyst, ref="SYS-1").name == "sys-a"
    for getter, ref in (
        (selectors.system_get, "SYS-2"),
        (selectors.person_get, "PER-2"),
        (selectors.data_asset_get, "DATA-2"),
        (selectors.service_get, "SVC-2"),
        (selectors.service_graph, "SVC-2"),
        (selectors.system_get, "nonsense"),
        (selectors.system_get, "SYS-999"),
    ):
        with pytest.raises(NotFound):
            getter(analyst, ref=ref)


def test_roles_without_view_cannot_list(make_user):
    with pytest.raises(PermissionDenied):
        selectors.system_list(make_user(Role.EMPLOYEE), filters=SystemFilters())


def test_filters(two_units, analyst):
    def names(**params):
        return [s.name for s in selectors.system_list(analyst, filters=SystemFilters.from_params(params))]

    assert names(tag="pci") == ["sys-a"]
    assert names(tag="pc") == []
    assert names(q="SYS-1") == ["sys-a"]
    assert names(q="sys a") == ["sys-a"]
    assert names(q="sys zzz") == []
    assert names(owner="E-a") == ["sys-a"] == names(owner="PER-1")
    assert names(criticality="3") == ["sys-a"] == names(criticality="high")
    assert names(service="SVC-1") == ["sys-a"]
    assert names(internet_facing="yes") == []
    assert names(business_unit="wealth") == []
    assert names(sort="-criticality") == names(sort="bogus") == ["sys-a"]


def test_graph_and_detail(two_units, analyst):
    graph = selectors.service_graph(analyst, ref="SVC-1").as_dict()
    assert graph["root"] == "SVC-1"
    assert [n["id"] for n in graph["nodes"]] == ["SVC-1", "SYS-1"]
    system = selectors.system_detail(analyst, ref="SYS-1")
    assert [d.name for d in system.data_assets.all()] == ["data-a"]
    assert [d.service.name for d in system.supports.all()] == ["svc-a"]


def test_propagation_task(two_units):
    result = propagate_criticality_task.enqueue()
    assert result.return_value == {"systems": 2, "changed": 0}
