"""Oversized uploads are refused before anything reads them, on the UI and the API, and change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ramparts.core.models import ApiToken, AuditEntry
from ramparts.inventory.models import System

LIMIT = 4096


def _big_csv() -> SimpleUploadedFile:
    rows = "".join(f"big-{i},server,retail\n" for i in range(400))
    body = ("name,kind,business_unit\n" + rows).encode()
    assert len(body) > LIMIT
    return SimpleUploadedFile("systems.csv", body, content_type="text/csv")


@pytest.fixture
def logged_in(admin_user, unit_a, client):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("path", ["/inventory/systems/import/", "/api/v1/inventory/import/systems"])
@override_settings(RAMPARTS_MAX_UPLOAD_BYTES=LIMIT)
def test_oversized_import_is_refused(logged_in, path):
    entries = AuditEntry.objects.count()
    response = logged_in.post(path, {"file": _big_csv()})
    assert response.status_code == 413
    text = response.content.decode()
    assert "too large" in text and f"{LIMIT:,}" in text
    assert not System.objects.filter(name__startswith="big-").exists()
    assert AuditEntry.objects.count() == entries


@override_settings(RAMPARTS_MAX_UPLOAD_BYTES=LIMIT)
def test_api_answers_json(logged_in):
    response = logged_in.post("/api/v1/inventory/import/systems", {"file": _big_csv()})
    assert response.status_code == 413 and "RAMPARTS_MAX_UPLOAD_BYTES" in response.json()["detail"]


@override_settings(RAMPARTS_MAX_UPLOAD_BYTES=LIMIT)
def test_oversized_json_body_is_refused(logged_in):
    response = logged_in.post("/api/v1/tokens", {"name": "x" * (LIMIT + 10)}, content_type="application/json")
    assert response.status_code == 413
    assert not ApiToken.objects.exists()


@override_settings(RAMPARTS_MAX_UPLOAD_BYTES=LIMIT)
def test_small_upload_still_works(logged_in):
    small = SimpleUploadedFile("systems.csv", b"name,kind,business_unit\nsmall-1,server,retail\n")
    response = logged_in.post("/inventory/systems/import/", {"file": small})
    assert response.status_code == 200
    assert System.objects.filter(name="small-1").exists()
