"""Findings as CSV, the list as filtered (UI and API): streamed, formulas neutralised, capped."""

import csv
from collections.abc import Iterator

from ramparts.core.permissions import require
from ramparts.core.ui import csv_row
from ramparts.vulns import selectors
from ramparts.vulns.filters import FindingFilters
from ramparts.vulns.models import Finding

EXPORT_LIMIT = 100_000
COLUMNS = (
    "ref", "title", "severity", "priority", "status", "cve", "kev_date_added", "epss_score", "system", "business_unit",
    "tool", "package", "installed_version", "fixed_version", "host", "first_seen", "last_seen", "sla_due", "assignee",
)  # fmt: skip


class _Echo:
    def write(self, value):
        return value


def _row(f: Finding) -> list[str]:
    return csv_row(
        [
            f.ref, f.title, f.severity_label, f.ssvc_decision, f.status, f.cve, f.kev_date_added, f.epss_score,
            f.system.ref if f.system else "", f.business_unit.code, f.tool, f.package, f.installed_version,
            f.fixed_version, f.host, f.first_seen.isoformat(), f.last_seen_at.isoformat(), f.sla_due,
            f.assignee.username if f.assignee else "",
        ]
    )  # fmt: skip


def findings_csv(user, filters: FindingFilters) -> Iterator[str]:
    """CSV lines of the filtered findings (header first), at most EXPORT_LIMIT rows."""
    require(user, "vulns.export")
    wanted = selectors.finding_list(user, filters).values("pk")[:EXPORT_LIMIT]
    qs = (
        selectors.visible_to(user)
        .filter(pk__in=wanted)
        .select_related("system", "business_unit", "assignee", "last_import")
        .order_by(*filters.ordering())
    )
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for finding in qs.iterator(chunk_size=2000):
        yield writer.writerow(_row(finding))
