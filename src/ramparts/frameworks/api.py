"""The frameworks API under /api/v1/frameworks/. Each endpoint calls one selector or service.

Domain errors become responses in ramparts/api.py: 403, 404, 400 with `problems`, 409.
"""

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.core.errors import ValidationFailed
from ramparts.core.pagination import PageNumber
from ramparts.frameworks import schemas, selectors, services
from ramparts.frameworks.models import Requirement
from ramparts.frameworks.services.mappings import INVERSE

router = Router(tags=["frameworks"])


class FrameworkFilterIn(Schema):
    q: str = ""
    kind: str = ""


class RequirementFilterIn(Schema):
    q: str = ""
    kind: str = ""
    withdrawn: bool | None = None
    assessable: bool | None = None
    parent: str = ""
    technique: str = ""


def _upload(file: UploadedFile) -> tuple[str, bytes]:
    if (file.size or 0) > services.MAX_FILE_BYTES:
        raise ValidationFailed(f"{file.name}: the file is larger than {services.MAX_FILE_BYTES // 2**20} MB.")
    return file.name or "upload", file.read()


@router.get("/", response=list[schemas.FrameworkOut], operation_id="framework_list", summary="List frameworks")
@paginate(PageNumber)
def framework_list(request: HttpRequest, filters: Query[FrameworkFilterIn]):
    qs = selectors.framework_list(request.user, q=filters.q, kind=filters.kind)
    services.builtin_install()
    return qs


@router.get(
    "/diff",
    response=schemas.DiffOut,
    operation_id="framework_diff",
    summary="Requirements added, removed and changed between two frameworks (by identifier)",
)
def framework_diff(request: HttpRequest, old: str, new: str):
    return services.framework_diff(
        old=selectors.framework_get(request.user, slug=old), new=selectors.framework_get(request.user, slug=new)
    ).as_dict()


@router.post(
    "/import",
    response={201: schemas.ImportOut},
    operation_id="framework_import",
    summary="Import an OSCAL catalog or profile (JSON/XML) or a YAML/CSV framework",
    description="All-or-nothing: an invalid file or an unresolvable profile answers 400 with `problems`; "
    "the same name and version again answers 409.",
)
def framework_import(request: HttpRequest, file: File[UploadedFile], allow_unresolved: Form[bool] = False):
    name, data = _upload(file)
    result = services.framework_import(actor=request.user, name=name, data=data, allow_unresolved=allow_unresolved)
    return Status(201, result.as_dict())


@router.post(
    "/mappings/import",
    response=schemas.MappingOut,
    operation_id="framework_mappings_import",
    summary="Import ATT&CK mappings (CTID TSV, Mappings Explorer JSON) or a crosswalk CSV",
)
def mappings_import(request: HttpRequest, file: File[UploadedFile], framework: Form[str] = ""):
    name, data = _upload(file)
    targets = [selectors.framework_get(request.user, slug=s) for s in framework.split(",") if s.strip()] or None
    return services.mapping_import(actor=request.user, name=name, data=data, frameworks=targets).as_dict()


@router.get("/{slug}", response=schemas.FrameworkOut, operation_id="framework_get", summary="One framework")
def framework_get(request: HttpRequest, slug: str):
    return selectors.framework_get(request.user, slug=slug)


@router.get(
    "/{slug}/requirements",
    response=list[schemas.RequirementOut],
    operation_id="framework_requirements",
    summary="A framework's requirements in document order",
)
@paginate(PageNumber)
def requirement_list(request: HttpRequest, slug: str, filters: Query[RequirementFilterIn]):
    framework = selectors.framework_get(request.user, slug=slug)
    return selectors.requirement_list(
        request.user, framework=framework, filters=selectors.RequirementFilters(**filters.dict())
    )


@router.get(
    "/{slug}/requirements/{identifier}",
    response=schemas.RequirementDetailOut,
    operation_id="framework_requirement_get",
    summary="One requirement: text, parts, parameters, ATT&CK techniques, crosswalk relations",
)
def requirement_get(request: HttpRequest, slug: str, identifier: str):
    framework = selectors.framework_get(request.user, slug=slug)
    r = selectors.requirement_get(request.user, framework=framework, identifier=identifier)
    return requirement_detail(r)


def requirement_detail(r: Requirement) -> dict:
    return {
        "framework": r.framework.slug,
        "identifier": r.identifier,
        "key": r.key,
        "title": r.title,
        "kind": r.kind,
        "assessable": r.assessable,
        "withdrawn": r.withdrawn,
        "withdrawn_to": r.withdrawn_to,
        "parent": r.parent.identifier if r.parent else None,
        "children": [c.identifier for c in r.children.all()],
        "statement": r.statement,
        "guidance": r.guidance,
        "parts": r.parts,
        "params": r.params,
        "origin": f"{r.origin.framework.slug}/{r.origin.identifier}" if r.origin else None,
        "techniques": [
            {
                "technique_id": t.technique.technique_id,
                "name": t.technique.name,
                "mapping_type": t.mapping_type,
                "origin": t.origin,
                "attack_version": t.attack_version,
                "capability": t.capability,
            }
            for t in r.techniques.all()
        ],
        "relations": [
            {"framework": rel.target.framework.slug, "identifier": rel.target.identifier, "title": rel.target.title,
             "relationship": rel.relationship}
            for rel in r.relations_out.all()
        ]
        + [
            {"framework": rel.source.framework.slug, "identifier": rel.source.identifier, "title": rel.source.title,
             "relationship": INVERSE[rel.relationship]}
            for rel in r.relations_in.all()
        ],
    }  # fmt: skip
