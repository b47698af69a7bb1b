"""The compliance module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "compliance.view",  # controls, assessments, evidence, profiles, coverage and gap analysis
    "compliance.change",  # controls: create, edit, delete, map to requirements and technologies
    "compliance.assess",  # assessments and CSF profiles: create, set/override statuses, migrate
    "compliance.signoff",  # a reviewer signs an assessment off
    "compliance.evidence",  # collect evidence (files and links); auditors may do this and nothing else
    "compliance.export",  # OSCAL assessment results and SSP, CSV, XLSX, PDF statement of applicability
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {
        "compliance.view",
        "compliance.change",
        "compliance.assess",
        "compliance.evidence",
        "compliance.export",
    },
    "auditor": {"compliance.view", "compliance.evidence", "compliance.export"},
    "executive": {"compliance.view", "compliance.export"},
}
