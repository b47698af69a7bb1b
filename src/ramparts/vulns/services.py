"""Scan import: parse a file fully, then upsert the findings of its scope in one transaction.

The write path is set-based: a constant number of queries per batch, never one per finding.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.models import BusinessUnit
from ramparts.core.permissions import require, require_unit, scope_to_units, unit_ids
from ramparts.inventory.models import System
from ramparts.vulns import parsers
from ramparts.vulns.fingerprints import fingerprint, scope_key
from ramparts.vulns.models import Finding, ScanImport

BATCH = 2000
_LOCK_KEYS = {"scanimport": 7_301, "finding": 7_302}
# Gated with inventory actions until vulns.* actions have UI and API cases (see docs/vulns.md).
ACTION_IMPORT = "inventory.import"


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
        return {
            "format": self.format,
            "findings": self.findings,
            "new": self.new,
            "unchanged": self.unchanged,
            "reopened": self.reopened,
            "closed": self.closed,
            "scan": self.scan_ref,
        }


def _hash_stream(stream: BinaryIO) -> tuple[BinaryIO, str, int]:
    if not (hasattr(stream, "seekable") and stream.seekable()):
        stream = io.BytesIO(stream.read())
    start = stream.tell()
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(start)
    return stream, digest.hexdigest(), size


def _parse(stream: BinaryIO, fmt: str | None, filename: str) -> tuple[str, dict[str, parsers.RawFinding]]:
    """Every finding of the file merged by fingerprint, or ValidationFailed (nothing stored)."""
    merged: dict[str, parsers.RawFinding] = {}
    try:
        head = parsers.sniff_head(stream)
        name = (
            parsers.get(fmt, source=filename).name
            if fmt and fmt != "auto"
            else parsers.detect(head, source=filename).name
        )
        for raw in parsers.parse(stream, format=name, source=filename):
            fp = fingerprint(name, raw.fingerprint_parts)
            kept = merged.get(fp)
            if kept is None or raw.severity > kept.severity:
                merged[fp] = raw
    except parsers.ParseError as exc:
        problem = Problem(reason=exc.message, column=exc.position or None)
        raise ValidationFailed(
            f"{exc.source}: cannot import{' as ' + exc.format if exc.format else ''}"
            f"{' at ' + exc.position if exc.position else ''}: {exc.message}",
            [problem],
        ) from exc
    return name, merged


def _next_numbers(model, count: int) -> list[int]:
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model._meta.model_name]])
    start = (model._default_manager.aggregate(m=Max("number"))["m"] or 0) + 1
    return list(range(start, start + count))


def _unit_for(actor, business_unit) -> BusinessUnit:
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


class _SystemMatcher:
    """In-memory maps from host names, IPs, URL hosts and names to the systems the actor sees."""

    def __init__(self, actor) -> None:
        self.by_key: dict[str, tuple[int, int]] = {}
        rows = scope_to_units(actor, System.objects.all()).values_list(
            "id", "business_unit_id", "name", "hostnames", "ip_addresses", "urls"
        )
        for sid, unit, name, hostnames, ips, urls in rows:
            ref = (sid, unit)
            keys = [name, *hostnames.split("\n"), *ips.split("\n")]
            for url in urls.split("\n"):
                keys += [url, urlsplit(url).hostname or ""]
            for key in keys:
                if key.strip():
                    self.by_key.setdefault(key.strip().lower(), ref)

    def match(self, raw: parsers.RawFinding) -> tuple[int, int] | None:
        url_host = urlsplit(raw.url).hostname if raw.url else ""
        for key in (raw.host, raw.ip, raw.url, url_host, raw.image, raw.repository):
            if key and (hit := self.by_key.get(key.strip().lower())):
                return hit
        return None


def _new_finding(raw: parsers.RawFinding, **common) -> Finding:
    return Finding(
        title=raw.title[:500],
        description=raw.description,
        severity=int(raw.severity),
        scanner_severity=raw.scanner_severity[:40],
        cvss3_vector=raw.cvss3_vector[:200],
        cvss3_score=raw.cvss3_score,
        cvss4_vector=raw.cvss4_vector[:300],
        cvss4_score=raw.cvss4_score,
        cwe=raw.cwe,
        cve=raw.cve[:64],
        aliases="\n".join(raw.aliases),
        package=raw.package[:300],
        installed_version=raw.installed_version[:200],
        fixed_version=raw.fixed_version[:300],
        ecosystem=raw.ecosystem[:60],
        purl=raw.purl[:500],
        host=raw.host[:300],
        ip=raw.ip[:64],
        port=raw.port,
        url=raw.url,
        image=raw.image[:500],
        repository=raw.repository[:500],
        file_path=raw.file_path,
        line=raw.line,
        tool=raw.tool[:80],
        rule_id=raw.rule_id[:300],
        vex_state=raw.vex_state[:40],
        **common,
    )


_INSERT_FIELDS = [f for f in Finding._meta.concrete_fields if not f.primary_key]


def _insert(rows: list[Finding]) -> None:
    """One executemany per batch: Django's bulk_create spends most of its time building SQL."""
    ops = connection.ops
    columns = ", ".join(ops.quote_name(f.column or "") for f in _INSERT_FIELDS)
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    sql = f"INSERT INTO {ops.quote_name(Finding._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model, values bound
    dates = {"first_seen", "last_seen", "fixed_at"}
    attnames = [f.attname for f in _INSERT_FIELDS]
    values = [
        [ops.adapt_datetimefield_value(getattr(r, a)) if a in dates else getattr(r, a) for a in attnames] for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _batches(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
) -> ImportResult:
    require(actor, ACTION_IMPORT)
    started = timezone.now()
    stream, sha, size = _hash_stream(stream)
    fmt, merged = _parse(stream, format, filename)
    with transaction.atomic():
        unit = _unit_for(
            actor, business_unit if business_unit else (system.business_unit if isinstance(system, System) else None)
        )
        target = _resolve_system(actor, system, create_system, unit)
        scope = scope_key(unit_code=unit.code, system_number=target.number if target else None, format_name=fmt)
        now = timezone.now()
        scan = ScanImport.objects.create(
            number=_next_numbers(ScanImport, 1)[0],
            business_unit=unit,
            system=target,
            scope=scope,
            format=fmt,
            file_name=filename[:400],
            file_sha256=sha,
            size=size,
            complete=complete,
            started_at=started,
            actor=actor,
            findings=len(merged),
        )
        existing: dict[str, tuple[int, str]] = {
            fp: (pk, status)
            for pk, fp, status in Finding.objects.filter(scope=scope)
            .values_list("id", "fingerprint", "status")
            .iterator(chunk_size=BATCH)
        }
        unchanged_ids, reopened_ids, new_fps = [], [], []
        for fp in merged:
            known = existing.get(fp)
            if known is None:
                new_fps.append(fp)
            elif known[1] == Finding.Status.FIXED:
                reopened_ids.append(known[0])
            else:
                unchanged_ids.append(known[0])
        closed_ids = []
        if complete:
            closed_ids = [
                pk for fp, (pk, status) in existing.items() if status == Finding.Status.OPEN and fp not in merged
            ]
        for ids in _batches(unchanged_ids):
            Finding.objects.filter(id__in=ids).update(last_seen=now, last_import=scan)
        for ids in _batches(reopened_ids):
            Finding.objects.filter(id__in=ids).update(
                last_seen=now,
                last_import=scan,
                status=Finding.Status.OPEN,
                fixed_at=None,
                reopened_count=F("reopened_count") + 1,
            )
        for ids in _batches(closed_ids):
            Finding.objects.filter(id__in=ids).update(status=Finding.Status.FIXED, fixed_at=now)
        numbers = iter(_next_numbers(Finding, len(new_fps)))
        matcher = None if target else _SystemMatcher(actor)
        for fps in _batches(new_fps):
            rows = []
            for fp in fps:
                raw = merged[fp]
                hit = (target.pk, target.business_unit_id) if target else matcher.match(raw)  # type: ignore[union-attr]
                rows.append(
                    _new_finding(
                        raw,
                        number=next(numbers),
                        fingerprint=fp,
                        scope=scope,
                        first_seen=now,
                        last_seen=now,
                        last_import=scan,
                        system_id=hit[0] if hit else None,
                        business_unit_id=hit[1] if hit else unit.pk,
                    )
                )
            _insert(rows)
        counts = {
            "new": len(new_fps),
            "unchanged": len(unchanged_ids),
            "reopened": len(reopened_ids),
            "closed": len(closed_ids),
        }
        ScanImport.objects.filter(pk=scan.pk).update(finished_at=timezone.now(), **counts)
        summary = {"format": fmt, "file": filename, "sha256": sha, "scope": scope, "findings": len(merged), **counts}
        audit.record(
            actor,
            audit.Change(
                audit.Action.CREATE, audit.object_type_of(ScanImport), str(scan.pk), scan.ref, audit.created(summary)
            ),
        )
    return ImportResult(format=fmt, findings=len(merged), scan_ref=scan.ref, **counts)
