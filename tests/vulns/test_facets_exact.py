"""Facet counts equal plain COUNT queries over the same filtered findings, for random filters and scopes."""

import dataclasses
import datetime as dt
import random
from collections import Counter

import numpy as np
import pytest
from django.db.models import Count, Q
from django.utils import timezone

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.inventory.models import System
from ramparts.vulns import facet_columns, facets, selectors, text_columns
from ramparts.vulns.filters import AGE_BANDS, EPSS_BANDS, SEVERITY_LABELS, FindingFilters, age_band_q, epss_band_q
from ramparts.vulns.models import PRIORITY_OF_KEY, Finding, FindingSnapshot
from ramparts.vulns.snapshot_rows import SnapshotRows
from ramparts.vulns.snapshots import snapshot_findings
from tests.vulns._findings import make_finding, make_system

pytestmark = pytest.mark.django_db


def _seed(rng: random.Random, unit_a, unit_b, assignees) -> None:
    systems = [make_system(unit_a) for _ in range(4)] + [make_system(unit_b) for _ in range(3)]
    now = timezone.now()
    for _ in range(90):
        system = rng.choice([*systems, None])
        unit = system.business_unit if system and rng.random() < 0.9 else rng.choice([unit_a, unit_b])
        make_finding(
            unit,
            system=system,  # now and then in another unit than its system's (a system that moved)
            first_seen=now - dt.timedelta(days=rng.choice([1, 10, 40, 100, 400])),
            severity=rng.randint(0, 4),
            priority=rng.randint(1, 4),
            status=rng.choice(["open", "open", "open", "fixed", "false_positive", "risk_accepted"]),
            tool=rng.choice(["trivy", "grype", "nessus", ""]),
            assignee=rng.choice([None, None, *assignees]),
            cve=rng.choice(["", "CVE-2024-1111", "CVE-2023-4966"]),
            package=rng.choice(["", "openssl", "OpenSSL-libs", "zlib"]),
            host=rng.choice(["", "web-01.example.org", "db-02"]),
            epss_score=rng.choice([None, 0.001, 0.05, 0.3, 0.8]),
            kev_date_added=rng.choice([None, dt.date(2024, 1, 2)]),
            sla_due=rng.choice([None, now.date() - dt.timedelta(days=3), now.date() + dt.timedelta(days=3)]),
        )


def _world(seed: int, make_user, unit_a) -> tuple[random.Random, list]:
    """Random findings in two units, and two users: one unit's analyst, and an administrator."""
    rng = random.Random(seed)
    unit_b = BusinessUnit.objects.create(code="wealth", name="Wealth")
    users = [make_user(Role.ANALYST, units=[unit_a]), make_user(Role.ADMIN, units=[unit_a, unit_b])]
    _seed(rng, unit_a, unit_b, users)
    return rng, users


def _random_filters(rng: random.Random) -> FindingFilters:
    def some(words) -> str:
        return ",".join(rng.sample(list(words), rng.randint(1, 2))) if rng.random() < 0.4 else ""

    system = rng.choice(["", "", "SYS-999999", *(f"SYS-{n}" for n in System.objects.values_list("number", flat=True))])
    return FindingFilters(
        status=rng.choice(["open", "open", "all", "fixed"]),
        severity=some(SEVERITY_LABELS.values()),
        priority=some(PRIORITY_OF_KEY),
        kev=rng.choice([None, None, True, False]),
        epss=some(EPSS_BANDS),
        tool=rng.choice(["", "", "trivy", "grype"]),
        system=system,
        business_unit=rng.choice(["", "", "retail", "wealth", "nowhere"]),
        assignee=rng.choice(["", "", "me", "nobody-by-that-name", *User.objects.values_list("username", flat=True)]),
        age=rng.choice(["", "", *AGE_BANDS]),
        overdue=rng.choice([None, None, True, False]),
        q=rng.choice(
            ["", "", "", "finding 1", "cve-2024", "CVE-2023-4966", "FND-3", "nothing like it", "SSL", "-0", " db "]
        ),
        cve=rng.choice(["", "", "", "CVE-2024-1111", "cve-2023-4966"]),
    )


def _expected(user, filters: FindingFilters) -> dict[str, dict[str, int]]:
    qs = selectors.apply_filters(user, selectors.visible_to(user), filters)
    expected = {
        "severity": {label: qs.filter(severity=v).count() for v, label in SEVERITY_LABELS.items()},
        "priority": {key: qs.filter(priority=p).count() for key, p in PRIORITY_OF_KEY.items()},
        "kev": {"yes": qs.filter(kev_date_added__isnull=False).count()},
        "epss": {band: qs.filter(epss_band_q(band)).count() for band in EPSS_BANDS},
        "age": {band: qs.filter(age_band_q(band)).count() for band in AGE_BANDS},
        "tool": dict(Counter(qs.exclude(tool="").values_list("tool", flat=True))),  # no value, no facet
        "system": {
            f"SYS-{n}": c for n, c in Counter(qs.exclude(system=None).values_list("system__number", flat=True)).items()
        },
        "business_unit": dict(Counter(qs.values_list("business_unit__code", flat=True))),
    }
    by_status = selectors.apply_filters(user, selectors.visible_to(user), filters, skip=("status",))
    expected["status"] = {s: by_status.filter(status=s).count() for s in Finding.Status.values}
    return expected


@pytest.mark.parametrize("path", ["columns and texts", "columns", "sql"])
@pytest.mark.parametrize("seed", range(3))
def test_facets_equal_brute_force_counts(seed, path, make_user, unit_a):
    rng, users = _world(seed, make_user, unit_a)
    compute = facets.sql_facets if path == "sql" else selectors.finding_facets
    assert path == "sql" or facet_columns.current() is not None  # the snapshot answers, not SQL
    texts = text_columns.current(build_if_missing=path == "columns and texts")
    assert (texts is not None) == (path == "columns and texts")  # searched in it, or in SQL
    for _ in range(15):
        filters = _random_filters(rng)
        for user in users:
            got_facets = compute(user, filters)
            got = {name: {v.value: v.count for v in values} for name, values in got_facets.groups.items()}
            expected = _expected(user, filters)
            for name, counts in expected.items():
                assert {k: v for k, v in got[name].items() if v} == {k: v for k, v in counts.items() if v}, (
                    name,
                    filters,
                )
            assert got_facets.total == selectors.finding_list(user, filters).count()


@pytest.mark.parametrize("seed", range(2))
def test_dashboard_numbers_from_the_snapshot_equal_sql(seed, make_user, unit_a):
    rng, users = _world(seed, make_user, unit_a)
    for user in users:
        assert selectors.summary(user) == selectors._summary(user)
        assert selectors.summary(user)["open"] > 0


def test_text_and_cve_filters_are_counted_in_the_snapshot_with_one_query(admin_user, unit_a, monkeypatch):
    make_finding(unit_a, title="openssl overflow", cve="CVE-2024-1")
    make_finding(unit_a, title="zlib", cve="CVE-2024-2")
    facet_columns.current()
    monkeypatch.setattr(facets, "sql_facets", lambda *_: pytest.fail("counted in SQL"))
    assert selectors.finding_facets(admin_user, FindingFilters(q="openssl")).total == 1
    assert selectors.finding_facets(admin_user, FindingFilters(cve="CVE-2024-2")).total == 1
    assert selectors.finding_facets(admin_user, FindingFilters(q="OpenSSL", cve="CVE-2024-2")).total == 0


def test_the_snapshot_holds_times_to_the_microsecond_and_no_sla_as_never_due(unit_a):
    moments = [
        dt.datetime(2026, 11, 27, 8, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 27, 8, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
    ]
    for moment in moments:
        make_finding(unit_a, first_seen=moment, sla_due=moment.date(), epss_score=0.25)
    make_finding(unit_a, first_seen=moments[0], sla_due=None, epss_score=None)

    columns = facet_columns.build(1)

    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert sorted(columns.first_seen.tolist()) == sorted(
        (m - epoch) // dt.timedelta(microseconds=1) for m in [*moments, moments[0]]
    )
    assert sorted(columns.sla_due.tolist()) == sorted(
        [*((m.date() - epoch.date()).days for m in moments), facet_columns.NO_DAY]
    )
    assert columns.epss.tolist().count(0.25) == 3
    assert int(np.isnan(columns.epss).sum()) == 1  # no EPSS score: in no band


@pytest.mark.parametrize("seed", range(4))
def test_snapshot_ordered_pages_equal_the_sql_order(seed, make_user, unit_a):
    rng, users = _world(seed, make_user, unit_a)
    facet_columns.current()
    text_columns.current()
    for _ in range(15):
        sort = rng.choice(["priority", "severity", "due", "first_seen", "epss"])
        filters = dataclasses.replace(_random_filters(rng), sort=sort)
        for user in users:
            rows = selectors.finding_rows(user, filters)
            assert isinstance(rows, SnapshotRows) or (not set(filters.as_params()) - {"sort"} and sort == "priority")
            ordered = selectors.finding_list(user, filters)
            assert rows.count() == ordered.count()
            for window in (slice(0, 5), slice(5, 12), slice(0, 1000), slice(40, 45)):
                assert [f.pk for f in rows[window]] == [f.pk for f in ordered[window]], (filters, window)


def test_other_sorts_are_ordered_in_sql(admin_user, unit_a):
    make_finding(unit_a)
    facet_columns.current()
    for filters in (FindingFilters(sort="last_seen"), FindingFilters(sort="ref")):
        assert not isinstance(selectors.finding_rows(admin_user, filters), SnapshotRows)
    bogus = FindingFilters(sort="bogus", severity="high")  # sorted by priority, as in SQL
    assert isinstance(selectors.finding_rows(admin_user, bogus), SnapshotRows)
    assert isinstance(selectors.finding_rows(admin_user, FindingFilters(q="finding")), SnapshotRows)
    assert isinstance(selectors.finding_rows(admin_user, FindingFilters(sort="due")), SnapshotRows)
    # Every open finding by priority, for someone who sees every unit: the index gives the page faster.
    assert not isinstance(selectors.finding_rows(admin_user, FindingFilters()), SnapshotRows)


def test_findings_without_sla_or_epss_come_last_on_every_database(admin_user, unit_a):
    none = make_finding(unit_a, sla_due=None, epss_score=None)
    due = make_finding(unit_a, sla_due=dt.date(2030, 1, 1), epss_score=0.1)
    for sort in ("due", "epss"):
        assert [f.pk for f in selectors.finding_list(admin_user, FindingFilters(sort=sort))] == [due.pk, none.pk]
        facet_columns.current()
        assert [f.pk for f in selectors.finding_rows(admin_user, FindingFilters(sort=sort))[0:5]] == [due.pk, none.pk]


@pytest.mark.parametrize("seed", range(2))
def test_burn_down_rows_from_the_snapshot_equal_a_sql_group_by(seed, make_user, unit_a):
    _world(seed, make_user, unit_a)
    day = timezone.now().date()
    expected = {
        (row["business_unit_id"], row["priority"]): (row["open"], row["overdue"], row["kev"])
        for row in Finding.objects.filter(status="open")
        .values("business_unit_id", "priority")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(sla_due__lt=day)),
            kev=Count("id", filter=Q(kev_date_added__isnull=False)),
        )
    }
    assert snapshot_findings(day=day) == len(expected) > 1
    got = {
        (s.business_unit_id, s.priority): (s.open, s.overdue, s.kev) for s in FindingSnapshot.objects.filter(date=day)
    }
    assert got == expected
