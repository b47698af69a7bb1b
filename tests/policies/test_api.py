"""The policies API: the whole workflow over HTTP, errors naming fields, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ramparts.policies import services
from tests.policies.conftest import TEXT

pytestmark = pytest.mark.django_db
API = "/api/v1/policies"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_workflow_over_the_api(manager, approver, employee):
    m, a, e = as_user(manager), as_user(approver), as_user(employee)
    created = m.post(f"{API}/policies", {"title": "Backup", "business_unit": "retail", "text": TEXT,
                                         "audience_units": ["retail"]}, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    ref = created.json()["ref"]
    assert created.json()["owner"] == "secmgr" and created.json()["state"] == "draft"
    assert m.post(f"{API}/policies/{ref}/versions/1.0/submit").json()["status"] == "in_approval"
    own = m.post(f"{API}/policies/{ref}/versions/1.0/approve", {}, content_type="application/json")
    assert own.status_code == 403  # a security manager, but the author
    approved = a.post(f"{API}/policies/{ref}/versions/1.0/approve", {"note": "ok"}, content_type="application/json")
    assert approved.json()["approver"] == "exec"
    assert m.post(f"{API}/policies/{ref}/versions/1.0/publish").json()["status"] == "published"
    assert e.get(f"{API}/mine?pending=true").json()["count"] == 1
    mine = e.get(f"{API}/mine/{ref}").json()
    assert mine["version"] == "1.0" and "<h2>Acceptable use</h2>" in mine["html"]
    ack = e.post(f"{API}/mine/{ref}/acknowledge", {"version": "1.0"}, content_type="application/json")
    assert ack.status_code == 200 and ack.json()["version"] == "1.0"
    assert e.get(f"{API}/mine?pending=true").json()["count"] == 0
    body = {"bump": "major", "text": TEXT + "New.\n", "change_summary": "New duty"}
    draft = m.post(f"{API}/policies/{ref}/versions", body, content_type="application/json")
    assert draft.status_code == 201 and draft.json()["label"] == "2.0"
    diff = m.get(f"{API}/policies/{ref}/diff?from=1.0&to=2.0").json()
    assert (diff["added"], diff["removed"]) == (1, 0)
    assert e.get(f"{API}/policies/{ref}").status_code == 403  # employees have no library


def test_errors_name_the_fields(manager, make_policy):
    m = as_user(manager)
    bad = m.post(f"{API}/policies", {"title": "x", "business_unit": "retail", "text": "t", "kind": "poem",
                                     "audience_roles": ["king"]}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert {p["column"] for p in bad.json()["problems"]} == {"kind", "audience_roles"}
    policy = make_policy()
    conflict = m.post(f"{API}/policies/{policy.ref}/versions/1.0/publish")
    assert conflict.status_code == 409
    assert m.get(f"{API}/policies/POL-999").status_code == 404
    assert m.get(f"{API}/policies/{policy.ref}/versions/9.9").status_code == 404
    expired = m.post(f"{API}/exceptions", {"policy": policy.ref, "business_unit": "retail", "title": "t",
                                           "justification": "j", "expires_on": "2000-01-01"},
                     content_type="application/json")  # fmt: skip
    assert expired.status_code == 400 and expired.json()["problems"][0]["column"] == "expires_on"


def test_reports_and_exceptions(manager, approver, make_policy):
    policy = make_policy()
    m, a = as_user(manager), as_user(approver)
    overview = m.get(f"{API}/reports").json()
    assert overview["count"] == 1 and overview["items"][0]["policy"] == policy.ref
    assert m.get(f"{API}/reports/{policy.ref}").json()["policy"] == policy.ref
    assert m.get(f"{API}/reports/{policy.ref}/missing").status_code == 200
    exc = m.post(f"{API}/exceptions", {"policy": policy.ref, "business_unit": "retail", "title": "t",
                                       "justification": "j", "expires_on": str(dt.date.today() + dt.timedelta(days=5))},
                 content_type="application/json").json()  # fmt: skip
    assert exc["status"] == "requested"
    decided = a.post(f"{API}/exceptions/{exc['ref']}/approve", {}, content_type="application/json").json()
    assert decided["status"] == "approved" and decided["decided_by"] == "exec"
    assert m.get(f"{API}/exceptions?status=approved").json()["count"] == 1


@pytest.mark.parametrize("path", ["/policies", "/exceptions", "/mine", "/reports", "/approvals"])
def test_list_endpoints_are_constant_in_queries(path, manager, approver, employee, make_policy):
    user = {"/mine": employee, "/approvals": approver}.get(path, manager)
    client = as_user(user)

    def add(n: int) -> None:
        for i in range(n):
            policy = make_policy(f"P{i}-{n}", audience_units=["retail"], requirements=[], controls=[])
            services.exception_create(
                actor=manager, policy=policy.ref, business_unit="retail", title="e", justification="j",
                expires_on=dt.date.today() + dt.timedelta(days=3),
            )  # fmt: skip
            draft = services.version_create(actor=manager, ref=policy.ref, bump="minor", text="x", change_summary="y")
            services.version_submit(actor=manager, ref=policy.ref, label=draft.label)

    add(1)
    client.get(API + path)
    with CaptureQueriesContext(connection) as one:
        assert client.get(API + path).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as five:
        response = client.get(API + path)
    assert response.json()["count"] >= 5
    assert len(five.captured_queries) == len(one.captured_queries), path
