"""Background imports through the upload page and the scan upload API: progress, history, scoping,
query counts, and bad input that stores nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ramparts.core.models import AuditEntry
from ramparts.core.roles import Role
from ramparts.core.tokens import api_token_create
from ramparts.vulns import services
from ramparts.vulns.importing.progress import file_writer
from ramparts.vulns.models import Finding, ScanImport
from tests.vulns._synth import trivy_doc

pytestmark = pytest.mark.django_db
API = "/api/v1/vulns/imports"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE NessusClientData_v2 [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    b'<NessusClientData_v2><Report name="x"><ReportHost name="h">&c;</ReportHost></Report></NessusClientData_v2>'
)
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE NessusClientData_v2 [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
    b"<NessusClientData_v2><Report>" + b"&a;" * 2000 + b"</Report></NessusClientData_v2>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE OWASPZAPReport [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<OWASPZAPReport version="2.11" generated="x"><site name="https://a">&xxe;</site></OWASPZAPReport>'
)
BAD_FILES = {
    "empty": (b"", "auto"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "auto"),
    "malformed": (b'{"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerabilities": [}]}', "auto"),
    "unknown json": (b'{"hello": "world"}', "auto"),
    "wrong format": (trivy_doc(2), "nessus-xml"),
    "billion laughs": (BILLION_LAUGHS, "auto"),
    "quadratic blow-up": (QUADRATIC, "auto"),
    "xxe": (XXE, "auto"),
}


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def analyst(make_user, unit_a):
    return make_user(Role.ANALYST, units=[unit_a])


@pytest.fixture
def web(client, analyst):
    client.force_login(analyst)
    return client


def token_client(user) -> Client:
    issued = api_token_create(actor=user, name="ci", scopes=["read", "write"], expires_in_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def state() -> tuple[int, int, int]:
    return ScanImport.objects.count(), Finding.objects.count(), AuditEntry.objects.count()


def stored_uploads() -> list:
    folder = services.uploads_dir()
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(web, data: bytes, name="scan.json", **fields):
    return web.post("/vulns/imports/new/", {"file": SimpleUploadedFile(name, data), **fields})


def test_upload_page_queues_runs_and_shows_the_counts(web, django_capture_on_commit_callbacks):
    assert web.get("/vulns/imports/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(web, trivy_doc(25, artifact="shop:1"), name="shop.json")
    scan = ScanImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/vulns/imports/{scan.ref}/"
    assert (scan.status, scan.new, scan.findings, scan.upload_path) == ("done", 25, 25, "")
    assert stored_uploads() == []  # the stored upload is deleted once imported
    page = web.get(response["Location"]).content.decode()
    assert 'data-count="new">25<' in page and "every 1s" not in page and "See the findings" in page
    history = web.get("/vulns/imports/").content.decode()
    assert scan.ref in history and "shop.json" in history


def test_a_running_import_shows_a_polled_progress_bar(web, analyst, unit_a, tmp_path):
    path = tmp_path / "x.scan"
    path.write_bytes(b"{}")
    scan = ScanImport.objects.create(
        number=7, business_unit=unit_a, format="trivy", file_name="big.json", size=1000,
        started_at="2026-11-27T03:00:00Z", actor=analyst, status="running", upload_path=str(path),
    )  # fmt: skip
    file_writer(path)("parsing", 500)
    fragment = web.get(f"/vulns/imports/{scan.ref}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="52"' in fragment and "parsing" in fragment
    ScanImport.objects.filter(pk=scan.pk).update(status="done", new=3, findings=3)
    fragment = web.get(f"/vulns/imports/{scan.ref}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in fragment and 'data-count="new">3<' in fragment


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_upload_page_stores_nothing(web, case):
    data, fmt = BAD_FILES[case]
    before = state()
    response = upload(web, data, name=f"{case}.bin", format=fmt)
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode() and f"{case}.bin" in response.content.decode()
    assert state() == before and stored_uploads() == []


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_api_upload_stores_nothing(analyst, case):
    data, fmt = BAD_FILES[case]
    api = token_client(analyst)
    before = state()
    response = api.post(API, {"file": SimpleUploadedFile(f"{case}.bin", data), "format": fmt})
    assert response.status_code == 400, response.content
    assert f"{case}.bin" in response.json()["detail"]
    assert state() == before and stored_uploads() == []


def test_truncated_file_fails_in_the_background_with_the_parsers_message(
    web, settings, django_capture_on_commit_callbacks
):
    settings.RAMPARTS_SYNC_SCAN_BYTES = 100  # bigger files are checked by the background import only
    truncated = trivy_doc(60)[:-150]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(web, truncated, name="cut.json")
    scan = ScanImport.objects.get()
    assert scan.status == "failed" and "cut.json" in scan.error and "trivy" in scan.error
    assert Finding.objects.count() == 0 and stored_uploads() == []
    page = web.get(response["Location"]).content.decode()
    assert "The import failed: nothing was stored" in page and "cut.json" in page


def test_truncated_file_through_the_sync_api_stores_nothing(analyst):
    api = token_client(analyst)
    before = state()
    response = api.post(API, {"file": SimpleUploadedFile("cut.json", trivy_doc(60)[:-150])})
    assert response.status_code == 400 and "cut.json" in response.json()["detail"]
    assert state() == before


def test_size_limit_is_configurable(web, analyst, settings):
    settings.RAMPARTS_MAX_SCAN_BYTES = 1000
    api = token_client(analyst)
    before = state()
    response = upload(web, trivy_doc(40))
    assert response.status_code == 400 and "larger than the limit of 1,000 bytes" in response.content.decode()
    response = api.post(API + "?wait=false", {"file": SimpleUploadedFile("a.json", trivy_doc(40))})
    assert response.status_code == 400
    assert state() == before and stored_uploads() == []


def test_api_sync_and_queued_uploads(analyst, django_capture_on_commit_callbacks):
    api = token_client(analyst)
    response = api.post(API, {"file": SimpleUploadedFile("ci.json", trivy_doc(12, artifact="ci:1"))})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["new"], body["findings"], body["percent"]) == ("done", 12, 12, 100)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            API + "?wait=false",
            {
                "file": SimpleUploadedFile("ci.json", trivy_doc(14, artifact="ci:1")),
                "system": "ci-runner",
                "create_missing": "true",
            },
        )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    polled = api.get(f"{API}/{response.json()['ref']}").json()
    assert (polled["status"], polled["new"], polled["system"] is not None) == ("done", 14, True)
    listed = api.get(API).json()
    assert listed["count"] == 2 and {i["ref"] for i in listed["items"]} == {body["ref"], polled["ref"]}


def test_unknown_system_without_create_is_refused_before_storing(web):
    before = state()
    response = upload(web, trivy_doc(3), system="nope-system")
    assert response.status_code == 400 and "nope-system" in response.content.decode()
    assert state() == before


def test_another_units_import_is_not_found(make_user, unit_a, unit_b, admin_user):
    other = services.scan_import(
        actor=admin_user, stream=io.BytesIO(trivy_doc(2)), filename="b.json", business_unit=unit_b
    )
    mine = make_user(Role.ANALYST, units=[unit_a])
    web = Client()
    web.force_login(mine)
    assert web.get(f"/vulns/imports/{other.scan_ref}/").status_code == 404
    assert token_client(mine).get(f"{API}/{other.scan_ref}").status_code == 404
    assert "No scan imported yet" in web.get("/vulns/imports/").content.decode()
    assert token_client(mine).get(API).json()["count"] == 0
    assert web.get("/vulns/imports/SCAN-x/").status_code == 404


def test_history_filters(web, analyst):
    services.scan_import(actor=analyst, stream=io.BytesIO(trivy_doc(2)), filename="alpha.json")
    page = web.get("/vulns/imports/?q=alpha&status=done&format=trivy").content.decode()
    assert "alpha.json" in page
    page = web.get("/vulns/imports/?q=beta").content.decode()
    assert "No imports match these filters" in page


@pytest.mark.parametrize("channel", ["page", "api"])
def test_history_query_count_is_constant(analyst, channel, django_assert_max_num_queries):
    client = token_client(analyst) if channel == "api" else Client()
    if channel == "page":
        client.force_login(analyst)
    url = API if channel == "api" else "/vulns/imports/"

    def queries(n: int) -> int:
        for i in range(n):
            services.scan_import(
                actor=analyst, stream=io.BytesIO(trivy_doc(1, start=i, artifact=f"a{i}")), filename=f"{i}.json"
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries(2) == queries(10)


def test_cli_json_keys_are_exactly_the_issue_s(tmp_path, capsys, admin_user, unit_a):
    from django.core.management import call_command

    path = tmp_path / "t.json"
    path.write_bytes(trivy_doc(4))
    call_command("scans", "import", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["format", "findings", "new", "unchanged", "reopened", "closed"]
    assert out["new"] == 4


def test_cli_shows_a_progress_bar_on_a_terminal_only(tmp_path, monkeypatch, capsys, admin_user, unit_a):
    import sys

    from django.core.management import call_command

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = tmp_path / "t.json"
    path.write_bytes(trivy_doc(4))
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    call_command("scans", "import", str(path))
    assert "hashing" in terminal.getvalue() and f"[{'#' * 30}] 100%" in terminal.getvalue()
    assert "SCAN-1 trivy: 4 findings" in capsys.readouterr().out
    terminal.seek(0), terminal.truncate()
    call_command("scans", "import", str(path), "--json")
    assert terminal.getvalue() == ""
