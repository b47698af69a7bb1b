"""The compliance API under /api/v1/compliance/. Each endpoint calls one selector, read or service.

Domain errors become responses in ramparts/api.py (403, 404 also for other units' objects, 400 with
`problems`, 409). Requirements are named "framework-slug:identifier" ("nist-cybersecurity-framework-2-0:GV.OC-01").
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ramparts.compliance import selectors, services
from ramparts.compliance.derivation import (
    assessment_view,
    framework_coverage,
    profile_analysis,
    requirements_without_controls,
)
from ramparts.compliance.exports.service import assessment_export, system_ssp
from ramparts.compliance.selectors import ControlFilters
from ramparts.compliance.views.evidence import download_response
from ramparts.compliance.views.exports import attachment
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require
from ramparts.frameworks.services import BUILTIN_CSF_SLUG

router = Router(tags=["Compliance"])


# --- schemas ------------------------------------------------------------------------------------


class TallyOut(Schema):
    percent: float
    implemented: int
    partial: int
    not_implemented: int
    not_applicable: int
    unassessed: int
    total: int


class FrameworkCoverageOut(Schema):
    framework: str
    name: str
    version: str
    coverage: TallyOut


class ControlOut(Schema):
    ref: str
    name: str
    description: str
    business_unit: str
    owner: str | None
    control_type: str
    automation: str
    frequency: str
    status: str
    annual_cost: Decimal | None
    effectiveness: int
    units_in_scope: list[str]
    systems: list[str]
    technologies: list[str]
    requirements: list[str]

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return obj.owner.ref if obj.owner else None

    @staticmethod
    def resolve_units_in_scope(obj) -> list[str]:
        return [u.code for u in obj.units_in_scope.all()]

    @staticmethod
    def resolve_systems(obj) -> list[str]:
        return [s.ref for s in obj.systems.all()]

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return [s.ref for s in obj.technologies.all()]

    @staticmethod
    def resolve_requirements(obj) -> list[str]:
        return [f"{m.requirement.framework.slug}:{m.requirement.identifier}" for m in obj.mappings.all()]


class ControlIn(Schema):
    name: str
    business_unit: str
    description: str = ""
    owner: str | None = None
    control_type: str = "preventive"
    automation: str = "manual"
    frequency: str = "continuous"
    status: str = "planned"
    annual_cost: Decimal | None = None
    effectiveness: int = 0
    units_in_scope: list[str] = []
    systems: list[str] = []
    technologies: list[str] = []
    requirements: list[str] = []


class ControlPatch(Schema):
    name: str | None = None
    business_unit: str | None = None
    description: str | None = None
    owner: str | None = None
    control_type: str | None = None
    automation: str | None = None
    frequency: str | None = None
    status: str | None = None
    annual_cost: Decimal | None = None
    effectiveness: int | None = None
    units_in_scope: list[str] | None = None
    systems: list[str] | None = None
    technologies: list[str] | None = None
    requirements: list[str] | None = None


class MappingIn(Schema):
    add: list[str] = []
    remove: list[str] = []


class ControlFilterIn(Schema):
    q: str = ""
    status: str = ""
    control_type: str = ""
    automation: str = ""
    business_unit: str = ""
    gap: str = ""
    framework: str = ""
    sort: str = ""


class EvidenceOut(Schema):
    ref: str
    title: str
    kind: str
    url: str
    file_name: str
    sha256: str
    size: int | None
    expires_on: dt.date | None
    expired: bool
    control: str | None
    assessment: str | None
    requirement: str | None

    @staticmethod
    def resolve_expired(obj) -> bool:
        return bool(obj.expires_on and obj.expires_on < dt.date.today())

    @staticmethod
    def resolve_control(obj) -> str | None:
        return obj.control.ref if obj.control else None

    @staticmethod
    def resolve_assessment(obj) -> str | None:
        return obj.result.assessment.ref if obj.result else None

    @staticmethod
    def resolve_requirement(obj) -> str | None:
        return obj.result.requirement.identifier if obj.result else None


class AssessmentOut(Schema):
    ref: str
    name: str
    description: str
    framework: str
    business_unit: str
    state: str
    reviewer: str | None
    signed_off_by: str | None
    signed_off_at: dt.datetime | None
    scope_units: list[str]
    scope_services: list[str]
    migrated_from: str | None
    migration_report: dict

    @staticmethod
    def resolve_framework(obj) -> str:
        return obj.framework.slug

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_reviewer(obj) -> str | None:
        return obj.reviewer.username if obj.reviewer else None

    @staticmethod
    def resolve_signed_off_by(obj) -> str | None:
        return obj.signed_off_by.username if obj.signed_off_by else None

    @staticmethod
    def resolve_scope_units(obj) -> list[str]:
        return [u.code for u in obj.scope_units.all()]

    @staticmethod
    def resolve_scope_services(obj) -> list[str]:
        return [s.ref for s in obj.scope_services.all()]

    @staticmethod
    def resolve_migrated_from(obj) -> str | None:
        return obj.migrated_from.ref if obj.migrated_from_id else None


class RowOut(Schema):
    identifier: str
    title: str
    status: str | None
    derived: str | None
    override: str
    reason: str
    via: str
    controls: list[str]
    evidence: int
    expired_evidence: bool


class GroupOut(Schema):
    key: str
    label: str
    percent: float
    applicable: int


class AssessmentDetailOut(Schema):
    assessment: AssessmentOut
    coverage: TallyOut
    groups: list[GroupOut]
    requirements: list[RowOut]


class AssessmentIn(Schema):
    name: str
    business_unit: str
    framework: str
    description: str = ""
    scope_units: list[str] = []
    scope_services: list[str] = []
    reviewer: str | None = None


class AssessmentPatch(Schema):
    name: str | None = None
    description: str | None = None
    scope_units: list[str] | None = None
    scope_services: list[str] | None = None
    reviewer: str | None = None


class ResultIn(Schema):
    status: str = ""
    reason: str = ""


class SignoffIn(Schema):
    note: str = ""


class MigrateIn(Schema):
    framework: str
    carry_mappings: bool = True


class ProfileOut(Schema):
    ref: str
    name: str
    description: str
    kind: str
    tier: int
    framework: str
    business_unit: str
    current: str | None

    @staticmethod
    def resolve_framework(obj) -> str:
        return obj.framework.slug

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_current(obj) -> str | None:
        return obj.current.ref if obj.current_id else None


class GapOut(Schema):
    identifier: str
    title: str
    current: int
    target: int
    priority: str


class ProfileDetailOut(Schema):
    profile: ProfileOut
    outcomes: dict[str, int]
    coverage: TallyOut | None
    groups: list[GroupOut]
    gaps: list[GapOut]


class ProfileIn(Schema):
    name: str
    business_unit: str
    kind: str
    tier: int = 1
    framework: str = BUILTIN_CSF_SLUG
    current: str | None = None
    description: str = ""


class ProfilePatch(Schema):
    name: str | None = None
    description: str | None = None
    tier: int | None = None
    current: str | None = None


class OutcomesIn(Schema):
    outcomes: dict[str, int]
    priorities: dict[str, str] = {}


class GapsOut(Schema):
    controls_without_tool_or_owner: list[str]
    requirements_without_control: list[str]


def _tally(t) -> dict[str, Any]:
    return {
        "percent": t.percent,
        "implemented": t.implemented,
        "partial": t.partial,
        "not_implemented": t.not_implemented,
        "not_applicable": t.not_applicable,
        "unassessed": t.unassessed,
        "total": t.total,
    }


# --- overview and gaps --------------------------------------------------------------------------


@router.get("/overview", response=list[FrameworkCoverageOut], summary="Frameworks with their coverage")
def overview(request: HttpRequest):
    return [
        {
            "framework": c.framework.slug,
            "name": c.framework.name,
            "version": c.framework.version,
            "coverage": _tally(c.tally),
        }
        for c in framework_coverage(request.user)
    ]


@router.get("/gaps", response=GapsOut, summary="Controls with no tool and no owner; requirements no control answers")
def gaps(request: HttpRequest, framework: str):
    framework_obj = selectors.framework_get(request.user, slug=framework)
    orphans = selectors.control_list(request.user, filters=ControlFilters(gap="no_tool_no_owner"))
    return {
        "controls_without_tool_or_owner": [c.ref for c in orphans],
        "requirements_without_control": [i for i, _ in requirements_without_controls(request.user, framework_obj)],
    }


# --- controls -----------------------------------------------------------------------------------


def _control(user, ref: str):
    return selectors.control_detail(user, ref=ref)


@router.get("/controls", response=list[ControlOut], summary="List controls")
@paginate(PageNumber)
def control_list(request: HttpRequest, filters: Query[ControlFilterIn]):
    return selectors.control_list(request.user, filters=ControlFilters(**filters.dict())).prefetch_related(
        "units_in_scope", "systems", "technologies", "mappings__requirement__framework"
    )


@router.get("/controls/{ref}", response=ControlOut, summary="Get a control")
def control_get(request: HttpRequest, ref: str):
    return _control(request.user, ref)


class TechniqueOut(Schema):
    technique_id: str
    name: str


@router.get(
    "/controls/{ref}/techniques",
    response=list[TechniqueOut],
    summary="ATT&CK techniques the control mitigates (through its requirements)",
)
def control_techniques(request: HttpRequest, ref: str):
    control = selectors.control_get(request.user, ref=ref)
    return [{"technique_id": t, "name": n} for t, n in selectors.control_techniques(request.user, control=control)]


@router.post("/controls", response={201: ControlOut}, summary="Create a control")
def control_create(request: HttpRequest, payload: ControlIn):
    control = services.control_create(actor=request.user, **payload.dict())
    return Status(201, _control(request.user, control.ref))


@router.patch("/controls/{ref}", response=ControlOut, summary="Change a control")
def control_update(request: HttpRequest, ref: str, payload: ControlPatch):
    control = services.control_update(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return _control(request.user, control.ref)


@router.delete("/controls/{ref}", response={204: None}, summary="Delete a control")
def control_delete(request: HttpRequest, ref: str):
    services.control_delete(actor=request.user, ref=ref)
    return Status(204, None)


@router.post("/controls/{ref}/mappings", response=ControlOut, summary="Map a control to requirements (add/remove)")
def control_map(request: HttpRequest, ref: str, payload: MappingIn):
    control = services.control_map(actor=request.user, ref=ref, add=payload.add, remove=payload.remove)
    return _control(request.user, control.ref)


# --- evidence -----------------------------------------------------------------------------------


@router.get("/evidence", response=list[EvidenceOut], summary="List evidence")
@paginate(PageNumber)
def evidence_list(request: HttpRequest):
    return selectors.evidence_list(request.user)


@router.get("/evidence/{ref}", response=EvidenceOut, summary="Get evidence")
def evidence_get(request: HttpRequest, ref: str):
    return selectors.evidence_get(request.user, ref=ref)


@router.get("/evidence/{ref}/download", summary="Download an evidence file (always an attachment)")
def evidence_download(request: HttpRequest, ref: str):
    evidence = selectors.evidence_get(request.user, ref=ref)
    if evidence.kind == evidence.Kind.LINK:
        return HttpResponse(status=302, headers={"Location": evidence.url})
    return download_response(evidence)


@router.post("/evidence", response={201: EvidenceOut}, summary="Add evidence: a file (multipart) or a link")
def evidence_add(
    request: HttpRequest,
    title: Form[str],
    file: File[UploadedFile | None] = None,
    url: Form[str] = "",
    description: Form[str] = "",
    expires_on: Form[dt.date | None] = None,
    control: Form[str] = "",
    assessment: Form[str] = "",
    requirement: Form[str] = "",
):
    evidence = services.evidence_add(
        actor=request.user,
        title=title,
        file=file,
        url=url,
        description=description,
        expires_on=expires_on,
        control=control or None,
        assessment=assessment or None,
        requirement=requirement or None,
    )
    return Status(201, selectors.evidence_get(request.user, ref=evidence.ref))


# --- assessments --------------------------------------------------------------------------------


def _detail(assessment) -> dict[str, Any]:
    view = assessment_view(assessment)
    return {
        "assessment": assessment,
        "coverage": _tally(view.coverage.overall),
        "groups": [
            {"key": g.key, "label": g.label, "percent": g.percent, "applicable": g.applicable}
            for g in view.coverage.groups
        ],
        "requirements": [
            {
                "identifier": r.identifier,
                "title": r.title,
                "status": r.effective,
                "derived": r.derived,
                "override": r.override,
                "reason": r.reason,
                "via": r.via,
                "controls": [ref for ref, _ in r.controls],
                "evidence": r.evidence,
                "expired_evidence": r.amber,
            }
            for r in view.rows
        ],
    }


@router.get("/assessments", response=list[AssessmentOut], summary="List assessments")
@paginate(PageNumber)
def assessment_list(request: HttpRequest):
    return selectors.assessment_list(request.user).select_related("migrated_from")


@router.get("/assessments/{ref}", response=AssessmentDetailOut, summary="An assessment with every requirement's status")
def assessment_get(request: HttpRequest, ref: str):
    return _detail(selectors.assessment_get(request.user, ref=ref))


@router.post("/assessments", response={201: AssessmentOut}, summary="Create an assessment")
def assessment_create(request: HttpRequest, payload: AssessmentIn):
    assessment = services.assessment_create(actor=request.user, **payload.dict())
    return Status(201, selectors.assessment_get(request.user, ref=assessment.ref))


@router.patch("/assessments/{ref}", response=AssessmentOut, summary="Change an assessment")
def assessment_update(request: HttpRequest, ref: str, payload: AssessmentPatch):
    assessment = services.assessment_update(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return selectors.assessment_get(request.user, ref=assessment.ref)


@router.put("/assessments/{ref}/results/{identifier}", response=RowOut, summary="Override (or un-override) a status")
def result_set(request: HttpRequest, ref: str, identifier: str, payload: ResultIn):
    services.assessment_result_set(
        actor=request.user, ref=ref, requirement=identifier, status=payload.status, reason=payload.reason
    )
    rows = _detail(selectors.assessment_get(request.user, ref=ref))["requirements"]
    return next(r for r in rows if r["identifier"] == identifier)


@router.post("/assessments/{ref}/signoff", response=AssessmentOut, summary="Reviewer sign-off")
def assessment_signoff(request: HttpRequest, ref: str, payload: SignoffIn):
    services.assessment_signoff(actor=request.user, ref=ref, note=payload.note)
    return selectors.assessment_get(request.user, ref=ref)


@router.post("/assessments/{ref}/migrate", response={201: AssessmentOut}, summary="Migrate to a new framework version")
def assessment_migrate(request: HttpRequest, ref: str, payload: MigrateIn):
    new = services.assessment_migrate(
        actor=request.user, ref=ref, framework=payload.framework, carry_mappings=payload.carry_mappings
    )
    return Status(201, selectors.assessment_get(request.user, ref=new.ref))


@router.get("/assessments/{ref}/export", summary="Export: csv, xlsx, oscal (assessment results) or pdf (SoA)")
def assessment_download(request: HttpRequest, ref: str, format: str = "oscal"):
    return attachment(*assessment_export(request.user, ref=ref, fmt=format))


@router.get("/systems/{ref}/ssp", summary="OSCAL system security plan of an inventory system")
def ssp(request: HttpRequest, ref: str, framework: str):
    return attachment(*system_ssp(request.user, system_ref=ref, framework=framework))


# --- CSF profiles -------------------------------------------------------------------------------


def _profile_detail(profile) -> dict[str, Any]:
    analysis = profile_analysis(profile)
    cov = analysis.coverage
    return {
        "profile": profile,
        "outcomes": {identifier: tier for identifier, _, tier, _ in analysis.outcomes},
        "coverage": _tally(cov.overall) if cov else None,
        "groups": [
            {"key": g.key, "label": g.label, "percent": g.percent, "applicable": g.applicable} for g in cov.groups
        ]
        if cov
        else [],
        "gaps": [
            {
                "identifier": g.identifier,
                "title": g.title,
                "current": g.current,
                "target": g.target,
                "priority": g.priority,
            }
            for g in analysis.gaps
        ],
    }


@router.get("/profiles", response=list[ProfileOut], summary="List CSF profiles")
@paginate(PageNumber)
def profile_list(request: HttpRequest):
    return selectors.profile_list(request.user)


@router.get("/profiles/{ref}", response=ProfileDetailOut, summary="A profile, with the gap analysis for a target")
def profile_get(request: HttpRequest, ref: str):
    return _profile_detail(selectors.profile_get(request.user, ref=ref))


@router.post("/profiles", response={201: ProfileOut}, summary="Create a CSF profile")
def profile_create(request: HttpRequest, payload: ProfileIn):
    profile = services.profile_create(actor=request.user, **payload.dict())
    return Status(201, selectors.profile_get(request.user, ref=profile.ref))


@router.patch("/profiles/{ref}", response=ProfileOut, summary="Change a CSF profile")
def profile_update(request: HttpRequest, ref: str, payload: ProfilePatch):
    profile = services.profile_update(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return selectors.profile_get(request.user, ref=profile.ref)


@router.put("/profiles/{ref}/outcomes", response=ProfileDetailOut, summary="Set outcome tiers (0 removes)")
def profile_outcomes(request: HttpRequest, ref: str, payload: OutcomesIn):
    require(request.user, "compliance.assess")
    services.profile_outcomes_set(actor=request.user, ref=ref, outcomes=payload.outcomes, priorities=payload.priorities)
    return _profile_detail(selectors.profile_get(request.user, ref=ref))


class GapActionsIn(Schema):
    risk: str
    identifiers: list[str]
    due: dt.date | None = None


class GapActionsOut(Schema):
    created: int
    actions: list[str]


@router.post(
    "/profiles/{ref}/gaps/actions", response={201: GapActionsOut}, summary="Turn profile gaps into treatment actions"
)
def profile_gaps_to_actions(request: HttpRequest, ref: str, payload: GapActionsIn):
    actions = services.profile_gaps_to_actions(actor=request.user, ref=ref, **payload.dict())
    return Status(201, {"created": len(actions), "actions": [a.title for a in actions]})


@router.post(
    "/assessments/{ref}/gaps/actions",
    response={201: GapActionsOut},
    summary="Turn assessment gaps into treatment actions",
)
def assessment_gaps_to_actions(request: HttpRequest, ref: str, payload: GapActionsIn):
    actions = services.assessment_gaps_to_actions(actor=request.user, ref=ref, **payload.dict())
    return Status(201, {"created": len(actions), "actions": [a.title for a in actions]})
