"""The vulnerability module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "vulns.view",  # findings, scans, per-system and per-CVE views
    "vulns.import",  # upload scans (UI, API, CLI)
    "vulns.triage",  # assign, comment, false positive, bulk actions
    "vulns.accept",  # risk-accept a finding (approver), revoke an acceptance
    "vulns.export",
    "feeds.update",  # KEV and EPSS
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {"vulns.view", "vulns.import", "vulns.triage", "vulns.export"},
    "auditor": {"vulns.view", "vulns.export"},
    "executive": {"vulns.view", "vulns.accept"},
}
