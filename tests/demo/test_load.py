"""`ramparts demo` loads the organisation through the import services; a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from ramparts.core import audit
from ramparts.core.models import AuditEntry, BusinessUnit, User
from ramparts.demo.generate import DEMO_PASSWORD, generate
from ramparts.inventory.models import BusinessService, DataAsset, Dependency, Person, System


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_once_and_a_second_run_changes_nothing():
    org = generate()
    first = run_demo()
    assert "loaded" in first and "http://" in first and DEMO_PASSWORD in first
    assert BusinessUnit.objects.count() == len(org.units)
    assert Person.objects.count() == len(org.people)
    assert System.objects.count() == len(org.systems)
    assert DataAsset.objects.count() == len(org.data_assets)
    assert BusinessService.objects.count() == len(org.services)
    assert Dependency.objects.count() == sum(
        len(s.systems) + len(s.data_assets) + len(s.services) for s in org.services
    )
    # Every row went through the services: each object has its audit entry, and the chain holds.
    assert AuditEntry.objects.filter(object_type="inventory.system", action="create").count() == len(org.systems)
    assert audit.verify().ok

    entries = AuditEntry.objects.count()
    snapshot = list(System.objects.order_by("id").values_list("id", "updated_at", "criticality", "criticality_reasons"))
    second = run_demo()
    assert "nothing changed" in second and "http://" in second
    assert AuditEntry.objects.count() == entries
    assert (
        list(System.objects.order_by("id").values_list("id", "updated_at", "criticality", "criticality_reasons"))
        == snapshot
    )

    # Criticality propagated along the dependencies, with the reason a person reads.
    payments_db = System.objects.get(name="lon-db-pay01")
    assert payments_db.criticality == 4
    assert any(r.startswith("critical: supports Payments (tier 1)") for r in payments_db.criticality_reasons)
    assert System.objects.filter(criticality=4).count() >= 20

    # One account per role, each linked to its person, with the documented password.
    for rec in org.users:
        user = User.objects.get(username=rec.username)
        assert user.role == rec.role and user.check_password(DEMO_PASSWORD)
        assert user.person.employee_id == rec.person
        assert sorted(user.business_units.values_list("code", flat=True)) == sorted(rec.units)
