"""The audit trail: append-only and hash-chained.

Each entry's hash covers its own content and the previous entry's hash, so editing, deleting or
reordering any entry breaks every hash after it. `verify()` walks the chain and names the first
entry that does not match.
"""

import datetime as dt
import decimal
import hashlib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, models, transaction
from django.utils import timezone

from ramparts.core import context
from ramparts.core.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
# Never copied into the trail, whatever model they sit on.
SECRET_FIELDS = frozenset({"password", "key_hash", "secret", "token"})


class Action:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass
class Change:
    """What a service wants written: the object and the field-level diff."""

    action: str
    object_type: str
    object_id: str
    object_ref: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


_PLAIN_TYPES = frozenset({str, int, float, bool})


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value, stable across databases."""
    if value is None or type(value) in _PLAIN_TYPES:  # the common case, kept cheap for bulk imports
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Field values of an instance (foreign keys by their display), secrets left out."""
    result: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.name in SECRET_FIELDS or (fields is not None and f.name not in fields):
            continue
        if f.is_relation:
            related_id = getattr(instance, f.attname)
            result[f.name] = str(getattr(instance, f.name)) if related_id is not None else None
        else:
            result[f.name] = plain(getattr(instance, f.attname))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        k: [before.get(k), after.get(k)]
        for k in keys
        if k not in SECRET_FIELDS and plain(before.get(k)) != plain(after.get(k))
    }


def created(after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [None, v] for k, v in after.items() if k not in SECRET_FIELDS and v not in (None, "", [], {})}


def deleted(before: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [v, None] for k, v in before.items() if k not in SECRET_FIELDS and v not in (None, "", [], {})}


def object_type_of(instance_or_model) -> str:
    meta = instance_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def entry_hash(entry: AuditEntry) -> str:
    payload = orjson.dumps(
        [
            entry.seq,
            plain(entry.at),
            entry.actor_id,
            entry.actor_label,
            entry.channel,
            entry.ip,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.object_ref,
            entry.changes,
            entry.prev_hash,
        ],
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(payload).hexdigest()


def _actor_label(actor, acting: context.ActingContext) -> str:
    if actor is not None:
        return getattr(actor, "username", None) or str(actor)
    return f"{acting.channel}:{acting.principal}" if acting.principal else str(acting.channel)


def record(actor, change: Change) -> AuditEntry:
    return record_many(actor, [change])[0]


def record_many(actor, changes: Iterable[Change]) -> list[AuditEntry]:
    """Append entries in one go. Must run inside the caller's transaction, so that the change and
    its record are committed, or rolled back, together."""
    changes = list(changes)
    if not changes:
        return []
    acting = context.current()
    now = timezone.now()
    with transaction.atomic():
        head = _locked_head()
        entries = []
        seq, prev = head.last_seq, head.last_hash
        for change in changes:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=now,
                actor_id=getattr(actor, "pk", None),
                actor_label=_actor_label(actor, acting),
                channel=str(acting.channel),
                ip=acting.ip or "",
                action=change.action,
                object_type=change.object_type,
                object_id=str(change.object_id),
                object_ref=change.object_ref[:200],
                changes=plain(change.changes),
                prev_hash=prev,
            )
            entry.hash = prev = entry_hash(entry)
            entries.append(entry)
        _insert(entries)
        AuditHead.objects.filter(pk=head.pk).update(last_seq=seq, last_hash=prev)
    return entries


_COLUMNS = (
    "seq", "at", "actor", "actor_label", "channel", "ip", "action",
    "object_type", "object_id", "object_ref", "changes", "prev_hash", "hash",
)  # fmt: skip


def _insert(entries: list[AuditEntry]) -> None:
    """One executemany instead of bulk_create: imports write tens of thousands of entries, and the
    ORM's per-object machinery cost more than the rest of the import together."""
    if len(entries) < 50:
        AuditEntry.objects.bulk_create(entries)
        return
    fields: list[models.Field] = [AuditEntry._meta.get_field(name) for name in _COLUMNS]  # type: ignore[misc]
    at_field, changes_field = fields[1], fields[10]
    at = at_field.get_db_prep_save(entries[0].at, connection)  # one timestamp for the whole batch
    rows = [
        (
            e.seq, at, e.actor_id, e.actor_label, e.channel, e.ip, e.action,
            e.object_type, e.object_id, e.object_ref,
            changes_field.get_db_prep_save(e.changes, connection), e.prev_hash, e.hash,
        )
        for e in entries
    ]  # fmt: skip
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column or f.name) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def _entries_in_order(batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def verify() -> VerifyResult:
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in _entries_in_order():
        if entry.seq != expected_seq:
            return VerifyResult(
                False, checked, entry.seq, f"entry #{expected_seq} is missing (next found is #{entry.seq})"
            )
        if entry.prev_hash != expected_prev:
            return VerifyResult(False, checked, entry.seq, f"entry #{entry.seq} does not follow the entry before it")
        if entry_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, f"entry #{entry.seq} was altered after it was written")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return VerifyResult(
            False, checked, checked + 1, f"entries after #{checked} were removed (the chain's head is #{head.last_seq})"
        )
    return VerifyResult(True, checked)
