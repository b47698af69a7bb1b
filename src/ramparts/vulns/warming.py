"""Build the findings' snapshots before anyone asks, so that the first user after a change does not pay
for them (a few seconds at a million findings).

`findings_changed()` enqueues `tasks.warm_findings_caches(version)` once the change is committed; the
worker calls `warm()`, which builds that version's column snapshot (ramparts.vulns.facet_columns), then
its text snapshot (text_columns), and stores them where every process finds them. Facets of any filters,
the dashboard's numbers and text searches are then counted from them in milliseconds. It also records
today's burn-down counts (snapshots.snapshot_findings) from the columns.

Stale work is skipped: a task whose version has moved on stops and leaves it to the next one.
"""

from ramparts.vulns import facet_columns, text_columns
from ramparts.vulns.cache import version
from ramparts.vulns.snapshots import snapshot_findings


def warm(at_version: int) -> str:
    """Build and share the snapshots of `at_version`; idempotent (one already built is not rebuilt)."""
    if version() != at_version:
        return "stale"
    columns = facet_columns.current(share_patched=True)
    if columns is None or columns.version != at_version:
        return "stale"
    texts = text_columns.current(share_patched=True)
    if texts is None or texts.version != at_version:
        return "stale"
    snapshot_findings()  # today's burn-down row, from the columns just built
    return f"snapshots of {len(columns)} findings"
