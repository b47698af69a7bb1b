"""/api/v1/audit/export and /api/v1/dashboard: the same data and rules as their pages."""

import csv
import io

import orjson

from ramparts.core import tokens, users
from ramparts.core.roles import Role
from ramparts.inventory import services
from tests.security.helpers import PASSWORD


def test_audit_export_api_csv_and_json(admin_user, client):
    users.user_create(actor=admin_user, username="exported", password=PASSWORD, role="analyst")
    issued = tokens.api_token_create(actor=admin_user, name="siem", scopes=["read"], expires_in_days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}

    response = client.get("/api/v1/audit/export?format=csv&object_type=core.user", **auth)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["object_ref"] for r in rows] == ["exported"]

    response = client.get("/api/v1/audit/export?format=json", **auth)
    entries = orjson.loads(b"".join(response.streaming_content))
    assert {e["object_type"] for e in entries} == {"core.user", "core.apitoken"}
    assert issued.secret.split("_", 2)[2] not in orjson.dumps(entries).decode()

    assert client.get("/api/v1/audit/export?format=xml", **auth).status_code == 400


def test_dashboard_api_counts_only_my_units(make_user, admin_user, unit_a, unit_b, client):
    services.system_create(actor=admin_user, business_unit=unit_a, name="mine", kind="server")
    services.system_create(actor=admin_user, business_unit=unit_b, name="theirs", kind="server")
    client.force_login(make_user(Role.EXECUTIVE, units=[unit_a]))
    response = client.get("/api/v1/dashboard")
    assert response.status_code == 200
    widgets = {w["key"]: w for w in response.json()}
    counts = next(w["data"] for w in widgets.values() if "systems_total" in w["data"])
    assert counts["systems_total"] == 1
    assert {"vulns", "risks", "incidents"} <= set(widgets)  # the modules' widgets are listed too
