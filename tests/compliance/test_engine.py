"""The pure status derivation across crosswalks and the coverage arithmetic (no database)."""

import pytest

from ramparts.compliance.engine.coverage import Item, coverage, tier_score
from ramparts.compliance.engine.status import Level, Relation, carry, combine, control_level, derive

I, P, N = Level.IMPLEMENTED, Level.PARTIAL, Level.NOT_IMPLEMENTED  # noqa: E741


@pytest.mark.parametrize(
    ("status", "effectiveness", "level"),
    [
        ("implemented", 0, I),
        ("implemented", 4, I),
        ("implemented", 3, I),
        ("implemented", 2, P),
        ("implemented", 1, P),
        ("in_progress", 0, P),
        ("planned", 4, N),
        ("not_implemented", 0, N),
    ],
)
def test_control_level(status, effectiveness, level):
    assert control_level(status, effectiveness) == level


def test_combine():
    assert combine([]) is None
    assert combine([I, I]) == I
    assert combine([I, N]) == P
    assert combine([P]) == P
    assert combine([N, N]) == N


@pytest.mark.parametrize(
    ("relationship", "level", "carried"),
    [
        ("equal", I, I),
        ("equal", P, P),
        ("equal", N, N),
        ("superset_of", I, I),
        ("superset_of", P, P),
        ("superset_of", N, N),
        ("subset_of", I, P),
        ("subset_of", P, P),
        ("subset_of", N, None),
        ("intersects_with", I, P),
        ("intersects_with", N, None),
        ("related", I, None),
    ],
)
def test_carry(relationship, level, carried):
    assert carry(relationship, level) == carried


def test_direct_status_of_mapped_requirements():
    d = derive({1: I, 2: N, 3: P}, [(1, 10), (2, 10), (1, 11), (3, 12), (2, 13), (99, 14)])
    assert d.status(10) == "partial"
    assert d.status(11) == "implemented"
    assert d.status(12) == "partial"
    assert d.status(13) == "not_implemented"
    assert d.status(14) is None  # control 99 unknown: no status
    assert d.statuses[11].direct


def test_crosswalk_both_directions():
    # CSF 10 ⊃ 800-53 20 (stored "20 subset_of 10"); 10 equal ISO 30; 10 intersects 40.
    relations = [Relation(20, 10, "subset_of"), Relation(10, 30, "equal"), Relation(40, 10, "intersects_with")]
    d = derive({1: I}, [(1, 10)], relations)
    assert d.status(10) == "implemented"
    assert d.status(20) == "implemented"  # 10 superset_of 20: the contained requirement is met
    assert d.status(30) == "implemented"
    assert d.status(40) == "partial"
    assert d.statuses[20].via == 10 and d.statuses[20].relationship == "superset_of"


def test_implementing_a_subset_gives_only_partial():
    d = derive({1: I}, [(1, 20)], [Relation(20, 10, "subset_of")])
    assert d.status(10) == "partial"


def test_not_implemented_travels_only_on_equal_and_superset():
    relations = [Relation(10, 20, "equal"), Relation(10, 30, "subset_of"), Relation(10, 40, "superset_of")]
    d = derive({1: N}, [(1, 10)], relations)
    assert d.status(20) == "not_implemented"
    assert d.status(30) is None
    assert d.status(40) == "not_implemented"


def test_best_status_wins_and_cycles_end():
    relations = [
        Relation(10, 20, "equal"),
        Relation(20, 30, "equal"),
        Relation(30, 10, "equal"),
        Relation(40, 30, "intersects_with"),
    ]
    d = derive({1: N, 2: I}, [(1, 10), (2, 40)], relations)
    # 40 implemented → 30 partial → 20, 10 partial (better than 10's own not implemented)
    assert d.status(30) == "partial"
    assert d.status(10) == "partial"
    assert d.status(20) == "partial"
    assert not d.statuses[10].direct


def test_multi_hop_weakens():
    relations = [Relation(10, 20, "intersects_with"), Relation(20, 30, "equal"), Relation(30, 40, "superset_of")]
    d = derive({1: I}, [(1, 10)], relations)
    assert [d.status(r) for r in (20, 30, 40)] == ["partial", "partial", "partial"]


def test_coverage_per_group():
    items = [
        Item("implemented", [("GV", "Govern"), ("GV.OC", "Context")]),
        Item("partial", [("GV", "Govern"), ("GV.OC", "Context")]),
        Item("not_applicable", [("GV", "Govern"), ("GV.RM", "Risk")]),
        Item(None, [("ID", "Identify"), ("ID.AM", "Assets")]),
    ]
    cov = coverage(items)
    assert cov.overall.total == 4 and cov.overall.applicable == 3
    assert cov.overall.percent == 50.0
    by_key = {g.key: g for g in cov.groups}
    assert by_key["GV"].percent == 75.0
    assert by_key["GV/GV.OC"].percent == 75.0
    assert by_key["GV/GV.RM"].percent == 0.0 and by_key["GV/GV.RM"].applicable == 0
    assert by_key["ID"].unassessed == 1
    assert [g.key for g in cov.depth(0)] == ["GV", "ID"]


def test_tier_score():
    assert tier_score(0, 3) == 0
    assert tier_score(2, 4) == 0.5
    assert tier_score(4, 3) == 1
    assert tier_score(1, 0) == 1
