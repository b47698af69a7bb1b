"""Writes of the compliance module (one module per entity; this package re-exports them)."""

from ramparts.compliance.services.assessments import (
    assessment_create,
    assessment_migrate,
    assessment_result_set,
    assessment_signoff,
    assessment_update,
)
from ramparts.compliance.services.controls import control_create, control_delete, control_map, control_update
from ramparts.compliance.services.evidence import evidence_add, evidence_open
from ramparts.compliance.services.gaps import assessment_gaps_to_actions, profile_gaps_to_actions
from ramparts.compliance.services.profiles import profile_create, profile_outcomes_set, profile_update

__all__ = [
    "assessment_create",
    "assessment_gaps_to_actions",
    "assessment_migrate",
    "assessment_result_set",
    "assessment_signoff",
    "assessment_update",
    "control_create",
    "control_delete",
    "control_map",
    "control_update",
    "evidence_add",
    "evidence_open",
    "profile_create",
    "profile_gaps_to_actions",
    "profile_outcomes_set",
    "profile_update",
]
