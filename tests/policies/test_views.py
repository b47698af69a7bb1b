"""The policy pages: every page renders, forms validate, hostile text is escaped, lists are paged
in a constant number of queries, and other units' objects answer 404."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.test import Client

from ramparts.core.roles import Role
from ramparts.policies import services
from ramparts.policies.models import Acknowledgement, Policy
from tests.policies.conftest import TEXT, publish

pytestmark = pytest.mark.django_db

HOSTILE = (
    "# Title\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n"
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n"
    '<img src=x onerror="alert(2)">\n\n<a href="#" onclick="alert(3)">x</a>\n\n[ok](https://example.org)\n'
)


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_every_page_of_the_library_renders(client, make_policy, manager, unit_a):
    from ramparts.inventory import services as inventory

    policy = make_policy(audience_units=["retail"])
    services.version_create(actor=manager, ref=policy.ref, bump="minor", text=TEXT + "More.\n", change_summary="More")
    system = inventory.system_create(actor=manager, business_unit=unit_a, name="ftp", kind="server")
    exc = services.exception_create(
        actor=manager,
        policy=policy.ref,
        business_unit="retail",
        title="FTP",
        justification="Legacy",
        expires_on=dt.date.today() + dt.timedelta(days=10),
        systems=[system.ref],
    )
    login(client, manager)
    for path in (
        "/policies/",
        "/policies/?q=accept&kind=policy&state=published&review=overdue",
        "/policies/new/",
        f"/policies/{policy.ref}/",
        f"/policies/{policy.ref}/edit/",
        f"/policies/{policy.ref}/versions/1.0/",
        f"/policies/{policy.ref}/versions/1.1/",
        f"/policies/{policy.ref}/versions/1.1/edit/",
        f"/policies/{policy.ref}/diff/",
        f"/policies/{policy.ref}/diff/?from=1.0&to=1.1&full=1",
        "/policies/approvals/",
        "/policies/reports/",
        f"/policies/reports/{policy.ref}/",
        "/policies/exceptions/",
        "/policies/exceptions/?status=requested",
        "/policies/exceptions/new/",
        f"/policies/exceptions/{exc.ref}/",
        f"/policies/exceptions/{exc.ref}/edit/",
        "/policies/mine/",
        f"/policies/mine/{policy.ref}/",
        "/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path


def test_create_through_the_form_and_the_errors_name_the_field(client, manager):
    login(client, manager)
    bad = client.post("/policies/new/", {"title": "T", "kind": "policy", "business_unit": "retail", "text": "x",
                                         "review_interval_months": 12, "controls": "CTL-404"})  # fmt: skip
    assert bad.status_code == 400
    assert "no control CTL-404" in bad.content.decode()
    good = client.post(
        "/policies/new/",
        {"title": "Clean desk", "kind": "standard", "business_unit": "retail", "owner": "secmgr",
         "review_interval_months": 6, "text": TEXT, "change_summary": "First", "audience_units": ["retail"],
         "audience_roles": ["employee"]},
    )  # fmt: skip
    assert good.status_code == 302
    policy = Policy.objects.get(title="Clean desk")
    assert policy.role_list == ["employee"] and policy.review_interval_months == 6


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def test_hostile_markdown_never_runs(client, manager, approver, employee):
    policy = services.policy_create(actor=manager, business_unit="retail", title="<b>Bold</b> title", text=HOSTILE)
    publish(policy, author=manager, approver=approver)
    for user, path in ((manager, f"/policies/{policy.ref}/"), (employee, f"/policies/mine/{policy.ref}/")):
        body = login(Client(), user).get(path).content.decode()
        article = body.split('class="policy-text">', 1)[1].split("</article>", 1)[0]
        found = elements(article)
        assert {tag for tag, _ in found} <= {"h2", "p", "a"}, found
        assert not any(name.startswith("on") or name in ("src", "style") for _, attrs in found for name in attrs)
        assert [attrs["href"] for tag, attrs in found if tag == "a"] == ["https://example.org"]
        assert "&lt;script&gt;" in article  # shown as text
        assert "&lt;b&gt;Bold&lt;/b&gt; title" in body


def test_diff_is_escaped(client, make_policy, manager):
    policy = make_policy()
    services.version_create(
        actor=manager, ref=policy.ref, bump="minor", text=TEXT + "<script>alert(1)</script>\n", change_summary="x"
    )
    body = login(client, manager).get(f"/policies/{policy.ref}/diff/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body


def test_employee_acknowledges_from_their_own_page(client, make_policy, employee):
    policy = make_policy(audience_units=["retail"])
    login(client, employee)
    home = client.get("/").content.decode()
    assert f"/policies/mine/{policy.ref}/" in home
    response = client.post(f"/policies/mine/{policy.ref}/acknowledge/", {"version": "1.0"})
    assert response.status_code == 302
    ack = Acknowledgement.objects.get(user=employee)
    assert ack.version.label == "1.0"
    assert f"/policies/mine/{policy.ref}/" not in client.get("/").content.decode()


def test_employee_gets_404_for_policies_not_addressed_to_them(client, make_policy, employee, unit_b):
    other = make_policy("Elsewhere", audience_units=[unit_b.code])
    login(client, employee)
    assert client.get(f"/policies/mine/{other.ref}/").status_code == 404
    assert client.post(f"/policies/mine/{other.ref}/acknowledge/").status_code == 404
    assert client.get(f"/policies/{other.ref}/").status_code == 403  # no library for employees
    assert client.get("/api/v1/policies/mine/" + other.ref).status_code == 404
    assert (
        client.post(f"/api/v1/policies/mine/{other.ref}/acknowledge", content_type="application/json").status_code
        == 404
    )
    assert not Acknowledgement.objects.exists()


SCOPED_PAGES = [
    ("GET", "/policies/{p}/"),
    ("GET", "/policies/{p}/edit/"),
    ("GET", "/policies/{p}/versions/1.0/"),
    ("GET", "/policies/{p}/diff/"),
    ("POST", "/policies/{p}/review/"),
    ("POST", "/policies/{p}/retire/"),
    ("GET", "/policies/reports/{p}/"),
    ("GET", "/policies/reports/{p}/missing.csv"),
    ("GET", "/policies/exceptions/{e}/"),
    ("POST", "/policies/exceptions/{e}/approve/"),
    ("GET", "/api/v1/policies/policies/{p}"),
    ("PATCH", "/api/v1/policies/policies/{p}"),
    ("GET", "/api/v1/policies/policies/{p}/versions"),
    ("GET", "/api/v1/policies/reports/{p}"),
    ("GET", "/api/v1/policies/exceptions/{e}"),
    ("POST", "/api/v1/policies/exceptions/{e}/approve"),
]


@pytest.mark.parametrize(("method", "path"), SCOPED_PAGES)
def test_other_units_objects_answer_404(method, path, make_user, make_policy, unit_b, approver):
    owner = make_user(Role.SECURITY_MANAGER, units=[unit_b], username="bmgr")
    exec_b = make_user(Role.EXECUTIVE, units=[unit_b], username="bexec")
    policy = make_policy("B only", unit=unit_b, author=owner, approved_by=exec_b, audience_units=[unit_b.code])
    del approver
    exc = services.exception_create(
        actor=owner, policy=policy.ref, business_unit=unit_b.code, title="x", justification="y",
        expires_on=dt.date.today() + dt.timedelta(days=5),
    )  # fmt: skip
    stranger = make_user(Role.SECURITY_MANAGER, username="amgr")  # unit_a only
    client = login(Client(), stranger)
    url = path.format(p=policy.ref, e=exc.ref)
    if method == "GET":
        response = client.get(url)
    elif method == "PATCH":
        response = client.patch(url, {"title": "pwned"}, content_type="application/json")
    else:
        response = (
            client.post(url, {"note": "x"}, content_type="application/json" if "/api/" in url else None)
            if "/api/" in url
            else client.post(url, {"note": "x"})
        )
    assert response.status_code == 404, url
    policy.refresh_from_db()
    assert policy.title == "B only" and policy.retired_at is None


def test_policy_list_queries_do_not_grow_with_rows(client, make_policy, manager, django_assert_max_num_queries):
    login(client, manager)
    make_policy("One")
    client.get("/policies/")  # warm caches (session, content types)
    with django_assert_max_num_queries(12) as few:
        client.get("/policies/")
    for n in range(6):
        make_policy(f"Policy {n}", published=n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/policies/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/policies/mine/", "/policies/reports/", "/policies/exceptions/", "/policies/approvals/"]
)
def test_other_lists_are_constant_in_queries(path, client, make_policy, manager, approver, employee, make_user):
    user = {"/policies/mine/": employee, "/policies/approvals/": approver}.get(path, manager)
    login(client, user)

    def add(n: int) -> None:
        for i in range(n):
            policy = make_policy(f"P{Policy.objects.count()}-{i}")
            services.exception_create(
                actor=manager, policy=policy.ref, business_unit="retail", title=f"e{i}", justification="j",
                expires_on=dt.date.today() + dt.timedelta(days=3),
            )  # fmt: skip
            draft = services.version_create(actor=manager, ref=policy.ref, bump="minor", text="x", change_summary="y")
            services.version_submit(actor=manager, ref=policy.ref, label=draft.label)

    add(1)
    client.get(path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    add(5)
    with CaptureQueriesContext(connection) as six:
        assert client.get(path).status_code == 200
    assert len(six.captured_queries) == len(one.captured_queries), path


def test_pages_without_an_owner_or_links_still_render(client, make_policy, manager):
    policy = make_policy()
    services.policy_update(actor=manager, ref=policy.ref, owner=None)
    login(client, manager)
    body = client.get(f"/policies/{policy.ref}/").content.decode()
    assert "No controls or framework requirements linked yet." in body
    assert client.get("/").status_code == 200  # the dashboard widget


def test_personal_items_are_due_a_month_after_publication(make_policy, employee):
    from ramparts.policies.personal import policies_to_acknowledge

    policy = make_policy()
    [item] = policies_to_acknowledge(employee)
    assert item.url == f"/policies/mine/{policy.ref}/" and item.kind == "Policy"
    assert item.due == dt.date.today() + dt.timedelta(days=30) and not item.overdue
