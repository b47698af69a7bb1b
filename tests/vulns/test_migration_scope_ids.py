"""Migration 0012: stored findings keep their scope and their identity (a re-import still recognises them)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ramparts.vulns.importing.prepared import preparer
from ramparts.vulns.models import Finding
from ramparts.vulns.parsers import RawFinding, Severity

BEFORE = [("vulns", "0011_findings_version")]
AFTER = [("vulns", "0012_finding_scope_ids_and_short_fingerprints")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_scopes_become_rows_and_fingerprints_keep_their_first_half(unit_a):
    old = migrate(BEFORE).get_model("vulns", "Finding")
    raw = RawFinding(title="t", severity=Severity.HIGH, tool="trivy", fingerprint_parts=("img", "openssl", "CVE-1"))
    # what the import stored before: the whole SHA-256 hex of the same text
    stored_hex = hashlib.sha256(b"trivy\x1fimg\x1fopenssl\x1fCVE-1").hexdigest()
    now = timezone.now()
    common = {"business_unit_id": unit_a.pk, "title": "t", "first_seen": now, "last_seen": now}
    old.objects.create(number=1, fingerprint=stored_hex, scope="unit:a|system:-|format:trivy", **common)
    old.objects.create(number=2, fingerprint="made-by-hand", scope="unit:a|system:-|format:trivy", **common)
    old.objects.create(number=3, fingerprint=stored_hex, scope="unit:a|system:-|format:grype", **common)

    migrate(AFTER)
    found = {f.number: f for f in Finding.objects.select_related("scope")}
    assert bytes(found[1].fingerprint) == preparer("trivy", targets=False)(raw)[0]  # what a re-import computes
    assert bytes(found[2].fingerprint) == hashlib.sha256(b"made-by-hand").digest()[:16]
    assert found[1].scope_id == found[2].scope_id != found[3].scope_id
    assert found[3].scope.key == "unit:a|system:-|format:grype"
