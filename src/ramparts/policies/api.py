"""The policies API under /api/v1/policies/. Each endpoint calls one selector or service.

Domain errors become responses in ramparts/api.py: PermissionDenied 403, NotFound (also for
policies of other units, or not addressed to you under /mine) 404, ValidationFailed 400 with
`problems`, Conflict 409.
"""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require
from ramparts.frameworks.models import Requirement
from ramparts.policies import schemas, selectors, services
from ramparts.policies.engine.diff import diff_lines
from ramparts.policies.engine.markdown import render
from ramparts.policies.filters import ExceptionFilters, PolicyFilters

router = Router(tags=["Policies"])

_POLICY_RELATED = (
    "audience_units",
    "controls",
    Prefetch("requirements", queryset=Requirement.objects.select_related("framework")),
)


def _policy(request: HttpRequest, ref: str):
    policy = selectors.policy_get(request.user, ref=ref)
    return (
        selectors.policies_visible_to(request.user)
        .prefetch_related(*_POLICY_RELATED)
        .select_related("business_unit", "owner", "current_version")
        .get(pk=policy.pk)
    )


# --- the library ---------------------------------------------------------------------------------


@router.get("/policies", response=list[schemas.PolicyOut], summary="List policies")
@paginate(PageNumber)
def policy_list(request: HttpRequest, params: Query[schemas.PolicyFilterIn]):
    filters = PolicyFilters.from_params(params.dict())
    return selectors.policy_list(request.user, filters=filters).prefetch_related(*_POLICY_RELATED)


@router.post("/policies", response={201: schemas.PolicyOut}, summary="Create a policy (and its draft 1.0)")
def policy_create(request: HttpRequest, payload: schemas.PolicyIn):
    data = payload.dict()
    if data.get("owner") is None:
        data.pop("owner")
    policy = services.policy_create(actor=request.user, **data)
    return Status(201, _policy(request, policy.ref))


@router.get("/policies/{ref}", response=schemas.PolicyOut, summary="Get a policy")
def policy_get(request: HttpRequest, ref: str):
    return _policy(request, ref)


@router.patch("/policies/{ref}", response=schemas.PolicyOut, summary="Change a policy's details")
def policy_update(request: HttpRequest, ref: str, payload: schemas.PolicyPatch):
    policy = services.policy_update(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return _policy(request, policy.ref)


@router.post("/policies/{ref}/review", response=schemas.PolicyOut, summary="Mark reviewed without change")
def policy_review(request: HttpRequest, ref: str, payload: schemas.NoteIn):
    policy = services.policy_review(actor=request.user, ref=ref, note=payload.note)
    return _policy(request, policy.ref)


@router.post("/policies/{ref}/retire", response=schemas.PolicyOut, summary="Retire a policy")
def policy_retire(request: HttpRequest, ref: str, payload: schemas.NoteIn):
    policy = services.policy_retire(actor=request.user, ref=ref, note=payload.note)
    return _policy(request, policy.ref)


# --- versions ------------------------------------------------------------------------------------


@router.get("/policies/{ref}/versions", response=list[schemas.VersionOut], summary="Every version of a policy")
def version_list(request: HttpRequest, ref: str):
    return selectors.versions_of(selectors.policy_get(request.user, ref=ref))


@router.post("/policies/{ref}/versions", response={201: schemas.VersionOut}, summary="Start a new draft version")
def version_create(request: HttpRequest, ref: str, payload: schemas.VersionIn):
    version = services.version_create(actor=request.user, ref=ref, **payload.dict())
    return Status(201, version)


@router.get("/policies/{ref}/versions/{label}", response=schemas.VersionOut, summary="One version, with its HTML")
def version_get(request: HttpRequest, ref: str, label: str):
    return selectors.version_get(selectors.policy_get(request.user, ref=ref), label=label)


@router.patch("/policies/{ref}/versions/{label}", response=schemas.VersionOut, summary="Edit a draft")
def version_update(request: HttpRequest, ref: str, label: str, payload: schemas.VersionPatch):
    return services.version_update(actor=request.user, ref=ref, label=label, **payload.dict(exclude_unset=True))


@router.post("/policies/{ref}/versions/{label}/submit", response=schemas.VersionOut, summary="Submit for approval")
def version_submit(request: HttpRequest, ref: str, label: str):
    return services.version_submit(actor=request.user, ref=ref, label=label)


@router.post("/policies/{ref}/versions/{label}/approve", response=schemas.VersionOut, summary="Approve a version")
def version_approve(request: HttpRequest, ref: str, label: str, payload: schemas.NoteIn):
    return services.version_approve(actor=request.user, ref=ref, label=label, note=payload.note)


@router.post("/policies/{ref}/versions/{label}/reject", response=schemas.VersionOut, summary="Send back to draft")
def version_reject(request: HttpRequest, ref: str, label: str, payload: schemas.NoteIn):
    return services.version_reject(actor=request.user, ref=ref, label=label, note=payload.note)


@router.post("/policies/{ref}/versions/{label}/publish", response=schemas.VersionOut, summary="Publish")
def version_publish(request: HttpRequest, ref: str, label: str):
    return services.version_publish(actor=request.user, ref=ref, label=label)


@router.get("/policies/{ref}/diff", response=schemas.DiffOut, summary="Line differences between two versions")
def version_diff(
    request: HttpRequest, ref: str, old: str = Query(..., alias="from"), new: str = Query(..., alias="to")
):
    policy = selectors.policy_get(request.user, ref=ref)
    before, after = selectors.version_get(policy, label=old), selectors.version_get(policy, label=new)
    diff = diff_lines(before.text, after.text)
    return {"old": before.label, "new": after.label, "added": diff.added, "removed": diff.removed, "lines": diff.lines}


@router.get("/approvals", response=list[schemas.VersionOut], summary="Versions awaiting approval")
@paginate(PageNumber)
def approvals(request: HttpRequest):
    return selectors.approvals_pending(request.user).select_related("approver", "published_by")


# --- my policies ---------------------------------------------------------------------------------


@router.get("/mine", response=list[schemas.MyPolicyOut], summary="Policies addressed to me")
@paginate(PageNumber)
def my_list(request: HttpRequest, pending: bool = False):
    qs = selectors.my_pending(request.user) if pending else selectors.my_policies(request.user)
    return qs


@router.get("/mine/{ref}", response=schemas.MyPolicyOut, summary="A policy addressed to me, with its HTML")
def my_get(request: HttpRequest, ref: str):
    policy = selectors.my_policy_get(request.user, ref=ref)
    policy.html = render(policy.current_version.text)  # type: ignore[attr-defined, union-attr]
    return policy


@router.post("/mine/{ref}/acknowledge", response=schemas.AcknowledgementOut, summary="Acknowledge a policy")
def acknowledge(request: HttpRequest, ref: str, payload: schemas.AcknowledgeIn | None = None):
    ack = services.policy_acknowledge(actor=request.user, ref=ref, label=payload.version if payload else None)
    return {"policy": ack.policy.ref, "version": ack.version.label, "acknowledged_at": ack.acknowledged_at}


# --- reports -------------------------------------------------------------------------------------


def _rate(rate) -> dict:
    return {
        "addressed": rate.addressed,
        "acknowledged": rate.acknowledged,
        "missing": rate.missing,
        "percent": rate.percent,
    }


@router.get("/reports", response=schemas.PageOfRates, summary="Acknowledgement rate of each published policy")
def report_overview(request: HttpRequest, page: int = 1, page_size: int = 50):
    require(request.user, "policies.report")
    page, page_size = max(1, page), min(max(1, page_size), 200)
    policies = selectors.overview_policies(request.user)
    count = policies.count()
    chunk = list(policies[(page - 1) * page_size : page * page_size])
    rates = selectors.rates_for(request.user, chunk)
    items = [
        {"policy": p.ref, "title": p.title, "version": p.current_version.label, **_rate(rates[p.pk])}  # type: ignore[union-attr]
        for p in chunk
    ]
    return {"count": count, "page": page, "page_size": page_size, "items": items}


@router.get("/reports/{ref}", response=schemas.PolicyReportOut, summary="Acknowledgements of a policy per department")
def report_policy(request: HttpRequest, ref: str):
    policy = selectors.report_policy_get(request.user, ref=ref)
    departments = selectors.department_rates(request.user, policy)
    addressed = sum(d.rate.addressed for d in departments)
    acknowledged = sum(d.rate.acknowledged for d in departments)
    return {
        "policy": policy.ref,
        "version": policy.current_version.label,  # type: ignore[union-attr]
        "addressed": addressed,
        "acknowledged": acknowledged,
        "missing": addressed - acknowledged,
        "percent": round(100.0 * acknowledged / addressed, 1) if addressed else None,
        "departments": [{"department": d.department, **_rate(d.rate)} for d in departments],
    }


@router.get("/reports/{ref}/missing", response=list[schemas.MissingPersonOut], summary="People still missing")
@paginate(PageNumber)
def report_missing(request: HttpRequest, ref: str):
    return selectors.missing_people(request.user, selectors.report_policy_get(request.user, ref=ref))


# --- exceptions ----------------------------------------------------------------------------------


def _exception(request: HttpRequest, ref: str):
    found = selectors.exception_get(request.user, ref=ref)
    return (
        selectors.exceptions_visible_to(request.user)
        .select_related("policy", "business_unit", "requested_by", "decided_by", "risk")
        .prefetch_related("systems")
        .get(pk=found.pk)
    )


@router.get("/exceptions", response=list[schemas.ExceptionOut], summary="List exceptions")
@paginate(PageNumber)
def exception_list(request: HttpRequest, params: Query[schemas.ExceptionFilterIn]):
    filters = ExceptionFilters.from_params(params.dict())
    return (
        selectors.exception_list(request.user, filters=filters).select_related("decided_by").prefetch_related("systems")
    )


@router.post("/exceptions", response={201: schemas.ExceptionOut}, summary="Request an exception")
def exception_create(request: HttpRequest, payload: schemas.ExceptionIn):
    exc = services.exception_create(actor=request.user, **payload.dict())
    return Status(201, _exception(request, exc.ref))


@router.get("/exceptions/{ref}", response=schemas.ExceptionOut, summary="Get an exception")
def exception_get(request: HttpRequest, ref: str):
    return _exception(request, ref)


@router.patch("/exceptions/{ref}", response=schemas.ExceptionOut, summary="Change a request")
def exception_update(request: HttpRequest, ref: str, payload: schemas.ExceptionPatch):
    exc = services.exception_update(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return _exception(request, exc.ref)


@router.post("/exceptions/{ref}/approve", response=schemas.ExceptionOut, summary="Approve an exception")
def exception_approve(request: HttpRequest, ref: str, payload: schemas.NoteIn):
    exc = services.exception_approve(actor=request.user, ref=ref, note=payload.note)
    return _exception(request, exc.ref)


@router.post("/exceptions/{ref}/reject", response=schemas.ExceptionOut, summary="Reject an exception")
def exception_reject(request: HttpRequest, ref: str, payload: schemas.NoteIn):
    exc = services.exception_reject(actor=request.user, ref=ref, note=payload.note)
    return _exception(request, exc.ref)


@router.post("/exceptions/{ref}/revoke", response=schemas.ExceptionOut, summary="Revoke an approved exception")
def exception_revoke(request: HttpRequest, ref: str, payload: schemas.NoteIn):
    exc = services.exception_revoke(actor=request.user, ref=ref, note=payload.note)
    return _exception(request, exc.ref)


@router.post("/exceptions/{ref}/renew", response=schemas.ExceptionOut, summary="Renew (needs a new approval)")
def exception_renew(request: HttpRequest, ref: str, payload: schemas.RenewIn):
    exc = services.exception_renew(actor=request.user, ref=ref, **payload.dict(exclude_unset=True))
    return _exception(request, exc.ref)
