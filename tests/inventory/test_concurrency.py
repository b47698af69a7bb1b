"""Reference numbers stay unique when several writers create at once (PostgreSQL only: the
in-memory SQLite test database is not shared between threads)."""

import threading

import pytest
from django.db import connection, connections

from ramparts.core.models import BusinessUnit, User
from ramparts.inventory import services
from ramparts.inventory.models import System


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    unit = BusinessUnit.objects.create(code="retail", name="Retail")
    actor = User.objects.create_user("boss", password="x", role="admin")
    errors = []

    def create(i: int) -> None:
        try:
            for j in range(5):
                services.system_create(actor=actor, business_unit=unit, name=f"t{i}-{j}", kind="server")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(System.objects.values_list("number", flat=True)) == list(range(1, 21))
