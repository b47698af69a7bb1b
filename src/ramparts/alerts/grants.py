"""The alerts module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "alerts.view",  # the alert queue, groups, sources (without secrets)
    "alerts.triage",  # dismiss, merge into an incident, promote to a new incident, suppress
    "alerts.sources",  # create and change sources, their mappings and secrets
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {"alerts.view", "alerts.triage"},
    "auditor": {"alerts.view"},
}
