"""The issue's browser scenario for risk, in real Chromium: a security manager creates a risk linked
to a system that has an open KEV finding and sees the KEV count, quantifies it and sees the loss
exceedance curve; the risk is above appetite, so an executive accepts it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.inventory import services as inventory
from ramparts.risk import services as risk_services
from ramparts.risk.models import Risk, RiskAcceptance, RiskCategory
from ramparts.vulns.models import Finding, FindingScope

PASSWORD = "Rampart-E2E-Browser-42"  # noqa: S105 - a test fixture
FAIR = """frequency: {min: 0.05, most_likely: 0.1, max: 0.3}
loss: {min: 100000, most_likely: 1000000, max: 10000000}
"""


@pytest.fixture
def world(transactional_db):
    unit = BusinessUnit.objects.create(code="insurance", name="Insurance")
    users = {}
    for name, role in (("ciso", Role.SECURITY_MANAGER), ("ceo", Role.EXECUTIVE)):
        user = User.objects.create_user(username=name, password=PASSWORD, role=role.value)
        user.business_units.set([unit])
        users[name] = user
    system = inventory.system_create(
        actor=users["ciso"], business_unit=unit, name="lon-vpn01", kind="network_device", internet_facing=True
    )
    now = timezone.now()
    Finding.objects.create(
        number=1,
        business_unit=unit,
        system=system,
        fingerprint=b"e2e-kev",
        scope=FindingScope.objects.get_or_create(key="lon-vpn01")[0],
        title="Connect Secure authentication bypass",
        cve="CVE-2023-46805",
        severity=4,
        first_seen=now,
        last_seen=now,
        kev_date_added=dt.date(2024, 1, 10),
    )
    category = RiskCategory.objects.create(name="Cyber")
    risk_services.appetite_set(
        actor=users["ciso"], category=category, statement="Board: nothing above Very Low", max_level=1
    )
    return {"unit": unit, "system": system, **users}


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page.get_by_role("button", name=re.compile("log out", re.I), include_hidden=True)).to_be_attached()


def fill_acceptance(page: Page) -> None:
    page.get_by_label("Rationale").fill("Replacement funded for Q2; exposure accepted until then.")
    page.get_by_label("Compensating controls").fill("Geo-blocking and MFA on the VPN")
    page.get_by_label("Expires on").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())


def test_create_quantify_and_accept_as_executive(page: Page, world):
    log_in(page, "ciso")
    page.goto("/risk/new/")
    page.get_by_label("Business unit").select_option("insurance")
    page.get_by_label("Title").fill("Exploitation of the internet-facing VPN")
    page.get_by_label("Because… (cause)").fill("KEV-listed flaws on the VPN are exploited within days")
    page.get_by_label("Category").select_option(label="Cyber")
    page.get_by_label("Systems").fill(world["system"].ref)
    page.get_by_label("Inherent likelihood").select_option("4")
    page.get_by_label("Inherent impact").select_option("4")
    page.get_by_label("FAIR scenario (YAML or JSON)").fill(FAIR)
    page.get_by_role("button", name="Create risk").click()

    expect(page.locator("#kev-count")).to_have_text("1 open KEV on affected systems")
    expect(page.locator("#vulnerabilities")).to_contain_text("CVE-2023-46805")
    expect(page.locator("#appetite-badge")).to_have_text("above appetite")
    ref = Risk.objects.get().ref

    page.get_by_label("Seed").fill("42")
    page.get_by_role("button", name="Quantify").click()
    expect(page.locator("#quant-results")).to_contain_text("ALE (mean)")
    curve = page.locator("#lec svg.chart-svg")
    expect(curve).to_be_visible()
    expect(curve.locator("path.chart-line")).to_have_count(1)
    expect(page.locator("#lec")).to_contain_text("$1M")  # log money axis ticks
    assert Risk.objects.get().quant_seed == 42
    # A security manager may not accept a risk above appetite: the form warns, the server refuses.
    page.get_by_role("button", name="Accept…").click()
    expect(page.get_by_role("note")).to_contain_text("and you are not one")
    fill_acceptance(page)
    with page.expect_response(lambda r: r.url.endswith("/accept/") and r.request.method == "POST") as refused:
        page.locator("#accept-submit").click()
    assert refused.value.status == 403 and not RiskAcceptance.objects.exists()

    log_in(page, "ceo")
    page.goto(f"/risk/{ref}/")
    page.get_by_role("button", name="Accept…").click()
    expect(page.get_by_role("note")).to_contain_text("above appetite")
    fill_acceptance(page)
    page.locator("#accept-submit").click()

    expect(page.locator("#accepted-badge")).to_contain_text("accepted until")
    expect(page.locator("#acceptance")).to_contain_text("Accepted by ceo")
    acceptance = RiskAcceptance.objects.get()
    assert acceptance.approved_by.username == "ceo" and acceptance.above_appetite
    expect(page.locator("#history")).to_contain_text("accept")
