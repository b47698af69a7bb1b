"""Scan import: stream a file into the findings of the scopes it covers, in one transaction.

    parse (streaming) -> fingerprint -> compare in memory with the scope's stored fingerprints
    -> insert the new ones (one executemany per batch) -> set-based updates of the rest

All or nothing: a parse error anywhere in the file rolls the whole transaction back. Memory
follows one batch plus ~25 bytes per stored finding of the touched scopes, not the file.
The rules are in docs/vulns.md.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.models import BusinessUnit
from ramparts.core.permissions import require, require_unit, scope_to_units, unit_ids
from ramparts.inventory.models import System
from ramparts.vulns import parsers
from ramparts.vulns.cache import DELTA_LIMIT, announced_once, findings_changed
from ramparts.vulns.fingerprints import scope_key
from ramparts.vulns.importing import ahead, rows
from ramparts.vulns.importing.enriched import Enricher
from ramparts.vulns.importing.existing import FINGERPRINT_DTYPE, ExistingIndex
from ramparts.vulns.importing.matching import SystemMatcher
from ramparts.vulns.importing.prepared import (
    CVE,
    CVSS3,
    CVSS4,
    EXPLOIT,
    FINGERPRINT,
    LOCATION,
    SEVERITY,
    TARGET,
    VALUES,
)
from ramparts.vulns.importing.progress import Callback, Throttled, noop
from ramparts.vulns.importing.replay import replay
from ramparts.vulns.models import Finding, FindingScope, ScanImport
from ramparts.vulns.parsers.jsonstream import seekable

ACTION_IMPORT = "vulns.import"
_LOCK_KEYS = {"scanimport": 7_301, "finding": 7_302}
_HASH_CHUNK = 1 << 20
# The import's page cache on SQLite (KiB, negative = size): new fingerprints land at random places
# in the (scope, fingerprint) index, ~40 MB at 1M findings.
_SQLITE_CACHE_KIB = 262_144


@dataclass(frozen=True)
class ImportResult:
    format: str
    findings: int
    new: int
    unchanged: int
    reopened: int
    closed: int
    scan_ref: str

    def as_dict(self) -> dict:
        """The CLI's `--json` object (exactly these keys)."""
        return {
            "format": self.format,
            "findings": self.findings,
            "new": self.new,
            "unchanged": self.unchanged,
            "reopened": self.reopened,
            "closed": self.closed,
        }


@dataclass
class _Counts:
    findings: int = 0
    new: int = 0
    unchanged: int = 0
    reopened: int = 0
    closed: int = 0
    scope: str = ""
    # ids of the findings created, reopened or closed (None: not collected, too many), and of the created
    changed: np.ndarray | None = None
    added: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def invalid(exc: parsers.ParseError) -> ValidationFailed:
    problem = Problem(reason=exc.message, column=exc.position or None)
    return ValidationFailed(
        f"{exc.source}: cannot import{' as ' + exc.format if exc.format else ''}"
        f"{' at ' + exc.position if exc.position else ''}: {exc.message}",
        [problem],
    )


def scan_import(
    *,
    actor,
    stream: BinaryIO,
    filename: str,
    format: str | None = None,
    system=None,
    create_system: bool = False,
    business_unit=None,
    complete: bool = True,
    progress: Callback | None = None,
    scan: ScanImport | None = None,
) -> ImportResult:
    """Import one scan file. `scan`: a queued ScanImport to fill (background imports).

    Raises ValidationFailed (nothing stored) when the file cannot be read, NotFound for an unknown
    system or unit, PermissionDenied without `vulns.import` in the target unit.
    """
    require(actor, ACTION_IMPORT)
    report: Callback = Throttled(progress) if progress else noop
    started = timezone.now()
    stream = seekable(stream)
    try:
        sha, size = _hash(stream, report)
        fmt = _format_of(stream, format, filename)
        with transaction.atomic():
            with announced_once():  # the enrichment of each batch would announce a version of its own
                unit = _unit_for(actor, business_unit, system)
                target = _resolve_system(actor, system, create_system, unit)
                prefix = scope_key(
                    unit_code=unit.code, system_number=target.number if target else None, format_name=fmt
                )
                scan = _open_scan(scan, actor, unit, target, prefix, fmt, filename, sha, size, complete, started)
                previous = _same_file(scan, complete)
                now = timezone.now()
                if previous is not None:
                    counts = replay(previous, scan, now, reopen=_reopen, enrich=_enrich, counts=_Counts)
                else:
                    with _sqlite_cache(), _collector_paused():
                        counts = _write(
                            actor, stream, filename, fmt, prefix, unit, target, scan, complete, now, report, size
                        )
                report("enriching", size)
                _finish(actor, scan, counts, size)
            _announce(counts)
    except parsers.ParseError as exc:
        raise invalid(exc) from exc
    report("done", size)
    return ImportResult(
        format=fmt,
        findings=counts.findings,
        new=counts.new,
        unchanged=counts.unchanged,
        reopened=counts.reopened,
        closed=counts.closed,
        scan_ref=scan.ref,
    )


def _hash(stream: BinaryIO, report: Callback) -> tuple[str, int]:
    start = stream.tell()
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        report("hashing", size)
    stream.seek(start)
    return digest.hexdigest(), size


def _format_of(stream: BinaryIO, fmt: str | None, filename: str) -> str:
    head = parsers.sniff_head(stream)
    if fmt and fmt != "auto":
        return parsers.get(fmt, source=filename).name
    return parsers.detect(head, source=filename).name


def next_number(model) -> int:
    """The next free human number; on PostgreSQL the caller's transaction holds the numbering lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model._meta.model_name]])
    return (model._default_manager.aggregate(m=Max("number"))["m"] or 0) + 1


def _unit_for(actor, business_unit, system) -> BusinessUnit:
    if not business_unit and isinstance(system, System):
        business_unit = system.business_unit
    unit: BusinessUnit | None
    if isinstance(business_unit, BusinessUnit):
        unit = business_unit
    elif business_unit:
        unit = BusinessUnit.objects.filter(code=business_unit).first()
        if unit is None:
            raise NotFound(f"No business unit with code {business_unit!r}.")
    else:
        units = unit_ids(actor)
        qs = BusinessUnit.objects.order_by("id")
        unit = (qs if units is None else qs.filter(id__in=units)).first()
        if unit is None:
            raise ValidationFailed("The actor belongs to no business unit; pass one.")
    require_unit(actor, unit.pk, ACTION_IMPORT)
    return unit


def _resolve_system(actor, system, create: bool, unit: BusinessUnit) -> System | None:
    if system is None or isinstance(system, System):
        return system
    found = scope_to_units(actor, System.objects.filter(name=system)).first()
    if found is not None:
        return found
    if not create:
        raise NotFound(f"No system named {system!r} (pass --create-system to create it).")
    from ramparts.inventory.services._rows import next_numbers

    created = System.objects.create(
        number=next_numbers(System, 1)[0], business_unit=unit, name=system, kind=System.Kind.OTHER
    )
    after = audit.snapshot(created, ["name", "kind", "business_unit"])
    audit.record(
        actor,
        audit.Change(
            audit.Action.CREATE, audit.object_type_of(created), str(created.pk), created.ref, audit.created(after)
        ),
    )
    return created


def _open_scan(scan, actor, unit, target, prefix, fmt, filename, sha, size, complete, started) -> ScanImport:
    fields = {
        "business_unit": unit,
        "system": target,
        "scope": prefix,
        "format": fmt,
        "file_name": filename[:400],
        "file_sha256": sha,
        "size": size,
        "complete": complete,
        "started_at": started,
        "actor": actor,
        "status": ScanImport.Status.RUNNING,
        "phase": "parsing",
    }
    if scan is None:
        return ScanImport.objects.create(number=next_number(ScanImport), **fields)
    for name, value in fields.items():
        setattr(scan, name, value)
    scan.save()
    return scan


def _same_file(scan: ScanImport, complete: bool) -> ScanImport | None:
    """The last import, when it read this very file with the same options and nothing of its kind
    was imported since: its findings are exactly the file's, so the file need not be parsed again."""
    if not complete:
        return None
    kind = ScanImport.objects.filter(
        status=ScanImport.Status.DONE, business_unit=scan.business_unit, system=scan.system, format=scan.format
    ).exclude(pk=scan.pk)
    last = kind.order_by("-id").first()
    if last is None or last.file_sha256 != scan.file_sha256 or not last.complete:
        return None
    return last


def _write(actor, stream, filename, fmt, prefix, unit, target, scan, complete, now, report, size) -> _Counts:
    index = ExistingIndex()
    scopes_by_target: dict[str, int] = {}  # the target's scope id ("": no target, the prefix alone)
    keys: dict[int, str] = {}
    insert_sql, tail = rows.insert_sql(), rows.defaults()
    enricher = Enricher(now)
    first_number = number = next_number(Finding)
    matcher = None if target else SystemMatcher(actor)
    fixed_hit = (target.pk, target.business_unit_id) if target else None
    stamp = connection.ops.adapt_datetimefield_value(now)
    scan_pk, unit_pk, open_ = scan.pk, unit.pk, Finding.Status.OPEN.value
    position = stream.tell()
    read = ahead.batches(
        stream, fmt=fmt, source=filename, targets=target is None, size=size, mostly_new=partial(_mostly_new, prefix)
    )
    with closing(read):  # on an error below, the child process parsing ahead stops at once
        for items, position in read:
            fps = [item[FINGERPRINT] for item in items]
            if any(item[TARGET] not in scopes_by_target for item in items):
                _add_scopes(scopes_by_target, keys, prefix, {item[TARGET] for item in items})
            scopes = [scopes_by_target[item[TARGET]] for item in items]
            found = _mark(index, scopes, fps)
            chosen: dict[tuple[int, bytes], int] = {}
            for i in np.flatnonzero(~found).tolist():
                key = (scopes[i], fps[i])
                kept = chosen.get(key)
                if kept is None or items[i][VALUES][SEVERITY] > items[kept][VALUES][SEVERITY]:
                    chosen[key] = i
            picked = []
            for (scope, fp), i in chosen.items():
                item = items[i]
                picked.append((item[VALUES], scope, fp, fixed_hit or matcher.match(item[LOCATION])))  # type: ignore[union-attr]
            enricher.load([p[0][CVE] for p in picked], [p[3][0] for p in picked if p[3]])
            columns = enricher.columns
            out = []
            for values, scope, fp, hit in picked:
                system = hit[0] if hit else None
                out.append(
                    (
                        number, hit[1] if hit else unit_pk, system, fp, scope, *values, stamp, stamp, open_, scan_pk,
                        *columns(values[CVE], values[EXPLOIT], values[CVSS3], values[CVSS4], system), *tail,
                    )
                )  # fmt: skip
                number += 1
            rows.insert(insert_sql, out)
            report("parsing", position)
    report("closing", position)
    unchanged_ids, reopened_ids, closed_ids = index.outcome(complete=complete)
    rows.update_ids(unchanged_ids, "last_seen = %s, last_import_id = %s", [stamp, scan_pk])
    _reopen(reopened_ids, stamp, scan_pk)
    rows.update_ids(closed_ids, "status = %s, fixed_at = %s", [Finding.Status.FIXED.value, stamp])
    new = rows.count_from(first_number) if number > first_number else 0
    report("enriching", position)
    # The new findings were enriched as they were inserted, except those merged with an item of
    # a later batch (fewer rows than numbers given out).
    _enrich(None, reopened_ids)
    if new < number - first_number:
        _enrich_merged(first_number)
    touched = [keys[pk] for pk in index.scopes] or [prefix]
    counts = _Counts(
        findings=new + len(unchanged_ids) + len(reopened_ids),
        new=new,
        unchanged=len(unchanged_ids),
        reopened=len(reopened_ids),
        closed=len(closed_ids),
        scope=touched[0] if len(touched) == 1 else f"{prefix}|targets:{len(touched)}",
    )
    if new + len(reopened_ids) + len(closed_ids) <= DELTA_LIMIT:
        counts.added = rows.ids_from(first_number) if new else counts.added
        counts.changed = np.concatenate([counts.added, reopened_ids, closed_ids])
    return counts


def _announce(counts: _Counts) -> None:
    """One new findings version for the import, in its transaction. When it changed few findings
    (the new, reopened and closed ones; an unchanged one only gets its last seen time, which no
    snapshot holds), the snapshots are patched with them; the warming task builds them otherwise."""
    changed, added = counts.changed, counts.added
    if changed is None or len(changed) > DELTA_LIMIT:
        findings_changed()
        return
    findings_changed(changed=changed.tolist(), added=added.tolist())


def _reopen(ids: np.ndarray, stamp, scan_pk: int) -> int:
    return rows.update_ids(
        ids,
        "last_seen = %s, last_import_id = %s, status = %s, fixed_at = NULL, reopened_count = reopened_count + 1",
        [stamp, scan_pk, Finding.Status.OPEN.value],
    )


def _enrich(first_new: int | None, reopened_ids: np.ndarray) -> None:
    """KEV, EPSS, SSVC and SLA (set-based) of the findings numbered `first_new` or more and of the
    reopened ones: the feeds may have changed since they were enriched.

    Unchanged findings keep theirs: a re-import changes none of its inputs (feed updates and
    system changes re-enrich on their own)."""
    from ramparts.vulns.enrichment import enrich_findings

    if first_new is not None:
        enrich_findings(Finding.objects.filter(number__gte=first_new))
    if len(reopened_ids):
        enrich_findings(reopened_ids.tolist())


def _enrich_merged(first_new: int) -> None:
    from ramparts.vulns.enrichment import enrich_findings

    enrich_findings(rows.merged_from(first_new))


def _scope_key(prefix: str, target: str) -> str:
    return f"{prefix}|target:{target}" if target else prefix


def _mostly_new(prefix: str, items: list) -> bool:
    """Whether most of these findings are not stored yet (a sample of them, looked up by the key)."""
    keys = {_scope_key(prefix, item[TARGET]) for item in items}
    scopes = list(FindingScope.objects.filter(key__in=keys).values_list("id", flat=True))
    if not scopes:
        return True
    sample = [item[FINGERPRINT] for item in items[:: max(1, len(items) // 200)]]
    return Finding.objects.filter(scope_id__in=scopes, fingerprint__in=sample).count() * 2 < len(sample)


def _add_scopes(scopes_by_target: dict[str, int], keys: dict[int, str], prefix: str, targets: set[str]) -> None:
    """The scope ids of the targets not seen yet (created when new): one query for a batch."""
    wanted = {name: _scope_key(prefix, name) for name in targets - scopes_by_target.keys()}
    ids = FindingScope.ids_of(wanted.values())
    for name, key in wanted.items():
        scopes_by_target[name] = ids[key]
        keys[ids[key]] = key


def _mark(index: ExistingIndex, scopes: list[int], fps: list[bytes]) -> np.ndarray:
    """Mask of the batch's findings already stored in their scope (and mark those as seen)."""
    distinct = set(scopes)
    index.load(distinct)
    array = np.array(fps, dtype=FINGERPRINT_DTYPE)
    if len(distinct) == 1:
        return index.mark(scopes[0], array)
    found = np.zeros(len(fps), dtype=bool)
    positions: dict[int, list[int]] = {}
    for i, scope in enumerate(scopes):
        positions.setdefault(scope, []).append(i)
    for scope, where in positions.items():
        found[where] = index.mark(scope, array[where])
    return found


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while the rows are written: an import allocates millions of
    short-lived objects that form no cycles (reference counting frees them), and each collection
    would walk every live object for nothing (measured: 8% of a 1M-finding import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _sqlite_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _finish(actor, scan: ScanImport, counts: _Counts, size: int) -> None:
    finished = timezone.now()
    values = {
        "findings": counts.findings,
        "new": counts.new,
        "unchanged": counts.unchanged,
        "reopened": counts.reopened,
        "closed": counts.closed,
        "scope": counts.scope[:300],
    }
    ScanImport.objects.filter(pk=scan.pk).update(
        finished_at=finished, status=ScanImport.Status.DONE, phase="done", bytes_read=size, error="", **values
    )
    for name, value in values.items():
        setattr(scan, name, value)
    scan.finished_at, scan.status = finished, ScanImport.Status.DONE
    # One summary entry per import, not one per finding: at 1M findings a per-finding trail would
    # be most of the import's cost and of the database, and say nothing the counts and the
    # findings' own last_import/first_seen do not (docs/vulns.md, "Record and audit").
    summary = {
        "format": scan.format,
        "file": scan.file_name,
        "sha256": scan.file_sha256,
        "size": size,
        "system": scan.system.ref if scan.system else "",
        **values,
    }
    audit.record(
        actor,
        audit.Change(
            audit.Action.CREATE, audit.object_type_of(ScanImport), str(scan.pk), scan.ref, audit.created(summary)
        ),
    )
