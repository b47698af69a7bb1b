"""A layered (Sugiyama-style) layout of a dependency graph, drawn left to right.

Pure Python, no Django: nodes and edges in, positions and SVG path data out. The web view turns
the result into inline SVG, so the graph needs no JavaScript and no inline styles (CSP).

Steps: layers by longest path from the root (so every edge points rightwards), a few barycentre
sweeps to reduce crossings, then fixed-size boxes in columns, each column centred vertically.
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NODE_WIDTH = 172
NODE_HEIGHT = 44
COLUMN_GAP = 72
ROW_GAP = 14
MARGIN = 16
SWEEPS = 4


@dataclass(frozen=True)
class NodeIn:
    id: str
    label: str
    kind: str = ""
    detail: str = ""
    criticality: int | None = None


@dataclass(frozen=True)
class PlacedNode:
    id: str
    label: str
    kind: str
    detail: str
    criticality: int | None
    layer: int
    x: int
    y: int
    width: int = NODE_WIDTH
    height: int = NODE_HEIGHT

    @property
    def short_label(self) -> str:
        return shorten(self.label, 24)

    @property
    def sub_label(self) -> str:
        return shorten(f"{self.id} · {self.detail}" if self.detail else self.id, 32)

    @property
    def text_x(self) -> int:
        return self.x + 10

    @property
    def text_y(self) -> int:
        return self.y + 18

    @property
    def sub_y(self) -> int:
        return self.y + 34


@dataclass(frozen=True)
class PlacedEdge:
    source: str
    target: str
    path: str  # SVG path data


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    layers: int


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def assign_layers(root: str, node_ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering from the root. Nodes not reachable from the root go in layer 1.

    Relaxation is bounded by the node count, so a cycle (which the domain rejects anyway) cannot
    make it loop forever; edges of a cycle simply end up pointing left."""
    children: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        if source != target:
            children[source].append(target)
    layer = {root: 0}
    queue = deque([root])
    limit = len(node_ids)
    while queue:
        current = queue.popleft()
        for child in children[current]:
            proposed = layer[current] + 1
            if proposed > limit:
                continue
            if layer.get(child, -1) < proposed:
                layer[child] = proposed
                queue.append(child)
    for node_id in node_ids:
        layer.setdefault(node_id, 1)
    return layer


def _order_layers(layers: dict[int, list[str]], edges: list[tuple[str, str]]) -> dict[int, list[str]]:
    """Barycentre heuristic: sort each column by the mean position of its neighbours."""
    parents: dict[str, list[str]] = defaultdict(list)
    kids: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        parents[target].append(source)
        kids[source].append(target)
    order = {k: list(v) for k, v in layers.items()}
    keys = sorted(order)

    def position() -> dict[str, int]:
        return {node: i for column in order.values() for i, node in enumerate(column)}

    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        for k in keys[1:] if forward else list(reversed(keys[:-1])):
            pos = position()
            neighbours = parents if forward else kids

            def barycentre(node: str, pos=pos, neighbours=neighbours) -> float:
                linked = [pos[n] for n in neighbours[node] if n in pos]
                return sum(linked) / len(linked) if linked else float(pos[node])

            order[k].sort(key=barycentre)
    return order


def layout(root: str, nodes: Sequence[NodeIn], edges: Iterable[tuple[str, str]]) -> Layout:
    by_id = {n.id: n for n in nodes}
    edge_list = list(dict.fromkeys((s, t) for s, t in edges if s in by_id and t in by_id and s != t))
    layer_of = assign_layers(root, [n.id for n in nodes], edge_list)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        columns[layer_of[n.id]].append(n.id)
    # Start each column in a stable, readable order: most critical first, then by name.
    for column in columns.values():
        column.sort(key=lambda i: (-(by_id[i].criticality or 0), by_id[i].label.lower()))
    ordered = _order_layers(dict(columns), [(s, t) for s, t in edge_list if layer_of[s] < layer_of[t]])

    tallest = max((len(c) for c in ordered.values()), default=1)
    height = MARGIN * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP
    placed: dict[str, PlacedNode] = {}
    for index, k in enumerate(sorted(ordered)):
        column = ordered[k]
        column_height = len(column) * NODE_HEIGHT + (len(column) - 1) * ROW_GAP
        top = (height - column_height) // 2
        x = MARGIN + index * (NODE_WIDTH + COLUMN_GAP)
        for row, node_id in enumerate(column):
            n = by_id[node_id]
            y = top + row * (NODE_HEIGHT + ROW_GAP)
            placed[node_id] = PlacedNode(n.id, n.label, n.kind, n.detail, n.criticality, k, x, y)
    width = MARGIN * 2 + len(ordered) * NODE_WIDTH + max(len(ordered) - 1, 0) * COLUMN_GAP
    placed_edges = [PlacedEdge(s, t, _edge_path(placed[s], placed[t])) for s, t in edge_list]
    return Layout(width, height, [placed[n.id] for n in nodes], placed_edges, len(ordered))


def _edge_path(a: PlacedNode, b: PlacedNode) -> str:
    """A smooth curve from the right side of `a` to the left side of `b` (or round, when backwards)."""
    y1 = a.y + a.height // 2
    y2 = b.y + b.height // 2
    if b.x > a.x:
        x1, x2 = a.x + a.width, b.x
        mid = (x1 + x2) // 2
        return f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
    # Same or earlier column: leave from the bottom and arrive from below.
    x1, x2 = a.x + a.width // 2, b.x + b.width // 2
    y1b, y2b = a.y + a.height, b.y + b.height
    drop = max(y1b, y2b) + 30
    return f"M{x1},{y1b} C{x1},{drop} {x2},{drop} {x2},{y2b}"
