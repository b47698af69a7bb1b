"""Permission-matrix requests of the frameworks module (collected by matrix_modules; see its docstring)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.matrix_base import api, ui

FRAMEWORK_YAML = b"""framework: {name: Matrix Standard, version: "1"}
requirements:
  - id: MS-1
    title: Section
    children: [{id: MS-1.1, title: "Do the thing"}]
"""


def upload(w) -> dict:
    name = f"Uploaded {w.n}"
    return {"file": SimpleUploadedFile("up.yaml", FRAMEWORK_YAML.replace(b"Matrix Standard", name.encode()))}


def crosswalk(w) -> dict:
    slug = w.extras["framework"]
    data = f"source_framework,source_id,relationship,target_framework,target_id\n{slug},MS-1.1,related,{slug},MS-1,\n"
    return {"what": "mapping", "file": SimpleUploadedFile("cw.csv", data.encode())}


MATRIX: dict[str, dict[str, list]] = {
    "frameworks.view": {
        "ui": [
            ui("GET", "/frameworks/"),
            ui("GET", "/frameworks/{framework}/"),
            ui("GET", "/frameworks/{framework}/r/MS-1.1/"),
            ui("GET", "/frameworks/diff/?old={framework}&new={framework}"),
        ],
        "api": [
            api("GET", "/frameworks/"),
            api("GET", "/frameworks/{framework}"),
            api("GET", "/frameworks/{framework}/requirements"),
            api("GET", "/frameworks/{framework}/requirements/MS-1.1"),
            api("GET", "/frameworks/diff?old={framework}&new={framework}"),
        ],
    },
    "frameworks.import": {
        "ui": [
            ui("GET", "/frameworks/import/"),
            ui("POST", "/frameworks/import/", upload, body="multipart"),
            ui("POST", "/frameworks/import/", crosswalk, body="multipart"),
        ],
        "api": [
            api("POST", "/frameworks/import", upload, body="multipart"),
            api("POST", "/frameworks/mappings/import", lambda w: {"file": crosswalk(w)["file"]}, body="multipart"),
        ],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    from ramparts.frameworks.models import Framework
    from ramparts.frameworks.services import framework_import

    existing = Framework.objects.filter(name="Matrix Standard").first()
    framework = existing or framework_import(actor=owner, name="matrix.yaml", data=FRAMEWORK_YAML).framework
    return {"framework": framework.slug}
