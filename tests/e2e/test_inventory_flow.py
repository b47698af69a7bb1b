"""The issue's browser scenario, in real Chromium: log in with TOTP, create a system, import a CSV
that has an error and read the error, fix the file and import it, then find the systems in the
list and in the audit trail."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import Page, expect

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.inventory.models import System

PASSWORD = "Rampart-E2E-Browser-42"  # noqa: S105 - a test fixture
CPE = "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*"
HEADER = "name,kind,business_unit,environment,cpe,ip_addresses\n"
BAD_CSV = HEADER + (
    "e2e-app-01,server,retail,production,cpe:2.3:a:apache:tomcat:9.0.83:*:*:*:*:*:*:*,10.1.0.5\n"
    "e2e-db-01,databse,retail,production,cpe:2.3:a:postgresql:postgresql:15.5:*:*:*:*:*:*:*,10.1.0.6\n"
)
GOOD_CSV = BAD_CSV.replace("databse", "database")


@pytest.fixture
def manager(transactional_db) -> tuple[User, str]:
    """A security manager of Retail Banking with a TOTP authenticator; returns the user and secret."""
    unit = BusinessUnit.objects.create(code="retail", name="Retail Banking")
    user = User.objects.create_user(
        username="sophie", email="sophie@example.org", password=PASSWORD, role=Role.SECURITY_MANAGER.value
    )
    user.business_units.set([unit])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def totp_code(secret: str) -> str:
    # Two seconds before a 30-second window closes, wait for the next one: a code typed at the edge
    # of its window is one the server may already see as the next window's.
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(page: Page, username: str, secret: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    # The second step asks for the authenticator app's code.
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("sign in|log in|verify|confirm", re.I)).click()
    expect(page.get_by_role("button", name=re.compile("log out", re.I), include_hidden=True)).to_be_attached()


def upload(page: Page, content: str) -> None:
    page.goto("/inventory/systems/import/")
    page.get_by_label(re.compile("CSV", re.I)).set_input_files(
        files=[{"name": "systems.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name=re.compile("import", re.I)).click()


def test_totp_login_create_import_with_error_then_fixed_list_and_audit(page: Page, manager):
    user, secret = manager
    log_in(page, user.username, secret)

    # Create a system through the form.
    page.goto("/inventory/systems/new/")
    page.get_by_label(re.compile(r"^Name\b")).fill("e2e-web-01")
    page.get_by_label(re.compile(r"^Kind\b")).select_option("server")
    page.get_by_label(re.compile(r"^Business unit\b")).select_option("retail")
    page.get_by_label(re.compile(r"^CPE\b")).fill(CPE)
    page.get_by_role("button", name=re.compile("create system", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("e2e-web-01")
    assert System.objects.filter(name="e2e-web-01", cpe=CPE).exists()

    # A file with a bad value: the error names line and column, and nothing is imported.
    upload(page, BAD_CSV)
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Nothing was imported")
    bad_row = errors.get_by_role("row").filter(has_text="databse")
    expect(bad_row.get_by_role("cell").nth(0)).to_have_text("3")
    expect(bad_row.get_by_role("cell").nth(1)).to_have_text("kind")
    assert not System.objects.filter(name__startswith="e2e-app").exists()

    # The fixed file imports both rows.
    upload(page, GOOD_CSV)
    result = page.locator("#import-result")
    expect(result).to_contain_text("Imported systems.csv")
    expect(result.locator(".stat-card").filter(has_text="Created")).to_contain_text("2")

    # All three systems are in the list …
    page.goto("/inventory/systems/?q=e2e")
    table = page.get_by_role("table")
    for name in ("e2e-web-01", "e2e-app-01", "e2e-db-01"):
        expect(table.get_by_role("link", name=name)).to_be_visible()

    # … and in the audit trail, created by this user through the web UI.
    page.goto("/audit/")
    trail = page.get_by_role("table")
    for name in ("e2e-web-01", "e2e-app-01", "e2e-db-01"):
        row = trail.get_by_role("row").filter(has_text=name).first
        expect(row).to_contain_text("create")
        expect(row).to_contain_text(user.username)
        expect(row).to_contain_text("UI")
