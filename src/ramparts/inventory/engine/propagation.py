"""Criticality and CIA propagation along business-service dependencies.

A system is as critical as the most critical service that depends on it, directly, through
other services, or through a data asset that lives on it. Its confidentiality, integrity and
availability needs are the highest of those services' and of the data it holds. Each value keeps
the one origin that set it, so a person reads *why*: "critical: supports Payments (tier 1)".

The work is linear in services + edges + systems: service values are relaxed along
service -> service edges with a worklist (values only rise and are bounded, so it ends even if a
cycle slipped in), then every system takes the maximum over its incoming edges.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

CRITICALITY_LABELS = {1: "low", 2: "medium", 3: "high", 4: "critical"}
LEVEL_LABELS = {1: "low", 2: "moderate", 3: "high"}
DIMENSIONS = ("confidentiality", "integrity", "availability")
LOWEST = 1


@dataclass(frozen=True)
class ServiceIn:
    id: int
    name: str
    criticality: int
    confidentiality: int = LOWEST
    integrity: int = LOWEST
    availability: int = LOWEST


@dataclass(frozen=True)
class DataAssetIn:
    id: int
    name: str
    classification: str
    confidentiality: int = LOWEST
    integrity: int = LOWEST
    availability: int = LOWEST
    systems: tuple[int, ...] = ()


@dataclass(frozen=True)
class SystemIn:
    id: int
    own_criticality: int = LOWEST


@dataclass(frozen=True)
class Graph:
    services: list[ServiceIn]
    data_assets: list[DataAssetIn]
    systems: list[SystemIn]
    service_services: list[tuple[int, int]] = field(default_factory=list)  # (service, upstream service)
    service_systems: list[tuple[int, int]] = field(default_factory=list)  # (service, system)
    service_data: list[tuple[int, int]] = field(default_factory=list)  # (service, data asset)


@dataclass(frozen=True)
class Effective:
    criticality: int
    confidentiality: int
    integrity: int
    availability: int
    reasons: tuple[str, ...] = ()


# A service's value and the service it comes from: (level, origin service id)
_Val = tuple[int, int]


def _service_values(graph: Graph) -> dict[str, dict[int, _Val]]:
    """Each service's effective values: its own, raised by every service that depends on it."""
    dependents_of: dict[int, list[int]] = {}
    upstreams_of: dict[int, list[int]] = {}
    for service, upstream in graph.service_services:
        upstreams_of.setdefault(service, []).append(upstream)
        dependents_of.setdefault(upstream, []).append(service)
    values: dict[str, dict[int, _Val]] = {}
    for dim in ("criticality", *DIMENSIONS):
        current = {s.id: (getattr(s, dim), s.id) for s in graph.services}
        work = [s.id for s in graph.services if s.id in upstreams_of]
        while work:
            sid = work.pop()
            level, origin = current[sid]
            for up in upstreams_of.get(sid, ()):
                if up in current and current[up][0] < level:
                    current[up] = (level, origin)
                    work.append(up)
        values[dim] = current
    return values


def propagate(graph: Graph) -> dict[int, Effective]:
    """Effective criticality, C/I/A and reasons for every system in `graph.systems`."""
    names = {s.id: s.name for s in graph.services}
    service_values = _service_values(graph)
    data_by_id = {d.id: d for d in graph.data_assets}
    # best[dim][system] = (level, origin service, service the system directly serves, data asset
    # it serves it through or 0). A data asset's own needs are (level, -1, 0, data asset).
    best: dict[str, dict[int, _Held]] = {d: {} for d in ("criticality", *DIMENSIONS)}

    def offer(dim: str, system: int, held: _Held) -> None:
        if held[0] > LOWEST:
            current = best[dim].get(system)
            if current is None or held[0] > current[0] or (held[0] == current[0] and held[1:] < current[1:]):
                best[dim][system] = held

    system_edges: list[tuple[int, int, int]] = [(svc, sys_id, 0) for svc, sys_id in graph.service_systems]
    for svc, data_id in graph.service_data:
        asset = data_by_id.get(data_id)
        if asset is not None:
            system_edges.extend((svc, sys_id, data_id) for sys_id in asset.systems)
    for svc, sys_id, via_data in system_edges:
        for dim, per_service in service_values.items():
            value = per_service.get(svc)
            if value is not None:
                offer(dim, sys_id, (value[0], value[1], svc, via_data))
    for asset in graph.data_assets:
        for dim in DIMENSIONS:
            level = getattr(asset, dim)
            for sys_id in asset.systems:
                offer(dim, sys_id, (level, -1, 0, asset.id))

    result: dict[int, Effective] = {}
    for system in graph.systems:
        reasons: list[str] = []
        crit = system.own_criticality
        held = best["criticality"].get(system.id)
        if held is not None and held[0] > crit:
            crit = held[0]
            reasons.append(f"{CRITICALITY_LABELS[crit]}: {_supports(held, names, data_by_id, True)}")
        elif crit > LOWEST:
            reasons.append(f"{CRITICALITY_LABELS[crit]}: set on the system")
        levels = {}
        for dim in DIMENSIONS:
            held = best[dim].get(system.id)
            levels[dim] = held[0] if held else LOWEST
            if held is not None:
                if held[1] == -1:
                    asset = data_by_id[held[3]]
                    why = f"holds {asset.name} ({asset.classification})"
                else:
                    why = _supports(held, names, data_by_id, False)
                reasons.append(f"{dim} {LEVEL_LABELS[held[0]]}: {why}")
        result[system.id] = Effective(
            crit, levels["confidentiality"], levels["integrity"], levels["availability"], tuple(reasons)
        )
    return result


_Held = tuple[int, int, int, int]


def _supports(held: _Held, names: Mapping[int, str], data: Mapping[int, DataAssetIn], tier: bool) -> str:
    """ "supports Payments (tier 1) via Card processing through Customer records"."""
    level, origin, direct, data_id = held
    text = f"supports {names[origin]}" + (f" (tier {5 - level})" if tier else "")
    if direct != origin:
        text += f" via {names[direct]}"
    if data_id:
        text += f" through {data[data_id].name}"
    return text
