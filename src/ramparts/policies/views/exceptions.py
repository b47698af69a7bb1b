"""Policy exceptions: list, request, change, decide, revoke, renew."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.selectors import business_unit_list
from ramparts.core.ui import PAGE_SIZES, domain_errors, paginate
from ramparts.policies import selectors, services
from ramparts.policies.filters import ExceptionFilters, PolicyFilters
from ramparts.policies.forms import ExceptionForm, NoteForm, RenewForm
from ramparts.policies.models import PolicyException
from ramparts.policies.views.common import act, status_of

STATUS_CHOICES = [(s.value, s.label) for s in PolicyException.Status]


@login_required
@require_GET
@domain_errors
def exception_list(request):
    require(request.user, "policies.view")
    filters = ExceptionFilters.from_params(request.GET)
    pagination = paginate(request, selectors.exception_list(request.user, filters=filters))
    context = {
        "filters": filters,
        "pagination": pagination,
        "rows": pagination.page.object_list,
        "units": list(business_unit_list(request.user)),
        "statuses": STATUS_CHOICES,
        "page_sizes": PAGE_SIZES,
        "filtered": any(v for k, v in vars(filters).items() if k != "sort" and v),
    }
    partial = request.htmx and not request.htmx.boosted and request.htmx.target == "list-results"
    return render(request, "policies/exceptions.html#results" if partial else "policies/exceptions.html", context)


def _published(user):
    return selectors.policy_list(user, filters=PolicyFilters(state="published", sort="ref"))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def exception_create(request):
    require(request.user, "policies.exceptions")
    initial = {"policy": request.GET.get("policy", "")}
    form = ExceptionForm(request.POST or None, user=request.user, policies=_published(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exc = services.exception_create(
                actor=request.user,
                policy=form.cleaned_data["policy"],
                business_unit=form.cleaned_data["business_unit"],
                **form.values(),
            )
        except ValidationFailed as error:
            form.add_problems(error)
        else:
            messages.success(request, f"Exception {exc.ref} requested: it needs an approval.")
            return redirect("policies:exception_detail", ref=exc.ref)
    return render(request, "policies/exception_form.html", {"form": form, "exc": None}, status=status_of(form))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def exception_edit(request, ref: str):
    exc = selectors.exception_get(request.user, ref=ref)
    require(request.user, "policies.exceptions")
    form = ExceptionForm(request.POST or None, user=request.user, policies=_published(request.user), exception=exc)
    if request.method == "POST" and form.is_valid():
        try:
            services.exception_update(actor=request.user, ref=exc.ref, **form.values())
        except ValidationFailed as error:
            form.add_problems(error)
        except Conflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{exc.ref} saved.")
            return redirect("policies:exception_detail", ref=exc.ref)
    return render(request, "policies/exception_form.html", {"form": form, "exc": exc}, status=status_of(form))


@login_required
@require_GET
@domain_errors
def exception_detail(request, ref: str):
    exc = selectors.exception_get(request.user, ref=ref)
    context = {
        "exc": exc,
        "status": exc.status_now,
        "systems": list(exc.systems.select_related("business_unit")),
        "note_form": NoteForm(),
        "renew_form": RenewForm(initial={"justification": exc.justification}),
        "own_request": exc.requested_by_id == request.user.pk,
    }
    return render(request, "policies/exception_detail.html", context)


def _back(exc_ref: str) -> str:
    return reverse("policies:exception_detail", args=[exc_ref])


def _note(request) -> str:
    form = NoteForm(request.POST)
    return form.cleaned_data["note"] if form.is_valid() else ""


@login_required
@require_POST
@domain_errors
def exception_approve(request, ref: str):
    require(request.user, "policies.approve_exception")
    exc = selectors.exception_get(request.user, ref=ref)
    note = _note(request)
    return act(
        request,
        lambda: services.exception_approve(actor=request.user, ref=exc.ref, note=note),
        success=f"{exc.ref} approved until {exc.expires_on:%d %b %Y}.",
        back=_back(exc.ref),
    )


@login_required
@require_POST
@domain_errors
def exception_reject(request, ref: str):
    require(request.user, "policies.approve_exception")
    exc = selectors.exception_get(request.user, ref=ref)
    note = _note(request)
    return act(
        request,
        lambda: services.exception_reject(actor=request.user, ref=exc.ref, note=note),
        success=f"{exc.ref} rejected.",
        back=_back(exc.ref),
    )


@login_required
@require_POST
@domain_errors
def exception_revoke(request, ref: str):
    require(request.user, "policies.exceptions")
    exc = selectors.exception_get(request.user, ref=ref)
    note = _note(request)
    return act(
        request,
        lambda: services.exception_revoke(actor=request.user, ref=exc.ref, note=note),
        success=f"{exc.ref} revoked.",
        back=_back(exc.ref),
    )


@login_required
@require_POST
@domain_errors
def exception_renew(request, ref: str):
    require(request.user, "policies.exceptions")
    exc = selectors.exception_get(request.user, ref=ref)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a new expiry date and a justification to renew.")
        return redirect(_back(exc.ref))
    return act(
        request,
        lambda: services.exception_renew(actor=request.user, ref=exc.ref, **form.cleaned_data),
        success=f"{exc.ref} renewed: it needs a new approval.",
        back=_back(exc.ref),
    )
