"""Scan uploads for CI pipelines and the import history, under /api/v1/vulns/imports.

    curl -H "Authorization: Bearer $TOKEN" -F file=@trivy.json https://…/api/v1/vulns/imports
    curl -H "Authorization: Bearer $TOKEN" -F file=@big.nessus "https://…/api/v1/vulns/imports?wait=false"
    curl -H "Authorization: Bearer $TOKEN" https://…/api/v1/vulns/imports/SCAN-12

A small file (RAMPARTS_SYNC_SCAN_BYTES, 5 MiB) is imported during the request (200 with the
counts); a larger one, or any with `wait=false`, is queued (202) and polled by its ref.
A bad file answers 400 naming the file, the format and the position, and nothing is stored.
"""

import datetime as dt
from typing import BinaryIO, cast

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.core.pagination import PageNumber
from ramparts.vulns import services
from ramparts.vulns.importing.queries import ImportFilters, scan_import_get, scan_import_list, scan_import_progress
from ramparts.vulns.models import ScanImport

router = Router(tags=["Vulnerabilities"])


class ScanImportOut(Schema):
    ref: str
    status: str = Field(description="queued, running, done or failed")
    phase: str
    percent: int = Field(description="progress of a queued or running import, 100 when finished")
    format: str
    file_name: str
    file_sha256: str
    size: int
    scope: str
    business_unit: str
    system: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    findings: int
    new: int
    unchanged: int
    reopened: int
    closed: int
    error: str
    actor: str | None

    @staticmethod
    def resolve_business_unit(obj: ScanImport) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_system(obj: ScanImport) -> str | None:
        return obj.system.ref if obj.system else None

    @staticmethod
    def resolve_actor(obj: ScanImport) -> str | None:
        return obj.actor.username if obj.actor else None

    @staticmethod
    def resolve_phase(obj: ScanImport) -> str:
        return scan_import_progress(obj).phase

    @staticmethod
    def resolve_percent(obj: ScanImport) -> int:
        return scan_import_progress(obj).percent


class ImportFilterIn(Schema):
    q: str = Field("", description="SCAN-n, or part of the file name")
    status: str = Field("", description="queued, running, done or failed")
    format: str = Field("", description="a format name, e.g. trivy, nessus-xml")


@router.post(
    "/imports",
    response={200: ScanImportOut, 202: ScanImportOut},
    operation_id="vulns_import_upload",
    summary="Upload a scan file",
)
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[str] = "auto",
    system: Form[str] = "",
    create_missing: Form[bool] = False,
    wait: bool = True,
):
    """Multipart upload. `format`: auto (default) or a format name; `system`: assign every finding to
    this system (`create_missing` creates it). 200: imported (counts); 202: queued, poll `GET /imports/{ref}`."""
    name = file.name or "scan"
    if wait and (file.size or 0) <= services.sync_scan_bytes():
        result = services.scan_import(
            actor=request.user,
            stream=cast(BinaryIO, file),
            filename=name,
            format=format,
            system=system or None,
            create_system=create_missing,
        )
        return Status(200, scan_import_get(request.user, ref=result.scan_ref))
    scan = services.scan_import_queue(
        actor=request.user,
        stream=cast(BinaryIO, file),
        filename=name,
        size=file.size,
        format=format,
        system=system,
        create_system=create_missing,
    )
    return Status(202, scan_import_get(request.user, ref=scan.ref))


@router.get("/imports", response=list[ScanImportOut], operation_id="vulns_import_list", summary="Import history")
@paginate(PageNumber)
def import_list(request: HttpRequest, params: Query[ImportFilterIn]):
    return scan_import_list(request.user, ImportFilters.from_params(params.dict()))


@router.get("/imports/{ref}", response=ScanImportOut, operation_id="vulns_import_get", summary="One import")
def import_get(request: HttpRequest, ref: str):
    return scan_import_get(request.user, ref=ref)
