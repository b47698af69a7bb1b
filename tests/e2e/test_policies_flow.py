"""The policy acknowledgement scenario in real Chromium: a security manager writes a policy for the
employee's unit and submits it, an executive approves it, the manager publishes it; the employee
finds it on their personal home, reads it and acknowledges it; the report's rate goes up."""

import re

import pytest
from playwright.sync_api import Page, expect

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.inventory.models import Person
from ramparts.policies.models import Acknowledgement

PASSWORD = "Rampart-E2E-Browser-42"  # noqa: S105 - a test fixture
TITLE = "Clean Desk Standard"


@pytest.fixture
def people(transactional_db) -> dict[str, User]:
    retail = BusinessUnit.objects.create(code="retail", name="Retail Banking")
    BusinessUnit.objects.create(code="wealth", name="Wealth Management")
    users = {}
    for username, role in (("sophie", Role.SECURITY_MANAGER), ("victor", Role.EXECUTIVE), ("erin", Role.EMPLOYEE)):
        user = User.objects.create_user(username=username, password=PASSWORD, role=role.value)
        user.business_units.set([retail])
        users[username] = user
    # Two people of the employee's department: one with an account (erin), one without.
    Person.objects.create(number=1, business_unit=retail, employee_id="NW1", full_name="Erin Example",
                          department="Customer Service", user=users["erin"])  # fmt: skip
    Person.objects.create(number=2, business_unit=retail, employee_id="NW2", full_name="Sam Sample",
                          department="Customer Service")  # fmt: skip
    return users


def log_in(page: Page, username: str) -> None:
    """Each person in turn on the same browser: the previous session's cookies are dropped first."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page.get_by_role("button", name=re.compile("log out", re.I), include_hidden=True)).to_be_attached()


def test_publish_to_a_unit_then_the_employee_acknowledges_and_the_rate_rises(page: Page, people):
    # The security manager writes the policy for Retail Banking and submits version 1.0.
    log_in(page, "sophie")
    page.goto("/policies/new/")
    page.get_by_label(re.compile(r"^Title")).fill(TITLE)
    page.get_by_label(re.compile(r"^Kind")).select_option("standard")
    page.get_by_label(re.compile(r"^Owner unit")).select_option("retail")
    page.get_by_role("group", name="Addressed to units").get_by_label("Retail Banking").check()
    page.get_by_label(re.compile(r"^Text")).fill("# Clean desk\n\nLock away **customer files** every evening.\n")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    ref = page.locator(".breadcrumbs .ref").inner_text()
    page.goto(f"/policies/{ref}/versions/1.0/")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".flash").first).to_contain_text("sent for approval")

    # The executive approves it (the author may not).
    log_in(page, "victor")
    page.goto("/policies/approvals/")
    page.get_by_role("link", name="Review and decide").click()
    page.get_by_role("button", name=re.compile("^Approve version 1.0")).click()
    expect(page.locator(".flash").first).to_contain_text("approved")

    # The manager publishes; nobody has acknowledged yet.
    log_in(page, "sophie")
    page.goto(f"/policies/{ref}/versions/1.0/")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash").first).to_contain_text("published")
    page.goto(f"/policies/reports/{ref}/")
    expect(page.locator("#ack-rate")).to_have_text("0.0 %")

    # The employee sees it on their personal home, reads it and acknowledges it.
    log_in(page, "erin")
    page.goto("/")
    page.get_by_role("link", name=re.compile(f"Acknowledge {TITLE}")).click()
    expect(page.locator(".policy-text strong")).to_have_text("customer files")
    page.get_by_role("button", name=re.compile("I have read and acknowledge")).click()
    expect(page.locator("#acknowledgement")).to_contain_text("You acknowledged this policy")
    page.goto("/policies/mine/")
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("acknowledged")
    assert Acknowledgement.objects.get(user=people["erin"]).version.label == "1.0"

    # The report now counts one of the two people of Customer Service.
    log_in(page, "sophie")
    page.goto(f"/policies/reports/{ref}/")
    expect(page.locator("#ack-rate")).to_have_text("50.0 %")
    expect(page.get_by_role("row").filter(has_text="Customer Service").first).to_contain_text("50.0 %")
    expect(page.get_by_role("row").filter(has_text="Sam Sample")).to_contain_text("no account")
