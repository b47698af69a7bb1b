"""Raw SQL for the import's hot paths: rows as tuples, one executemany (PostgreSQL: COPY) per batch, id-set updates.

Django's bulk_create spends most of its time building SQL and model instances; at 1M findings a
precomputed INSERT with tuples is several times faster. Updates by id go as one statement per
chunk of ids (a JSON array on SQLite, an array parameter on PostgreSQL), never one per finding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import orjson
from django.db import connection
from django.db.models import NOT_PROVIDED

from ramparts.vulns.importing import pg_copy, prepared
from ramparts.vulns.importing.enriched import ENRICHED_COLUMNS
from ramparts.vulns.models import Finding

# Columns the import fills, in the order the engine builds its row tuples; every other column of
# the model (triage…) gets its field default, computed once.
IMPORT_COLUMNS = (
    "number", "business_unit_id", "system_id", "fingerprint", "scope_id", *prepared.COLUMNS,
    "first_seen", "last_seen", "status", "last_import_id", *ENRICHED_COLUMNS,
)  # fmt: skip
# Replaced when a later item of the same file has the same fingerprint and a higher severity.
_MERGED = IMPORT_COLUMNS[IMPORT_COLUMNS.index("title") : IMPORT_COLUMNS.index("first_seen")]
# A merged row's enrichment no longer matches its inputs: the merge blanks this column (never
# blank once enriched) and the import re-enriches those rows, set-based, after its last batch.
# (Computing the enrichment of `excluded` instead would be wrong: the row keeps its system.)
# Merging no foreign key column matters too: SQLite then checks foreign keys on every insert
# (measured 2.5x the INSERT's cost).
MERGE_MARK = "exploitation"
ID_CHUNK = 200_000


def _other_fields():
    """Columns the import must fill with their field default: the others are left out of the
    INSERT (the database fills them: a db_default, or NULL), fewer parameters to bind per row."""
    supplied = set(IMPORT_COLUMNS)
    return [
        f
        for f in Finding._meta.concrete_fields
        if not f.primary_key and f.attname not in supplied and not _left_to_database(f)
    ]


def _left_to_database(field) -> bool:
    return field.db_default is not NOT_PROVIDED or (field.null and field.get_default() is None)


def defaults() -> tuple:
    """The other columns' values (field defaults, adapted for the database), in insert order."""
    return tuple(f.get_db_prep_save(f.get_default(), connection) for f in _other_fields())


def columns() -> list[str]:
    """The columns of an import row, in its order: IMPORT_COLUMNS, then the defaults' columns."""
    return [*IMPORT_COLUMNS, *(f.column for f in _other_fields())]


def insert_sql(select: str = "") -> str:
    """The INSERT of one import row (placeholders), or of the rows the query `select` returns."""
    ops = connection.ops
    table = ops.quote_name(Finding._meta.db_table)
    names = columns()
    quoted = ", ".join(ops.quote_name(c) for c in names)
    source = select or f"VALUES ({', '.join(['%s'] * len(names))})"
    updates = ", ".join(f"{ops.quote_name(c)} = excluded.{ops.quote_name(c)}" for c in _MERGED)
    updates += f", {ops.quote_name(MERGE_MARK)} = ''"
    return (
        f"INSERT INTO {table} ({quoted}) {source} "  # noqa: S608 - names from the model
        f"ON CONFLICT (scope_id, fingerprint) DO UPDATE SET {updates} WHERE excluded.severity > {table}.severity"
    )


def insert(sql: str, rows: Sequence[tuple]) -> None:
    """Store import rows (`sql` from insert_sql()); PostgreSQL takes them by COPY (pg_copy)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        pg_copy.insert(rows, columns(), insert_sql)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def update_ids(ids: np.ndarray, assignments: str, params: Sequence) -> int:
    """`UPDATE finding SET <assignments> WHERE id IN ids`, one statement per ID_CHUNK ids.

    The ids go as one text: a JSON array on SQLite, the same digits as a bigint[] literal on
    PostgreSQL (a third faster than psycopg adapting a list of 200,000 Python ints)."""
    table = connection.ops.quote_name(Finding._meta.db_table)
    postgres = connection.vendor == "postgresql"
    member = "id = ANY(%s::bigint[])" if postgres else "id IN (SELECT value FROM json_each(%s))"
    sql = f"UPDATE {table} SET {assignments} WHERE {member}"  # noqa: S608 - fixed SQL, bound values
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ID_CHUNK):
            value = orjson.dumps(ids[start : start + ID_CHUNK], option=orjson.OPT_SERIALIZE_NUMPY).decode()
            cursor.execute(sql, [*params, f"{{{value[1:-1]}}}" if postgres else value])
            changed += cursor.rowcount
    return changed


def count_from(number: int) -> int:
    """Findings numbered `number` or more: the ones this import created (it holds the numbering lock)."""
    return Finding.objects.filter(number__gte=number).count()


def ids_from(number: int) -> np.ndarray:
    """Ids of the findings numbered `number` or more: the ones this import created."""
    ids = Finding.objects.filter(number__gte=number).values_list("id", flat=True)
    return np.array(sorted(ids), dtype=np.int64)


def merged_from(number: int) -> list[int]:
    """Ids of this import's findings merged with a later item (see MERGE_MARK). A list, not a
    queryset: enriching the rows fills the column the queryset would select them by."""
    return list(Finding.objects.filter(number__gte=number, **{MERGE_MARK: ""}).values_list("id", flat=True))
