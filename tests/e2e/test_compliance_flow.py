"""The issue's compliance scenario in real Chromium: import a catalog, map a control to
requirements of two frameworks (the imported catalog and the built-in CSF 2.0), attach evidence,
see the coverage of both frameworks change; then, as an employee, acknowledge a published policy
that supports the control."""

import re

import orjson
import pytest
from playwright.sync_api import Page, expect

from ramparts.compliance.models import Control, Evidence
from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.frameworks.services import BUILTIN_CSF_SLUG, builtin_install
from ramparts.policies import services as policies
from ramparts.policies.models import Acknowledgement
from tests.frameworks.conftest import tiny_catalog

PASSWORD = "Rampart-E2E-Compliance-42"  # noqa: S105 - a test fixture
POLICY = "Access Control Policy"


@pytest.fixture
def people(transactional_db) -> dict[str, User]:
    retail = BusinessUnit.objects.create(code="retail", name="Retail Banking")
    users = {}
    for username, role in (("sophie", Role.SECURITY_MANAGER), ("victor", Role.EXECUTIVE), ("erin", Role.EMPLOYEE)):
        user = User.objects.create_user(username=username, password=PASSWORD, role=role.value)
        user.business_units.set([retail])
        users[username] = user
    builtin_install()
    return users


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page.get_by_role("button", name=re.compile("log out", re.I), include_hidden=True)).to_be_attached()


def coverage(page: Page, slug: str):
    return page.locator(f'#framework-coverage tr[data-framework="{slug}"] td.coverage')


def map_to(page: Page, framework_label: str, identifiers: str) -> None:
    page.locator("#map-form").get_by_label("Framework").select_option(label=framework_label)
    page.locator("#map-form").get_by_label("Requirement identifiers").fill(identifiers)
    page.locator("#map-form").get_by_role("button", name="Save mappings").click()
    expect(page.locator(".flash").first).to_contain_text("mapped")


def test_one_control_answers_two_frameworks_with_evidence(page: Page, people):
    log_in(page, "sophie")

    # 1. Import a catalog.
    page.goto("/frameworks/import/")
    page.locator("#framework-file").set_input_files(
        files=[{"name": "tiny-catalog.json", "mimeType": "application/json", "buffer": orjson.dumps(tiny_catalog())}]
    )
    page.locator("#framework-form").get_by_role("button", name=re.compile("import", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiny Test Catalog")
    tiny_slug = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.goto("/compliance/")
    expect(coverage(page, tiny_slug)).to_have_text("0.0%")
    expect(coverage(page, BUILTIN_CSF_SLUG)).to_have_text("0.0%")

    # 2. A control, implemented, mapped to requirements of the two frameworks.
    page.goto("/compliance/controls/new/")
    page.get_by_label(re.compile("^Name")).fill("Quarterly access review")
    page.get_by_label(re.compile("^Business unit")).select_option("retail")
    page.get_by_label(re.compile("^Type")).select_option("detective")
    page.get_by_label(re.compile("^Implementation status")).select_option("implemented")
    page.get_by_role("button", name="Create control").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly access review")
    map_to(page, "Tiny Test Catalog 1.0", "TC-1")
    map_to(page, "NIST Cybersecurity Framework 2.0", "PR.AA-05, PR.AA-01")
    expect(page.locator("#mappings")).to_contain_text("PR.AA-05")
    expect(page.locator("#mappings")).to_contain_text("TC-1")

    # 3. Evidence: a file, stored with its SHA-256 and offered for download only.
    page.locator("summary", has_text="Add evidence").click()
    page.get_by_label("Title").fill("Access review minutes, Q3")
    page.get_by_label("File").set_input_files(
        files=[{"name": "review-q3.txt", "mimeType": "text/plain", "buffer": b"Reviewed 212 accounts, removed 9."}]
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".flash").first).to_contain_text("SHA-256")
    expect(page.locator("ul.evidence")).to_contain_text("review-q3.txt")
    evidence = Evidence.objects.get()
    assert evidence.size == 33 and len(evidence.sha256) == 64

    # 4. The coverage of both frameworks has moved.
    page.goto("/compliance/")
    expect(coverage(page, tiny_slug)).not_to_have_text("0.0%")
    expect(coverage(page, BUILTIN_CSF_SLUG)).not_to_have_text("0.0%")
    tiny = float(coverage(page, tiny_slug).inner_text().rstrip("%"))
    csf = float(coverage(page, BUILTIN_CSF_SLUG).inner_text().rstrip("%"))
    assert tiny > 0 and csf > 0

    # 5. The access control policy supporting the control is published; the employee acknowledges it.
    control = Control.objects.get()
    sophie, victor = people["sophie"], people["victor"]
    policy = policies.policy_create(
        actor=sophie, business_unit="retail", title=POLICY, text="Access is reviewed **every quarter**.",
        audience_units=["retail"], controls=[control.ref],
    )  # fmt: skip
    policies.version_submit(actor=sophie, ref=policy.ref, label="1.0")
    policies.version_approve(actor=victor, ref=policy.ref, label="1.0")
    policies.version_publish(actor=sophie, ref=policy.ref, label="1.0")
    log_in(page, "erin")
    page.goto("/")
    page.get_by_role("link", name=re.compile(f"Acknowledge {POLICY}")).click()
    page.get_by_role("button", name=re.compile("I have read and acknowledge")).click()
    expect(page.locator("#acknowledgement")).to_contain_text("You acknowledged this policy")
    assert Acknowledgement.objects.get(user=people["erin"]).version.policy == policy
