import pytest

from ramparts.core.roles import Role
from ramparts.incidents import services
from ramparts.inventory.models import DataAsset, System


@pytest.fixture
def manager(make_user):
    return make_user(Role.SECURITY_MANAGER, username="secmgr")


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, username="analyst")


@pytest.fixture
def crm(unit_a):
    system = System.objects.create(
        number=1, business_unit=unit_a, name="crm-prod", kind="application", hostnames="crm01\n"
    )
    asset = DataAsset.objects.create(number=1, business_unit=unit_a, name="Policyholder records", personal_data=True)
    asset.systems.add(system)
    return system


@pytest.fixture
def declare(analyst, unit_a):
    def make(**kw):
        fields = {
            "actor": analyst,
            "title": "Ransomware on file servers",
            "incident_type": "ransomware",
            "severity": "high",
            "business_unit": unit_a,
        } | kw
        return services.incident_declare(**fields)

    return make
