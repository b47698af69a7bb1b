"""PostgreSQL's path for an import's new findings: binary COPY into a temporary table, then one
`INSERT ... SELECT ... ON CONFLICT` per batch.

A pipelined executemany still executes one INSERT per row on the server; 100,000 findings took
23 s that way and 5 s this way (COPY 0.5 s, the INSERT ... SELECT 3.5 s, mostly the findings'
18 indexes; 2 cores, PostgreSQL 15). Batches of 5,000, 25,000 or all 100,000 rows per INSERT
took the same time, so one INSERT per batch the engine hands over is enough.

The INSERT is rows.insert_sql's own with a SELECT in place of VALUES: the same columns and the
same conflict rule (a later duplicate replaces the stored finding only with a higher severity).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from django.db import connection, transaction

from ramparts.vulns.models import Finding

# Dropped at commit or rollback: nothing outlives the import's transaction.
TEMP_TABLE = "ramparts_import_rows"


def insert(rows: Sequence[tuple], columns: Sequence[str], insert_sql: Callable[[str], str]) -> None:
    """Store `rows` (values in `columns` order); `insert_sql(select)` is the INSERT of the rows `select` gives."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    statement = insert_sql(f"SELECT {names} FROM {TEMP_TABLE}")  # noqa: S608 - names from the model
    # savepoint=False: inside the import's transaction this adds no statement; alone, it opens one
    # (ON COMMIT DROP would otherwise drop the table before the COPY).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {TEMP_TABLE} ON COMMIT DROP AS "  # noqa: S608 - names from the model
            f"SELECT {names} FROM {quote(Finding._meta.db_table)} WITH NO DATA"
        )
        cursor.execute(f"SELECT {names} FROM {TEMP_TABLE} LIMIT 0")  # noqa: S608 - names from the model
        types = [column.type_code for column in cursor.description]
        for run in distinct_runs(rows, columns.index("scope_id"), columns.index("fingerprint")):
            cursor.execute(f"TRUNCATE {TEMP_TABLE}")
            # Django wraps execute()'s errors only: a bad value raises DataError here as in executemany
            with (
                connection.wrap_database_errors,
                cursor.copy(f"COPY {TEMP_TABLE} ({names}) FROM STDIN (FORMAT BINARY)") as copy,
            ):
                copy.set_types(types)
                for row in run:
                    copy.write_row(row)
            cursor.execute(statement)


def distinct_runs(rows: Sequence[tuple], scope_at: int, fingerprint_at: int) -> Iterator[Sequence[tuple]]:
    """`rows` cut into consecutive runs without a repeated key.

    One INSERT ... ON CONFLICT DO UPDATE may not touch a row twice, where executemany applies
    duplicates one after the other. The engine sends a batch without duplicates (one run), but
    any caller gets executemany's result.
    """
    seen: set[tuple] = set()
    start = 0
    for i, row in enumerate(rows):
        key = (row[scope_at], row[fingerprint_at])
        if key in seen:
            yield rows[start:i]
            start, seen = i, set()
        seen.add(key)
    if start < len(rows):
        yield rows[start:]
