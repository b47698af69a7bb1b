"""After a triage or a small import, the snapshots of the new version are the version before's with the
changed rows read again and the added ones put in (cache.delta): exactly what a full read gives, in
milliseconds at a million findings."""

import datetime as dt
import io
import threading

import numpy as np
import pytest
from django.db import connection, connections, transaction

from ramparts.core.roles import Role
from ramparts.vulns import facet_columns, selectors, text_columns, triage, warming
from ramparts.vulns.cache import DELTA_LIMIT, Delta, delta, findings_changed, version
from ramparts.vulns.facet_columns import _ARRAYS
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.importing import engine
from ramparts.vulns.models import Finding
from ramparts.vulns.services import scan_import
from tests.vulns._findings import make_finding
from tests.vulns._synth import trivy_doc

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
    findings_changed()  # a feed update, a system's criticality: no delta
    assert delta(version()) is None
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


def test_a_large_change_is_read_again_in_full(findings):
    findings_changed(changed=range(DELTA_LIMIT + 1))
    assert delta(version()) is None
    findings_changed(changed=[f.pk for f in findings])
    assert delta(version()) == Delta(version() - 1, sorted(f.pk for f in findings), [])


def _import(actor, data: bytes, name: str = "fleet.json"):
    return scan_import(actor=actor, stream=io.BytesIO(data), filename=name)


def _texts_same_as_a_full_read(texts) -> None:
    full = text_columns.build(texts.version)
    assert np.array_equal(texts.id, full.id)
    for name in text_columns.FIELDS:  # the same texts per finding, whatever the codes
        got = [texts.values[name][c] for c in texts.codes[name]]
        assert got == [full.values[name][c] for c in full.codes[name]], name


def test_a_small_import_patches_both_snapshots(findings, admin_user, monkeypatch):
    facet_columns.current()
    text_columns.current()
    _no_build(monkeypatch)

    _import(admin_user, trivy_doc(20))
    change = delta(version())
    assert change is not None and len(change.added) == len(change.changed) == 20

    columns = facet_columns.current(build_if_missing=False)
    texts = text_columns.current(build_if_missing=False)
    assert selectors.finding_facets(admin_user, FindingFilters(q="issue 1")).total == 11  # issue 1, 10-19
    monkeypatch.undo()
    assert len(columns) == len(texts) == 32
    _same_as_a_full_read(columns)
    _texts_same_as_a_full_read(texts)


def test_re_imports_that_close_reopen_and_replay_are_patched(admin_user, monkeypatch):
    _import(admin_user, trivy_doc(20))
    facet_columns.current()
    text_columns.current()
    _no_build(monkeypatch)

    assert _import(admin_user, trivy_doc(12)).closed == 8  # a complete scan of the same scope
    assert len(delta(version()).changed) == 8
    assert _import(admin_user, trivy_doc(20)).reopened == 8
    assert _import(admin_user, trivy_doc(20)).reopened == 0  # the same file again: a replay
    assert delta(version()) == Delta(version() - 1, [], [])

    columns = facet_columns.current(build_if_missing=False)
    texts = text_columns.current(build_if_missing=False)
    monkeypatch.undo()
    _same_as_a_full_read(columns)
    _texts_same_as_a_full_read(texts)
    assert int(np.count_nonzero(columns.status == 0)) == 20


def test_an_import_with_a_tool_the_snapshot_lacks_reads_again(unit_a, admin_user, monkeypatch):
    make_finding(unit_a, tool="grype")
    facet_columns.current()
    _import(admin_user, trivy_doc(5))
    assert delta(version()) is not None
    built: list[int] = []
    build = facet_columns.build
    monkeypatch.setattr(facet_columns, "build", lambda at: built.append(at) or build(at))
    columns = facet_columns.current()
    assert built == [version()]  # the patch could not tell the new tool's code
    assert columns.tools == ("grype", "trivy") and len(columns) == 6
    _same_as_a_full_read(columns)


def test_a_large_import_is_read_again_in_full(admin_user, monkeypatch):
    monkeypatch.setattr(engine, "DELTA_LIMIT", 10)
    _import(admin_user, trivy_doc(11))
    assert delta(version()) is None
    _import(admin_user, trivy_doc(11, start=11, artifact="other"))
    assert delta(version()) is None


@pytest.mark.django_db(transaction=True)
def test_changes_committed_at_once_get_distinct_versions():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads")
    version()  # the row exists before the writers race
    seen: list[int] = []
    errors: list[Exception] = []

    def change() -> None:
        try:
            for _ in range(5):
                with transaction.atomic():
                    findings_changed(changed=[1])
                    seen.append(version())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(seen)) == 20 and max(seen) - min(seen) == 19


def test_a_request_keeps_its_patch_and_the_warming_task_shares_it(findings, people, data_dir):
    _, analyst = people
    facet_columns.current()
    text_columns.current()
    triage.finding_mark_false_positive(actor=analyst, ref=findings[0].ref, reason="dup")
    assert facet_columns.current() is not None and text_columns.current() is not None
    assert not facet_columns._path(version()).exists() and not text_columns._path(version()).exists()
    assert warming.warm(version()) == "snapshots of 12 findings"
    assert facet_columns._path(version()).exists() and text_columns._path(version()).exists()
