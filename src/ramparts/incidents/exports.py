"""Incident exports: report (Markdown, PDF), timeline (CSV), IOCs (STIX 2.1 bundle).

Hostile text is neutralised for each format: Markdown escapes its own syntax and HTML, CSV cells that
a spreadsheet would run as formulas are prefixed with a quote, STIX values are quoted pattern literals."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import stix2
from fpdf import FPDF

from ramparts.core.ui import csv_row
from ramparts.incidents import config
from ramparts.incidents.models import Incident, ObservableKind
from ramparts.incidents.selectors import IncidentPage
from ramparts.incidents.services.response import HASH_LENGTHS

# Anywhere in a line: emphasis, code, links/images, HTML, tables. At a line's start: headings, lists, quotes.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~!])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.MULTILINE)
_PDF_SUBSTITUTES = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "*", "→": "->", "·": "-"}
)


def md(value: object) -> str:
    """Text safe inside Markdown: its syntax and HTML are escaped, so nothing renders as markup or runs."""
    text = str(value if value is not None else "")
    text = _MD_SPECIAL.sub(r"\\\1", text.replace("\r", ""))
    text = _MD_LINE_START.sub(lambda m: m[1] + "\\" + m[2], text)
    return text.replace("\n", "  \n")


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def report_lines(page: IncidentPage, *, now: datetime) -> list[tuple[str, str]]:
    """The report as (style, text) lines, shared by the Markdown and the PDF renderings. Text is raw."""
    i = page.incident
    out: list[tuple[str, str]] = [("h1", f"{i.ref} {i.title}")]
    out.append(
        (
            "p",
            f"Type {config.type_label(i.incident_type)}; severity {i.get_severity_display()}; priority "
            f"{i.get_priority_display()}; phase {i.get_phase_display()}; business unit {i.business_unit}. "
            f"Report generated {_utc(now)}.",
        )
    )
    if i.summary:
        out += [("h2", "Summary"), ("p", i.summary)]
    out.append(("h2", "Key times (UTC)"))
    for label, value in (
        ("Occurred" + (" (estimated)" if i.occurred_estimated else ""), i.occurred_at),
        ("Detected", i.detected_at),
        ("Reported", i.reported_at),
        ("Acknowledged", i.acknowledged_at),
        ("Contained", i.contained_at),
        ("Eradicated", i.eradicated_at),
        ("Recovered", i.recovered_at),
        ("Closed", i.closed_at),
    ):
        out.append(("li", f"{label}: {_utc(value)}"))
    out.append(("h2", "Regulatory notifications"))
    for clock in page.clocks:
        d = clock.deadline
        due = _utc(d.due) if d.due else (d.note or d.basis)
        out.append(("li", f"{d.regime} {d.report} ({d.source}): {clock.status.state.value}; due {due}"))
    for n in page.notices:
        out.append(("li", f"Sent {n.rule_id} on {_utc(n.sent_at)} to {n.recipient}: {n.content}"))
    out.append(("h2", "Roles"))
    for r in page.roles:
        out.append(
            (
                "li",
                f"{r.get_role_display()}: {r.user.get_username()} from {_utc(r.held_from)}"
                + (f" until {_utc(r.held_until)}" if r.held_until else ""),
            )
        )
    out.append(("h2", "Affected"))
    for obj in (*page.systems, *page.data_assets, *page.services):
        out.append(("li", f"{obj.ref} {obj.name}"))
    out.append(("h2", "Tasks"))
    for t in page.tasks:
        owner = t.owner.get_username() if t.owner else "unassigned"
        out.append(("li", f"{t.ref} [{t.get_status_display()}] {t.title} ({owner}, due {_utc(t.due_at)})"))
    out.append(("h2", "Indicators"))
    for o in page.observables:
        out.append(("li", f"{o.get_kind_display()} {o.value} ({o.get_tlp_display()})"))
    for tech in page.techniques:
        out.append(("li", f"ATT&CK {tech.technique_id} {tech.name}".strip()))
    if page.review:
        out.append(("h2", "Post-incident review"))
        for label, value in (
            ("What happened", page.review.what_happened),
            ("What went well", page.review.went_well),
            ("What did not", page.review.went_badly),
            ("Root cause", page.review.root_cause),
        ):
            out += [("h3", label), ("p", value or "—")]
    if page.actions:
        out.append(("h3", "Actions"))
        for a in page.actions:
            owner = a.owner.get_username() if a.owner else "no owner"
            out.append(("li", f"{a.ref} [{a.get_status_display()}] {a.title} ({owner})"))
    out.append(("h2", "Timeline (UTC, most recent first)"))
    for e in page.pinned:
        out.append(("li", f"PINNED {_utc(e.occurred_at)} {e.text}"))
    for e in page.timeline:
        out.append(("li", f"{_utc(e.occurred_at)} [{e.get_kind_display()}] {e.text}"))
    if page.timeline_total > len(page.timeline):
        out.append(("p", f"{page.timeline_total - len(page.timeline)} older entries are in the timeline CSV."))
    return out


def report_markdown(page: IncidentPage, *, now: datetime) -> str:
    prefix = {"h1": "# ", "h2": "\n## ", "h3": "\n### ", "li": "- ", "p": "\n"}
    return "\n".join(prefix[style] + md(text) for style, text in report_lines(page, now=now)) + "\n"


def latin1(text: object) -> str:
    return str(text or "").translate(_PDF_SUBSTITUTES).encode("latin-1", "replace").decode("latin-1")


def report_pdf(page: IncidentPage, *, now: datetime) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_title(latin1(f"Incident report {page.incident.ref}"))
    pdf.set_creator("Ramparts")
    pdf.add_page()
    sizes = {"h1": ("B", 15, 8), "h2": ("B", 12, 7), "h3": ("B", 10, 6), "p": ("", 9, 4.5), "li": ("", 9, 4.5)}
    for style, text in report_lines(page, now=now):
        weight, size, height = sizes[style]
        pdf.set_font("Helvetica", weight, size)
        if style in ("h2", "h3"):
            pdf.ln(2)
        body = latin1(("- " if style == "li" else "") + text)
        pdf.multi_cell(0, height, body, new_x="LMARGIN", new_y="NEXT", markdown=False)
    return bytes(pdf.output())


TIMELINE_HEADER = ["occurred_at_utc", "written_at_utc", "kind", "author", "pinned", "text"]


def timeline_csv(incident: Incident) -> Iterator[str]:
    """The whole timeline, oldest first, streamed in chunks; formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TIMELINE_HEADER)
    entries = incident.timeline.select_related("author").order_by("occurred_at", "id")
    for n, e in enumerate(entries.iterator(chunk_size=2000)):
        writer.writerow(
            csv_row(
                [
                    e.occurred_at.astimezone(UTC).isoformat(),
                    e.written_at.astimezone(UTC).isoformat(),
                    e.kind,
                    e.author.get_username() if e.author else "",
                    "yes" if e.pinned else "",
                    e.text,
                ]
            )
        )
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


TLP_MARKINGS = {
    "clear": stix2.TLP_WHITE,
    "green": stix2.TLP_GREEN,
    "amber": stix2.TLP_AMBER,
    "amber+strict": stix2.TLP_AMBER,  # stix2 ships TLP 1.0 markings; AMBER+STRICT is at least AMBER (label says so)
    "red": stix2.TLP_RED,
}


def _literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def stix_pattern(kind: str, value: str) -> str:
    if kind == ObservableKind.IP:
        return f"[{'ipv6-addr' if ':' in value else 'ipv4-addr'}:value = {_literal(value)}]"
    if kind == ObservableKind.DOMAIN:
        return f"[domain-name:value = {_literal(value)}]"
    if kind == ObservableKind.URL:
        return f"[url:value = {_literal(value)}]"
    if kind == ObservableKind.HASH:
        return f"[file:hashes.'{HASH_LENGTHS[len(value)]}' = {_literal(value)}]"
    if kind == ObservableKind.EMAIL:
        return f"[email-addr:value = {_literal(value)}]"
    return f"[user-account:account_login = {_literal(value)}]"


def stix_bundle(incident: Incident) -> str:
    """IOCs as STIX 2.1 indicators with TLP markings, ATT&CK techniques as attack patterns, tied to the incident."""
    identity = stix2.Identity(name="Ramparts", identity_class="organization")
    sdo = stix2.v21.Incident(
        name=f"{incident.ref} {incident.title}",
        description=incident.summary or incident.title,
        created_by_ref=identity.id,
        external_references=[{"source_name": "ramparts", "external_id": incident.ref}],
    )
    objects: list = [identity, sdo]
    markings: dict[str, object] = {}
    for obs in incident.observables.all():
        indicator = stix2.Indicator(
            name=f"{obs.get_kind_display()} {obs.value}"[:250],
            description=obs.note or f"Seen in {incident.ref}",
            pattern=stix_pattern(obs.kind, obs.value),
            pattern_type="stix",
            valid_from=obs.added_at,
            created_by_ref=identity.id,
            labels=[f"tlp:{obs.tlp}"],
            object_marking_refs=[TLP_MARKINGS[obs.tlp]],
        )
        markings[TLP_MARKINGS[obs.tlp].id] = TLP_MARKINGS[obs.tlp]
        objects += [indicator, stix2.Relationship(indicator, "indicates", sdo, created_by_ref=identity.id)]
    for tech in incident.techniques.all():
        pattern = stix2.AttackPattern(
            name=tech.name or tech.technique_id,
            external_references=[
                {
                    "source_name": "mitre-attack",
                    "external_id": tech.technique_id,
                    "url": "https://attack.mitre.org/techniques/" + tech.technique_id.replace(".", "/") + "/",
                }
            ],
        )
        objects += [pattern, stix2.Relationship(sdo, "related-to", pattern, created_by_ref=identity.id)]
    return stix2.Bundle(objects=[*markings.values(), *objects], allow_custom=False).serialize(pretty=True)
