"""The webhook intake's hot path: verify, map, and store alerts in one short transaction.

Per request, without a cached source: a handful of statements in one transaction:
  1. the rate-limit counter of the source's current minute (upsert, RETURNING the count);
  2. the replay guard (insert of the signature; a conflict means the request was seen before);
  3. per alert, an upsert on (source, dedup key) that counts repeats (RETURNING id and count);
  4. per *new*, unsuppressed alert, its group (extend the latest group in the window, or open one).
The source, its compiled mapping and its suppression rules are cached per process for a few
seconds (SOURCE_CACHE_SECONDS): a rotated secret or a new rule takes effect within that time.
Everything is committed before the view answers 2xx, so an acknowledged alert is never lost.
"""

import contextlib
import datetime as dt
import fcntl
import fnmatch
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ramparts.alerts.engine.mapping import CompiledMapping, MappedAlert
from ramparts.alerts.models import Alert, AlertGroup, AlertSource, RateWindow, ReplayGuard, SuppressionRule
from ramparts.notifications import signing

SOURCE_CACHE_SECONDS = 5.0
ANNOUNCED_SEVERITIES = frozenset({"high", "critical"})
MAX_SKEW = dt.timedelta(minutes=5)
# Replayed signatures are remembered longer than a timestamp stays acceptable (both directions).
REPLAY_MEMORY = 2 * MAX_SKEW + dt.timedelta(minutes=1)


class Rejected(Exception):
    """The request is refused: `status` and a message that names the reason (never the secret)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Suppression:
    id: int
    field: str
    pattern: str
    until: dt.datetime

    def matches(self, alert: MappedAlert, now: dt.datetime) -> bool:
        if now >= self.until:
            return False
        value = str(getattr(alert, self.field, "")).lower()
        return fnmatch.fnmatchcase(value, self.pattern) if "*" in self.pattern else value == self.pattern


@dataclass(frozen=True)
class CachedSource:
    id: int
    slug: str
    business_unit_id: int
    secret: bytes
    mapping: CompiledMapping
    group_by: tuple[str, ...]
    group_window: dt.timedelta
    rate_limit_per_minute: int
    active: bool
    suppressions: tuple[Suppression, ...] = field(default=())


_cache: dict[str, tuple[float, CachedSource | None]] = {}
_cache_lock = threading.Lock()


def source_for(slug: str) -> CachedSource | None:
    now = time.monotonic()
    hit = _cache.get(slug)
    if hit is not None and now - hit[0] < SOURCE_CACHE_SECONDS:
        return hit[1]
    loaded = _load(slug)
    with _cache_lock:
        _cache[slug] = (now, loaded)
    return loaded


def forget_cached_sources() -> None:
    """Drop the per-process cache (after a change made in this process, and in tests)."""
    with _cache_lock:
        _cache.clear()


def _load(slug: str) -> CachedSource | None:
    source = AlertSource.objects.filter(slug=slug).first()
    if source is None:
        return None
    now = timezone.now()
    rules = SuppressionRule.objects.filter(until__gt=now).filter(models_q_source(source.pk))
    return CachedSource(
        id=source.pk,
        slug=source.slug,
        business_unit_id=source.business_unit_id,
        secret=source.secret.encode(),
        mapping=CompiledMapping(source.mapping),
        group_by=tuple(source.group_by or ()),
        group_window=dt.timedelta(minutes=source.group_window_minutes),
        rate_limit_per_minute=source.rate_limit_per_minute,
        active=source.active,
        suppressions=tuple(Suppression(r.pk, r.field, r.value.lower(), r.until) for r in rules),
    )


def models_q_source(source_id: int):
    from django.db.models import Q

    return Q(source_id=source_id) | Q(source__isnull=True)


def verify(source: CachedSource, *, timestamp: str | None, given: str | None, body: bytes, now: float) -> str:
    """Check the signature and the timestamp; returns the signature's hex digest (the replay key)."""
    if not timestamp or not given:
        raise Rejected(401, f"Unsigned request: send {signing.TIMESTAMP_HEADER} and {signing.SIGNATURE_HEADER}.")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise Rejected(401, f"{signing.TIMESTAMP_HEADER} must be Unix seconds.") from None
    if not signing.matches(source.secret, timestamp, body, given):
        raise Rejected(401, "Bad signature: it does not match the body, the timestamp and this source's secret.")
    if abs(now - sent_at) > MAX_SKEW.total_seconds():
        raise Rejected(
            401, f"Stale request: the timestamp is more than {int(MAX_SKEW.total_seconds() // 60)} minutes from now."
        )
    return given.strip().lower().removeprefix(signing.PREFIX)


@dataclass
class Received:
    refs: list[str]
    new: int = 0
    duplicates: int = 0
    suppressed: int = 0
    # Alerts that opened a new group at high or critical severity: people are told about these.
    to_announce: list[int] = field(default_factory=list)


def receive(source: CachedSource, alerts: list[MappedAlert], *, signature: str, now: dt.datetime) -> Received:
    """Store the alerts of one verified request (all or nothing)."""
    result = Received(refs=[])
    with _transaction() as cursor:
        count = _count_request(cursor, source, now)
        if count > source.rate_limit_per_minute:
            # The counter is committed (it must keep counting); nothing else is written.
            raise_after_commit = Rejected(
                429, f"Rate limit: this source may send {source.rate_limit_per_minute} requests a minute."
            )
        else:
            raise_after_commit = None
            if not _remember_signature(cursor, source, signature, now):
                raise Rejected(409, "Replayed request: this signature was already received.")
            _store(cursor, source, alerts, now, result)
    if raise_after_commit is not None:
        raise raise_after_commit
    if result.to_announce:
        from ramparts.alerts.tasks import announce_task

        announce_task.enqueue(result.to_announce)
    return result


@contextlib.contextmanager
def _transaction() -> Iterator[Any]:
    """One write transaction, committed on leaving (rolled back on an exception); yields a DB-API
    cursor whose statements use %s placeholders.

    On a SQLite file, the intake writes through its own connection, kept open for the life of the
    worker process, after taking its turn on a file lock shared by all workers:
    - Django closes its SQLite connection after every request (CONN_MAX_AGE=0); opening one and
      running its PRAGMAs cost more than storing the alert, and when the closing connection is the
      database's last, SQLite checkpoints and fsyncs the WAL;
    - SQLite lets one writer in at a time and the others wait in its busy handler, which sleeps in
      steps of up to 100 ms; a blocking flock() hands the turn on as soon as it is released.
    Elsewhere (PostgreSQL, in-memory test databases) it is Django's connection and transaction."""
    name = str(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else ""
    if not name or name == ":memory:" or name.startswith("file:") or connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            yield cursor
        return
    lock, conn = _own_connection(name)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield _SqliteCursor(conn.cursor())
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)


_own: dict[str, tuple[int, sqlite3.Connection]] = {}


def _own_connection(name: str) -> tuple[int, sqlite3.Connection]:
    key = f"{os.getpid()}:{name}"  # never share a connection across a fork
    if key not in _own:
        lock = os.open(f"{name}.intake-lock", os.O_RDWR | os.O_CREAT, 0o600)
        conn = sqlite3.connect(name, isolation_level=None, check_same_thread=False, timeout=20)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _own[key] = (lock, conn)
    return _own[key]


class _SqliteCursor:
    """The few cursor calls the intake makes, with Django's %s placeholders."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    def execute(self, sql: str, params: list[Any]) -> None:
        self._cursor.execute(sql.replace("%s", "?"), params)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


_q = connection.ops.quote_name


def _sql(model, text: str) -> str:
    return text.replace("{table}", _q(model._meta.db_table))


_RATE_SQL = _sql(
    RateWindow,
    "INSERT INTO {table} (source_id, minute, count) VALUES (%s, %s, 1) "
    "ON CONFLICT (source_id, minute) DO UPDATE SET count = {table}.count + 1 RETURNING count",
)
_REPLAY_SQL = _sql(
    ReplayGuard,
    "INSERT INTO {table} (source_id, signature, expires_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (source_id, signature) DO NOTHING RETURNING id",
)
_ALERT_COLUMNS = (
    "source_id", "business_unit_id", "dedup_key", "source_ref", "title", "severity", "occurred_at", "host", "ip",
    "user", "technique", "rule", "raw", "first_seen", "last_seen", "count", "status", "suppressed_by_id",
    "dismiss_reason", "incident_ref",
)  # fmt: skip
_ALERT_ROW = f"({', '.join(['%s'] * len(_ALERT_COLUMNS))})"
_ALERT_ROWS_PER_STATEMENT = 500  # 20 parameters a row: well under SQLite's 32,766


def _alert_sql(rows: int) -> str:
    """One multi-row upsert: a repeat adds its occurrences to the stored alert's count."""
    return _sql(
        Alert,
        f"INSERT INTO {{table}} ({', '.join(_q(c) for c in _ALERT_COLUMNS)}) "  # noqa: S608 (constants only)
        f"VALUES {', '.join([_ALERT_ROW] * rows)} "
        "ON CONFLICT (source_id, dedup_key) DO UPDATE SET count = {table}.count + excluded.count, "
        "last_seen = excluded.last_seen RETURNING id, count, dedup_key",
    )


_GROUP_EXTEND_SQL = _sql(
    AlertGroup,
    "UPDATE {table} SET last_seen = %s, alert_count = alert_count + 1 WHERE id = "
    "(SELECT id FROM {table} WHERE source_id = %s AND key = %s AND last_seen >= %s ORDER BY last_seen DESC LIMIT 1) "
    "RETURNING id",
)
_GROUP_OPEN_SQL = _sql(
    AlertGroup,
    "INSERT INTO {table} (source_id, key, label, first_seen, last_seen, alert_count) "
    "VALUES (%s, %s, %s, %s, %s, 1) RETURNING id",
)
_SET_GROUP_SQL = _sql(Alert, "UPDATE {table} SET group_id = %s WHERE id = %s")
_RATE_FORGET_SQL = _sql(RateWindow, "DELETE FROM {table} WHERE source_id = %s AND minute < %s")
_REPLAY_FORGET_SQL = _sql(ReplayGuard, "DELETE FROM {table} WHERE expires_at < %s")


def _ts(value: dt.datetime | None):
    return connection.ops.adapt_datetimefield_value(value) if value is not None else None


_RAW_FIELD = Alert._meta.get_field("raw")


def _count_request(cursor, source: CachedSource, now: dt.datetime) -> int:
    minute = int(now.timestamp() // 60)
    cursor.execute(_RATE_SQL, [source.id, minute])
    count = cursor.fetchone()[0]
    if count == 1:
        # First request of a new minute for this source: a cheap moment to forget old records.
        cursor.execute(_RATE_FORGET_SQL, [source.id, minute - 5])
        cursor.execute(_REPLAY_FORGET_SQL, [_ts(now)])
    return count


def _remember_signature(cursor, source: CachedSource, signature: str, now: dt.datetime) -> bool:
    cursor.execute(_REPLAY_SQL, [source.id, signature[:64], _ts(now + REPLAY_MEMORY)])
    return cursor.fetchone() is not None


def _store(cursor, source: CachedSource, alerts: list[MappedAlert], now: dt.datetime, result: Received) -> None:
    # The same alert twice in one payload is one row with a count of two (and one statement for all).
    distinct: dict[str, tuple[MappedAlert, int]] = {}
    for alert in alerts:
        first, seen = distinct.get(alert.dedup_key, (alert, 0))
        distinct[alert.dedup_key] = (first, seen + 1)
    suppressions = {key: _suppression(source, alert, now) for key, (alert, _) in distinct.items()}
    at = _ts(now)
    stored: dict[str, tuple[int, int]] = {}
    items = list(distinct.items())
    for start in range(0, len(items), _ALERT_ROWS_PER_STATEMENT):
        chunk = items[start : start + _ALERT_ROWS_PER_STATEMENT]
        params: list[Any] = []
        for key, (alert, seen) in chunk:
            suppression = suppressions[key]
            params += [
                source.id, source.business_unit_id, key, alert.source_ref, alert.title, alert.severity,
                _ts(alert.occurred_at), alert.host, alert.ip, alert.user, alert.technique, alert.rule,
                _RAW_FIELD.get_db_prep_save(alert.raw, connection), at, at, seen,
                Alert.Status.SUPPRESSED if suppression else Alert.Status.NEW,
                suppression.id if suppression else None, "", "",
            ]  # fmt: skip
        cursor.execute(_alert_sql(len(chunk)), params)
        for alert_id, count, key in cursor.fetchall():
            stored[key] = (alert_id, count)
    result.refs = [f"{Alert.REF_PREFIX}-{stored[alert.dedup_key][0]}" for alert in alerts]
    for key, (alert, seen) in items:
        alert_id, count = stored[key]
        is_new = count == seen  # a stored alert already had at least one occurrence
        result.new += is_new
        result.duplicates += seen - 1 if is_new else seen
        if not is_new:
            continue
        if suppressions[key] is not None:
            result.suppressed += 1
            continue
        opened = True
        if source.group_by:
            group_id, opened = _group(cursor, source, alert, now)
            cursor.execute(_SET_GROUP_SQL, [group_id, alert_id])
        if opened and alert.severity in ANNOUNCED_SEVERITIES:
            result.to_announce.append(alert_id)


def _suppression(source: CachedSource, alert: MappedAlert, now: dt.datetime) -> Suppression | None:
    return next((s for s in source.suppressions if s.matches(alert, now)), None)


def group_values(source_group_by: tuple[str, ...], alert: Any) -> list[str]:
    return [f"{name}={getattr(alert, name, '')}" for name in source_group_by]


def _group(cursor, source: CachedSource, alert: MappedAlert, now: dt.datetime) -> tuple[int, bool]:
    values = group_values(source.group_by, alert)
    key = hashlib.sha256("\x1f".join(values).encode()).hexdigest()
    at = _ts(now)
    cursor.execute(_GROUP_EXTEND_SQL, [at, source.id, key, _ts(now - source.group_window)])
    row = cursor.fetchone()
    if row is not None:
        return row[0], False
    cursor.execute(_GROUP_OPEN_SQL, [source.id, key, " · ".join(values)[:500], at, at])
    return cursor.fetchone()[0], True
