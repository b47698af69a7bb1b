"""Evidence storage and serving: hashes, limits, refused programs, and files that can never run in
the application's origin."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ramparts.compliance import services
from ramparts.compliance.derivation import assessment_view
from ramparts.compliance.models import Evidence
from ramparts.compliance.services.evidence import path_of
from ramparts.core.errors import PermissionDenied, ValidationFailed
from ramparts.core.roles import Role

HOSTILE_HTML = b"<html><script>fetch('/api/v1/users').then(r=>r.text()).then(alert)</script></html>"


@pytest.fixture
def control(manager, unit_a, catalogs):
    return services.control_create(
        actor=manager, business_unit=unit_a, name="Logging", status="implemented", requirements=["csf-mini:GV.OC-01"]
    )


def test_file_is_stored_by_sha256(manager, control):
    evidence = services.evidence_add(
        actor=manager, title="Config", file=b"hello", file_name="cfg.txt", control=control.ref
    )
    assert evidence.sha256 == hashlib.sha256(b"hello").hexdigest()
    assert evidence.size == 5
    assert path_of(evidence.sha256).read_bytes() == b"hello"


@pytest.mark.parametrize("name", ["page.html", "image.svg", "x.xhtml", "data.xml", "no-extension"])
def test_active_content_is_served_as_an_inert_attachment(client, manager, control, name):
    evidence = services.evidence_add(
        actor=manager, title="Hostile", file=HOSTILE_HTML, file_name=name, control=control.ref
    )
    client.force_login(manager)
    for path in (
        f"/compliance/evidence/{evidence.ref}/download/",
        f"/api/v1/compliance/evidence/{evidence.ref}/download",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert b"".join(response.streaming_content) == HOSTILE_HTML


def test_a_pdf_keeps_its_type_but_is_still_an_attachment(client, manager, control):
    evidence = services.evidence_add(
        actor=manager, title="Report", file=b"%PDF-1.4", file_name="r.pdf", control=control.ref
    )
    client.force_login(manager)
    response = client.get(f"/compliance/evidence/{evidence.ref}/download/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_quoted_names_cannot_break_the_header(client, manager, control):
    evidence = services.evidence_add(actor=manager, title="x", file=b"x", file_name='a";b\r\n.txt', control=control.ref)
    client.force_login(manager)
    header = client.get(f"/compliance/evidence/{evidence.ref}/download/")["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00rest", "tool.bin"),
        (b"\x7fELF\x02", "daemon"),
        (b"echo", "run.ps1"),
        (b"not-really-a-setup-program", "setup.EXE"),
    ],
)
def test_programs_are_refused_and_nothing_stored(manager, control, content, name):
    with pytest.raises(ValidationFailed) as err:
        services.evidence_add(actor=manager, title="Program", file=content, file_name=name, control=control.ref)
    assert err.value.problems[0].column == "file"
    assert not Evidence.objects.exists()
    assert not path_of(hashlib.sha256(content).hexdigest()).exists()


@override_settings(RAMPARTS_EVIDENCE_MAX_BYTES=1024)
def test_size_limit(client, manager, control):
    with pytest.raises(ValidationFailed) as err:
        services.evidence_add(actor=manager, title="Big", file=b"x" * 1025, file_name="big.txt", control=control.ref)
    assert "limit" in err.value.problems[0].reason
    client.force_login(manager)
    response = client.post(
        "/api/v1/compliance/evidence",
        {"title": "Big", "control": control.ref, "file": SimpleUploadedFile("big.txt", b"x" * 2000)},
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_links_must_be_http(manager, control):
    with pytest.raises(ValidationFailed):
        services.evidence_add(actor=manager, title="JS", url="javascript:alert(1)", control=control.ref)
    link = services.evidence_add(actor=manager, title="Wiki", url="https://wiki.example/backup", control=control.ref)
    assert link.kind == "link"


def test_auditor_collects_evidence_but_changes_nothing_else(client, make_user, manager, control, unit_a):
    auditor = make_user(Role.AUDITOR)
    client.force_login(auditor)
    response = client.post(
        "/compliance/evidence/new/",
        {"title": "Sampled log", "control": control.ref, "file": SimpleUploadedFile("log.txt", b"ok")},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().collected_by == auditor
    assessment = services.assessment_create(actor=manager, business_unit=unit_a, name="A", framework="csf-mini")
    with pytest.raises(PermissionDenied):
        services.assessment_result_set(
            actor=auditor, ref=assessment.ref, requirement="GV.OC-01", status="implemented", reason="x"
        )
    assert client.post(f"/compliance/controls/{control.ref}/edit/", {"name": "x"}).status_code == 403
    assert client.post(f"/compliance/assessments/{assessment.ref}/signoff/").status_code == 403


def test_expired_evidence_turns_the_requirement_amber(manager, control, unit_a):
    assessment = services.assessment_create(actor=manager, business_unit=unit_a, name="A", framework="csf-mini")
    rows = {r.identifier: r for r in assessment_view(assessment).rows}
    assert not rows["GV.OC-01"].amber
    services.evidence_add(
        actor=manager,
        title="Old pentest",
        url="https://x.example/p",
        control=control.ref,
        expires_on=dt.date.today() - dt.timedelta(days=1),
    )
    services.evidence_add(
        actor=manager,
        title="Old scan",
        url="https://x.example/s",
        assessment=assessment.ref,
        requirement="PR.AA-01",
        expires_on=dt.date.today() - dt.timedelta(days=3),
    )
    services.evidence_add(
        actor=manager,
        title="Fresh",
        url="https://x.example/f",
        assessment=assessment.ref,
        requirement="GV.RM-01",
        expires_on=dt.date.today() + dt.timedelta(days=30),
    )
    rows = {r.identifier: r for r in assessment_view(assessment).rows}
    assert rows["GV.OC-01"].amber and rows["PR.AA-01"].amber and not rows["GV.RM-01"].amber


def test_other_units_evidence_is_not_found(client, make_user, manager, control, unit_b):
    evidence = services.evidence_add(actor=manager, title="x", file=b"x", file_name="x.txt", control=control.ref)
    outsider = make_user(Role.SECURITY_MANAGER, units=[unit_b])
    client.force_login(outsider)
    assert client.get(f"/compliance/evidence/{evidence.ref}/download/").status_code == 404
    assert client.get(f"/api/v1/compliance/evidence/{evidence.ref}").status_code == 404
    response = client.post(
        "/api/v1/compliance/evidence", {"title": "sneak", "control": control.ref, "url": "https://x.example"}
    )
    assert response.status_code == 404
