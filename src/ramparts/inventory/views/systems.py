from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ramparts.core.ui import domain_errors
from ramparts.inventory import selectors
from ramparts.inventory.views.common import SYSTEMS
from ramparts.inventory.views.crud import make_create, make_delete, make_edit


@login_required
@require_GET
@domain_errors
def detail(request, ref: str):
    system = selectors.system_detail(request.user, ref=ref)
    services = [dep.service for dep in system.supports.all()]
    return render(
        request,
        "inventory/system_detail.html",
        {"entity": SYSTEMS, "obj": system, "data_assets": system.data_assets.all(), "services": services},
    )


create = make_create(SYSTEMS)
edit = make_edit(SYSTEMS, selectors.system_get)
delete = make_delete(SYSTEMS, selectors.system_get)
