"""Scan import: de-duplication and re-import rules on real files, all-or-nothing on bad ones."""

import gc
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ramparts.core.errors import ValidationFailed
from ramparts.core.models import AuditEntry
from ramparts.inventory.models import System
from ramparts.vulns import parsers
from ramparts.vulns.models import Finding, ScanImport
from ramparts.vulns.services import scan_import
from tests.vulns._synth import trivy_doc
from tests.vulns.parsers._scans import SCANS, needs_scans

pytestmark = [pytest.mark.django_db, needs_scans]


def imp(actor, rel, **kw):
    with open(SCANS / rel, "rb") as fh:
        return scan_import(actor=actor, stream=fh, filename=rel, **kw)


def imp_bytes(actor, data, name="synthetic.json", **kw):
    return scan_import(actor=actor, stream=io.BytesIO(data), filename=name, **kw)


@pytest.fixture
def admin(admin_user, unit_a):
    return admin_user


def test_same_file_twice_creates_nothing_new(admin):
    first = imp(admin, "trivy/kubernetes.json")
    assert first.new == first.findings > 0
    second = imp(admin, "trivy/kubernetes.json")
    assert (second.new, second.unchanged, second.reopened, second.closed) == (0, first.findings, 0, 0)
    assert Finding.objects.count() == first.findings
    assert ScanImport.objects.count() == 2
    stored = Finding.objects.order_by("number").first()
    assert stored.ref == "FND-1" and stored.title and stored.tool
    assert stored.first_seen.tzinfo is not None and stored.last_seen_at > stored.first_seen
    # the replay of the same file keeps pointing at the import that parsed it (docs/vulns.md)
    assert stored.last_import == ScanImport.objects.get(number=1)
    assert ScanImport.objects.get(number=2).options["findings_of"] == stored.last_import.pk


def test_subset_closes_the_difference_then_full_reopens(admin):
    full = imp(admin, "trivy/kubernetes.json")
    subset = imp(admin, "trivy/kubernetes_fabricated_subset.json")
    assert subset.closed == full.findings - subset.unchanged and subset.closed > 0
    assert Finding.objects.filter(status="fixed").count() == subset.closed
    again = imp(admin, "trivy/kubernetes.json")
    assert (again.new, again.reopened, again.unchanged) == (0, subset.closed, subset.findings)
    assert Finding.objects.filter(reopened_count=1).count() == subset.closed


def test_false_positive_is_never_reopened(admin):
    full = imp(admin, "trivy/kubernetes.json")
    subset = imp(admin, "trivy/kubernetes_fabricated_subset.json")
    closed = Finding.objects.filter(status="fixed")
    marked = closed.first()
    Finding.objects.filter(pk=marked.pk).update(status="false_positive")
    again = imp(admin, "trivy/kubernetes.json")
    assert again.reopened == subset.closed - 1
    assert again.unchanged == full.findings - again.reopened
    assert Finding.objects.get(pk=marked.pk).status == "false_positive"


def test_zap_sequence(admin):
    results = [
        imp(admin, f"zap/{name}")
        for name in (
            "0_zap_sample.xml",
            "1_zap_sample_0_and_new_absent.xml",
            "2_zap_sample_0_and_new_endpoint.xml",
            "3_zap_sampl_0_and_different_severities.xml",
        )
    ]
    assert results[0].new == results[0].findings
    for r in results:
        assert r.findings == r.new + r.unchanged + r.reopened
    assert Finding.objects.filter(status="open").count() == results[-1].findings


def test_semgrep_close_old_findings(admin):
    first = imp(admin, "semgrep/close_old_findings_report_line31.json")
    second = imp(admin, "semgrep/close_old_findings_report_second_run_line24.json")
    assert first.new == first.findings
    assert second.findings == second.new + second.unchanged
    assert second.closed == first.findings - second.unchanged
    assert Finding.objects.filter(status="open").count() == second.findings


@pytest.mark.parametrize(
    "data", [b"", b"\x00\x01\x02binary", b'{"SchemaVersion": 2, "Results": [{"Vulnerabilities": [', b'{"hello": 1}']
)
def test_bad_files_store_nothing(admin, data):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as err:
        imp_bytes(admin, data, name="bad.json")
    assert "bad.json" in str(err.value)
    assert (ScanImport.objects.count(), Finding.objects.count(), AuditEntry.objects.count()) == (0, 0, audit_before)


def test_wrong_explicit_format_and_truncated_after_findings(admin):
    with pytest.raises(ValidationFailed, match="bad.xml.*zap"):
        imp_bytes(admin, trivy_doc(3), name="bad.xml", format="zap")
    truncated = trivy_doc(50)[:-200]
    with pytest.raises(ValidationFailed, match="trunc.json"):
        imp_bytes(admin, truncated, name="trunc.json")
    assert (ScanImport.objects.count(), Finding.objects.count()) == (0, 0)


def test_one_audit_entry_per_import(admin):
    before = AuditEntry.objects.count()
    imp_bytes(admin, trivy_doc(40))
    assert AuditEntry.objects.count() == before + 1


def test_system_created_and_assigned(admin, unit_a):
    result = imp(admin, "trivy/kubernetes.json", system="k8s-prod", create_system=True)
    system = System.objects.get(name="k8s-prod")
    assert system.business_unit == unit_a
    assert Finding.objects.filter(system=system).count() == result.findings


def test_unknown_system_without_create_is_refused(admin):
    with pytest.raises(Exception, match="k8s-none"):
        imp(admin, "trivy/kubernetes.json", system="k8s-none")
    assert ScanImport.objects.count() == 0


def test_query_count_does_not_grow_with_findings(admin):
    def count(n, start):
        with CaptureQueriesContext(connection) as ctx:
            imp_bytes(admin, trivy_doc(n, start), name=f"s{start}.json", business_unit="retail")
        return len(ctx.captured_queries)

    def fresh(n, start):
        Finding.objects.all().delete()
        ScanImport.objects.all().delete()
        return count(n, start)

    fresh(3, 5000)  # warms the per-user caches
    assert fresh(300, 1000) == fresh(30, 0)


def test_cli_json_and_bad_file(admin, tmp_path, capsys):
    call_command("scans", "import", str(SCANS / "trivy/kubernetes.json"), "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"format", "findings", "new", "unchanged", "reopened", "closed"}
    assert out["format"] == "trivy" and out["new"] == out["findings"]
    bad = tmp_path / "broken.json"
    bad.write_bytes(trivy_doc(5)[:-30])
    with pytest.raises(CommandError, match=r"broken\.json.*trivy"):
        call_command("scans", "import", str(bad))
    assert ScanImport.objects.count() == 1


def test_the_garbage_collector_is_back_after_an_import_whatever_its_end(admin, monkeypatch):
    paused: list[bool] = []
    parse = parsers.parse

    def watching(*args, **kwargs):
        paused.append(not gc.isenabled())
        yield from parse(*args, **kwargs)

    monkeypatch.setattr(parsers, "parse", watching)
    imp_bytes(admin, trivy_doc(20))
    with pytest.raises(ValidationFailed):
        imp_bytes(admin, trivy_doc(50)[:-200], name="truncated.json")
    assert paused == [True, True] and gc.isenabled()
