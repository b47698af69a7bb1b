"""Roles and what each may do. This table is the single source of truth for UI, API and CLI.

An action is `<module>.<verb>`. Business-unit scoping is applied separately (see scoping.py):
a role says *what* a user may do, the user's units say *where*.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SECURITY_MANAGER = "security_manager"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    EXECUTIVE = "executive"
    EMPLOYEE = "employee"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.SECURITY_MANAGER: "Security manager",
    Role.ANALYST: "Analyst",
    Role.AUDITOR: "Auditor",
    Role.EXECUTIVE: "Executive",
    Role.EMPLOYEE: "Employee",
}

ROLE_CHOICES = [(role.value, role.label) for role in Role]

# Every action the product knows. A new module adds its actions here and to the grants below.
ACTIONS = (
    "inventory.view",
    "inventory.change",
    "inventory.delete",
    "inventory.import",
    "inventory.export",
    "audit.view",
    "audit.export",
    "dashboard.view",
    "users.manage",
    "tokens.own",
)

_READ_INVENTORY = {"inventory.view", "inventory.export"}
_WRITE_INVENTORY = {"inventory.change", "inventory.delete", "inventory.import"}

GRANTS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(ACTIONS),
    Role.SECURITY_MANAGER: frozenset(
        _READ_INVENTORY | _WRITE_INVENTORY | {"audit.view", "audit.export", "dashboard.view", "tokens.own"}
    ),
    Role.ANALYST: frozenset(_READ_INVENTORY | {"inventory.change", "inventory.import", "dashboard.view", "tokens.own"}),
    Role.AUDITOR: frozenset(_READ_INVENTORY | {"audit.view", "audit.export", "dashboard.view", "tokens.own"}),
    Role.EXECUTIVE: frozenset({"inventory.view", "dashboard.view"}),
    Role.EMPLOYEE: frozenset(),
}


def role_allows(role: str, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to ramparts.core.roles.ACTIONS")
    try:
        return action in GRANTS[Role(role)]
    except ValueError:
        return False
