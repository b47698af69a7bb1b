"""The incidents module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "incidents.view",  # incident list and pages, timeline, tasks, clocks
    "incidents.declare",  # declare a new incident (also promoting an alert)
    "incidents.manage",  # run the response: phases, roles, tasks, timeline, IOCs, facts, notices, review, cost
    "incidents.close",  # close an incident (the last transition)
    "incidents.export",  # Markdown/PDF report, timeline CSV, STIX bundle
    "incidents.metrics",  # MTTx metrics and cost
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {"incidents.view", "incidents.declare", "incidents.manage", "incidents.export", "incidents.metrics"},
    "auditor": {"incidents.view", "incidents.export", "incidents.metrics"},
    "executive": {"incidents.view", "incidents.metrics"},
}
