"""Build the findings' column snapshot before anyone asks, so that the first user after a change does
not pay for it (about two seconds at a million findings on SQLite).

`findings_changed()` enqueues `tasks.warm_findings_caches(version)` once the change is committed; the
worker calls `warm()`, which builds the snapshot of that version (ramparts.vulns.facet_columns) and
stores it in the cache, where every process finds it. Facets of any filters but text and CVE, and the
dashboard's numbers, are then counted from it in milliseconds.

Stale work is skipped: a task whose version has moved on stops and leaves it to the next one.
"""

from ramparts.vulns import facet_columns
from ramparts.vulns.cache import version


def warm(at_version: int) -> str:
    """Build and share the snapshot of `at_version`; idempotent (one already built is not rebuilt)."""
    if version() != at_version:
        return "stale"
    columns = facet_columns.current()
    if columns is None or columns.version != at_version:
        return "stale"
    return f"snapshot of {len(columns)} findings"
