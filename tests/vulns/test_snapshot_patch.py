"""After a triage, the snapshots of the new version are the version before's with the triaged rows read
again (cache.triage_delta): exactly what a full read gives, in milliseconds at a million findings."""

import datetime as dt

import numpy as np
import pytest

from ramparts.core.roles import Role
from ramparts.vulns import facet_columns, selectors, text_columns, triage
from ramparts.vulns.cache import DELTA_LIMIT, findings_changed, triage_delta, version
from ramparts.vulns.facet_columns import _ARRAYS
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.models import Finding
from tests.vulns._findings import make_finding

pytestmark = pytest.mark.django_db
LATER = dt.date.today() + dt.timedelta(days=90)


@pytest.fixture
def people(make_user, unit_a):
    return make_user(Role.SECURITY_MANAGER, units=[unit_a]), make_user(Role.ANALYST, units=[unit_a])


@pytest.fixture
def findings(unit_a):
    return [make_finding(unit_a, severity=i % 5, tool=("trivy", "grype")[i % 2]) for i in range(12)]


def _no_build(monkeypatch) -> None:
    for snapshot in (facet_columns, text_columns):
        monkeypatch.setattr(snapshot, "build", lambda *_: pytest.fail("read every finding again"))


def _same_as_a_full_read(columns) -> None:
    full = facet_columns.build(columns.version)
    assert columns.tools == full.tools
    for name in _ARRAYS:
        assert np.array_equal(getattr(columns, name), getattr(full, name), equal_nan=name == "epss"), name


def test_triage_patches_the_snapshot_of_the_version_before(findings, people, monkeypatch):
    manager, analyst = people
    facet_columns.current()
    text_columns.current()
    _no_build(monkeypatch)

    triage.finding_mark_false_positive(actor=analyst, ref=findings[0].ref, reason="test data")
    triage.finding_assign(actor=analyst, ref=findings[1].ref, assignee=manager.username)  # two versions on
    refs = [f.ref for f in findings[2:6]]
    triage.findings_bulk(actor=manager, findings=refs, action="accept", reason="r", expires_on=LATER)

    columns = facet_columns.current(build_if_missing=False)
    assert columns is not None and columns.version == version()
    monkeypatch.undo()
    _same_as_a_full_read(columns)
    facets = selectors.finding_facets(analyst, FindingFilters(status="all"))
    by_status = {v.value: v.count for v in facets.groups["status"]}
    assert by_status == {"open": 7, "fixed": 0, "false_positive": 1, "risk_accepted": 4}
    texts = text_columns.current(build_if_missing=False)
    assert texts is not None and texts.version == version() and len(texts) == 12


def test_another_process_patches_from_the_shared_file(findings, people, monkeypatch):
    _, analyst = people
    facet_columns.current()
    facet_columns.forget()  # this process holds nothing: the version before comes from its file
    triage.finding_mark_false_positive(actor=analyst, ref=findings[3].ref, reason="dup")
    _no_build(monkeypatch)
    columns = facet_columns.current()
    monkeypatch.undo()
    _same_as_a_full_read(columns)


def test_other_changes_read_everything_again(findings, unit_a, monkeypatch):
    facet_columns.current()
    make_finding(unit_a, severity=4)
    findings_changed()  # an import, an enrichment: no triage delta
    assert triage_delta(version()) is None
    assert facet_columns.current(build_if_missing=False) is None
    assert len(facet_columns.current()) == 13


def test_a_row_the_snapshot_lacks_is_not_patched_but_read(findings, people, unit_a):
    _, analyst = people
    facet_columns.current()
    text_columns.current()
    added = make_finding(unit_a, severity=4)  # written without announcing it (as no write path does)
    triage.finding_mark_false_positive(actor=analyst, ref=added.ref, reason="x")
    columns = facet_columns.current()
    assert len(columns) == 13 and Finding.objects.get(pk=added.pk).status == "false_positive"
    _same_as_a_full_read(columns)
    assert added.pk in text_columns.current().id


def test_a_large_triage_is_read_again_in_full(findings):
    findings_changed(triaged=range(DELTA_LIMIT + 1))
    assert triage_delta(version()) is None
    findings_changed(triaged=[f.pk for f in findings])
    assert triage_delta(version()) == (version() - 1, sorted(f.pk for f in findings))
