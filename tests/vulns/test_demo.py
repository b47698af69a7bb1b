"""The vulns demo: loads on the demo organisation, idempotent, KEV subset matches CISA's real catalogue."""

import csv

import pytest

from ramparts.core.models import AuditEntry
from ramparts.demo.load import load_demo
from ramparts.vulns import demo
from ramparts.vulns.models import Finding, FindingAcceptance, KevEntry, ScanImport
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db


def test_kev_subset_is_real():
    path = SHARED_DATA / "feeds" / "kev" / "known_exploited_vulnerabilities.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        real = {r["cveID"]: r for r in csv.DictReader(fh)}
    for cve, _vendor, _product, _name, added, due, ransomware in demo.KEV_SUBSET:
        assert real[cve]["dateAdded"] == added and real[cve]["dueDate"] == due, cve
        assert real[cve]["knownRansomwareCampaignUse"] == ransomware, cve


def test_demo_loads_twice_without_changes():
    load_demo()
    lines = demo.load(seed=2026)
    assert any("Trivy reports imported" in line for line in lines)
    assert KevEntry.objects.count() == len(demo.KEV_SUBSET)
    kev_open = Finding.objects.filter(status="open", kev_date_added__isnull=False)
    assert kev_open.exists() and kev_open.filter(ssvc_decision__in=["act", "attend"]).exists()
    assert Finding.objects.filter(status="false_positive").count() == 3
    assert FindingAcceptance.objects.count() == 2
    assert Finding.objects.filter(assignee__isnull=False).exists()
    before = (Finding.objects.count(), ScanImport.objects.count(), AuditEntry.objects.count())
    assert demo.load(seed=2026) == []
    assert (Finding.objects.count(), ScanImport.objects.count(), AuditEntry.objects.count()) == before
