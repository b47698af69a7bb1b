"""A printable statement of applicability (PDF) with fpdf2: pure Python, no system library.

fpdf2's built-in fonts cover Latin-1 only; other characters are transliterated or replaced, so
that any title or reason prints (a Unicode TTF would be a system dependency)."""

from fpdf import FPDF

from ramparts.compliance.derivation import AssessmentView

_SUBSTITUTES = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "*", "→": "->", "≥": ">=", "≤": "<="}
)
STATUS_TEXT = {
    "implemented": "Implemented",
    "partial": "Partially",
    "not_implemented": "Not implemented",
    "not_applicable": "Not applicable",
    None: "Not assessed",
}


def latin1(text: object) -> str:
    return str(text or "").translate(_SUBSTITUTES).encode("latin-1", "replace").decode("latin-1")


def statement_of_applicability(assessment, view: AssessmentView, *, generated: str) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(latin1(f"Statement of applicability {assessment.ref}"))
    pdf.set_creator("Ramparts")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, latin1(f"Statement of applicability - {assessment.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    lines = [
        f"{assessment.ref} · {assessment.framework} · business unit {assessment.business_unit}",
        f"State: {assessment.get_state_display()}"
        + (
            f", signed off by {assessment.signed_off_by} on {assessment.signed_off_at:%Y-%m-%d}"
            if assessment.signed_off_at
            else ""
        ),
        f"Coverage {view.coverage.overall.percent}% ({view.coverage.overall.implemented} implemented, "
        f"{view.coverage.overall.partial} partially, {view.coverage.overall.not_implemented} not implemented, "
        f"{view.coverage.overall.not_applicable} not applicable, {view.coverage.overall.unassessed} not assessed). "
        f"Generated {generated}.",
    ]
    for line in lines:
        pdf.cell(0, 5, latin1(line.replace("·", "-")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (28, 88, 20, 28, 60, 53)
    headings = ("Requirement", "Title", "Applicable", "Status", "Justification / reason", "Controls")
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, first_row_as_headings=True) as table:
        pdf.set_font("Helvetica", "", 7.5)
        table.row([latin1(h) for h in headings])
        for row in view.rows:
            status = row.effective
            table.row(
                [
                    latin1(row.identifier),
                    latin1(row.title[:300]),
                    "No" if status == "not_applicable" else "Yes",
                    latin1((STATUS_TEXT.get(status) or str(status)) + (" (expired evidence)" if row.amber else "")),
                    latin1((row.reason or row.via)[:400]),
                    latin1(", ".join(ref for ref, _ in row.controls)[:300]),
                ]
            )
    return bytes(pdf.output())
