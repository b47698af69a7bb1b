"""Parse ahead: a large file is parsed in a child process; it must read exactly what the importing process would."""

import io
import subprocess

import pytest

from ramparts.core.errors import ValidationFailed
from ramparts.vulns import parsers
from ramparts.vulns.importing import ahead
from ramparts.vulns.models import Finding, ScanImport
from ramparts.vulns.services import scan_import
from tests.vulns._synth import trivy_doc
from tests.vulns.parsers._scans import SCANS, needs_scans

# One real file of each family: JSON streamed by Results, SARIF, XML, CSV, JSON Lines.
FILES = [
    ("trivy/kubernetes.json", "trivy"),
    ("sarif/codeQL-output.sarif", "sarif"),
    ("nessus/nessus_with_cvssv3.nessus", "nessus-xml"),
    ("openvas/many_vuln.csv", "openvas-csv"),
    ("nuclei/many_findings.json", "nuclei"),
    ("burp/seven_findings.xml", "burp-xml"),
]


@pytest.fixture
def always_ahead(monkeypatch):
    monkeypatch.setattr(ahead, "AHEAD_MIN_BYTES", 0)


@pytest.fixture
def spawned(monkeypatch):
    """The keyword arguments of every child started (the real Popen still runs)."""
    calls = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ahead.subprocess, "Popen", popen)
    return calls


def all_new(items):
    return True


def read_all(path, fmt, *, child: bool, targets: bool = True, mostly_new=all_new):
    with open(path, "rb") as fh:
        size = 1 << 40 if child else 0  # above and below AHEAD_MIN_BYTES
        return list(ahead.batches(fh, fmt=fmt, source=path.name, targets=targets, size=size, mostly_new=mostly_new))


@needs_scans
@pytest.mark.parametrize(("rel", "fmt"), FILES)
def test_the_child_reads_what_this_process_reads(rel, fmt, spawned):
    here = read_all(SCANS / rel, fmt, child=False)
    there = read_all(SCANS / rel, fmt, child=True)
    assert len(spawned) == 1
    assert sum(len(items) for items, _ in here) > 0
    assert [items for items, _ in there] == [items for items, _ in here]
    assert there[-1][1] == here[-1][1] > 0  # bytes read, for the progress bar


def test_batches_keep_their_size_and_report_progress(tmp_path, monkeypatch, spawned):
    monkeypatch.setattr(ahead, "BATCH", 7)
    path = tmp_path / "scan.json"
    path.write_bytes(trivy_doc(30))
    batches = read_all(path, "trivy", child=True, targets=False)
    assert [len(items) for items, _ in batches] == [7, 7, 7, 7, 2]
    assert all(target == "" for items, _ in batches for _, target, _, _ in items)
    assert 5_000 < ahead.last_parser_peak_kib < 500_000  # the child's own peak memory, for the benchmark


def test_a_reimport_stops_the_child_after_the_first_batch_and_reads_here(tmp_path, monkeypatch, spawned):
    monkeypatch.setattr(ahead, "BATCH", 7)
    path = tmp_path / "scan.json"
    path.write_bytes(trivy_doc(30))
    asked = []

    def mostly_stored(items):
        asked.append(len(items))
        return False

    here = read_all(path, "trivy", child=False)
    again = read_all(path, "trivy", child=True, mostly_new=mostly_stored)
    assert len(spawned) == 1 and asked == [7]
    assert [items for items, _ in again] == [items for items, _ in here]


def test_a_stream_without_a_file_is_read_here(spawned):
    stream = io.BytesIO(trivy_doc(3))
    items = list(ahead.batches(stream, fmt="trivy", source="s.json", targets=True, size=1 << 40, mostly_new=all_new))
    assert spawned == [] and len(items[0][0]) == 3


def test_the_child_gets_no_secret(tmp_path, spawned, monkeypatch):
    monkeypatch.setenv("RAMPARTS_SECRET_KEY", "do-not-pass-me")
    path = tmp_path / "scan.json"
    path.write_bytes(trivy_doc(2))
    read_all(path, "trivy", child=True)
    assert set(spawned[0]["env"]) == {"PYTHONPATH"}


def test_the_file_error_comes_back_with_its_position(tmp_path, spawned):
    path = tmp_path / "cut.json"
    path.write_bytes(trivy_doc(50)[:-300])
    with pytest.raises(parsers.ParseError) as caught:
        read_all(path, "trivy", child=True)
    assert spawned and caught.value.source == "cut.json" and caught.value.format == "trivy"
    assert caught.value.position


def test_a_child_that_dies_is_an_error_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(ahead.sys, "executable", "/bin/false")
    path = tmp_path / "scan.json"
    path.write_bytes(trivy_doc(2))
    with pytest.raises(ahead.ParserProcessFailed, match="scan.json: the parser process stopped"):
        read_all(path, "trivy", child=True)


def test_without_a_process_to_spare_the_file_is_read_here(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(ahead.subprocess, "Popen", refuse)
    path = tmp_path / "scan.json"
    path.write_bytes(trivy_doc(4))
    with open(path, "rb") as fh:
        read = ahead.batches(fh, fmt="trivy", source="scan.json", targets=True, size=1 << 40, mostly_new=all_new)
        batches = list(read)
    assert len(batches[0][0]) == 4


@pytest.mark.django_db
class TestImports:
    @pytest.fixture
    def admin(self, admin_user, unit_a):
        return admin_user

    def test_an_import_through_the_child_then_a_reimport(self, admin, tmp_path, always_ahead, spawned):
        path, subset = tmp_path / "scan.json", tmp_path / "subset.json"
        path.write_bytes(trivy_doc(40))
        subset.write_bytes(trivy_doc(30))
        with open(path, "rb") as fh:
            first = scan_import(actor=admin, stream=fh, filename="scan.json")
        with open(subset, "rb") as fh:
            second = scan_import(actor=admin, stream=fh, filename="scan.json")
        assert len(spawned) == 2  # the re-import's child stops after its first batch: the rest is read here
        assert (first.new, second.unchanged, second.closed) == (40, 30, 10)
        assert Finding.objects.filter(status="open").count() == 30
        assert set(Finding.objects.values_list("cve", flat=True)) >= {"CVE-2024-000000", "CVE-2024-000039"}

    def test_a_bad_file_read_by_the_child_stores_nothing(self, admin, tmp_path, always_ahead, spawned):
        path = tmp_path / "cut.json"
        path.write_bytes(trivy_doc(50)[:-300])
        with open(path, "rb") as fh, pytest.raises(ValidationFailed, match=r"cut\.json: cannot import as trivy at"):
            scan_import(actor=admin, stream=fh, filename="cut.json")
        assert spawned and not Finding.objects.exists() and not ScanImport.objects.exists()
