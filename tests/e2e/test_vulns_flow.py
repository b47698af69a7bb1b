"""The issue's browser scenario for scan imports, in real Chromium: load the shared CISA KEV
catalogue, upload a real Trivy report on the upload page, watch the progress bar until the
counts appear, filter the findings to KEV, mark the KEV finding false positive, upload the same
file again and check that it was not reopened."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.vulns import feed_updates, services
from ramparts.vulns.models import Finding, ScanImport
from tests.vulns.parsers._scans import SCANS, needs_scans

pytestmark = needs_scans
PASSWORD = "Rampart-E2E-Browser-42"  # noqa: S105 - a test fixture
REPORT = SCANS / "trivy" / "scheme_2_many_vulns.json"  # 5 findings; CVE-2020-15999 (FreeType) is in KEV
KEV = SCANS.parent / "feeds" / "kev" / "known_exploited_vulnerabilities.json"
KEV_CVE = "CVE-2020-15999"


@pytest.fixture
def manager(transactional_db, settings, tmp_path) -> User:
    settings.DATA_DIR = tmp_path
    unit = BusinessUnit.objects.create(code="retail", name="Retail Banking")
    user = User.objects.create_user(username="sam", password=PASSWORD, role=Role.SECURITY_MANAGER.value)
    user.business_units.set([unit])
    feed_updates.feed_update(actor=user, feed="kev", path=KEV)
    return user


@pytest.fixture
def held_queue(monkeypatch) -> list[int]:
    """Queued imports wait here until the test runs them, so the page shows them in progress."""
    held: list[int] = []
    monkeypatch.setattr(services, "_enqueue", held.append)
    return held


def upload(page: Page, path: Path) -> None:
    page.goto("/vulns/imports/new/")
    page.get_by_label("Scan file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()


def run_held(held: list[int]) -> None:
    while held:
        services.scan_import_run(scan_id=held.pop(0))


def test_upload_watch_progress_filter_kev_false_positive_reimport(page: Page, manager: User, held_queue):
    page.set_default_navigation_timeout(60_000)  # the shared CI machine may be busy
    page.set_default_timeout(30_000)
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(manager.username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()

    upload(page, REPORT)
    expect(page.get_by_role("heading", name=re.compile("Importing"))).to_be_visible()
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_be_visible()
    run_held(held_queue)  # the worker picks the import up; the page polls every second
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=10_000)
    expect(page.locator('[data-count="new"]')).to_have_text("5")
    expect(bar).to_have_attribute("value", "100")

    page.get_by_role("button", name="See the findings").click()
    page.get_by_role("link", name="in KEV").click()
    expect(page.get_by_text("1 result ").first).to_be_visible()
    page.get_by_role("link", name=re.compile("freetype", re.I)).first.click()
    expect(page.get_by_text(re.compile("is in CISA's KEV catalogue"))).to_be_visible()
    page.get_by_label(re.compile("false positive", re.I)).fill("FreeType is not used by this image's services")
    page.get_by_role("button", name="Mark false positive").click()
    expect(page.get_by_text(re.compile("re-imports will not reopen it"))).to_be_visible()

    upload(page, REPORT)
    run_held(held_queue)
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=10_000)
    expect(page.locator('[data-count="reopened"]')).to_have_text("0")
    expect(page.locator('[data-count="new"]')).to_have_text("0")
    expect(page.locator('[data-count="unchanged"]')).to_have_text("5")
    assert Finding.objects.get(cve=KEV_CVE).status == Finding.Status.FALSE_POSITIVE
    assert list(ScanImport.objects.values_list("status", flat=True)) == ["done", "done"]

    page.goto("/vulns/imports/")
    expect(page.get_by_role("link", name="SCAN-2")).to_be_visible()
