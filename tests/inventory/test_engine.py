"""The pure engines, without a database."""

import random
import time

import pytest

from ramparts.inventory.engine import cpe
from ramparts.inventory.engine.cycles import cycle_message, find_cycle
from ramparts.inventory.engine.propagation import DataAssetIn, Graph, ServiceIn, SystemIn, propagate

PAYMENTS, CARDS, WEB = 1, 2, 3


def _graph(**extra) -> Graph:
    base = dict(
        services=[
            ServiceIn(PAYMENTS, "Payments", 4, availability=3),
            ServiceIn(CARDS, "Card processing", 2),
            ServiceIn(WEB, "Website", 1),
        ],
        data_assets=[DataAssetIn(7, "Customer records", "restricted", confidentiality=3, systems=(20,))],
        systems=[SystemIn(10), SystemIn(11), SystemIn(20), SystemIn(30, own_criticality=3), SystemIn(40)],
        service_services=[(PAYMENTS, CARDS)],
        service_systems=[(PAYMENTS, 10), (CARDS, 11), (WEB, 30)],
        service_data=[(CARDS, 7)],
    )
    base.update(extra)
    return Graph(**base)


def test_direct_support_makes_a_system_critical_with_its_reason():
    result = propagate(_graph())
    assert result[10].criticality == 4
    assert "critical: supports Payments (tier 1)" in result[10].reasons
    assert result[10].availability == 3
    assert "availability high: supports Payments" in result[10].reasons


def test_criticality_is_transitive_through_services_and_data():
    result = propagate(_graph())
    assert result[11].criticality == 4
    assert result[11].reasons[0] == "critical: supports Payments (tier 1) via Card processing"
    assert result[20].criticality == 4
    assert result[20].reasons[0] == "critical: supports Payments (tier 1) via Card processing through Customer records"
    assert result[20].confidentiality == 3
    assert "confidentiality high: holds Customer records (restricted)" in result[20].reasons


def test_own_criticality_wins_when_higher_and_unrelated_systems_stay_low():
    result = propagate(_graph())
    assert result[30].criticality == 3 and result[30].reasons == ("high: set on the system",)
    assert result[40].criticality == 1 and result[40].reasons == ()
    assert (result[40].confidentiality, result[40].integrity, result[40].availability) == (1, 1, 1)


def test_a_cycle_that_slipped_in_does_not_hang_propagation():
    result = propagate(_graph(service_services=[(PAYMENTS, CARDS), (CARDS, PAYMENTS)]))
    assert result[11].criticality == 4


def test_propagation_at_scale_is_fast():
    rng = random.Random(7)
    services = [ServiceIn(i, f"svc {i}", rng.randint(1, 4), availability=rng.randint(1, 3)) for i in range(500)]
    systems = [SystemIn(i, rng.randint(1, 2)) for i in range(10_000)]
    data = [
        DataAssetIn(i, f"data {i}", "confidential", rng.randint(1, 3), 1, 1, tuple(rng.sample(range(10_000), 3)))
        for i in range(2_000)
    ]
    service_services = [(i, rng.randrange(i + 1, 500)) for i in range(499) for _ in range(2)]
    service_systems = [(rng.randrange(500), i) for i in range(10_000)] + [
        (rng.randrange(500), rng.randrange(10_000)) for _ in range(10_000)
    ]
    service_data = [(rng.randrange(500), i) for i in range(2_000)]
    graph = Graph(services, data, systems, service_services, service_systems, service_data)
    start = time.perf_counter()
    result = propagate(graph)
    elapsed = time.perf_counter() - start
    assert len(result) == 10_000
    assert elapsed < 5  # generous here; bench/ measures it properly (well under 1 s)


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ([("Payments", "Card processing"), ("Card processing", "Payments")], "Payments → Card processing → Payments"),
        ([("a", "b"), ("b", "c"), ("c", "d"), ("d", "b")], "b → c → d → b"),
        ([("a", "a")], "a → a"),
    ],
)
def test_cycles_are_found_and_named(edges, expected):
    cycle = find_cycle(edges)
    assert cycle is not None
    assert cycle_message(cycle).endswith(expected)


def test_no_cycle_in_a_dag_even_a_deep_one():
    assert find_cycle([(i, i + 1) for i in range(50_000)]) is None
    assert find_cycle([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]) is None


def test_cycle_message_uses_names():
    assert cycle_message([1, 2, 1], {1: "Payments", 2: "Cards"}) == (
        "this dependency would create a cycle: Payments → Cards → Payments"
    )


@pytest.mark.parametrize(
    "name",
    [
        "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*",
        "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:x64:*",
        "cpe:2.3:h:cisco:asa_5505:-:*:*:*:*:*:*:*",
        "cpe:2.3:a:foo\\:bar:baz:1.0:*:*:en-us:*:*:*:*",
        "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
        "cpe:2.3:a:vendor:product\\!:1.*:*:*:*:*:*:*:*",
    ],
)
def test_valid_cpe_names(name):
    assert cpe.problems(name) == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("cpe:/a:apache:http_server:2.4", "starts with 'cpe:2.3:'"),
        ("cpe:2.3:a:apache:http_server:2.4.58", "13 colon-separated components, this one has 6"),
        ("cpe:2.3:x:apache:http_server:2.4.58:*:*:*:*:*:*:*", "part must be a"),
        ("cpe:2.3:a:apache:http server:2.4:*:*:*:*:*:*:*", "no spaces"),
        ("cpe:2.3:a:apache:http!server:2.4:*:*:*:*:*:*:*", "'!', which must be escaped"),
        ("cpe:2.3:a:apache::2.4:*:*:*:*:*:*:*", "product is empty"),
        ("cpe:2.3:a:apache:httpd:2.4:*:*:english:*:*:*:*", "language must be"),
        ("cpe:2.3:a:apache:ht*tpd:2.4:*:*:*:*:*:*:*", "wildcard"),
    ],
)
def test_invalid_cpe_names_say_why(name, reason):
    found = cpe.problems(name)
    assert found and reason in " ".join(found), found
