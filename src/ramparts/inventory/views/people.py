from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ramparts.core.ui import domain_errors
from ramparts.inventory import selectors
from ramparts.inventory.views.common import PEOPLE
from ramparts.inventory.views.crud import make_create, make_delete, make_edit

OWNED_LIMIT = 50


@login_required
@require_GET
@domain_errors
def detail(request, ref: str):
    user = request.user
    person = selectors.person_get(user, ref=ref)
    context = {
        "entity": PEOPLE,
        "obj": person,
        "reports": selectors.people_visible_to(user).filter(manager=person).order_by("full_name")[:OWNED_LIMIT],
        "systems": selectors.systems_visible_to(user).filter(owner=person).order_by("name")[:OWNED_LIMIT],
        "data_assets": selectors.data_assets_visible_to(user).filter(owner=person).order_by("name")[:OWNED_LIMIT],
        "services": selectors.services_visible_to(user).filter(owner=person).order_by("name")[:OWNED_LIMIT],
        "owned_limit": OWNED_LIMIT,
    }
    return render(request, "inventory/person_detail.html", context)


create = make_create(PEOPLE)
edit = make_edit(PEOPLE, selectors.person_get)
delete = make_delete(PEOPLE, selectors.person_get)
