"""OSCAL 1.1.2 JSON: assessment results of an assessment, and a system security plan for a system.

UUIDs are version 5, derived from the object's reference, so that exporting twice gives the same
document identity (OSCAL asks a document's uuid to change only when its content is re-issued;
`last-modified` tells the versions apart)."""

import uuid
from typing import Any

from django.utils import timezone

from ramparts.compliance.derivation import AssessmentView

OSCAL_VERSION = "1.1.2"
NAMESPACE = uuid.UUID("6f7a1c2e-52b4-4d8e-9a4e-9a1f3d0c7b11")
STATE = {"implemented": "satisfied"}
IMPLEMENTATION_STATE = {
    "implemented": "implemented",
    "partial": "partial",
    "not_implemented": "planned",
    "not_applicable": "not-applicable",
}


def uid(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat()


def _metadata(title: str, version: str) -> dict:
    return {
        "title": title,
        "last-modified": _now(),
        "version": version,
        "oscal-version": OSCAL_VERSION,
        "parties": [{"uuid": uid("party", "ramparts"), "type": "organization", "name": "Ramparts"}],
    }


def assessment_results(assessment, view: AssessmentView, keys: dict[int, str]) -> dict:
    """keys: requirement id -> the requirement's id in its source catalog (OSCAL control-id)."""
    plan_uuid = uid(assessment.ref, "plan")
    findings, observations = [], []
    for row in view.rows:
        status = row.effective
        if status is None:
            continue
        control_id = keys.get(row.requirement_id) or row.identifier.lower()
        observation_uuid = uid(assessment.ref, "observation", row.identifier)
        remarks = f"Status: {status.replace('_', ' ')}."
        if row.via:
            remarks += f" Derived through the crosswalk from {row.via}."
        if row.reason:
            remarks += f" Reason: {row.reason}"
        observation: dict[str, Any] = {
            "uuid": observation_uuid,
            "description": f"{row.identifier}: answered by {', '.join(r for r, _ in row.controls) or 'no control'}",
            "methods": ["EXAMINE"],
            "collected": _now(),
            "remarks": remarks,
        }
        if row.amber:
            observation["props"] = [
                {"name": "evidence-expired", "ns": "https://ramparts.dev/ns/oscal", "value": "true"}
            ]
        observations.append(observation)
        target: dict[str, Any] = {
            "type": "objective-id",
            "target-id": control_id,
            "status": {"state": STATE.get(status, "not-satisfied")},
        }
        if status == "not_applicable":
            target["status"]["reason"] = "other"
            target["implementation-status"] = {"state": "not-applicable"}
        elif status == "partial":
            target["status"]["reason"] = "other"
            target["implementation-status"] = {"state": "partial"}
        findings.append(
            {
                "uuid": uid(assessment.ref, "finding", row.identifier),
                "title": f"{row.identifier} {row.title}".strip()[:500],
                "description": remarks,
                "target": target,
                "related-observations": [{"observation-uuid": observation_uuid}],
            }
        )
    result: dict[str, Any] = {
        "uuid": uid(assessment.ref, "result"),
        "title": assessment.name,
        "description": f"{assessment.ref} of {assessment.framework}: coverage {view.coverage.overall.percent}%.",
        "start": assessment.created_at.replace(microsecond=0).isoformat(),
        "reviewed-controls": {
            "control-selections": [
                {
                    "include-controls": [
                        {"control-id": keys.get(r.requirement_id) or r.identifier.lower()} for r in view.rows
                    ]
                }
                if view.rows
                else {"include-all": {}}
            ]
        },
        "observations": observations,
        "findings": findings,
    }
    if assessment.signed_off_at:
        result["end"] = assessment.signed_off_at.replace(microsecond=0).isoformat()
    if not observations:
        del result["observations"]
        del result["findings"]
    return {
        "assessment-results": {
            "uuid": uid(assessment.ref, "assessment-results"),
            "metadata": _metadata(f"{assessment.ref} {assessment.name}", assessment.state),
            "import-ap": {"href": f"#{plan_uuid}"},
            "results": [result],
            "back-matter": {
                "resources": [
                    {
                        "uuid": plan_uuid,
                        "title": f"Assessment plan of {assessment.ref} ({assessment.framework})",
                        "description": "Ramparts assessment: scope and framework as recorded in Ramparts.",
                    }
                ]
            },
        }
    }


LEVEL_NAMES = {1: "fips-199-low", 2: "fips-199-moderate", 3: "fips-199-high"}


def system_security_plan(system, framework, implemented: list[dict]) -> dict:
    """implemented: [{"control_id", "status", "controls": [(ref, name, description)]}] for the framework."""
    if not implemented:
        raise ValueError("OSCAL requires at least one implemented requirement")
    component_uuid = uid(system.ref, "component")
    level = max(system.confidentiality, system.integrity, system.availability)
    requirements = []
    for item in implemented:
        statement = "; ".join(f"{ref} {name}" for ref, name, _ in item["controls"])
        requirements.append(
            {
                "uuid": uid(system.ref, framework.slug, item["control_id"]),
                "control-id": item["control_id"],
                "by-components": [
                    {
                        "component-uuid": component_uuid,
                        "uuid": uid(system.ref, framework.slug, item["control_id"], "component"),
                        "description": f"Implemented by {statement}." if statement else "No control recorded.",
                        "implementation-status": {"state": IMPLEMENTATION_STATE.get(item["status"], "planned")},
                    }
                ],
            }
        )
    plan: dict[str, Any] = {
        "uuid": uid(system.ref, framework.slug, "ssp"),
        "metadata": _metadata(f"System security plan: {system.name}", "1"),
        "import-profile": {"href": f"#{uid('framework', framework.slug)}"},
        "system-characteristics": {
            "system-ids": [{"identifier-type": "https://ietf.org/rfc/rfc4122", "id": uid(system.ref)}],
            "system-name": system.name,
            "description": system.description or f"{system.get_kind_display()} {system.ref}",
            "security-sensitivity-level": LEVEL_NAMES[level],
            "system-information": {
                "information-types": [
                    {
                        "uuid": uid(system.ref, "information"),
                        "title": f"Information processed by {system.name}",
                        "description": "As classified in the Ramparts inventory.",
                        "confidentiality-impact": {"base": LEVEL_NAMES[system.confidentiality]},
                        "integrity-impact": {"base": LEVEL_NAMES[system.integrity]},
                        "availability-impact": {"base": LEVEL_NAMES[system.availability]},
                    }
                ]
            },
            "security-impact-level": {
                "security-objective-confidentiality": LEVEL_NAMES[system.confidentiality],
                "security-objective-integrity": LEVEL_NAMES[system.integrity],
                "security-objective-availability": LEVEL_NAMES[system.availability],
            },
            "status": {
                "state": "disposition"
                if system.lifecycle == "retired"
                else "under-development"
                if system.lifecycle == "planned"
                else "operational"
            },
            "authorization-boundary": {"description": f"{system.name} ({system.ref}) as recorded in the inventory."},
        },
        "system-implementation": {
            "users": [
                {"uuid": uid(system.ref, "user", "owner"), "title": "System owner", "role-ids": ["system-owner"]}
            ],
            "components": [
                {
                    "uuid": component_uuid,
                    "type": "this-system",
                    "title": system.name,
                    "description": system.description or system.name,
                    "status": {"state": "operational"},
                }
            ],
        },
        "control-implementation": {
            "description": f"Controls of the Ramparts control library mapped to {framework}.",
            "implemented-requirements": requirements,
        },
        "back-matter": {
            "resources": [
                {"uuid": uid("framework", framework.slug), "title": str(framework), "description": framework.slug}
            ]
        },
    }
    return {"system-security-plan": plan}
