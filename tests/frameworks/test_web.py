import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ramparts.core.roles import Role
from ramparts.frameworks.models import Framework, RequirementTechnique
from ramparts.frameworks.services import builtin_install, framework_import, mapping_import
from tests.frameworks.conftest import MAPPINGS, MODERATE_RESOLVED, REV5, read

pytestmark = pytest.mark.django_db

HOSTILE = b"""framework: {name: "<script>alert(1)</script>", version: "1"}
requirements:
  - {id: "H-1", title: "<img src=x onerror=alert(1)>", text: "<b>bold</b>"}
"""


def custom(n: int) -> bytes:
    items = "\n".join(f"  - {{id: R-{i}, title: Requirement {i}, parent: G}}" for i in range(n))
    return f"framework: {{name: Sized, version: '{n}'}}\nrequirements:\n  - {{id: G, title: Group}}\n{items}\n".encode()


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_list_page_shows_builtin_and_escapes(analyst_client, manager):
    framework_import(actor=manager, name="h.yaml", data=HOSTILE)
    page = analyst_client.get("/frameworks/").content.decode()
    assert "NIST Cybersecurity Framework" in page and "built in" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_framework_page_tree_search_and_withdrawn(analyst_client, manager):
    path = REV5.parent / "sp800-53-rev4" / "NIST_SP-800-53_rev4_catalog-min.json"
    fw = framework_import(actor=manager, name=path.name, data=read(path)).framework
    page = analyst_client.get(f"/frameworks/{fw.slug}/?page_size=200").content.decode()
    assert "AC-2(1)" in page and "fw-depth-2" in page
    page = analyst_client.get(f"/frameworks/{fw.slug}/?q=account+management").content.decode()
    assert "AC-2" in page and "AU-2" not in page
    page = analyst_client.get(f"/frameworks/{fw.slug}/?withdrawn=yes&page_size=200").content.decode()
    assert page.count('badge-muted">withdrawn') == 96


def test_requirement_page_with_params_parts_techniques_relations(analyst_client, manager):
    fw = framework_import(actor=manager, name=MODERATE_RESOLVED.name, data=read(MODERATE_RESOLVED)).framework
    mapping_import(actor=manager, name="m.tsv", data=read(MAPPINGS / "ctid-attack-12-1-to-nist800-53-r5-mappings.tsv"))
    csf = builtin_install()
    mapping_import(
        actor=manager,
        name="cw.csv",
        data=f"source_framework,source_id,relationship,target_framework,target_id\n{fw.slug},AC-1,subset_of,{csf.slug},GV.PO-01\n".encode(),
    )
    page = analyst_client.get(f"/frameworks/{fw.slug}/r/AC-1/").content.decode()
    assert "[Assignment: organization-defined personnel or roles]" in page
    assert "Assessment-objective" in page or "Assessment objective" in page
    assert "T1556.006" in page and "Multi-Factor Authentication" in page
    assert "GV.PO-01" in page
    back = analyst_client.get(f"/frameworks/{csf.slug}/r/GV.PO-01/").content.decode()
    assert "superset" in back and "AC-1" in back
    assert analyst_client.get(f"/frameworks/{fw.slug}/r/AC-1(99)/").status_code == 404
    assert analyst_client.get("/frameworks/nope/").status_code == 404


def test_import_page_shows_errors_and_stores_nothing(manager_client):
    bad = SimpleUploadedFile("p.json", read(REV5 / "NIST_SP-800-53_rev5_LOW-baseline_profile.json"))
    response = manager_client.post("/frameworks/import/", {"file": bad, "what": "framework"})
    assert response.status_code == 400
    assert "NIST_SP-800-53_rev5_catalog" in response.content.decode()
    assert not Framework.objects.filter(kind="profile").exists()
    ok = SimpleUploadedFile("ok.yaml", custom(3))
    response = manager_client.post("/frameworks/import/", {"file": ok, "what": "framework"})
    assert response.status_code == 302 and response["Location"] == "/frameworks/sized-3/"


def test_diff_page(analyst_client, manager):
    framework_import(actor=manager, name="a.yaml", data=custom(3))
    framework_import(actor=manager, name="b.yaml", data=custom(5))
    page = analyst_client.get("/frameworks/diff/?old=sized-3&new=sized-5").content.decode()
    assert "R-3" in page and "R-4" in page and "2 added" in page


def test_api(client, manager):
    client.force_login(manager)
    body = client.post("/api/v1/frameworks/import", {"file": SimpleUploadedFile("x.yaml", custom(4))})
    assert body.status_code == 201 and body.json() == {
        "framework": "Sized", "version": "4", "requirements": 4, "slug": "sized-4", "unresolved": None
    }  # fmt: skip
    bad = client.post("/api/v1/frameworks/import", {"file": SimpleUploadedFile("x.yaml", b"framework: {}\n")})
    assert bad.status_code == 400 and bad.json()["problems"]
    again = client.post("/api/v1/frameworks/import", {"file": SimpleUploadedFile("x.yaml", custom(4))})
    assert again.status_code == 409
    listing = client.get("/api/v1/frameworks/").json()
    assert listing["count"] == 2 and listing["items"][0]["built_in"]
    reqs = client.get("/api/v1/frameworks/sized-4/requirements?assessable=true&page_size=2").json()
    assert reqs["count"] == 4 and [r["identifier"] for r in reqs["items"]] == ["R-0", "R-1"]
    one = client.get("/api/v1/frameworks/sized-4/requirements/R-1").json()
    assert one["parent"] == "G" and one["techniques"] == [] and one["relations"] == []
    diff = client.post("/api/v1/frameworks/import", {"file": SimpleUploadedFile("y.yaml", custom(2))})
    assert diff.status_code == 201
    d = client.get("/api/v1/frameworks/diff?old=sized-4&new=sized-2").json()
    assert d["removed"] == ["R-2", "R-3"] and d["added"] == []
    cw = "source_framework,source_id,relationship,target_framework,target_id\nsized-4,R-1,equal,sized-2,R-1\n"
    m = client.post("/api/v1/frameworks/mappings/import", {"file": SimpleUploadedFile("c.csv", cw.encode())})
    assert m.status_code == 200 and m.json()["created"] == 1


def test_api_import_denied_for_analyst(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    response = client.post("/api/v1/frameworks/import", {"file": SimpleUploadedFile("x.yaml", custom(1))})
    assert response.status_code == 403 and not Framework.objects.filter(built_in=False).exists()


@pytest.mark.parametrize("n", [3, 30])
def test_query_counts_are_constant(n, analyst_client, manager, django_assert_max_num_queries):
    builtin_install()
    for i in range(n):
        framework_import(actor=manager, name=f"f{i}.yaml", data=custom(i + 1))
    fw = Framework.objects.get(version=str(n))
    technique_ids = []
    from ramparts.frameworks.models import AttackTechnique

    for i in range(n):
        technique_ids.append(AttackTechnique.objects.create(technique_id=f"T{1000 + i}", name=f"T{i}"))
    RequirementTechnique.objects.bulk_create(
        RequirementTechnique(requirement=r, technique=t, origin="test")
        for r in fw.requirements.all()
        for t in technique_ids
    )
    budgets = {
        "/frameworks/": 12,
        f"/frameworks/{fw.slug}/": 14,
        f"/frameworks/{fw.slug}/r/R-0/": 18,
        "/api/v1/frameworks/": 10,
        f"/api/v1/frameworks/{fw.slug}/requirements": 10,
        f"/api/v1/frameworks/{fw.slug}/requirements/R-0": 12,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert analyst_client.get(url).status_code == 200, url


def test_query_count_is_the_same_for_3_and_30_rows(analyst_client, manager, django_assert_num_queries):
    """The exact count, measured for a small framework, holds for one ten times larger."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    builtin_install()
    counts = {}
    for n in (3, 30):
        fw = framework_import(actor=manager, name=f"f{n}.yaml", data=custom(n)).framework
        for url in ("/frameworks/", f"/frameworks/{fw.slug}/", f"/api/v1/frameworks/{fw.slug}/requirements"):
            analyst_client.get(url)  # warm caches (session, user)
            with CaptureQueriesContext(connection) as ctx:
                analyst_client.get(url)
            counts.setdefault(url.replace(fw.slug, "X"), []).append(len(ctx.captured_queries))
    assert all(a == b for a, b in counts.values()), json.dumps(counts)
