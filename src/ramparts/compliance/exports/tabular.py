"""An assessment as CSV or XLSX. Every text cell goes through csv_cell, so that a spreadsheet never
runs a requirement title or a reason as a formula."""

import csv
import io

from ramparts.compliance.derivation import AssessmentView
from ramparts.core.ui import csv_row

HEADER = (
    "identifier",
    "title",
    "group",
    "subgroup",
    "status",
    "derived",
    "override",
    "reason",
    "via",
    "controls",
    "evidence",
    "expired_evidence",
)


def rows(view: AssessmentView):
    for r in view.rows:
        groups = [label for _, label in r.groups]
        yield csv_row(
            [
                r.identifier,
                r.title,
                groups[0] if groups else "",
                groups[1] if len(groups) > 1 else "",
                r.effective or "not assessed",
                r.derived or "",
                r.override,
                r.reason,
                r.via,
                " ".join(ref for ref, _ in r.controls),
                r.evidence,
                "yes" if r.amber else "",
            ]
        )


def to_csv(view: AssessmentView) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows(view))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(view: AssessmentView, *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Assessment")
    sheet.append([title[:200]])
    sheet.append(list(HEADER))
    for row in rows(view):
        sheet.append(row)
    summary = book.create_sheet(title="Coverage")
    summary.append(
        ["group", "coverage %", "implemented", "partial", "not implemented", "not applicable", "not assessed"]
    )
    for t in [view.coverage.overall, *view.coverage.groups]:
        summary.append(
            csv_row([t.label or t.key])
            + [t.percent, t.implemented, t.partial, t.not_implemented, t.not_applicable, t.unassessed]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
