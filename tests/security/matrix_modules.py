"""Collects each module's permission-matrix requests from `tests/security/matrix_<module>.py`.

Each such file defines:
    MATRIX: dict[action, {"ui": [...], "api": [...]}]   (requests built with matrix_base.ui/api)
    objects(*, owner, unit, user, world) -> dict[str, str]
        creates, in `unit` and as `owner`, the objects its requests name, and returns the
        placeholder values for their paths (e.g. {"finding": "F-12"} for "/vulns/findings/{finding}/").
        `user` is the acting user (None when anonymous); `world` has the inventory objects
        (world.system, world.person, world.data, world.service) to link to.
"""

from importlib import import_module

MODULES = ("vulns", "risk", "compliance", "policies", "incidents", "alerts", "notifications")

_owners: dict[str, object] = {}
MATRIX: dict[str, dict[str, list]] = {}
for _name in MODULES:
    _module = import_module(f"tests.security.matrix_{_name}")
    for _action, _channels in _module.MATRIX.items():
        MATRIX[_action] = _channels
        _owners[_action] = _module


def objects_for(action: str, *, owner, unit, user, world) -> dict[str, str]:
    module = _owners.get(action)
    return module.objects(owner=owner, unit=unit, user=user, world=world) if module else {}
