"""Reads of the import history: every query starts from the imports of the units the user sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require, scope_to_units
from ramparts.vulns.importing.progress import read
from ramparts.vulns.models import ScanImport

STATUSES = tuple(s.value for s in ScanImport.Status)


@dataclass(frozen=True)
class ImportFilters:
    q: str = ""  # SCAN-n, or part of the file name
    status: str = ""
    format: str = ""

    @classmethod
    def from_params(cls, params) -> ImportFilters:
        status = str(params.get("status") or "").strip()
        return cls(
            q=str(params.get("q") or "").strip()[:200],
            status=status if status in STATUSES else "",
            format=str(params.get("format") or "").strip()[:40],
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.status or self.format)


def scan_imports_visible(user) -> QuerySet[ScanImport]:
    require(user, "vulns.view")
    return scope_to_units(user, ScanImport.objects.all())


def scan_import_list(user, filters: ImportFilters | None = None) -> QuerySet[ScanImport]:
    filters = filters or ImportFilters()
    qs = scan_imports_visible(user).select_related("actor", "system", "business_unit")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.q:
        number = _number(filters.q)
        qs = qs.filter(Q(number=number) if number else Q(file_name__icontains=filters.q))
    return qs.order_by("-number")


def _number(ref: str) -> int | None:
    prefix, _, digits = ref.strip().upper().partition("-")
    return int(digits) if prefix == ScanImport.REF_PREFIX and digits.isdigit() and len(digits) < 12 else None


def scan_import_get(user, *, ref: str) -> ScanImport:
    number = _number(ref)
    found = (
        scan_imports_visible(user).select_related("actor", "system", "business_unit").filter(number=number).first()
        if number
        else None
    )
    if found is None:
        raise NotFound(f"No scan import {ref}.")
    return found


@dataclass(frozen=True)
class Progress:
    phase: str
    bytes_read: int
    percent: int


# Share of the bar each phase starts at and spans (hashing reads the file once, parsing again).
_SPANS = {"queued": (0, 0), "hashing": (0, 10), "parsing": (10, 85), "closing": (95, 3), "enriching": (98, 2)}


def scan_import_progress(scan: ScanImport) -> Progress:
    """Where a running import is (its progress file while it runs, the row afterwards)."""
    if scan.status == ScanImport.Status.DONE:
        return Progress("done", scan.size, 100)
    if scan.status == ScanImport.Status.FAILED:
        return Progress("failed", scan.bytes_read, 100)
    live = read(scan.upload_path) if scan.upload_path else None
    phase = str((live or {}).get("phase") or scan.phase or "queued")
    done = int((live or {}).get("bytes_read") or scan.bytes_read or 0)
    start, span = _SPANS.get(phase, (0, 0))
    fraction = min(1.0, done / scan.size) if scan.size and phase in ("hashing", "parsing") else 0.0
    return Progress(phase, done, min(99, int(start + span * fraction)))
