"""Roles and what each may do. This table is the single source of truth for UI, API and CLI.

An action is `<module>.<verb>`. Business-unit scoping is applied separately (see scoping.py):
a role says *what* a user may do, the user's units say *where*.
"""

from enum import StrEnum
from importlib import import_module


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

# The core's and the inventory's actions. Every other module declares its own in `<module>/grants.py`
# (ACTIONS, and GRANTS keyed by role value); they are collected below, so that modules stay apart.
_CORE_ACTIONS = (
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

_CORE_GRANTS: dict[Role, frozenset[str]] = {
    Role.SECURITY_MANAGER: frozenset(
        _READ_INVENTORY | _WRITE_INVENTORY | {"audit.view", "audit.export", "dashboard.view", "tokens.own"}
    ),
    Role.ANALYST: frozenset(_READ_INVENTORY | {"inventory.change", "inventory.import", "dashboard.view", "tokens.own"}),
    Role.AUDITOR: frozenset(_READ_INVENTORY | {"audit.view", "audit.export", "dashboard.view", "tokens.own"}),
    Role.EXECUTIVE: frozenset({"inventory.view", "dashboard.view"}),
    Role.EMPLOYEE: frozenset(),
}

MODULES_WITH_GRANTS = ("vulns", "risk", "frameworks", "compliance", "policies", "incidents", "alerts", "notifications")


def _collect() -> tuple[tuple[str, ...], dict[Role, frozenset[str]]]:
    actions = list(_CORE_ACTIONS)
    grants = {role: set(held) for role, held in _CORE_GRANTS.items()}
    for module in MODULES_WITH_GRANTS:
        declared = import_module(f"ramparts.{module}.grants")
        actions += declared.ACTIONS
        for role_value, held in declared.GRANTS.items():
            unknown = set(held) - set(declared.ACTIONS)
            if unknown:
                raise ValueError(f"ramparts.{module}.grants grants undeclared actions: {sorted(unknown)}")
            grants[Role(role_value)] |= held
    if len(set(actions)) != len(actions):
        raise ValueError("an action is declared twice")
    grants[Role.ADMIN] = set(actions)
    return tuple(actions), {role: frozenset(held) for role, held in grants.items()}


# Every action the product knows, and what each role may do.
ACTIONS, GRANTS = _collect()


def role_allows(role: str, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to ramparts.core.roles.ACTIONS")
    try:
        return action in GRANTS[Role(role)]
    except ValueError:
        return False
