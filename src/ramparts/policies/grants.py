"""The policies module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "policies.view",  # the policy library, versions, diffs, exceptions, review dates
    "policies.change",  # write policies and drafts, submit them, publish approved ones, review, retire
    "policies.approve",  # approve or send back a version in approval (never one's own: segregation of duties)
    "policies.acknowledge",  # read and acknowledge the policies addressed to oneself (everyone)
    "policies.report",  # acknowledgement rates per department, people still missing, CSV export
    "policies.exceptions",  # request, change, renew and revoke exceptions
    "policies.approve_exception",  # approve or reject an exception (never one's own request)
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    # The daily work: drafting and exceptions, but no approvals.
    "analyst": {"policies.view", "policies.change", "policies.acknowledge", "policies.report", "policies.exceptions"},
    # Reads everything, changes nothing but acknowledges like everyone.
    "auditor": {"policies.view", "policies.acknowledge", "policies.report"},
    # Management approves policies (ISO/IEC 27001 5.2) and accepts the risk of exceptions.
    "executive": {
        "policies.view",
        "policies.approve",
        "policies.acknowledge",
        "policies.report",
        "policies.approve_exception",
    },
    "employee": {"policies.acknowledge"},
}
