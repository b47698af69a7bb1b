"""Cycle detection on service -> service dependencies."""

from collections.abc import Hashable, Iterable, Mapping


def find_cycle[K: Hashable](edges: Iterable[tuple[K, K]]) -> list[K] | None:
    """A cycle in the directed graph as [a, b, ..., a], or None. Iterative, so deep chains are fine."""
    graph: dict[K, list[K]] = {}
    for source, target in edges:
        graph.setdefault(source, []).append(target)
        graph.setdefault(target, [])
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    for start in graph:
        if colour[start] != WHITE:
            continue
        path: list[K] = [start]
        stack = [iter(graph[start])]
        colour[start] = GREY
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = BLACK
                stack.pop()
            elif colour[nxt] == GREY:
                return path[path.index(nxt) :] + [nxt]
            elif colour[nxt] == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    return None


def describe_cycle[K: Hashable](cycle: list[K], names: Mapping[K, str] | None = None) -> str:
    """ "Payments → Card processing → Payments"."""
    return " → ".join(str(names.get(k, k)) if names else str(k) for k in cycle)


def cycle_message[K: Hashable](cycle: list[K], names: Mapping[K, str] | None = None) -> str:
    return f"this dependency would create a cycle: {describe_cycle(cycle, names)}"


def starting_at[K: Hashable](cycle: list[K], start: K) -> list[K]:
    """The same cycle read from `start` (the service whose new dependency closes it)."""
    body = cycle[:-1]
    if start not in body:
        return cycle
    i = body.index(start)
    rotated = body[i:] + body[:i]
    return [*rotated, rotated[0]]
