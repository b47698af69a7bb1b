from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ramparts.core.ui import domain_errors
from ramparts.inventory import selectors
from ramparts.inventory.views.common import DATA_ASSETS
from ramparts.inventory.views.crud import make_create, make_delete, make_edit


@login_required
@require_GET
@domain_errors
def detail(request, ref: str):
    user = request.user
    asset = selectors.data_asset_get(user, ref=ref)
    services = selectors.services_visible_to(user).filter(dependencies__data_asset=asset).distinct().order_by("name")
    context = {"entity": DATA_ASSETS, "obj": asset, "systems": asset.systems.all(), "services": services}
    return render(request, "inventory/dataasset_detail.html", context)


create = make_create(DATA_ASSETS)
edit = make_edit(DATA_ASSETS, selectors.data_asset_get)
delete = make_delete(DATA_ASSETS, selectors.data_asset_get)
