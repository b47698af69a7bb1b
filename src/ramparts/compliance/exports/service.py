"""The exports as one read each: the user comes first, scoping and the export permission apply."""

import orjson
from django.utils import timezone

from ramparts.compliance import selectors
from ramparts.compliance.derivation import assessment_view, derivation_for
from ramparts.compliance.engine.status import STATUS_OF_LEVEL, combine, control_level
from ramparts.compliance.exports import oscal, soa, tabular
from ramparts.compliance.models import Control, ControlRequirement
from ramparts.core.errors import Problem, ValidationFailed
from ramparts.core.permissions import require
from ramparts.frameworks.models import Requirement
from ramparts.inventory.models import System

FORMATS = ("csv", "xlsx", "oscal", "pdf")


def assessment_export(user, *, ref: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an assessment in csv, xlsx, oscal (assessment results) or pdf (SoA)."""
    assessment = selectors.assessment_get(user, ref=ref)
    require(user, "compliance.export")
    if fmt not in FORMATS:
        raise ValidationFailed(
            "Unknown format.", [Problem(f"{fmt!r} is not one of {', '.join(FORMATS)}", column="format")]
        )
    view = assessment_view(assessment)
    stem = f"{assessment.ref}-{assessment.framework.slug}"
    if fmt == "csv":
        return tabular.to_csv(view), "text/csv; charset=utf-8", f"{stem}.csv"
    if fmt == "xlsx":
        content = tabular.to_xlsx(view, title=f"{assessment.ref} {assessment.name} ({assessment.framework})")
        return content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{stem}.xlsx"
    if fmt == "pdf":
        generated = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
        return (
            soa.statement_of_applicability(assessment, view, generated=generated),
            "application/pdf",
            f"{stem}-soa.pdf",
        )
    keys = dict(Requirement.objects.filter(framework=assessment.framework).values_list("id", "key"))
    document = oscal.assessment_results(assessment, view, keys)
    return orjson.dumps(document, option=orjson.OPT_INDENT_2), "application/json", f"{stem}-assessment-results.json"


def system_ssp(user, *, system_ref: str, framework: str) -> tuple[bytes, str, str]:
    """An OSCAL SSP of one inventory system: the controls in its scope (its own, its unit's and the
    organisation-wide ones), by the framework's requirements they answer."""
    from ramparts.core.permissions import scope_to_units
    from ramparts.inventory.selectors import parse_ref

    require(user, "compliance.export")
    system = scope_to_units(user, System.objects.all()).filter(number=parse_ref(system_ref, "SYS")).first()
    if system is None:
        from ramparts.core.errors import NotFound

        raise NotFound(f"System {system_ref} not found.")
    framework_obj = selectors.framework_get(user, slug=framework)
    from django.db.models import Q

    in_scope = (
        Q(systems=system)
        | Q(technologies=system)
        | Q(units_in_scope=system.business_unit_id)
        | Q(units_in_scope__isnull=True)
    )
    controls = Control.objects.filter(id__in=selectors.visible_to(user, Control).filter(in_scope).values("id"))
    info = {c.id: c for c in controls.only("id", "number", "name", "description", "status", "effectiveness")}
    by_requirement: dict[int, list[Control]] = {}
    for control_id, requirement_id in ControlRequirement.objects.filter(
        control_id__in=list(info), requirement__framework=framework_obj
    ).values_list("control_id", "requirement_id"):
        by_requirement.setdefault(requirement_id, []).append(info[control_id])
    derivation, _ = derivation_for(controls)
    implemented = []
    for rid, key, identifier in (
        Requirement.objects.filter(framework=framework_obj, assessable=True)
        .order_by("order")
        .values_list("id", "key", "identifier")
    ):
        mapped = by_requirement.get(rid, [])
        status = derivation.status(rid)
        if not mapped and status is None:
            continue
        if mapped:
            level = combine(control_level(c.status, c.effectiveness) for c in mapped)
            status = STATUS_OF_LEVEL[level] if level is not None else status
        implemented.append(
            {
                "control_id": key or identifier.lower(),
                "status": status,
                "controls": [(c.ref, c.name, c.description) for c in mapped],
            }
        )
    if not implemented:
        raise ValidationFailed(
            "Nothing to put in the SSP.",
            [Problem(f"no control in the scope of {system.ref} answers {framework_obj}", column="framework")],
        )
    document = oscal.system_security_plan(system, framework_obj, implemented)
    return (
        orjson.dumps(document, option=orjson.OPT_INDENT_2),
        "application/json",
        f"{system.ref}-{framework_obj.slug}-ssp.json",
    )
