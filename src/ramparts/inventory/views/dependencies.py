"""Adding and removing what a service depends on, from the service's page (htmx or plain POST)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

import ramparts.inventory.views.actions as actions
from ramparts.core.errors import ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors
from ramparts.inventory import selectors
from ramparts.inventory.forms import DependencyAddForm
from ramparts.inventory.views.services import detail_context

_PREFIX = {"system": "SYS", "data_asset": "DATA", "service": "SVC"}
_MODELS: dict[str, Any] = {
    "system": selectors.systems_visible_to,
    "data_asset": selectors.data_assets_visible_to,
    "service": selectors.services_visible_to,
}


def _target_ref(user, kind: str, text: str) -> str | None:
    """A ref typed as is (SYS-12), or the exact name of a visible object of that kind."""
    text = text.strip()
    head, _, number = text.upper().partition("-")
    if head == _PREFIX[kind] and number.isdigit():
        return text.upper()
    found = _MODELS[kind](user).filter(name__iexact=text).first()
    return found.ref if found else None


def _respond(request, service, form=None):
    if request.htmx:
        return render(request, "inventory/_dependencies.html", detail_context(request, service, form))
    return redirect("inventory:service_detail", ref=service.ref)


@login_required
@require_POST
@domain_errors
def add(request, ref: str):
    service = selectors.service_get(request.user, ref=ref)
    require(request.user, "inventory.change")
    form = DependencyAddForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["target_type"]
        target = _target_ref(request.user, kind, form.cleaned_data["target"])
        if target is None:
            form.add_error("target", f"No {kind.replace('_', ' ')} with that name or reference.")
        else:
            try:
                actions.dependency_add(actor=request.user, service=service.ref, target=target)
            except ValidationFailed as exc:
                form.add_error("target", exc.problems[0].reason if exc.problems else exc.message)
            else:
                if not request.htmx:
                    messages.success(request, f"{service.name} now depends on {target}.")
                return _respond(request, service)
    if not request.htmx:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return _respond(request, service, form)


@login_required
@require_POST
@domain_errors
def remove(request, ref: str):
    service = selectors.service_get(request.user, ref=ref)
    require(request.user, "inventory.change")
    target = request.POST.get("target", "")
    actions.dependency_remove(actor=request.user, service=service.ref, target=target)
    if not request.htmx:
        messages.success(request, f"Dependency on {target} removed.")
    return _respond(request, service)
