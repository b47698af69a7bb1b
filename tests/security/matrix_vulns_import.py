"""Permission-matrix requests of scan imports (upload page, import history, scan upload API);
collected by matrix_modules, joined with matrix_vulns.py."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.matrix_base import api, ui
from tests.vulns._synth import trivy_doc


def scan_upload(w) -> dict:
    return {"file": SimpleUploadedFile("matrix-trivy.json", trivy_doc(3, artifact="matrix:1"))}


MATRIX: dict[str, dict[str, list]] = {
    "vulns.view": {
        "ui": [ui("GET", "/vulns/imports/"), ui("GET", "/vulns/imports/{scan}/")],
        "api": [api("GET", "/vulns/imports"), api("GET", "/vulns/imports/{scan}")],
    },
    "vulns.import": {
        "ui": [ui("GET", "/vulns/imports/new/"), ui("POST", "/vulns/imports/new/", scan_upload, body="multipart")],
        "api": [api("POST", "/vulns/imports", scan_upload, body="multipart")],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    """A finished import in `unit` (a small Trivy report imported by `owner`)."""
    from ramparts.vulns.services import scan_import

    result = scan_import(
        actor=owner,
        stream=io.BytesIO(trivy_doc(2, start=900, artifact=f"matrix-{unit.code}")),
        filename="matrix-objects.json",
        business_unit=unit,
    )
    return {"scan": result.scan_ref}
