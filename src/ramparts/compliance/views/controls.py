from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.compliance import selectors, services
from ramparts.compliance.engine.status import control_level
from ramparts.compliance.forms import ControlForm, EvidenceForm, MappingForm
from ramparts.compliance.models import Control
from ramparts.compliance.selectors import ControlFilters
from ramparts.core.errors import ValidationFailed
from ramparts.core.permissions import require, user_can
from ramparts.core.selectors import business_unit_list
from ramparts.core.ui import PAGE_SIZES, domain_errors, paginate

GAPS = [
    ("no_tool_no_owner", "no tool and no owner"),
    ("no_tool", "no security technology"),
    ("no_owner", "no owner"),
    ("unmapped", "mapped to no requirement"),
]


@login_required
@require_GET
@domain_errors
def control_list(request):
    filters = ControlFilters.from_params(request.GET)
    rows = selectors.control_list(request.user, filters=filters)
    pagination = paginate(request, rows)
    context = {
        "filters": filters,
        "pagination": pagination,
        "rows": pagination.page.object_list,
        "units": list(business_unit_list(request.user)),
        "frameworks": list(selectors.framework_list(request.user)),
        "page_sizes": PAGE_SIZES,
        "statuses": Control.Status.choices,
        "types": Control.Type.choices,
        "gaps": GAPS,
        "filtered": any(v for k, v in vars(filters).items() if k != "sort"),
    }
    partial = request.htmx and not request.htmx.boosted and request.htmx.target == "list-results"
    return render(
        request, "compliance/control_list.html#results" if partial else "compliance/control_list.html", context
    )


@login_required
@require_GET
@domain_errors
def control_detail(request, ref: str):
    control = selectors.control_detail(request.user, ref=ref)
    frameworks = list(selectors.framework_list(request.user))
    return render(
        request,
        "compliance/control_detail.html",
        {
            "obj": control,
            "level": control_level(control.status, control.effectiveness).name.lower(),
            "mapping_form": MappingForm(frameworks=frameworks),
            "evidence_form": EvidenceForm(initial={"control": control.ref}),
            "can_map": user_can(request.user, "compliance.change"),
            "techniques": selectors.control_techniques(request.user, control=control),
        },
    )


def _form_page(request, form, obj):
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "compliance/control_form.html", {"form": form, "obj": obj}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def control_create(request):
    require(request.user, "compliance.change")
    form = ControlForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            control = services.control_create(actor=request.user, **form.service_fields())
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"Control {control.ref} created.")
            return redirect("compliance:control_detail", ref=control.ref)
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def control_edit(request, ref: str):
    control = selectors.control_get(request.user, ref=ref)
    require(request.user, "compliance.change")
    form = ControlForm(request.POST or None, user=request.user, instance=control)
    if request.method == "POST" and form.is_valid():
        try:
            services.control_update(actor=request.user, ref=control.ref, **form.service_fields())
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"Control {control.ref} saved.")
            return redirect("compliance:control_detail", ref=control.ref)
    return _form_page(request, form, control)


@login_required
@require_POST
@domain_errors
def control_delete(request, ref: str):
    control = selectors.control_get(request.user, ref=ref)
    services.control_delete(actor=request.user, ref=control.ref)
    messages.success(request, f"Control {control.ref} ({control}) deleted.")
    return redirect("compliance:control_list")


@login_required
@require_POST
@domain_errors
def control_map(request, ref: str):
    control = selectors.control_get(request.user, ref=ref)
    require(request.user, "compliance.change")
    form = MappingForm(request.POST, frameworks=selectors.framework_list(request.user))
    if form.is_valid():
        refs = form.refs()
        try:
            if form.cleaned_data["remove"]:
                services.control_map(actor=request.user, ref=control.ref, remove=refs)
            else:
                services.control_map(actor=request.user, ref=control.ref, add=refs)
        except ValidationFailed as exc:
            messages.error(request, "Nothing was mapped: " + "; ".join(p.reason for p in exc.problems))
        else:
            messages.success(
                request, f"{len(refs)} requirement(s) {'un' if form.cleaned_data['remove'] else ''}mapped."
            )
    else:
        messages.error(request, "Choose a framework and give requirement identifiers.")
    return redirect("compliance:control_detail", ref=control.ref)
