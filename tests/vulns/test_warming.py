"""After a change of the findings, one background task builds the version's snapshots (columns and texts)
and shares them, so that no request builds them and every process counts facets from the same ones."""

import io

import pytest
from django.db import transaction

from ramparts.core.models import BusinessUnit
from ramparts.core.roles import Role
from ramparts.vulns import facet_columns, facets, selectors, text_columns, triage, warming
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


def _no_build(monkeypatch) -> None:
    """From here on, a request that would build the snapshot fails the test; the process forgets its
    own, so the snapshot must come from the cache, as it does in another process than the worker's."""
    for snapshot in (facet_columns, text_columns):
        snapshot.forget()
        monkeypatch.setattr(snapshot, "build", lambda *_: pytest.fail("built at request time: not warmed"))


def test_requests_after_warming_count_from_the_shared_snapshot(world, monkeypatch):
    expected = {
        (name, status): (facets.sql_facets(user, FindingFilters(status=status)), selectors._summary(user))
        for name, user in world.items()
        for status in ("open", "all")
    }
    assert warming.warm(version()) == "snapshots of 16 findings"

    _no_build(monkeypatch)
    for name, user in world.items():
        for status in ("open", "all"):
            got = (selectors.finding_facets(user, FindingFilters(status=status)), selectors.summary(user))
            assert got == expected[name, status], name


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
    _no_build(monkeypatch)
    monkeypatch.setattr(facets, "text_q", lambda *_: pytest.fail("searched in SQL"))
    for user in world.values():
        selectors.finding_facets(user, FindingFilters(severity="high", q="finding"))


def test_a_version_that_moved_is_not_warmed(world, monkeypatch):
    before = version()
    findings_changed()
    assert warming.warm(before) == "stale"

    build = facet_columns.build

    def changes_while_reading(at_version):
        columns = build(at_version)
        findings_changed()
        return columns

    monkeypatch.setattr(facet_columns, "build", changes_while_reading)
    assert warming.warm(version()) == "stale"
    monkeypatch.setattr(facet_columns, "build", build)
    assert facet_columns.current(build_if_missing=False) is None  # the stale run stored nothing

    texts, read_at = text_columns.build, version()

    def texts_change_while_reading(at_version):
        columns = texts(at_version)
        findings_changed()
        return columns

    monkeypatch.setattr(text_columns, "build", texts_change_while_reading)
    assert warming.warm(read_at) == "stale"
    assert not text_columns._path(read_at).exists()  # the stale texts were not stored


def test_warming_twice_builds_once(world, monkeypatch):
    assert warming.warm(version()) == "snapshots of 16 findings"
    _no_build(monkeypatch)
    assert warming.warm(version()) == "snapshots of 16 findings"


def test_a_snapshot_never_outlives_its_version(world):
    admin = world["admin"]
    assert selectors.finding_facets(admin, FindingFilters()).total == 15
    make_finding(BusinessUnit.objects.get(code="cards"))
    findings_changed()
    assert selectors.finding_facets(admin, FindingFilters()).total == 16


def test_an_import_leaves_the_facets_warm(admin_user, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scan_import(actor=admin_user, stream=io.BytesIO(trivy_doc(20)), filename="synthetic.json")

    _no_build(monkeypatch)
    assert selectors.finding_facets(admin_user, FindingFilters()).total == 20
    assert selectors.finding_facets(admin_user, FindingFilters(severity="critical,high", kev=False)).total <= 20
    assert selectors.finding_facets(admin_user, FindingFilters(q="ISSUE 1")).total == 11  # issue 1, 10-19
