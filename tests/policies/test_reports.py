"""Acknowledgement reports: per department, missing people, CSV export, and the page-wide engine
agreeing with the per-policy query."""

import csv
import io

import pytest

from ramparts.core.roles import Role
from ramparts.inventory.models import Person
from ramparts.policies import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit_a, unit_b, make_user):
    """Sales: an employee with an account and one without; IT: an analyst; another unit: one more;
    a leaver who no longer counts."""
    emp = make_user(Role.EMPLOYEE, username="emp")
    ana = make_user(Role.ANALYST, username="ana")
    rows = [
        ("E1", "Emma Employee", "Sales", unit_a, emp, "active"),
        ("E2", '=HYPERLINK("http://evil")', "Sales", unit_a, None, "active"),
        ("E3", "Andy Analyst", "IT", unit_a, ana, "active"),
        ("E4", "Wendy Wealth", "Advice", unit_b, None, "active"),
        ("E5", "Larry Leaver", "Sales", unit_a, None, "leaver"),
    ]
    for n, (eid, name, dept, unit, user, status) in enumerate(rows, start=1):
        Person.objects.create(
            number=n, employee_id=eid, full_name=name, department=dept, business_unit=unit, user=user, status=status
        )
    return {"emp": emp, "ana": ana}


def test_rates_per_department_and_the_missing_people(make_policy, staff, manager, make_user, unit_a, unit_b):
    policy = make_policy(audience_units=[unit_a.code, unit_b.code])
    services.policy_acknowledge(actor=staff["emp"], ref=policy.ref)
    reader = make_user(Role.AUDITOR, units=[unit_a, unit_b])
    depts = {d.department: (d.rate.addressed, d.rate.acknowledged) for d in selectors.department_rates(reader, policy)}
    assert depts == {"Advice": (1, 0), "IT": (1, 0), "Sales": (2, 1)}
    # A reader of unit A sees unit A's people only.
    assert {d.department for d in selectors.department_rates(manager, policy)} == {"IT", "Sales"}
    missing = [p.employee_id for p in selectors.missing_people(reader, policy)]
    assert missing == ["E4", "E3", "E2"]


def test_role_audience_counts_people_without_account_as_employees(make_policy, staff, manager):
    policy = make_policy(audience_roles=["employee"])
    assert {p.employee_id for p in selectors.audience_people(manager, policy)} == {"E1", "E2"}


def test_engine_and_query_agree(make_policy, staff, manager, unit_a):
    policies = [
        make_policy("All"),
        make_policy("Employees", audience_roles=["employee"]),
        make_policy("Analysts", audience_roles=["analyst"], audience_units=[unit_a.code]),
    ]
    for policy in policies[:2]:
        services.policy_acknowledge(actor=staff["emp"], ref=policy.ref)
    services.policy_acknowledge(actor=staff["ana"], ref=policies[0].ref)
    page = list(selectors.overview_policies(manager))
    engine = selectors.rates_for(manager, page)
    for policy in page:
        depts = selectors.department_rates(manager, policy)
        assert engine[policy.pk].addressed == sum(d.rate.addressed for d in depts), policy.title
        assert engine[policy.pk].acknowledged == sum(d.rate.acknowledged for d in depts), policy.title


def test_missing_csv_is_neutralised_and_complete(client, make_policy, staff, manager):
    policy = make_policy()
    client.force_login(manager)
    response = client.get(f"/policies/reports/{policy.ref}/missing.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["person", "employee_id", "name"]
    names = {row[2] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in names and "Emma Employee" in names
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_report_page_paginates_the_missing(client, make_policy, staff, manager):
    policy = make_policy()
    client.force_login(manager)
    body = client.get(f"/policies/reports/{policy.ref}/?page_size=25").content.decode()
    assert "Emma Employee" in body and "no account" in body and "0.0 %" in body
    assert client.get(f"/policies/reports/{policy.ref}/?page=99").status_code == 200
