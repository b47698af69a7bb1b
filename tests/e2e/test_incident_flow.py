"""The issue's browser scenario for incident response, in real Chromium against a live server:

1. a signed Wazuh alert arrives on the webhook (a real HMAC computed here, posted over HTTP);
2. an analyst promotes it to an incident; the alert names a host that the inventory knows, and that
   system holds personal data;
3. the GDPR 72 h countdown appears on the incident page;
4. the data-breach playbook's tasks are there;
5. the incident is walked through every phase to closed (closing by the security manager);
6. the metrics page counts it, with its time to close.
"""

import re
import urllib.request

import orjson
import pytest
from playwright.sync_api import Page, expect

from ramparts.alerts.models import Alert
from ramparts.alerts.services import source_create
from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role
from ramparts.incidents.config import incident_types
from ramparts.incidents.models import Incident
from ramparts.inventory import services as inventory
from ramparts.notifications import signing
from tests.alerts.samples import WAZUH_SSH_BRUTE_FORCE

PASSWORD = "Rampart-E2E-Browser-42"  # noqa: S105 - a test fixture


@pytest.fixture
def world(transactional_db):
    unit = BusinessUnit.objects.create(code="claims", name="Claims")
    people = {}
    for name, role in (("ana", Role.ANALYST), ("sam", Role.SECURITY_MANAGER)):
        user = User.objects.create_user(username=name, email=f"{name}@example.org", password=PASSWORD, role=role.value)
        user.business_units.set([unit])
        people[name] = user
    system = inventory.system_create(
        actor=people["sam"], business_unit=unit, name="claims-web", kind="server",
        hostnames="nw-claims-web-01.northwind.example", ip_addresses="10.20.4.17",
    )  # fmt: skip
    data = inventory.data_asset_create(
        actor=people["sam"], business_unit=unit, name="Policyholder claims", personal_data=True
    )
    data.systems.add(system)
    source, secret = source_create(actor=people["sam"], name="Wazuh SIEM", business_unit=unit, kind="wazuh")
    return people, system, source, secret


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page.get_by_role("button", name=re.compile("log out", re.I), include_hidden=True)).to_be_attached()


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def post_signed_alert(base_url: str, slug: str, secret: str) -> dict:
    body = orjson.dumps(WAZUH_SSH_BRUTE_FORCE)
    request = urllib.request.Request(  # noqa: S310 - the live test server
        f"{base_url}/alerts/hooks/{slug}/", data=body, method="POST",
        headers={"Content-Type": "application/json", **signing.signed_headers(secret, body)},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 202
        return orjson.loads(response.read())


def test_signed_alert_to_closed_incident(page: Page, live_server, world):
    people, system, source, secret = world
    # 1. The alert arrives, signed, over HTTP; it is stored before the 202.
    answer = post_signed_alert(live_server.url, source.slug, secret)
    (ref,) = answer["alerts"]
    assert Alert.objects.get().host == "nw-claims-web-01"

    # 2. The analyst finds it in the queue and promotes it.
    log_in(page, "ana")
    page.goto("/alerts/")
    page.get_by_role("link", name=ref).click()
    expect(page.get_by_text("claims-web").first).to_be_visible()
    page.get_by_label("Title").fill("SSH brute force against the claims portal")
    page.get_by_label("Type").select_option("data_breach")
    page.get_by_label("Severity").select_option("high")
    page.get_by_role("button", name="Promote to incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/INC-\d{4}-\d+/$"))
    incident = Incident.objects.get()
    assert list(incident.systems.all()) == [system]
    expect(page.locator("#personal-data-flag")).to_be_visible()

    # 3. The GDPR 72 h countdown is on the page (Art. 33: the supervisory authority).
    clock = page.locator("#clock-gdprauthority")
    expect(clock).to_be_visible()
    expect(clock.locator("[data-countdown]")).to_have_text(re.compile(r"\d+\s*h|\d+h|\d+:\d+|day", re.I))

    # 4. The playbook's tasks were created.
    expected_tasks = len(incident_types()["data_breach"].tasks)
    assert expected_tasks > 0
    expect(page.locator("#open-task-count")).to_contain_text(f"of {expected_tasks}")

    # 5. Walked through the lifecycle; the security manager closes it.
    def advance_until(stop_before: str | None) -> None:
        for _ in range(8):
            button = page.locator("#advance-phase")
            if button.count() == 0 or button.get_attribute("data-next-phase") == stop_before:
                return
            button.click()
            page.wait_for_load_state()

    advance_until("closed")
    expect(page.locator("#incident-phase")).to_have_attribute("data-phase", "review")
    log_out(page)
    log_in(page, "sam")
    page.goto(f"/incidents/{incident.ref}/")
    advance_until(None)
    expect(page.locator("#incident-phase")).to_have_attribute("data-phase", "closed")
    incident.refresh_from_db()
    assert incident.closed_at is not None and incident.contained_at is not None

    # 6. The metrics count it.
    page.goto("/incidents/metrics/")
    expect(page.locator("#metrics-count")).to_have_text("1 incident")
    expect(page.locator("#metric-mttclose")).to_contain_text("n = 1")
    assert Alert.objects.get().status == "promoted" and Alert.objects.get().incident_ref == incident.ref
