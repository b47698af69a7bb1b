"""After a change of the findings, one background task stores the default views' facets and dashboard
numbers for every scope users have, and each stored value is what a user of that scope computes."""

import io

import pytest
from django.db import transaction

from ramparts.core.models import BusinessUnit
from ramparts.core.roles import Role
from ramparts.vulns import selectors, triage, warming
from ramparts.vulns.cache import findings_changed, version
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.services import scan_import
from tests.vulns._findings import make_finding, make_system
from tests.vulns._synth import trivy_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(unit_a, unit_b, make_user):
    """Three units with different counts, so that every scope has its own facets."""
    unit_c = BusinessUnit.objects.create(code="cards", name="Cards")
    for unit, n in ((unit_a, 3), (unit_b, 5), (unit_c, 7)):
        system = make_system(unit)
        for i in range(n):
            make_finding(unit, system=system, severity=i % 5, priority=1 + i % 4, tool=("trivy", "grype")[i % 2])
    make_finding(unit_c, status="fixed")
    return {
        "admin": make_user(Role.ADMIN, units=[], username="admin"),
        "analyst": make_user(Role.ANALYST, units=[unit_a]),
        "two_units": make_user(Role.AUDITOR, units=[unit_b, unit_a]),
    }


def _cache_only(monkeypatch) -> None:
    """From here on a value that is not in the cache fails the test instead of being computed."""

    def computed(*_args):
        raise AssertionError("computed at request time: not warmed")

    monkeypatch.setattr(selectors, "_facets", computed)
    monkeypatch.setattr(selectors, "_summary", computed)


def test_warmed_values_equal_what_each_scope_computes(world, monkeypatch):
    expected = {
        name: (selectors._facets(user, FindingFilters()), selectors._summary(user)) for name, user in world.items()
    }
    assert len({repr(facets) for facets, _ in expected.values()}) == 3  # the scopes really differ

    assert warming.warm(version()) == "warmed 3 scopes"

    _cache_only(monkeypatch)
    for name, user in world.items():
        assert (selectors.finding_facets(user, FindingFilters()), selectors.summary(user)) == expected[name], name


def test_a_change_enqueues_one_task_that_warms_after_the_commit(world, monkeypatch, django_capture_on_commit_callbacks):
    warm = warming.warm
    calls: list[int] = []
    monkeypatch.setattr(warming, "warm", lambda at_version: calls.append(at_version) or warm(at_version))
    finding = selectors.finding_list(world["analyst"], FindingFilters()).first()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        triage.finding_comment(actor=world["analyst"], ref=finding.ref, body="seen")
        findings_changed()  # a second announcement in the same transaction: still one task
        assert calls == []  # nothing runs before the commit

    assert calls == [version()]
    _cache_only(monkeypatch)
    for user in world.values():
        selectors.finding_facets(user, FindingFilters())


def test_a_version_that_moved_is_not_warmed(world, monkeypatch):
    before = version()
    findings_changed()
    assert warming.warm(before) == "stale"

    facets = selectors._facets

    def changes_while_computing(user, filters):
        findings_changed()
        return facets(user, filters)

    monkeypatch.setattr(selectors, "_facets", changes_while_computing)
    assert warming.warm(version()) == "stale"
    monkeypatch.setattr(selectors, "_facets", facets)
    computed: list[object] = []
    monkeypatch.setattr(selectors, "_facets", lambda user, filters: computed.append(user) or facets(user, filters))
    selectors.finding_facets(world["admin"], FindingFilters())
    assert computed == [world["admin"]]  # the stale run stored nothing under the current version


def test_warming_twice_computes_nothing_the_second_time(world, monkeypatch):
    assert warming.warm(version()) == "warmed 3 scopes"
    _cache_only(monkeypatch)
    assert warming.warm(version()) == "warmed 3 scopes"


def test_scopes_come_from_active_users_who_may_view_findings_most_shared_first(world, make_user, unit_a, unit_b):
    make_user(Role.ANALYST, units=[unit_b, unit_a])  # the two-unit scope now has two users
    make_user(Role.SECURITY_MANAGER, units=[], all_units=True)  # a global role shares the admin's scope
    make_user(Role.ADMIN, username="admin-2")
    make_user(Role.EMPLOYEE, units=[unit_b])  # may not view findings: not a scope
    gone = make_user(Role.ANALYST, units=[unit_b])
    gone.is_active = False
    gone.save()

    users = warming.scope_users()
    assert [warming_scope(u) for u in users] == [None, (unit_a.pk, unit_b.pk), (unit_a.pk,)]
    assert users[0] == world["admin"]
    assert [warming_scope(u) for u in warming.scope_users(limit=2)] == [None, (unit_a.pk, unit_b.pk)]


def warming_scope(user):
    units = selectors.unit_ids(user)
    return None if units is None else tuple(sorted(units))


def test_an_import_leaves_the_default_facets_warm(admin_user, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scan_import(actor=admin_user, stream=io.BytesIO(trivy_doc(20)), filename="synthetic.json")

    _cache_only(monkeypatch)
    assert selectors.finding_facets(admin_user, FindingFilters()).total == 20
