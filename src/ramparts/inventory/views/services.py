from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ramparts.core.ui import domain_errors
from ramparts.inventory import selectors
from ramparts.inventory.engine.graph_layout import NodeIn, layout
from ramparts.inventory.engine.propagation import CRITICALITY_LABELS
from ramparts.inventory.forms import DependencyAddForm
from ramparts.inventory.views.common import SERVICES
from ramparts.inventory.views.crud import make_create, make_delete, make_edit


def detail_context(request, service, add_form=None) -> dict:
    user = request.user
    deps = list(selectors.service_dependencies(user, service=service))
    return {
        "entity": SERVICES,
        "obj": service,
        "dependencies": deps,
        "dependents": selectors.service_dependents(user, service=service),
        "add_form": add_form or DependencyAddForm(),
    }


@login_required
@require_GET
@domain_errors
def detail(request, ref: str):
    service = selectors.service_get(request.user, ref=ref)
    return render(request, "inventory/service_detail.html", detail_context(request, service))


@login_required
@require_GET
@domain_errors
def graph(request, ref: str):
    service = selectors.service_get(request.user, ref=ref)
    data = selectors.service_graph(request.user, ref=service.ref)
    nodes = [NodeIn(n.id, n.label, n.kind, _detail(n), n.criticality) for n in data.nodes]
    placed = layout(data.root, nodes, [(e.source, e.target) for e in data.edges])
    return render(
        request,
        "inventory/service_graph.html",
        {"entity": SERVICES, "obj": service, "graph": placed, "hidden": data.hidden, "counts": _counts(data.nodes)},
    )


def _detail(node) -> str:
    if node.kind == "service" and node.criticality:
        return f"tier {5 - node.criticality}"
    if node.kind == "system" and node.criticality:
        return f"{node.detail} · {CRITICALITY_LABELS[node.criticality]}"
    return node.detail


def _counts(nodes) -> dict[str, int]:
    counts = {"service": 0, "system": 0, "data_asset": 0}
    for n in nodes:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    return counts


create = make_create(SERVICES)
edit = make_edit(SERVICES, selectors.service_get)
delete = make_delete(SERVICES, selectors.service_get)
