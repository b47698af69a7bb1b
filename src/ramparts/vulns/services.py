"""Vulns writes for scan imports. The import itself is `ramparts.vulns.importing.engine` (re-exported here).

Background imports (upload page, API with `wait=false`): `scan_import_queue` checks what it can
at once (size, empty, binary, format), stores the upload under the data directory, records a
queued ScanImport and enqueues `tasks.run_scan_import` after commit; `scan_import_run` (the task)
imports it with progress, records the outcome (done with counts, or failed with the parser's
message) and deletes the stored file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import DomainError, NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require, scope_to_units
from ramparts.inventory.models import System
from ramparts.vulns import parsers
from ramparts.vulns.importing.engine import ACTION_IMPORT, ImportResult, _unit_for, invalid, next_number, scan_import
from ramparts.vulns.importing.progress import file_writer, progress_path
from ramparts.vulns.models import ScanImport

__all__ = [
    "ACTION_IMPORT",
    "ImportResult",
    "max_scan_bytes",
    "scan_import",
    "scan_import_check",
    "scan_import_queue",
    "scan_import_run",
]

_CHUNK = 1 << 20


def max_scan_bytes() -> int:
    """The size limit of an uploaded scan (RAMPARTS_MAX_SCAN_BYTES, default 2 GiB)."""
    configured = getattr(settings, "RAMPARTS_MAX_SCAN_BYTES", None) or os.environ.get("RAMPARTS_MAX_SCAN_BYTES")
    return int(configured or 2 * 1024**3)


def sync_scan_bytes() -> int:
    """API uploads up to this size are imported during the request (RAMPARTS_SYNC_SCAN_BYTES, 5 MiB)."""
    configured = getattr(settings, "RAMPARTS_SYNC_SCAN_BYTES", None) or os.environ.get("RAMPARTS_SYNC_SCAN_BYTES")
    return int(configured or 5 * 1024**2)


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "scan-uploads"


def _too_big(filename: str, size: int) -> ValidationFailed:
    limit = max_scan_bytes()
    return ValidationFailed(
        f"{filename}: the file is larger than the limit of {limit:,} bytes (RAMPARTS_MAX_SCAN_BYTES)",
        [Problem(reason=f"larger than {limit:,} bytes ({size:,} read)", column="file")],
    )


def scan_import_check(*, stream: BinaryIO, filename: str, size: int | None, format: str | None) -> str:
    """What can be refused before storing anything: size, empty, binary, unknown format. The format's name."""
    if size is not None and size > max_scan_bytes():
        raise _too_big(filename, size)
    head = parsers.sniff_head(stream)
    try:
        if format and format != "auto":
            fmt = parsers.get(format, source=filename)
            if not parsers._accepts(fmt, head):
                empty = " (the file is empty)" if not head.strip() else ""
                raise parsers.ParseError(
                    f"the content does not look like {fmt.label}{empty}",
                    source=filename,
                    format=fmt.name,
                    position="byte 0",
                )
            name = fmt.name
        else:
            name = parsers.detect(head, source=filename).name
        if size is not None and size <= sync_scan_bytes():
            _parse_all(stream, name, filename)  # a small file is checked whole: its error shows at once
        elif b"<!doctype" in head.lower() or b"<!entity" in head.lower():
            _parse_all(stream, name, filename, first_only=True)  # entity bombs and XXE: refused at once
        return name
    except parsers.ParseError as exc:
        raise invalid(exc) from exc


def _parse_all(stream: BinaryIO, name: str, filename: str, *, first_only: bool = False) -> None:
    start = stream.tell()
    try:
        for _ in parsers.parse(stream, format=name, source=filename):
            if first_only:
                break
    finally:
        stream.seek(start)


def scan_import_queue(
    *,
    actor,
    stream: BinaryIO,
    filename: str,
    size: int | None = None,
    format: str | None = None,
    system: str = "",
    create_system: bool = False,
) -> ScanImport:
    """Store an upload and queue its import. Refuses at once what it can; the rest fails in the task."""
    require(actor, ACTION_IMPORT)
    filename = os.path.basename(filename or "scan")[:400] or "scan"
    fmt = scan_import_check(stream=stream, filename=filename, size=size, format=format)
    target = None
    if system:
        target = scope_to_units(actor, System.objects.filter(name=system)).first()
        if target is None and not create_system:
            raise NotFound(f"No system named {system!r} (tick create-missing to create it).")
    unit = _unit_for(actor, None, target)
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.scan"
    written = 0
    try:
        with open(path, "wb") as out:
            while chunk := stream.read(_CHUNK):
                written += len(chunk)
                if written > max_scan_bytes():
                    raise _too_big(filename, written)
                out.write(chunk)
        with transaction.atomic():
            scan = ScanImport.objects.create(
                number=next_number(ScanImport),
                business_unit=unit,
                system=target,
                format=fmt,
                file_name=filename,
                size=written,
                started_at=timezone.now(),
                actor=actor,
                status=ScanImport.Status.QUEUED,
                phase="queued",
                upload_path=str(path),
                options={"format": fmt, "system": system, "create_system": create_system},
            )
            transaction.on_commit(lambda: _enqueue(scan.pk))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return scan


def _enqueue(scan_id: int) -> None:
    from ramparts.vulns.tasks import run_scan_import

    run_scan_import.enqueue(scan_id)


def scan_import_run(*, scan_id: int) -> ScanImport:
    """Run a queued import (the background task). Failures are recorded on the ScanImport."""
    scan = ScanImport.objects.select_related("actor").get(pk=scan_id)
    if scan.status != ScanImport.Status.QUEUED:
        return scan
    path = Path(scan.upload_path)
    ScanImport.objects.filter(pk=scan.pk).update(status=ScanImport.Status.RUNNING, phase="hashing")
    options = scan.options or {}
    try:
        with open(path, "rb") as fh:
            scan_import(
                actor=scan.actor,
                stream=fh,
                filename=scan.file_name,
                format=options.get("format") or None,
                system=options.get("system") or None,
                create_system=bool(options.get("create_system")),
                business_unit=scan.business_unit,
                progress=file_writer(path),
                scan=scan,
            )
    except (DomainError, OSError) as exc:
        _failed(scan, str(exc) if isinstance(exc, DomainError) else f"{scan.file_name}: cannot read the upload")
    except Exception as exc:  # a bug: the page must not show "running" forever; the task logs it
        _failed(scan, f"{scan.file_name}: the import failed unexpectedly ({type(exc).__name__})")
        raise
    finally:
        path.unlink(missing_ok=True)
        progress_path(path).unlink(missing_ok=True)
        ScanImport.objects.filter(pk=scan.pk).update(upload_path="")
    scan.refresh_from_db()
    return scan


def _failed(scan: ScanImport, message: str) -> None:
    with transaction.atomic():
        ScanImport.objects.filter(pk=scan.pk).update(
            status=ScanImport.Status.FAILED, phase="failed", error=message[:4000], finished_at=timezone.now()
        )
        audit.record(
            scan.actor,
            audit.Change(
                audit.Action.UPDATE,
                audit.object_type_of(ScanImport),
                str(scan.pk),
                scan.ref,
                {"status": ["queued", "failed"], "error": ["", message[:500]]},
            ),
        )
