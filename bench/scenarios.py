"""The benchmark's scenarios. Imported only after django.setup()."""

import csv
import io
import random
import sys
import time
import types
from collections import deque
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, include, path

import synth
from measure import Report, Row, median_ms, once_ms
from ramparts.core.models import BusinessUnit, User
from ramparts.core.users import user_create
from ramparts.inventory import services
from ramparts.inventory.engine.propagation import Graph, propagate
from ramparts.inventory.models import BusinessService, DataAsset, Person, System
from ramparts.inventory.services.propagation import load_graph, propagate_criticality

PAGE_TARGET_MS = 150.0
IMPORT_TARGET_MS = 5000.0
PROPAGATION_TARGET_MS = 1000.0
PAGE_SIZE = 50


@dataclass
class Env:
    scale: synth.Scale
    rng: random.Random
    admin: User
    analyst: User
    vendor: str
    systems_csv: bytes = b""
    api: dict[str, str] = field(default_factory=dict)


def _info(text: str) -> None:
    print(f"  · {text}", flush=True)


def _check(report, what: str) -> None:
    if report.errors:
        sys.exit(f"{what} failed: {report.errors[:5]}")


def prepare(scale: synth.Scale, rng: random.Random) -> Env:
    print(f"Preparing a fresh {connection.vendor} database ({connection.settings_dict['NAME']}) …", flush=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `ramparts serve` does
    BusinessUnit.objects.bulk_create([BusinessUnit(code=code, name=name) for code, name in synth.UNITS])
    admin = user_create(actor=None, username="bench-admin", password="Bench-Only-Pass-2026", role="admin")
    units = list(BusinessUnit.objects.filter(code__in=["retail", "techops"]))
    analyst = user_create(
        actor=None, username="bench-analyst", password="Bench-Only-Pass-2026", role="analyst", business_units=units
    )
    rows = synth.people_rows(rng, scale.people)
    ms, report = once_ms(lambda: services.people_import(actor=admin, rows=rows), "people import")
    _check(report, "people import")
    _info(f"loaded {scale.people} people through people_import in {ms / 1000:.1f} s")
    return Env(scale, rng, admin, analyst, connection.vendor)


def bench_import(env: Env, report: Report) -> None:
    rows = synth.system_rows(env.rng, env.scale.systems, env.scale.people)
    env.systems_csv = data = synth.to_csv(rows)
    parse_ms = median_ms(lambda: list(csv.DictReader(io.StringIO(data.decode("utf-8")))), repeat=5, warmup=1)
    n = env.scale.systems

    def run():
        return services.inventory_import_file(actor=env.admin, entity="systems", data=data, filename="systems.csv")

    ms, result = once_ms(run, "fresh import")
    _check(result, "systems import")
    assert result.created == n, result.as_dict()
    report.add(Row(f"CSV import, {n} systems, fresh", ms, "csv.DictReader", parse_ms, IMPORT_TARGET_MS))
    ms, result = once_ms(run)
    _check(result, "systems re-import")
    assert result.unchanged == n, result.as_dict()
    report.add(Row(f"CSV import, {n} systems, re-import", ms, "csv.DictReader", parse_ms, IMPORT_TARGET_MS))


def load_rest(env: Env) -> None:
    s, rng, admin = env.scale, env.rng, env.admin
    steps = [
        ("data assets", services.data_assets_import, synth.data_asset_rows(rng, s.data_assets, s.systems, s.people)),
        ("services", services.services_import, synth.service_rows(rng, s.services, s.people)),
        (
            "dependencies",
            services.dependencies_import,
            synth.dependency_rows(rng, s.services, s.systems, s.data_assets),
        ),
    ]
    for label, importer, rows in steps:
        start = time.perf_counter()
        result = importer(actor=admin, rows=rows, dry_run=False)
        _check(result, f"{label} import")
        _info(f"loaded {len(rows)} {label} in {time.perf_counter() - start:.1f} s")


def _bfs(graph: Graph) -> int:
    """The baseline: one plain breadth-first walk over the same edges, from every service."""
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for svc, up in graph.service_services:
        adjacency.setdefault(("s", svc), []).append(("s", up))
    for svc, sys_id in graph.service_systems:
        adjacency.setdefault(("s", svc), []).append(("y", sys_id))
    for svc, data_id in graph.service_data:
        adjacency.setdefault(("s", svc), []).append(("d", data_id))
    for asset in graph.data_assets:
        adjacency[("d", asset.id)] = [("y", sys_id) for sys_id in asset.systems]
    seen: set[tuple[str, int]] = set()
    queue = deque(("s", s.id) for s in graph.services)
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        queue.extend(adjacency.get(node, ()))
    return len(seen)


def bench_propagation(env: Env, report: Report) -> None:
    graph, _ = load_graph()
    bfs_ms = median_ms(lambda: _bfs(graph), repeat=5, warmup=1)
    edges = len(graph.service_services) + len(graph.service_systems) + len(graph.service_data)
    label = f"{len(graph.services)} svc, {edges} edges"
    System.objects.update(criticality=1, confidentiality=1, integrity=1, availability=1, criticality_reasons=[])
    ms, result = once_ms(propagate_criticality, "propagation")
    report.add(
        Row(f"propagation, all systems rewritten ({label})", ms, "plain BFS", bfs_ms, PROPAGATION_TARGET_MS,
            note=f"{result.changed} systems changed")  # type: ignore[attr-defined]
    )  # fmt: skip
    ms = median_ms(propagate_criticality, repeat=5, warmup=1)
    report.add(Row("propagation, nothing to change", ms, "plain BFS", bfs_ms, PROPAGATION_TARGET_MS))
    ms = median_ms(lambda: propagate(graph), repeat=5, warmup=1)
    report.add(Row("propagation engine only (no database)", ms, "plain BFS", bfs_ms))


@login_required
def _trivial(request):
    return HttpResponse("ok")


def _install_trivial_view() -> None:
    import ramparts.urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("__bench__/trivial/", _trivial),
        path("", include(ramparts.urls.urlpatterns)),
    ]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def _variants(env: Env) -> list[tuple[str, str, type, int, dict, str]]:
    """(label, url, model of the page, offset of the page, headers, who)."""
    last = (env.scale.systems // PAGE_SIZE) // 2
    hx = {"HX-Request": "true", "HX-Target": "list-results"}
    A = "admin"
    ui = [
        ("systems page", "/inventory/systems/", System, 0, {}, "admin"),
        ("systems page ?q=oracle", "/inventory/systems/?q=oracle", System, 0, {}, "admin"),
        ("systems page ?kind&environment", "/inventory/systems/?kind=server&environment=production", System, 0, {}, A),
        ("systems page ?sort=-criticality", "/inventory/systems/?sort=-criticality", System, 0, {}, "admin"),
        (f"systems page ?page={last}", f"/inventory/systems/?page={last}", System, last * PAGE_SIZE, {}, "admin"),
        ("systems page, htmx partial", "/inventory/systems/?q=sys-0&sort=owner", System, 0, hx, "admin"),
        ("systems page, analyst (2 units)", "/inventory/systems/?sort=business_unit", System, 0, {}, "analyst"),
        ("people page", "/inventory/people/", Person, 0, {}, "admin"),
        ("people page ?q=patel&status", "/inventory/people/?q=patel&status=active", Person, 0, {}, "admin"),
        ("people page ?sort=department", "/inventory/people/?sort=department&page=20", Person, 1000, {}, A),
        ("data assets page", "/inventory/data-assets/", DataAsset, 0, {}, "admin"),
        ("data assets page ?classification",
         "/inventory/data-assets/?classification=restricted&sort=-record_count", DataAsset, 0, {}, A),
        ("services page", "/inventory/services/", BusinessService, 0, {}, "admin"),
        ("services page ?sort=-criticality", "/inventory/services/?sort=-criticality&q=svc", BusinessService, 0, {}, A),
    ]  # fmt: skip
    api = []
    for slug, model, extra in [
        ("systems", System, "?q=oracle&sort=-criticality"),
        ("people", Person, "?status=active&sort=department"),
        ("data-assets", DataAsset, "?classification=restricted"),
        ("services", BusinessService, "?sort=-criticality"),
    ]:
        api.append((f"API {slug}", f"/api/v1/inventory/{slug}", model, 0, {}, "admin"))
        api.append((f"API {slug} {extra}", f"/api/v1/inventory/{slug}{extra}", model, 0, {}, "admin"))
    return ui + api


def bench_lists(env: Env, report: Report, repeat: int) -> None:
    _install_trivial_view()
    clients = {"admin": Client(), "analyst": Client()}
    clients["admin"].force_login(env.admin)
    clients["analyst"].force_login(env.analyst)
    admin = clients["admin"]
    trivial_ms = median_ms(lambda: admin.get("/__bench__/trivial/"), repeat)
    orm: dict[tuple[type, int], float] = {}
    for label, url, model, offset, headers, who in _variants(env):
        client = clients[who]
        response = client.get(url, headers=headers)
        if response.status_code == 404 and url.startswith("/api/"):
            alt = url.replace("?", "/?", 1) if "?" in url else url + "/"
            response = client.get(alt, headers=headers)
            url = alt if response.status_code == 200 else url
        if response.status_code != 200:
            print(f"{label:<44} skipped: {url} answered {response.status_code}", flush=True)
            continue
        connection.queries_log.clear()  # a full log (maxlen 9000) would count 0
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers=headers)
        query_count = len(queries)
        ms = median_ms(lambda c=client, u=url, h=headers: c.get(u, headers=h), repeat)
        key = (model, offset)
        if key not in orm:
            orm[key] = median_ms(lambda m=model, o=offset: list(m.objects.all()[o : o + PAGE_SIZE]), repeat)
        report.add(
            Row(label, ms, "bare ORM page", orm[key], PAGE_TARGET_MS, query_count,
                note=f"x{ms / trivial_ms:.1f} a trivial view ({trivial_ms:.2f} ms)")
        )  # fmt: skip
