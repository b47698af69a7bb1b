"""The policy library: list, detail, forms, versions, approval, publication, diffs, reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require, unit_ids, user_can
from ramparts.core.selectors import business_unit_list
from ramparts.core.ui import PAGE_SIZES, domain_errors, paginate
from ramparts.policies import selectors, services
from ramparts.policies.engine.diff import diff_lines
from ramparts.policies.engine.markdown import render as render_markdown
from ramparts.policies.filters import PolicyFilters
from ramparts.policies.forms import DraftForm, NewPolicyForm, NoteForm, PolicyForm, VersionForm
from ramparts.policies.models import Policy
from ramparts.policies.views.common import act, status_of


@login_required
@require_GET
@domain_errors
def policy_list(request):
    require(request.user, "policies.view")
    filters = PolicyFilters.from_params(request.GET)
    pagination = paginate(request, selectors.policy_list(request.user, filters=filters))
    context = {
        "filters": filters,
        "pagination": pagination,
        "rows": pagination.page.object_list,
        "units": list(business_unit_list(request.user)),
        "kinds": Policy.Kind.choices,
        "states": [
            ("draft", "draft"),
            ("in_approval", "in approval"),
            ("published", "published"),
            ("retired", "retired"),
        ],
        "today": timezone.localdate(),
        "page_sizes": PAGE_SIZES,
        "filtered": any(v for k, v in vars(filters).items() if k != "sort" and v),
    }
    partial = request.htmx and not request.htmx.boosted and request.htmx.target == "list-results"
    return render(request, "policies/list.html#results" if partial else "policies/list.html", context)


def _may_change(user, policy: Policy) -> bool:
    units = unit_ids(user)
    return user_can(user, "policies.change") and (units is None or policy.business_unit_id in units)


@login_required
@require_GET
@domain_errors
def policy_detail(request, ref: str):
    user = request.user
    policy = selectors.policy_get(user, ref=ref)
    versions = selectors.versions_of(policy)
    shown = policy.current_version or (versions[0] if versions else None)
    context = {
        "policy": policy,
        "versions": versions,
        "shown": shown,
        "html": render_markdown(shown.text) if shown else "",
        "working": next((v for v in versions if v.status in ("draft", "in_approval", "approved")), None),
        "may_change": _may_change(user, policy),
        "audience_units": list(policy.audience_units.all()),
        "controls": list(policy.controls.all()),
        "requirements": list(policy.requirements.select_related("framework")),
        "exceptions": list(selectors.exceptions_visible_to(user).filter(policy=policy).order_by("-number")[:20]),
        "review_overdue": policy.review_overdue(),
    }
    return render(request, "policies/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def policy_create(request):
    require(request.user, "policies.change")
    form = NewPolicyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            policy = services.policy_create(
                actor=request.user,
                text=form.cleaned_data["text"],
                change_summary=form.cleaned_data["change_summary"],
                **values,
            )
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"{policy.ref} created with draft version 1.0.")
            return redirect("policies:detail", ref=policy.ref)
    return render(request, "policies/form.html", {"form": form, "policy": None}, status=status_of(form))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def policy_edit(request, ref: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    form = PolicyForm(request.POST or None, user=request.user, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, ref=policy.ref, **form.values())
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"{policy.ref} saved.")
            return redirect("policies:detail", ref=policy.ref)
    return render(request, "policies/form.html", {"form": form, "policy": policy}, status=status_of(form))


# --- versions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def version_create(request, ref: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    latest = policy.versions.first()
    form = VersionForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create(actor=request.user, ref=policy.ref, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_problems(exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Draft version {version.label} created.")
            return redirect("policies:version", ref=policy.ref, label=version.label)
    return render(
        request, "policies/version_form.html", {"form": form, "policy": policy, "version": None}, status=status_of(form)
    )


@login_required
@require_GET
@domain_errors
def version_detail(request, ref: str, label: str):
    user = request.user
    policy = selectors.policy_get(user, ref=ref)
    version = selectors.version_get(policy, label=label)
    previous = policy.versions.filter(
        **{"major__lt": version.major} if version.minor == 0 else {"major": version.major, "minor__lt": version.minor}
    ).first()
    context = {
        "policy": policy,
        "version": version,
        "previous": previous,
        "html": render_markdown(version.text),
        "may_change": _may_change(user, policy),
        "may_approve": user_can(user, "policies.approve")
        and user.pk not in (version.author_id, version.submitted_by_id),
        "note_form": NoteForm(),
    }
    return render(request, "policies/version.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def version_edit(request, ref: str, label: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    version = selectors.version_get(policy, label=label)
    initial = {"text": version.text, "change_summary": version.change_summary}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(actor=request.user, ref=policy.ref, label=version.label, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_problems(exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Draft {version.label} saved.")
            return redirect("policies:version", ref=policy.ref, label=version.label)
    context = {"form": form, "policy": policy, "version": version}
    return render(request, "policies/version_form.html", context, status=status_of(form))


def _version_url(policy: Policy, label: str) -> str:
    return reverse("policies:version", args=[policy.ref, label])


@login_required
@require_POST
@domain_errors
def version_submit(request, ref: str, label: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    return act(
        request,
        lambda: services.version_submit(actor=request.user, ref=policy.ref, label=label),
        success=f"Version {label} sent for approval.",
        back=_version_url(policy, label),
    )


@login_required
@require_POST
@domain_errors
def version_approve(request, ref: str, label: str):
    require(request.user, "policies.approve")
    policy = selectors.policy_get(request.user, ref=ref)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return act(
        request,
        lambda: services.version_approve(actor=request.user, ref=policy.ref, label=label, note=note),
        success=f"Version {label} approved: its owner can publish it now.",
        back=_version_url(policy, label),
    )


@login_required
@require_POST
@domain_errors
def version_reject(request, ref: str, label: str):
    require(request.user, "policies.approve")
    policy = selectors.policy_get(request.user, ref=ref)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return act(
        request,
        lambda: services.version_reject(actor=request.user, ref=policy.ref, label=label, note=note),
        success=f"Version {label} sent back to draft.",
        back=_version_url(policy, label),
    )


@login_required
@require_POST
@domain_errors
def version_publish(request, ref: str, label: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    return act(
        request,
        lambda: services.version_publish(actor=request.user, ref=policy.ref, label=label),
        success=f"Version {label} published.",
        back=reverse("policies:detail", args=[policy.ref]),
    )


@login_required
@require_GET
@domain_errors
def version_diff(request, ref: str):
    policy = selectors.policy_get(request.user, ref=ref)
    versions = selectors.versions_of(policy)
    labels = [v.label for v in versions]
    new_label = request.GET.get("to") or (labels[0] if labels else "")
    old_label = request.GET.get("from") or (labels[1] if len(labels) > 1 else new_label)
    new = selectors.version_get(policy, label=new_label)
    old = selectors.version_get(policy, label=old_label)
    context = {
        "policy": policy,
        "versions": versions,
        "old": old,
        "new": new,
        "diff": diff_lines(old.text, new.text, context=3 if request.GET.get("full") != "1" else None),
    }
    return render(request, "policies/diff.html", context)


# --- reviews, retirement, approvals --------------------------------------------------------------


@login_required
@require_POST
@domain_errors
def policy_review(request, ref: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    note = request.POST.get("note", "")
    return act(
        request,
        lambda: services.policy_review(actor=request.user, ref=policy.ref, note=note),
        success=f"{policy.ref} marked reviewed: the next review is due in {policy.review_interval_months} months.",
        back=reverse("policies:detail", args=[policy.ref]),
    )


@login_required
@require_POST
@domain_errors
def policy_retire(request, ref: str):
    policy = selectors.policy_for_change(request.user, ref=ref)
    require(request.user, "policies.change")
    note = request.POST.get("note", "")
    return act(
        request,
        lambda: services.policy_retire(actor=request.user, ref=policy.ref, note=note),
        success=f"{policy.ref} retired.",
        back=reverse("policies:detail", args=[policy.ref]),
    )


@login_required
@require_GET
@domain_errors
def approvals(request):
    user = request.user
    pagination = paginate(request, selectors.approvals_pending(user))
    rows = [(v, user.pk not in (v.author_id, v.submitted_by_id)) for v in pagination.page.object_list]
    return render(request, "policies/approvals.html", {"pagination": pagination, "rows": rows})
