"""The column snapshot's file: shared per database and version, never read half-written, old ones removed."""

import os
import time

import pytest

from ramparts.vulns import facet_columns
from ramparts.vulns.cache import TTL_SECONDS, findings_changed, version
from tests.vulns._findings import make_finding

pytestmark = pytest.mark.django_db


def test_another_process_reads_the_file_instead_of_building(data_dir, unit_a, monkeypatch):
    make_finding(unit_a, severity=4)
    built = facet_columns.current()
    assert [p.name for p in data_dir.iterdir()] == [facet_columns._path(version()).name]

    facet_columns.forget()  # as another process would start
    monkeypatch.setattr(facet_columns, "build", lambda *_: pytest.fail("built again"))
    read = facet_columns.current()
    assert read is not None and read.version == built.version and read.severity.tolist() == [4]


def test_a_damaged_file_is_rebuilt_not_trusted(data_dir, unit_a):
    make_finding(unit_a, severity=2)
    facet_columns.current()
    path = facet_columns._path(version())
    path.write_bytes(path.read_bytes()[:100])  # a crash while writing would leave no such file; a disk might
    facet_columns.forget()
    assert facet_columns.current().severity.tolist() == [2]
    assert facet_columns.FacetColumns.load(path).severity.tolist() == [2]


def test_a_new_version_replaces_the_old_file_and_abandoned_ones_go(data_dir, unit_a):
    make_finding(unit_a)
    facet_columns.current()
    data_dir.joinpath("findings-otherdatabase-1.npz").write_bytes(b"recent")
    abandoned = data_dir / "findings-gonedatabase-1.npz"
    abandoned.write_bytes(b"old")
    os.utime(abandoned, (time.time() - 2 * 86_400,) * 2)

    findings_changed()
    facet_columns.current()

    names = sorted(p.name for p in data_dir.iterdir())
    assert names == sorted([facet_columns._path(version()).name, "findings-otherdatabase-1.npz"])


def test_an_old_file_is_not_read(data_dir, unit_a):
    make_finding(unit_a, severity=1)
    facet_columns.current()
    path = facet_columns._path(version())
    os.utime(path, (time.time() - TTL_SECONDS - 1,) * 2)
    facet_columns.forget()
    assert facet_columns.current(build_if_missing=False) is None


def test_a_read_only_data_directory_still_counts(data_dir, unit_a, monkeypatch):
    make_finding(unit_a, severity=3)
    monkeypatch.setattr(facet_columns.FacetColumns, "save", lambda *_: (_ for _ in ()).throw(PermissionError()))
    assert facet_columns.current().severity.tolist() == [3]
    assert facet_columns.current(build_if_missing=False) is not None  # this process keeps its own
