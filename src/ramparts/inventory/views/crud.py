"""Create, edit and delete pages, the same for every entity: a form of cells -> one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

import ramparts.inventory.views.actions as actions
from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors
from ramparts.inventory.forms import InventoryForm
from ramparts.inventory.views.common import Entity


def make_create(entity: Entity, template: str = "inventory/form.html"):
    @login_required
    @require_http_methods(["GET", "POST"])
    @domain_errors
    def create(request):
        require(request.user, "inventory.change")
        columns = actions.columns(entity)
        form = InventoryForm(request.POST or None, entity=columns, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                obj = actions.create(entity, actor=request.user, cells=form.cells())
            except ValidationFailed as exc:
                form.add_problems(exc)
            except Conflict as exc:
                form.add_error(columns.key[0], str(exc))
            else:
                messages.success(request, f"{entity.label} {obj.ref} created.")
                return redirect(f"inventory:{entity.key}_detail", ref=obj.ref)
        return render(request, template, {"entity": entity, "form": form, "obj": None}, status=_status(form))

    return create


def make_edit(entity: Entity, getter, template: str = "inventory/form.html"):
    @login_required
    @require_http_methods(["GET", "POST"])
    @domain_errors
    def edit(request, ref: str):
        obj = getter(request.user, ref=ref)
        require(request.user, "inventory.change")
        columns = actions.columns(entity)
        form = InventoryForm(request.POST or None, entity=columns, user=request.user, instance=obj)
        if request.method == "POST" and form.is_valid():
            try:
                actions.update(entity, actor=request.user, ref=obj.ref, cells=form.cells())
            except ValidationFailed as exc:
                form.add_problems(exc)
            except Conflict as exc:
                form.add_error(columns.key[0], str(exc))
            else:
                messages.success(request, f"{entity.label} {obj.ref} saved.")
                return redirect(f"inventory:{entity.key}_detail", ref=obj.ref)
        return render(request, template, {"entity": entity, "form": form, "obj": obj}, status=_status(form))

    return edit


def make_delete(entity: Entity, getter):
    @login_required
    @require_POST
    @domain_errors
    def delete(request, ref: str):
        obj = getter(request.user, ref=ref)
        require(request.user, "inventory.delete")
        actions.delete(entity, actor=request.user, ref=obj.ref)
        messages.success(request, f"{entity.label} {obj.ref} ({obj}) deleted.")
        return redirect(f"inventory:{entity.key}_list")

    return delete


def _status(form) -> int:
    """A rejected submission answers 400, so that scripts and tests cannot mistake it for success."""
    return 400 if form.is_bound and form.errors else 200
