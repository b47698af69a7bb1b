"""The dependency graph layout engine: pure Python, no database."""

from ramparts.inventory.engine.graph_layout import (
    COLUMN_GAP,
    NODE_HEIGHT,
    NODE_WIDTH,
    NodeIn,
    assign_layers,
    layout,
    shorten,
)


def n(node_id: str, kind: str = "system", crit: int | None = None) -> NodeIn:
    return NodeIn(node_id, f"label {node_id}", kind, "", crit)


def test_layers_follow_the_longest_path():
    edges = [("S", "A"), ("S", "B"), ("A", "B"), ("B", "C")]
    assert assign_layers("S", ["S", "A", "B", "C"], edges) == {"S": 0, "A": 1, "B": 2, "C": 3}


def test_every_edge_points_right_in_a_dag():
    nodes = [n("S", "service"), n("T", "service"), n("D", "data_asset"), n("X"), n("Y")]
    edges = [("S", "T"), ("S", "X"), ("T", "D"), ("D", "Y"), ("S", "Y")]
    result = layout("S", nodes, edges)
    x = {p.id: p.x for p in result.nodes}
    assert all(x[s] < x[t] for s, t in edges)
    assert result.layers == 4
    assert result.width == 16 * 2 + 4 * NODE_WIDTH + 3 * COLUMN_GAP


def test_nodes_never_overlap():
    nodes = [n("S", "service")] + [n(f"X{i}") for i in range(25)]
    edges = [("S", f"X{i}") for i in range(25)]
    result = layout("S", nodes, edges)
    column = sorted(p.y for p in result.nodes if p.layer == 1)
    assert all(b - a >= NODE_HEIGHT for a, b in zip(column, column[1:], strict=False))
    assert max(p.y + p.height for p in result.nodes) <= result.height


def test_a_cycle_does_not_hang_and_everything_is_placed():
    nodes = [n("S", "service"), n("A", "service"), n("B", "service")]
    result = layout("S", nodes, [("S", "A"), ("A", "B"), ("B", "A")])
    assert {p.id for p in result.nodes} == {"S", "A", "B"}
    assert len(result.edges) == 3


def test_unreachable_nodes_and_unknown_edges():
    result = layout("S", [n("S", "service"), n("Z")], [("S", "missing"), ("S", "S")])
    assert {p.id for p in result.nodes} == {"S", "Z"} and result.edges == []


def test_crossings_are_reduced_by_barycentre_ordering():
    # S -> A -> (a1, a2), S -> B -> (b1, b2): children line up with their parents.
    nodes = [n("S", "service"), n("B", "service"), n("A", "service"), n("b2"), n("a1"), n("b1"), n("a2")]
    edges = [("S", "A"), ("S", "B"), ("A", "a1"), ("A", "a2"), ("B", "b1"), ("B", "b2")]
    result = layout("S", nodes, edges)
    y = {p.id: p.y for p in result.nodes}
    a_first = y["A"] < y["B"]
    assert all((y[c] < y[d]) == a_first for c in ("a1", "a2") for d in ("b1", "b2"))


def test_edge_paths_are_svg_curves():
    result = layout("S", [n("S", "service"), n("X")], [("S", "X")])
    (edge,) = result.edges
    assert edge.path.startswith("M") and " C" in edge.path


def test_long_labels_are_shortened():
    assert shorten("a" * 40, 10) == "a" * 9 + "…"
    placed = layout("S", [NodeIn("S", "A very long business service name indeed")], [])
    assert placed.nodes[0].short_label.endswith("…")
