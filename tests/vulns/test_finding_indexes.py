"""The findings table has no single-column index on business_unit, system or (all) assignee:
every query by system or assignee, and by unit among open findings, still searches an index (SQLite's
query plans), on the composites instead. A unit's findings of every status are counted from the
column snapshot; deleting a unit (PROTECT: are there findings?) scans, a rare cost each import saves."""

import pytest
from django.db import connection

from ramparts.vulns.models import Finding

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's"),
]
TABLE = Finding._meta.db_table


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def _queryset_plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    return _plan(sql, params)


@pytest.mark.parametrize(
    "qs",
    [
        Finding.objects.filter(system_id=1),
        Finding.objects.filter(system_id__in=[1, 2], status="open"),
        Finding.objects.filter(business_unit_id__in=[1, 2], status="open"),
        Finding.objects.filter(assignee_id=1),
        Finding.objects.filter(assignee_id=1, status="open"),
    ],
    ids=["system", "systems-open", "units-open", "assignee", "assignee-open"],
)
def test_queries_by_unit_system_and_assignee_search_an_index(qs):
    plan = _queryset_plan(qs)
    assert f"SEARCH {TABLE} USING" in plan and "INDEX" in plan, plan


@pytest.mark.parametrize(
    "sql",
    [
        # what deleting a system or a user does to the findings
        f"UPDATE {TABLE} SET system_id = NULL WHERE system_id IN (%s)",
        f"UPDATE {TABLE} SET assignee_id = NULL WHERE assignee_id IN (%s)",
    ],
)
def test_deleting_a_parent_searches_an_index(sql):
    plan = _plan(sql, [1])
    assert f"SEARCH {TABLE} USING" in plan and "INDEX" in plan, plan
