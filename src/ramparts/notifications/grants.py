"""The notifications module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = (
    "notifications.own",  # one's own inbox and preferences (everybody)
    "notifications.webhooks",  # manage outgoing webhook endpoints, retry deliveries
    "notifications.deliveries",  # read the log of e-mails and webhook calls sent
)

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {
    "security_manager": set(ACTIONS),
    "analyst": {"notifications.own"},
    "auditor": {"notifications.own", "notifications.deliveries"},
    "executive": {"notifications.own"},
    "employee": {"notifications.own"},
}
