"""The frameworks module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "frameworks.view",  # reference catalogs, requirement texts, mappings, diffs
    "frameworks.import",  # import framework and mapping files (UI, API, CLI)
)

# role value -> the actions of this module that the role holds; admin holds them all.
# Frameworks are published reference content, not any unit's data: every role but employee reads them.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {"frameworks.view"},
    "auditor": {"frameworks.view"},
    "executive": {"frameworks.view"},
}
