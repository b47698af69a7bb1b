"""Re-import of the very file the last import of its kind read: a few set-based statements, no parse.

The file's findings are the ones whose `last_import` is the import that last parsed it (a replay
keeps pointing at that one, `options["findings_of"]`). Every statement reads the findings through
the (last_import, status) index: which of them were fixed since, how many there are, and the open
findings of the scopes that belong to another import, which are usually few, instead of every
finding of the scopes. Their last seen time moves on the import (`seen_at`), not on every row:
rewriting a million wide rows for one timestamp was most of a replay's time.
"""

from __future__ import annotations

import numpy as np
from django.db import connection

from ramparts.vulns.models import Finding, FindingScope, ScanImport


def replay(previous: ScanImport, scan: ScanImport, now, *, reopen, enrich, counts):
    """Apply the replay rules (docs/vulns.md); `reopen`, `enrich` and `counts` are the engine's."""
    root = previous.options.get("findings_of", previous.pk)
    ScanImport.objects.filter(pk=scan.pk).update(options={**scan.options, "findings_of": root})
    ScanImport.objects.filter(pk=root).update(seen_at=now)
    mine = Finding.objects.filter(last_import_id=root)
    reopened_ids = np.array(mine.filter(status=Finding.Status.FIXED).values_list("id", flat=True), dtype=np.int64)
    stamp = connection.ops.adapt_datetimefield_value(now)
    reopened = reopen(reopened_ids, stamp, root)
    enrich(None, reopened_ids)
    unchanged = mine.count() - reopened
    scope = previous.scope
    if "|targets:" in scope:
        scopes = list(mine.values_list("scope_id", flat=True).distinct())
    else:
        scopes = list(FindingScope.objects.filter(key=scope).values_list("id", flat=True))
    closed_ids = _close_others(root, scopes, stamp)
    return counts(
        findings=previous.findings,
        unchanged=unchanged,
        reopened=reopened,
        closed=len(closed_ids),
        scope=scope,
        changed=np.concatenate([reopened_ids, closed_ids]),
    )


def _close_others(root: int, scopes: list[int], stamp) -> np.ndarray:
    """Close the open findings of the scopes that the replayed file does not hold; their ids.

    The candidates come from the (last_import, status) index (open findings of any other import, or
    of none), usually few, and only they are checked for their scope: reading the scope's own index
    would visit every finding of the file. SQLite prefers an index on `scope IN (...)` whatever the
    candidates; the unary `+` keeps it on the id list (PostgreSQL plans from its statistics).
    """
    finding = connection.ops.quote_name(Finding._meta.db_table)
    scan = connection.ops.quote_name(ScanImport._meta.db_table)
    if not scopes:
        return np.zeros(0, dtype=np.int64)
    scope = "+scope_id" if connection.vendor == "sqlite" else "scope_id"
    marks = ", ".join(["%s"] * len(scopes))
    open_ = Finding.Status.OPEN.value
    sql = (
        f"UPDATE {finding} SET status = %s, fixed_at = %s WHERE id IN ("  # noqa: S608 - names from the models
        f"SELECT id FROM {finding} WHERE status = %s AND last_import_id IN (SELECT id FROM {scan} WHERE id <> %s) "
        f"UNION ALL SELECT id FROM {finding} WHERE status = %s AND last_import_id IS NULL"
        f") AND {scope} IN ({marks}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Finding.Status.FIXED.value, stamp, open_, root, open_, *scopes])
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
