import pytest

from ramparts.core.roles import Role
from ramparts.inventory import services


@pytest.fixture
def manager(make_user, unit_a):
    return make_user(Role.SECURITY_MANAGER, units=[unit_a], username="manager")


@pytest.fixture
def analyst(make_user, unit_a):
    return make_user(Role.ANALYST, units=[unit_a], username="analyst")


@pytest.fixture
def other_manager(make_user, unit_b):
    return make_user(Role.SECURITY_MANAGER, units=[unit_b], username="other")


@pytest.fixture
def make_system(manager, unit_a):
    def make(name="web-1", kind="server", unit=None, actor=None, **fields):
        return services.system_create(
            actor=actor or manager, business_unit=unit or unit_a, name=name, kind=kind, **fields
        )

    return make


@pytest.fixture
def make_person(manager, unit_a):
    def make(employee_id="E1", full_name="Ada Lovelace", unit=None, actor=None, **fields):
        return services.person_create(
            actor=actor or manager, business_unit=unit or unit_a, employee_id=employee_id, full_name=full_name, **fields
        )

    return make
