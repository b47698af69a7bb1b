"""Findings triage in real Chromium: filter the list to CISA KEV with the facet, open the finding,
mark it false positive with a reason, re-import the scan, and see that it stayed a false positive.
(The upload page and its progress bar have their own flow test, with the scan imports.)"""

import io
import json
import re

import pytest
from playwright.sync_api import Page, expect

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.vulns.models import Finding, KevEntry
from ramparts.vulns.services import scan_import

PASSWORD = "Rampart-E2E-Browser-42"  # noqa: S105 - a test fixture


def trivy(extra_space: bool = False) -> bytes:
    vulns = [
        {"VulnerabilityID": "CVE-2023-4966", "PkgName": "netscaler-adc", "InstalledVersion": "13.1-49.13",
         "FixedVersion": "13.1-49.15", "Severity": "CRITICAL", "Title": "Citrix Bleed"},
        {"VulnerabilityID": "CVE-2023-5678", "PkgName": "openssl", "InstalledVersion": "3.0.11",
         "FixedVersion": "3.0.13", "Severity": "MEDIUM", "Title": "OpenSSL DH key checks"},
    ]  # fmt: skip
    doc = {"SchemaVersion": 2, "ArtifactName": "gw-01", "Results": [{"Target": "gw-01", "Vulnerabilities": vulns}]}
    return json.dumps(doc, indent=2 if extra_space else None).encode()


@pytest.fixture
def analyst(transactional_db) -> User:
    unit = BusinessUnit.objects.create(code="retail", name="Retail Banking")
    user = User.objects.create_user(username="ana", password=PASSWORD, role=Role.ANALYST.value)
    user.business_units.set([unit])
    KevEntry.objects.create(cve="CVE-2023-4966", date_added="2023-10-18", due_date="2023-11-08", known_ransomware=True)
    scan_import(actor=user, stream=io.BytesIO(trivy()), filename="gw-01.json")
    return user


def test_filter_kev_mark_false_positive_and_reimport(page: Page, analyst: User):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(analyst.username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    page.goto("/vulns/findings/")
    expect(page.get_by_text("2 results").first).to_be_visible()
    page.get_by_role("link", name="in KEV").click()
    expect(page.get_by_text("1 result ").first).to_be_visible()
    page.get_by_role("link", name=re.compile("Citrix Bleed")).click()
    expect(page.get_by_text(re.compile("is in CISA's KEV catalogue"))).to_be_visible()
    page.get_by_label(re.compile("false positive", re.I)).fill("Appliance replaced; scanner sees the old image")
    page.get_by_role("button", name="Mark false positive").click()
    expect(page.get_by_text(re.compile("re-imports will not reopen it"))).to_be_visible()
    result = scan_import(actor=analyst, stream=io.BytesIO(trivy(extra_space=True)), filename="gw-01.json")
    assert result.reopened == 0 and result.new == 0
    page.reload()
    expect(page.get_by_text("False positive:")).to_be_visible()
    assert Finding.objects.get(cve="CVE-2023-4966").status == Finding.Status.FALSE_POSITIVE
