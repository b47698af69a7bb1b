"""PostgreSQL's COPY path for new findings stores exactly what the executemany path stored."""

import numpy as np
import pytest
from django.db import DataError, connection, transaction
from django.utils import timezone

from ramparts.vulns.importing import pg_copy, rows
from ramparts.vulns.models import Finding, FindingScope, ScanImport
from tests.vulns._findings import make_system

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
pytestmark = pytest.mark.django_db

NOW = timezone.now()
FIELDS = {f.column: f for f in Finding._meta.concrete_fields}
STORED = [f.attname for f in Finding._meta.concrete_fields if not f.primary_key]
AWKWARD = "tab\there, line\nbreak, crlf\r\n, backslash \\ \\N \\. \\\\t, quote ' \" , comma; pipe|"
UNICODE = "é ß Ω 中文 한국어 עברית\u200f e\u0301 🙂🛡️ \u2028 \ufeff end"


@pytest.fixture
def world(unit_a):
    scan = ScanImport.objects.create(number=1, business_unit=unit_a, format="trivy", file_name="x", started_at=NOW)
    return unit_a, make_system(unit_a), scan


def row(world, number: int, *, fingerprint: bytes | None = None, severity: int = 2, **values) -> tuple:
    """An import row in rows.IMPORT_COLUMNS order (whatever that order is), defaults after it."""
    unit, system, scan = world
    scope = FindingScope.objects.get_or_create(key="unit:retail|format:trivy")[0]
    given = {
        "number": number, "business_unit_id": unit.pk, "system_id": system.pk, "scope_id": scope.pk,
        "fingerprint": fingerprint or number.to_bytes(16, "big"), "title": f"finding {number}", "severity": severity,
        "first_seen": NOW, "last_seen": NOW, "status": "open", "last_import_id": scan.pk, **values,
    }  # fmt: skip
    out = []
    for column in rows.IMPORT_COLUMNS:
        field = FIELDS[column]
        out.append(given[column] if column in given else field.get_db_prep_save(field.get_default(), connection))
    return (*out, *rows.defaults())


def awkward_rows(world) -> list[tuple]:
    return [
        row(world, 1, title=AWKWARD, description=AWKWARD * 3, aliases="CVE-2024-1\nGHSA-xxxx-yyyy\n\\N", url=AWKWARD),
        row(world, 2, title=UNICODE, description=UNICODE * 2, package="pkg\t1", purl="pkg:npm/%40scope/a%09b@1"),
        row(world, 3, title="", description="", cve="", host="", system_id=None, last_import_id=None),
        row(world, 4, description="long " + "x\\y\tz\n" * 400_000, file_path="/a b/" + "c" * 70_000),
        row(
            world,
            5,
            severity=4,
            cvss3_score=9.8,
            cvss4_score=0.1,
            cwe=2**31 - 1,
            port=65535,
            line=1,
            exploit_available=True,
            cvss3_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ),  # fmt: skip
        row(world, 6, cvss3_score=None, cvss4_score=None, cwe=None, port=None, line=None, exploit_available=False),
    ]


def stored() -> list[tuple]:
    return list(Finding.objects.order_by("number").values_list(*STORED))


def by_executemany(batches: list[list[tuple]]) -> list[tuple]:
    """Today's path, then the state it left; the findings are deleted again for the other path."""
    with connection.cursor() as cursor:
        for batch in batches:
            cursor.executemany(rows.insert_sql(), batch)
    state = stored()
    Finding.objects.all().delete()
    return state


def by_copy(batches: list[list[tuple]]) -> list[tuple]:
    for batch in batches:
        rows.insert(rows.insert_sql(), batch)
    return stored()


@postgresql_only
def test_copy_stores_every_column_as_executemany_did(world):
    batch = awkward_rows(world)
    expected = by_executemany([batch])
    assert len(expected) == len(batch)
    assert by_copy([batch]) == expected
    title, description, aliases, url = Finding.objects.filter(number=1).values_list(
        "title", "description", "aliases", "url"
    )[0]
    assert (title, description, aliases, url) == (AWKWARD, AWKWARD * 3, "CVE-2024-1\nGHSA-xxxx-yyyy\n\\N", AWKWARD)
    long = Finding.objects.get(number=4)
    assert long.description == "long " + "x\\y\tz\n" * 400_000 and len(long.file_path) == 70_005
    assert Finding.objects.get(number=2).title == UNICODE
    null = Finding.objects.get(number=6)
    assert (null.cvss3_score, null.cwe, null.port, null.line, null.exploit_available) == (None, None, None, None, False)
    assert Finding.objects.get(number=3).system_id is None


@postgresql_only
def test_duplicates_within_a_batch_and_across_batches_merge_as_before(world):
    fp = b"\xff" * 16
    first = [
        row(world, 10, fingerprint=fp, severity=2, title="first, medium"),
        row(world, 11, fingerprint=fp, severity=3, title="later, high", description="high's"),
        row(world, 12, severity=1),
        row(world, 13, fingerprint=fp, severity=3, title="equal severity: ignored"),
        row(world, 14, fingerprint=fp, severity=1, title="lower: ignored"),
    ]
    second = [row(world, 20, fingerprint=fp, severity=4, title="next batch, critical", port=8443), row(world, 21)]
    expected = by_executemany([first, second])
    assert by_copy([first, second]) == expected
    merged = Finding.objects.get(fingerprint=fp)
    # the first row's number stays; a higher severity replaces the scanner's columns, even with blanks
    assert (merged.number, merged.severity, merged.title, merged.port) == (10, 4, "next batch, critical", 8443)
    assert merged.description == ""
    assert sorted(Finding.objects.values_list("number", flat=True)) == [10, 12, 21]


def test_distinct_runs_cut_before_each_repeated_key():
    data = [("s", "a", 1), ("s", "b", 2), ("t", "a", 3), ("s", "a", 4), ("s", "b", 5), ("s", "a", 6)]
    assert [[r[2] for r in run] for run in pg_copy.distinct_runs(data, 0, 1)] == [[1, 2, 3], [4, 5], [6]]
    assert list(pg_copy.distinct_runs([], 0, 1)) == []


@postgresql_only
def test_a_bad_value_rolls_back_every_batch(world):
    too_long = "x" * (Finding._meta.get_field("scanner_severity").max_length + 1)
    with pytest.raises(DataError), transaction.atomic():
        rows.insert(rows.insert_sql(), [row(world, 1), row(world, 2)])
        assert Finding.objects.count() == 2
        rows.insert(rows.insert_sql(), [row(world, 3), row(world, 4, scanner_severity=too_long)])
    assert Finding.objects.count() == 0
    rows.insert(rows.insert_sql(), [row(world, 5)])  # the rolled-back temporary table is gone with it
    assert list(Finding.objects.values_list("number", flat=True)) == [5]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rows_are_committed_and_the_temporary_table_dropped(world):
    rows.insert(rows.insert_sql(), [row(world, 1), row(world, 2)])
    assert Finding.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{pg_copy.TEMP_TABLE}"])
        assert cursor.fetchone()[0] is None


def test_update_ids_updates_exactly_the_ids_given_chunk_by_chunk(world, monkeypatch):
    rows.insert(rows.insert_sql(), [row(world, n) for n in range(1, 8)])
    ids = dict(Finding.objects.values_list("number", "id"))
    monkeypatch.setattr(rows, "ID_CHUNK", 2)
    chosen = np.array([ids[7], ids[2], ids[5], ids[3], ids[6]], dtype=np.int64)
    assert rows.update_ids(chosen, "status = %s, port = %s", ["fixed", 8080]) == 5
    assert rows.update_ids(np.zeros(0, dtype=np.int64), "status = %s", ["open"]) == 0
    changed = Finding.objects.filter(status="fixed", port=8080).values_list("number", flat=True)
    assert sorted(changed) == [2, 3, 5, 6, 7]
    assert Finding.objects.filter(status="open", port=None).count() == 2
