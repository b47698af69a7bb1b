"""Writes of assessments: create, per-requirement overrides, reviewer sign-off, migration to a new
framework version."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from ramparts.compliance.derivation import assessment_view
from ramparts.compliance.models import Assessment, AssessmentResult, ControlRequirement, Evidence, RequirementStatus
from ramparts.compliance.refs import next_number
from ramparts.compliance.selectors import assessment_get, framework_get
from ramparts.compliance.services._common import m2m_refs, record, services_named, unit_for, units_named
from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from ramparts.core.models import User
from ramparts.core.permissions import require
from ramparts.core.roles import Role, role_allows
from ramparts.frameworks.models import Framework, Requirement
from ramparts.frameworks.services import framework_diff


def _reviewer(value: Any) -> User | None:
    if value in (None, ""):
        return None
    user = value if isinstance(value, User) else User.objects.filter(username=str(value).strip()).first()
    if user is None or not user.is_active:
        raise ValidationFailed("Unknown reviewer.", [Problem(f"no active user {value!r}", column="reviewer")])
    if not role_allows(user.role, "compliance.signoff"):
        raise ValidationFailed(
            "This reviewer cannot sign off.", [Problem(f"{user.username}'s role may not sign off", column="reviewer")]
        )
    return user


def _assessable(framework: Framework):
    return Requirement.objects.filter(framework=framework, assessable=True, withdrawn=False)


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        **audit.snapshot(assessment, ["name", "description", "framework", "state", "reviewer", "business_unit"]),
        "scope_units": m2m_refs(assessment.scope_units.all()),
        "scope_services": m2m_refs(assessment.scope_services.all()),
    }


def _editable(assessment: Assessment) -> None:
    if assessment.state == Assessment.State.SIGNED_OFF:
        raise Conflict(f"{assessment.ref} is signed off and can no longer change.")


def assessment_create(
    *,
    actor,
    business_unit,
    name: str,
    framework: str,
    description: str = "",
    scope_units: list | None = None,
    scope_services: list | None = None,
    reviewer: Any = None,
) -> Assessment:
    require(actor, "compliance.assess")
    unit = unit_for(actor, business_unit, "compliance.assess")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed(
            "Invalid assessment.", [Problem("a name of 1 to 200 characters is required", column="name")]
        )
    framework_obj = framework_get(actor, slug=framework)
    units = units_named(actor, scope_units or [], "scope_units")
    services = services_named(actor, scope_services or [], "scope_services")
    reviewer_obj = _reviewer(reviewer)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            number=next_number(Assessment),
            business_unit=unit,
            name=name,
            description=description or "",
            framework=framework_obj,
            reviewer=reviewer_obj,
        )
        assessment.scope_units.set(units)
        assessment.scope_services.set(services)
        AssessmentResult.objects.bulk_create(
            [
                AssessmentResult(assessment=assessment, requirement_id=rid)
                for rid in _assessable(framework_obj).values_list("id", flat=True)
            ]
        )
        record(actor, audit.Action.CREATE, assessment, audit.created(_snapshot(assessment)))
    return assessment


def assessment_update(*, actor, ref: str, **fields: Any) -> Assessment:
    assessment = assessment_get(actor, ref=ref)
    require(actor, "compliance.assess")
    _editable(assessment)
    allowed = {"name", "description", "reviewer", "scope_units", "scope_services"}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationFailed(
            "Unknown assessment fields.", [Problem("not a field you can set", column=n) for n in unknown]
        )
    if "name" in fields and not str(fields["name"] or "").strip():
        raise ValidationFailed("Invalid assessment.", [Problem("a name is required", column="name")])
    units = units_named(actor, fields["scope_units"] or [], "scope_units") if "scope_units" in fields else None
    services = (
        services_named(actor, fields["scope_services"] or [], "scope_services") if "scope_services" in fields else None
    )
    with transaction.atomic():
        before = _snapshot(assessment)
        if "name" in fields:
            assessment.name = str(fields["name"]).strip()[:200]
        if "description" in fields:
            assessment.description = str(fields["description"] or "")
        if "reviewer" in fields:
            assessment.reviewer = _reviewer(fields["reviewer"])
        assessment.save()
        if units is not None:
            assessment.scope_units.set(units)
        if services is not None:
            assessment.scope_services.set(services)
        changes = audit.diff(before, _snapshot(assessment))
        if changes:
            record(actor, audit.Action.UPDATE, assessment, changes)
    return assessment


def assessment_result_set(*, actor, ref: str, requirement: str, status: str = "", reason: str = "") -> AssessmentResult:
    """Override a requirement's derived status (with a reason), or clear the override (status "")."""
    assessment = assessment_get(actor, ref=ref)
    require(actor, "compliance.assess")
    _editable(assessment)
    status = (status or "").strip()
    reason = (reason or "").strip()
    if status and status not in RequirementStatus.values:
        raise ValidationFailed(
            "Invalid status.",
            [Problem(f"{status!r} is not one of {', '.join(RequirementStatus.values)}", column="status")],
        )
    if status == RequirementStatus.NOT_APPLICABLE and not reason:
        raise ValidationFailed("Not applicable needs a justification.", [Problem("justify why", column="reason")])
    if status and not reason:
        raise ValidationFailed(
            "An override needs a reason.", [Problem("say why the derived status is wrong", column="reason")]
        )
    result = (
        AssessmentResult.objects.filter(assessment=assessment, requirement__identifier=(requirement or "").strip())
        .select_related("requirement")
        .first()
    )
    if result is None:
        raise NotFound(f"No requirement {requirement!r} in {assessment.ref}.")
    before = {"override": result.override, "reason": result.reason}
    with transaction.atomic():
        result.override = status
        result.reason = reason if status else ""
        result.updated_by = actor
        result.save()
        changes = audit.diff(before, {"override": result.override, "reason": result.reason})
        if changes:
            changes["requirement"] = [None, result.requirement.identifier]
            record(actor, audit.Action.UPDATE, assessment, changes)
    return result


def assessment_signoff(*, actor, ref: str, note: str = "") -> Assessment:
    """The reviewer signs off: every requirement's effective status is frozen as it stands."""
    assessment = assessment_get(actor, ref=ref)
    require(actor, "compliance.signoff")
    _editable(assessment)
    if assessment.reviewer_id and assessment.reviewer_id != actor.pk and actor.role != Role.ADMIN:
        raise PermissionDenied(f"Only the reviewer ({assessment.reviewer}) may sign {assessment.ref} off.")
    view = assessment_view(assessment)
    unassessed = [r.identifier for r in view.rows if not r.effective]
    with transaction.atomic():
        results = []
        for row in view.rows:
            results.append(AssessmentResult(id=row.result_id, final=row.effective or RequirementStatus.NOT_IMPLEMENTED))
        AssessmentResult.objects.bulk_update(results, ["final"], batch_size=500)
        assessment.state = Assessment.State.SIGNED_OFF
        assessment.signed_off_by = actor
        assessment.signed_off_at = timezone.now()
        assessment.signoff_note = note or ""
        assessment.save()
        record(
            actor,
            audit.Action.UPDATE,
            assessment,
            {
                "state": [Assessment.State.IN_PROGRESS, Assessment.State.SIGNED_OFF],
                "signoff_note": [None, note or ""],
                "unassessed_as_not_implemented": [None, len(unassessed)],
            },
        )
    return assessment


def _diff(old: Framework, new: Framework) -> dict[str, list[str]]:
    """What changed between two versions, by requirement identifier (frameworks' framework_diff)."""
    d = framework_diff(old=old, new=new)
    return {k: list(getattr(d, k)) for k in ("added", "removed", "changed", "unchanged")}


def assessment_migrate(*, actor, ref: str, framework: str, carry_mappings: bool = True) -> Assessment:
    """A new assessment of another version of the framework. Overrides, reasons and evidence are
    carried over by requirement identifier; controls mapped to an old requirement are mapped to
    the new one with the same identifier too (so derived statuses follow). The report lists what
    was added, removed and changed."""
    old = assessment_get(actor, ref=ref)
    require(actor, "compliance.assess")
    new_framework = framework_get(actor, slug=framework)
    if new_framework.pk == old.framework_id:
        raise ValidationFailed("Same framework.", [Problem("choose another version", column="framework")])
    report = _diff(old.framework, new_framework)
    with transaction.atomic():
        new = assessment_create(
            actor=actor,
            business_unit=old.business_unit,
            name=f"{old.name} ({new_framework.version})"[:200],
            framework=new_framework.slug,
            description=old.description,
            scope_units=list(old.scope_units.all()),
            scope_services=[s.ref for s in old.scope_services.all()],
            reviewer=old.reviewer,
        )
        new.migrated_from = old
        new_results = {r.requirement.identifier: r for r in new.results.select_related("requirement")}
        old_results = list(old.results.select_related("requirement").prefetch_related("evidence"))
        carried, updated, evidence = 0, [], []
        for result in old_results:
            target = new_results.get(result.requirement.identifier)
            if target is None:
                continue
            if result.override or result.final:
                target.override = result.override or result.final
                target.reason = result.reason or f"carried over from {old.ref}"
                updated.append(target)
                carried += 1
            for item in result.evidence.all():
                evidence.append(
                    Evidence(
                        number=0,
                        business_unit=item.business_unit,
                        title=item.title,
                        description=item.description,
                        kind=item.kind,
                        url=item.url,
                        file_name=item.file_name,
                        sha256=item.sha256,
                        size=item.size,
                        content_type=item.content_type,
                        expires_on=item.expires_on,
                        collected_by=item.collected_by,
                        control=item.control,
                        result=target,
                    )
                )
        AssessmentResult.objects.bulk_update(updated, ["override", "reason"], batch_size=500)
        if evidence:
            start = next_number(Evidence)
            for offset, item in enumerate(evidence):
                item.number = start + offset
            Evidence.objects.bulk_create(evidence)
        mapped = 0
        if carry_mappings:
            new_ids = dict(_assessable(new_framework).values_list("identifier", "id"))
            pairs = ControlRequirement.objects.filter(requirement__framework=old.framework).values_list(
                "control_id", "requirement__identifier"
            )
            links = [ControlRequirement(control_id=c, requirement_id=new_ids[i]) for c, i in pairs if i in new_ids]
            mapped = len(ControlRequirement.objects.bulk_create(links, ignore_conflicts=True))
        new.migration_report = {
            **report,
            "from": old.ref,
            "statuses_carried": carried,
            "evidence_carried": len(evidence),
            "mappings_added": mapped,
        }
        new.save()
        record(
            actor,
            audit.Action.UPDATE,
            new,
            {
                "migrated_from": [None, old.ref],
                "statuses_carried": [None, carried],
                "evidence_carried": [None, len(evidence)],
            },
        )
    return new
