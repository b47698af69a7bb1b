"""Findings selectors (filters, facets, scoping), pages and API: filters, 404 across units, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ramparts.core.roles import Role
from ramparts.core.tokens import api_token_create
from ramparts.inventory.models import BusinessService, Dependency
from ramparts.vulns import selectors
from ramparts.vulns.cache import findings_changed
from ramparts.vulns.enrichment import enrich_findings
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.models import Finding
from ramparts.vulns.snapshots import snapshot_findings
from tests.vulns._findings import V3_NETWORK_TOTAL, add_epss, add_kev, make_finding, make_system

pytestmark = pytest.mark.django_db
API = "/api/v1/vulns"


@pytest.fixture
def analyst(make_user, unit_a):
    return make_user(Role.ANALYST, units=[unit_a])


def seed(unit, n: int, *, system=None):
    add_kev("CVE-2023-4966") if not Finding.objects.exists() else None
    for i in range(n):
        make_finding(
            unit,
            system=system,
            cve="CVE-2023-4966" if i % 3 == 0 else f"CVE-2024-{1000 + i}",
            severity=i % 5,
            tool="trivy" if i % 2 else "grype",
            cvss3_vector=V3_NETWORK_TOTAL,
            first_seen=timezone.now() - dt.timedelta(days=i * 20),
        )
    enrich_findings(Finding.objects.all())


def api_client(user) -> Client:
    issued = api_token_create(actor=user, name="t", scopes=["read", "write"], expires_in_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_filters_and_facets(analyst, unit_a, unit_b):
    system = make_system(unit_a, criticality=4, internet_facing=True)
    seed(unit_a, 9, system=system)
    make_finding(unit_b, cve="CVE-2023-4966")  # another unit: never counted
    add_epss("CVE-2024-1001", 0.6)
    enrich_findings(Finding.objects.all())
    all_open = selectors.finding_list(analyst, FindingFilters())
    assert all_open.count() == 9
    kev = selectors.finding_list(analyst, FindingFilters(kev=True))
    assert {f.cve for f in kev} == {"CVE-2023-4966"} and kev.count() == 3
    assert selectors.finding_list(analyst, FindingFilters(epss="very_high")).count() == 1
    assert selectors.finding_list(analyst, FindingFilters(severity="critical,high")).count() == 3
    assert selectors.finding_list(analyst, FindingFilters(tool="grype")).count() == 5
    assert selectors.finding_list(analyst, FindingFilters(system=system.ref)).count() == 9
    assert selectors.finding_list(analyst, FindingFilters(q="CVE-2023-4966")).count() == 3
    assert selectors.finding_list(analyst, FindingFilters(age="older")).count() == 0 + sum(
        1 for i in range(9) if i * 20 > 365
    )
    first = all_open.first()
    assert selectors.finding_list(analyst, FindingFilters(q=first.ref)).get() == first
    assert [f.priority for f in all_open] == sorted((f.priority for f in all_open), reverse=True)
    facets = selectors.finding_facets(analyst, FindingFilters())
    groups = {name: {v.value: v.count for v in values} for name, values in facets.groups.items()}
    assert facets.total == 9
    assert groups["kev"] == {"yes": 3}
    assert groups["tool"] == {"grype": 5, "trivy": 4}
    assert groups["system"] == {system.ref: 9}
    assert groups["business_unit"] == {unit_a.code: 9}
    assert sum(groups["severity"].values()) == 9 and groups["status"]["open"] == 9
    assert groups["priority"]["act"] == 3  # KEV + automatable + total + critical internet-facing system
    narrowed = selectors.finding_facets(analyst, FindingFilters(kev=True))
    assert narrowed.total == 3 and {v.value: v.count for v in narrowed.groups["tool"]} == {"grype": 2, "trivy": 1}


def test_facet_queries_are_few_and_constant(analyst, unit_a, django_assert_max_num_queries):
    seed(unit_a, 5)
    with django_assert_max_num_queries(20):  # 12 counts + the cache (version, get, set)
        selectors.finding_facets(analyst, FindingFilters(kev=True, tool="trivy"))


def test_other_unit_answers_404_on_pages_and_api(analyst, unit_b, client):
    other = make_finding(unit_b, cve="CVE-2023-4966")
    system = make_system(unit_b)
    client.force_login(analyst)
    assert client.get(reverse("vulns:finding_detail", args=[other.ref])).status_code == 404
    assert client.get(reverse("vulns:system_findings", args=[system.ref])).status_code == 404
    r = client.post(reverse("vulns:finding_action", args=[other.ref, "false-positive"]), {"reason": "x"})
    assert r.status_code == 404
    cve = client.get(reverse("vulns:cve_detail", args=["CVE-2023-4966"]))
    assert cve.status_code == 200 and other.ref.encode() not in cve.content
    api = api_client(analyst)
    assert api.get(f"{API}/findings/{other.ref}").status_code == 404
    assert (
        api.post(
            f"{API}/findings/{other.ref}/false-positive", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert api.get(f"{API}/findings").json()["count"] == 0


def test_list_page_query_count_is_constant(analyst, unit_a, client):
    client.force_login(analyst)
    url = reverse("vulns:finding_list")
    client.get(url)
    counts = []
    for n in (3, 30):
        seed(unit_a, n, system=make_system(unit_a))
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url, {"page_size": 100})
        assert r.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_api_list_query_count_is_constant(analyst, unit_a):
    api = api_client(analyst)
    api.get(f"{API}/findings")
    counts = []
    for n in (3, 30):
        seed(unit_a, n, system=make_system(unit_a))
        with CaptureQueriesContext(connection) as ctx:
            r = api.get(f"{API}/findings", {"page_size": 100, "kev": "true"})
        assert r.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_pages_render_and_escape(analyst, unit_a, client):
    system = make_system(unit_a, criticality=4, internet_facing=True)
    service = BusinessService.objects.create(number=1, business_unit=unit_a, name="Claims portal", criticality=4)
    Dependency.objects.create(service=service, system=system)
    f = make_finding(unit_a, system=system, cve="CVE-2023-4966", title="<script>alert(1)</script>")
    add_kev("CVE-2023-4966")
    enrich_findings(Finding.objects.all())
    snapshot_findings(day=timezone.now().date() - dt.timedelta(days=1))
    snapshot_findings()
    client.force_login(analyst)
    pages = {
        reverse("vulns:finding_list") + "?kev=yes": f.ref,
        reverse("vulns:finding_detail", args=[f.ref]): "is in CISA&#x27;s KEV catalogue",
        reverse("vulns:finding_overdue"): f.ref,  # KEV due date 2023-11-08: overdue
        reverse("vulns:system_findings", args=[system.ref]): f.ref,
        reverse("vulns:cve_detail", args=["cve-2023-4966"]): "Claims portal",
        reverse("vulns:finding_burndown"): "<svg",
        reverse("vulns:feed_status"): "CISA KEV",
        "/": "Exploited in the wild",
    }
    for url, expected in pages.items():
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        assert expected in body, url
        assert "<script>alert(1)</script>" not in body, url
    export = client.get(reverse("vulns:finding_export") + "?kev=yes")
    assert export.status_code == 200
    assert f.ref in b"".join(export.streaming_content).decode()


def test_ui_triage_and_bulk(analyst, unit_a, client):
    a, b, c = (make_finding(unit_a) for _ in range(3))
    client.force_login(analyst)
    r = client.post(reverse("vulns:finding_action", args=[a.ref, "false-positive"]), {"reason": "test host"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Finding.Status.FALSE_POSITIVE
    r = client.post(reverse("vulns:finding_action", args=[b.ref, "false-positive"]), {"reason": ""}, follow=True)
    assert b"A reason is required" in r.content
    r = client.post(
        reverse("vulns:finding_bulk"),
        {"bulk_action": "assign", "refs": [b.ref, c.ref], "assignee": analyst.username},
        follow=True,
    )
    assert b"2 finding(s) changed" in r.content
    r = client.post(
        reverse("vulns:finding_bulk"), {"bulk_action": "false_positive", "scope": "filter", "reason": "all dup"}
    )
    assert Finding.objects.filter(status=Finding.Status.FALSE_POSITIVE).count() == 3


def test_api_detail_triage_bulk_cve_and_feeds(analyst, make_user, unit_a):
    f = make_finding(unit_a, cve="CVE-2023-4966", system=make_system(unit_a))
    add_kev("CVE-2023-4966")
    enrich_findings(Finding.objects.all())
    api = api_client(analyst)
    detail = api.get(f"{API}/findings/{f.ref}").json()
    assert detail["ssvc_reasons"][0].startswith("Exploitation is active") and detail["kev_date_added"] == "2023-10-18"
    r = api.post(f"{API}/findings/{f.ref}/comments", {"body": "hi"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["author"] == analyst.username
    r = api.post(f"{API}/findings/{f.ref}/assign", {"assignee": analyst.username}, content_type="application/json")
    assert r.json()["assignee"] == analyst.username and r.json()["comments"][0]["body"] == "hi"
    r = api.post(
        f"{API}/findings/{f.ref}/accept", {"reason": "r", "expires_on": "2099-01-01"}, content_type="application/json"
    )
    assert r.status_code == 403
    r = api.post(f"{API}/findings/{f.ref}/false-positive", {"reason": ""}, content_type="application/json")
    assert r.status_code == 400
    r = api.post(
        f"{API}/findings/bulk",
        {"action": "false_positive", "reason": "x", "filters": {"kev": True}},
        content_type="application/json",
    )
    assert r.json() == {"changed": 1}
    facets = api.get(f"{API}/findings/facets", {"status": "all"}).json()
    assert {v["value"]: v["count"] for v in facets["groups"]["status"]}["false_positive"] == 1
    cve = api.get(f"{API}/cves/CVE-2023-4966").json()
    assert cve["in_kev"] and cve["systems"][0]["system"] == f.system.ref and cve["findings"][0]["ref"] == f.ref
    assert api.get(f"{API}/cves/not-a-cve").status_code == 404
    feeds = api.get(f"{API}/feeds").json()
    assert [x["feed"] for x in feeds] == ["kev", "epss"]


def test_cached_facets_follow_every_change(analyst, unit_a):
    from ramparts.vulns import triage

    seed(unit_a, 3)
    assert selectors.finding_facets(analyst, FindingFilters(kev=True)).total == 1
    assert selectors.summary(analyst)["kev_findings"] == 1
    ref = selectors.finding_list(analyst, FindingFilters(kev=True)).get().ref
    triage.finding_mark_false_positive(actor=analyst, ref=ref, reason="dup")
    assert selectors.finding_facets(analyst, FindingFilters(kev=True)).total == 0
    assert selectors.summary(analyst)["kev_findings"] == 0


def _finding_counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "vulns_finding" in q["sql"]]


@pytest.mark.parametrize("params", [{}, {"severity": "high,critical"}, {"tool": "trivy", "kev": "yes"}])
def test_list_counts_come_from_the_snapshot_once_it_exists(analyst, unit_a, client, params):
    seed(unit_a, 9)
    filters = FindingFilters.from_params(params)
    expected = selectors.apply_filters(analyst, selectors.visible_to(analyst), filters).count()
    client.force_login(analyst)
    selectors.finding_facets(analyst, filters)  # builds the snapshot of this version

    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("vulns:finding_list"), params)
    with CaptureQueriesContext(connection) as api:
        body = api_client(analyst).get(f"{API}/findings", params).json()

    assert response.context["pagination"].page.paginator.count == expected == body["count"]
    assert _finding_counts(page.captured_queries) == [] and _finding_counts(api.captured_queries) == []


def test_list_counts_in_sql_for_text_search_or_without_a_snapshot(analyst, unit_a, client):
    seed(unit_a, 9)
    client.force_login(analyst)
    api = api_client(analyst)
    assert api.get(f"{API}/findings", {"q": "finding 1"}).json()["count"] == 1
    make_finding(unit_a, title="added without a snapshot")
    findings_changed()
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"{API}/findings", {"status": "all"}).json()["count"] == 10
    assert len(_finding_counts(queries.captured_queries)) == 1  # a list does not build the snapshot


def test_a_cve_page_counts_every_finding_and_system_beyond_the_listed_ones(analyst, unit_a, client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ramparts.vulns import selectors

    monkeypatch.setattr(selectors, "FINDINGS_SHOWN", 2)
    systems = [make_system(unit_a, name=f"web-{i}") for i in range(3)]
    for i, system in enumerate(systems):
        for _ in range(i + 1):
            make_finding(unit_a, system=system, cve="CVE-2024-3400", priority=3)
    make_finding(unit_a, system=systems[0], cve="CVE-2024-3400", status="fixed")
    make_finding(unit_a, cve="CVE-2024-3400")  # no system
    selectors.cve_view(analyst, cve="CVE-2024-3400")  # the user's units, read once per request
    with CaptureQueriesContext(connection) as first:
        view = selectors.cve_view(analyst, cve="cve-2024-3400")
    assert (view.finding_count, view.open_count, len(view.findings)) == (8, 7, 2)
    assert [(s["system"].name if s["system"] else None, s["open"], s["findings"]) for s in view.systems] == [
        ("web-2", 3, 3), ("web-1", 2, 2), ("web-0", 1, 2), (None, 1, 1),
    ]  # fmt: skip
    for i in range(3, 8):
        make_finding(unit_a, system=make_system(unit_a, name=f"web-{i}"), cve="CVE-2024-3400")
    with CaptureQueriesContext(connection) as more:
        assert len(selectors.cve_view(analyst, cve="CVE-2024-3400").systems) == 9
    assert len(more) == len(first)
    client.force_login(analyst)
    page = client.get(reverse("vulns:cve_detail", args=["CVE-2024-3400"])).content.decode()
    assert "the first 2 of 13" in page and "web-7" in page
    body = api_client(analyst).get(f"{API}/cves/CVE-2024-3400").json()
    assert (body["finding_count"], body["open_findings"], len(body["systems"]), len(body["findings"])) == (13, 12, 9, 2)
