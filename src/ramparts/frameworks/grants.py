"""The frameworks module's actions and which roles hold them (collected by ramparts.core.roles)."""

ACTIONS: tuple[str, ...] = ()

# role value -> the actions of this module that the role holds; admin holds them all.
GRANTS: dict[str, set[str]] = {}
