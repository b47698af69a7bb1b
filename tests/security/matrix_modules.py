"""Collects each module's permission-matrix requests from `tests/security/matrix_<module>.py`.

Each such file defines:
    MATRIX: dict[action, {"ui": [...], "api": [...]}]   (requests built with matrix_base.ui/api)
    objects(*, owner, unit, user, world) -> dict[str, str]
        creates, in `unit` and as `owner`, the objects its requests name, and returns the
        placeholder values for their paths (e.g. {"finding": "F-12"} for "/vulns/findings/{finding}/").
        `user` is the acting user (None when anonymous); `world` has the inventory objects
        (world.system, world.person, world.data, world.service) to link to.
"""

from collections import defaultdict
from importlib import import_module

MODULES = (
    "vulns",
    "risk",
    "frameworks",
    "compliance",
    "policies",
    "incidents",
    "alerts",
    "notifications",
    "vulns_import",
)

# Two files may contribute requests to the same action: their lists are joined.
_owners: dict[str, list] = defaultdict(list)
MATRIX: dict[str, dict[str, list]] = {}
for _name in MODULES:
    _module = import_module(f"tests.security.matrix_{_name}")
    for _action, _channels in _module.MATRIX.items():
        merged = MATRIX.setdefault(_action, {})
        for _channel, _requests in _channels.items():
            merged[_channel] = [*merged.get(_channel, []), *_requests]
        _owners[_action].append(_module)


def objects_for(action: str, *, owner, unit, user, world) -> dict[str, str]:
    extras: dict[str, str] = {}
    for module in _owners.get(action, []):
        extras |= module.objects(owner=owner, unit=unit, user=user, world=world)
    return extras
