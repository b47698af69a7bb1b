"""Every inventory list page and the home dashboard cost the same number of queries for 3 or 30 rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ramparts.inventory import services


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def populate(actor, unit, n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        manager = f"E{offset}" if i > offset else ""
        services.person_create(
            actor=actor, business_unit=unit, employee_id=f"E{i}", full_name=f"Person {i}", manager=manager
        )
        system = services.system_create(
            actor=actor, business_unit=unit, name=f"sys-{i}", kind="server", owner=f"E{i}", tags="a; b"
        )
        services.data_asset_create(
            actor=actor, business_unit=unit, name=f"data-{i}", systems=f"sys-{i}", owner=f"E{i}", personal_data=True
        )
        svc = services.service_create(actor=actor, business_unit=unit, name=f"svc-{i}", owner=f"E{i}")
        services.dependency_add(actor=actor, service=svc.ref, target=system.ref)


def count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


PATHS = [
    "/inventory/systems/",
    "/inventory/systems/?q=sys&sort=-criticality",
    "/inventory/people/",
    "/inventory/data-assets/",
    "/inventory/services/",
    "/audit/",
    "/",
]


@pytest.mark.parametrize("path", PATHS)
def test_list_pages_run_a_constant_number_of_queries(path, manager, unit_a, django_assert_num_queries):
    client = client_for(manager)
    populate(manager, unit_a, 3, 1)
    client.get(path)  # the first visit may run due daily work (expiries)
    cache.clear()  # both measures with cold caches (widgets cache their figures)
    few = count(client, path)
    populate(manager, unit_a, 27, 100)
    cache.clear()
    with django_assert_num_queries(few):
        response = client.get(path)
    assert response.status_code == 200
    if path.startswith("/inventory/"):
        assert response.content.count(b"data-row-select ") == 30


def test_a_list_page_stays_small(manager, unit_a):
    populate(manager, unit_a, 3, 1)
    # session, user, business units (filter), count, page (+ prefetch for data assets)
    assert count(client_for(manager), "/inventory/systems/") <= 8
