"""The text snapshot: a text search tests each distinct title, package, host and CVE once, and its file
is read back exactly or not at all."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ramparts.vulns import facet_columns, facets, selectors, text_columns
from ramparts.vulns.cache import version
from ramparts.vulns.filters import FindingFilters
from tests.vulns._findings import make_finding

pytestmark = pytest.mark.django_db


def _titles(texts, text: str) -> list[int]:
    return sorted(texts.id[texts.matching(text)].tolist())


def test_each_field_is_searched_in_any_case(unit_a):
    a = make_finding(unit_a, title="Heap overflow in OpenSSL", package="openssl")
    b = make_finding(unit_a, title="zlib inflate", package="zlib", host="WEB-01.example.org")
    c = make_finding(unit_a, title="Ümlaut déjà vu", cve="CVE-2024-12345")
    texts = text_columns.build(version())

    assert _titles(texts, "OPENssl") == [a.pk]
    assert _titles(texts, "web-01") == [b.pk]
    assert _titles(texts, "cve-2024-123") == [c.pk]
    assert _titles(texts, "ÜMLAUT DÉJÀ") == [c.pk]  # all of Unicode, not only ASCII
    assert _titles(texts, "l") == sorted([a.pk, b.pk, c.pk])
    assert _titles(texts, "nowhere") == []


def test_repeated_values_are_held_once(unit_a):
    for i in range(6):
        make_finding(unit_a, title="same title", package=("openssl", "zlib")[i % 2], host="")
    texts = text_columns.build(version())
    assert texts.values["title"] == ("same title",)
    assert sorted(texts.values["package"]) == ["openssl", "zlib"]
    assert len(texts) == 6 and texts.codes["package"].tolist() == [0, 1, 0, 1, 0, 1]


def test_the_file_gives_back_the_same_snapshot(data_dir, unit_a, monkeypatch):
    make_finding(unit_a, title="kept", package="é-pkg")
    make_finding(unit_a, title="", package="")
    built = text_columns.current()
    text_columns.forget()
    monkeypatch.setattr(text_columns, "build", lambda *_: pytest.fail("built again"))
    read = text_columns.current(build_if_missing=False)

    assert read is not None and read.version == built.version
    assert np.array_equal(read.id, built.id)
    assert read.values == built.values and read.values["package"] == ("é-pkg", "")
    assert all(np.array_equal(read.codes[name], built.codes[name]) for name in text_columns.FIELDS)
    assert _titles(read, "é-p") == _titles(built, "é-p") and _titles(read, "é-p")


def test_a_nul_in_a_value_does_not_shift_the_others(tmp_path):
    # SQLite keeps a NUL in a text (PostgreSQL refuses it); the file separates values by NUL.
    texts = text_columns.TextColumns(
        version=1,
        id=np.array([1, 2], dtype=np.int64),
        codes={name: np.array([0, 1], dtype=np.int32) for name in text_columns.FIELDS},
        values={name: ("with a \x00 inside", "after") for name in text_columns.FIELDS},
    )
    texts.save(tmp_path / "t.npz")
    read = text_columns.TextColumns.load(tmp_path / "t.npz")
    assert read.values["title"] == ("with a \ufffd inside", "after")
    assert _titles(read, "after") == [2]


def test_a_damaged_file_is_not_read(data_dir, unit_a):
    make_finding(unit_a, title="kept")
    text_columns.current()
    path = text_columns._path(version())
    with np.load(path) as stored:
        arrays = dict(stored)
    arrays["count_title"] = np.int64(5)  # values that do not match their codes
    with open(path, "wb") as out:
        np.savez(out, **arrays)
    with pytest.raises(ValueError, match="title values do not match"):
        text_columns.TextColumns.load(path)
    text_columns.forget()
    assert text_columns.current(build_if_missing=False) is None


def test_a_search_reads_no_row_once_both_snapshots_exist(admin_user, unit_a):
    make_finding(unit_a, title="openssl overflow", cve="CVE-2024-1")
    make_finding(unit_a, title="zlib", cve="CVE-2024-2")
    facet_columns.current()
    text_columns.current()
    with CaptureQueriesContext(connection) as queries:
        assert selectors.finding_facets(admin_user, FindingFilters(q="OpenSSL")).total == 1
    assert not [q["sql"] for q in queries if '"vulns_finding"' in q["sql"]]
    # a CVE filter is an exact, indexed match: one query, intersected with the search
    assert selectors.finding_facets(admin_user, FindingFilters(q="openssl", cve="CVE-2024-2")).total == 0
    assert selectors.finding_facets(admin_user, FindingFilters(q="LIB", cve="cve-2024-2")).total == 1


def test_a_text_snapshot_of_another_version_is_not_used(admin_user, unit_a, monkeypatch):
    make_finding(unit_a, title="openssl overflow")
    text_columns.current()
    make_finding(unit_a, title="openssl again")
    from ramparts.vulns.cache import findings_changed

    findings_changed()
    monkeypatch.setattr(text_columns, "current", lambda **_: text_columns.build(version() - 1))
    assert selectors.finding_facets(admin_user, FindingFilters(q="openssl")).total == 2
    assert facets._text_matches  # searched in SQL
