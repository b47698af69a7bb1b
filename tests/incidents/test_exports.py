import csv
import io

import pytest
from django.utils import timezone
from fpdf import FPDF  # noqa: F401 -- the PDF library the export uses

from ramparts.incidents import exports, selectors, services
from ramparts.incidents.config import PlaybookError, parse_playbooks

HOSTILE = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> [link](javascript:alert(1))'


@pytest.fixture
def hostile_incident(declare, analyst):
    incident = declare(title=HOSTILE, summary=HOSTILE)
    services.timeline_add(actor=analyst, incident=incident, text=HOSTILE)
    services.timeline_add(actor=analyst, incident=incident, text="+cmd|' /C calc'!A0")
    services.observable_add(actor=analyst, incident=incident, kind="account", value=HOSTILE)
    return incident


def test_markdown_report_neutralises_markup(hostile_incident, analyst):
    page = selectors.incident_page(analyst, ref=hostile_incident.ref)
    text = exports.report_markdown(page, now=timezone.now())
    assert "<script>" not in text and "&lt;" not in text  # escaped with backslashes, not HTML entities
    assert r"\<script\>" in text and r"\[link\](javascript:alert(1))" in text
    assert text.startswith("# INC-")
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(text)
    assert "<script" not in html and "<a " not in html and "<h1>INC-" in html
    assert "## Regulatory notifications" in text and "gdpr" in text


def test_timeline_csv_neutralises_formulas(hostile_incident):
    rows = list(csv.reader(io.StringIO("".join(exports.timeline_csv(hostile_incident)))))
    assert rows[0] == exports.TIMELINE_HEADER
    texts = [r[5] for r in rows[1:]]
    assert any(t.startswith("'=HYPERLINK") for t in texts) and any(t.startswith("'+cmd") for t in texts)
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert all(r[0].endswith("+00:00") for r in rows[1:])


def test_pdf_report_renders_any_text(hostile_incident, analyst):
    services.timeline_add(actor=analyst, incident=hostile_incident, text="Ünïcødé — ✓ 日本語")
    page = selectors.incident_page(analyst, ref=hostile_incident.ref)
    pdf = exports.report_pdf(page, now=timezone.now())
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000


def test_timeline_csv_streams_every_entry(declare, analyst):
    incident = declare()
    from ramparts.incidents.models import TimelineEntry

    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(incident=incident, occurred_at=now, written_at=now, text=f"e{n}") for n in range(1200)
    )
    rows = list(csv.reader(io.StringIO("".join(exports.timeline_csv(incident)))))
    assert len(rows) == 1 + incident.timeline.count()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("types: {}", "non-empty"),
        ("types: {x: {label: X, tasks: [{title: T, phase: nowhere}]}}", "unknown phase"),
        ("types: {x: {label: X, tasks: [{title: T, owner: boss}]}}", "unknown owner role"),
        ("types: {x: {label: X, tasks: [{title: T, due_hours: -1}]}}", "due_hours"),
        ("types: {x: {label: X, tasks: [{title: T, colour: red}]}}", "unknown key"),
        ("types: {'bad key': {label: X}}", "key must be"),
    ],
)
def test_playbook_file_is_validated(text, message):
    with pytest.raises(PlaybookError, match=message):
        parse_playbooks(text)


def test_shipped_playbooks_cover_the_issue_types():
    from ramparts.incidents.config import incident_types

    types = incident_types()
    for key in ("ransomware", "phishing", "lost_device", "cloud_key_leak", "data_breach"):
        assert types[key].tasks and all(t.checklist or t.title for t in types[key].tasks)
