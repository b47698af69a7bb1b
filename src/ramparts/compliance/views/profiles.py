from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.compliance import selectors, services
from ramparts.compliance.derivation import profile_analysis, requirement_groups
from ramparts.compliance.forms import ProfileEditForm, ProfileForm
from ramparts.compliance.models import CsfProfile, ProfileOutcome
from ramparts.compliance.views._common import coverage_bars
from ramparts.core.errors import NotFound, ValidationFailed
from ramparts.core.permissions import require, user_can
from ramparts.core.ui import domain_errors, paginate
from ramparts.frameworks.services import BUILTIN_CSF_SLUG


@login_required
@require_GET
@domain_errors
def profile_list(request):
    pagination = paginate(request, selectors.profile_list(request.user))
    return render(
        request, "compliance/profile_list.html", {"pagination": pagination, "rows": pagination.page.object_list}
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def profile_create(request):
    require(request.user, "compliance.assess")
    currents = selectors.profile_list(request.user).filter(kind=CsfProfile.Kind.CURRENT)
    frameworks = selectors.framework_list(request.user)
    form = ProfileForm(
        request.POST or None,
        user=request.user,
        frameworks=frameworks,
        currents=currents,
        initial={"framework": BUILTIN_CSF_SLUG},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(actor=request.user, **form.service_fields())
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"Profile {profile.ref} created.")
            return redirect("compliance:profile_detail", ref=profile.ref)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "compliance/form.html", {"form": form, "title": "New CSF profile"}, status=status)


@login_required
@require_GET
@domain_errors
def profile_detail(request, ref: str):
    profile = selectors.profile_get(request.user, ref=ref)
    analysis = profile_analysis(profile)
    editing = request.GET.get("edit") == "1" and user_can(request.user, "compliance.assess")
    context = {"obj": profile, "analysis": analysis, "editing": editing, "priorities": ProfileOutcome.Priority.choices}
    if analysis.coverage is not None:
        context["top_chart"] = coverage_bars(analysis.coverage, 0, summary="Target reached per function")
        context["sub_chart"] = coverage_bars(analysis.coverage, 1, summary="Target reached per category")
    if editing:
        tiers = {o[0]: (o[2], o[3]) for o in analysis.outcomes}
        subcategories = set(profile.framework.requirements.filter(assessable=True).values_list("identifier", flat=True))
        context["all_outcomes"] = [
            (identifier, title, group[-1][1] if group else "", *tiers.get(identifier, (0, "")))
            for identifier, title, group in requirement_groups(profile.framework).values()
            if identifier in subcategories
        ]
    return render(request, "compliance/profile_detail.html", context)


@login_required
@require_POST
@domain_errors
def profile_outcomes(request, ref: str):
    profile = selectors.profile_get(request.user, ref=ref)
    tiers = {key[5:]: value for key, value in request.POST.items() if key.startswith("tier:")}
    priorities = {key[9:]: value for key, value in request.POST.items() if key.startswith("priority:")}
    try:
        changed = services.profile_outcomes_set(
            actor=request.user, ref=profile.ref, outcomes=tiers, priorities=priorities
        )
    except ValidationFailed as exc:
        messages.error(request, "Nothing saved: " + "; ".join(p.reason for p in exc.problems))
        return redirect(f"{request.path.rsplit('outcomes/', 1)[0]}?edit=1")
    messages.success(request, f"{changed} outcome(s) changed.")
    return redirect("compliance:profile_detail", ref=profile.ref)


def _gaps_to_actions(request, obj, convert, back: str):
    """Chosen gaps of a target profile or an assessment become actions of a risk's treatment plan."""
    risk = request.POST.get("risk", "").strip()
    try:
        actions = convert(
            actor=request.user,
            ref=obj.ref,
            risk=risk,
            identifiers=request.POST.getlist("identifiers"),
            due=request.POST.get("due") or None,
        )
    except ValidationFailed as exc:
        messages.error(request, "No action created: " + "; ".join(p.reason for p in exc.problems))
    except NotFound:
        messages.error(request, f"No action created: no risk {risk!r} in your business units.")
    else:
        messages.success(request, f"{len(actions)} treatment action(s) added to the plan of {risk}.")
    return redirect(back)


@login_required
@require_POST
@domain_errors
def profile_gaps_to_actions(request, ref: str):
    profile = selectors.profile_get(request.user, ref=ref)
    require(request.user, "compliance.assess")
    return _gaps_to_actions(request, profile, services.profile_gaps_to_actions, request.path.rsplit("gaps/", 1)[0])


@login_required
@require_POST
@domain_errors
def assessment_gaps_to_actions(request, ref: str):
    assessment = selectors.assessment_get(request.user, ref=ref)
    require(request.user, "compliance.assess")
    back = request.path.rsplit("gaps/", 1)[0] + "?status=gap"
    return _gaps_to_actions(request, assessment, services.assessment_gaps_to_actions, back)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def profile_edit(request, ref: str):
    profile = selectors.profile_get(request.user, ref=ref)
    require(request.user, "compliance.assess")
    currents = selectors.profile_list(request.user).filter(kind=CsfProfile.Kind.CURRENT)
    form = ProfileEditForm(request.POST or None, profile=profile, currents=currents)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if "current" in fields:
            fields["current"] = fields["current"] or None
        try:
            services.profile_update(actor=request.user, ref=profile.ref, **fields)
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"Profile {profile.ref} saved.")
            return redirect("compliance:profile_detail", ref=profile.ref)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "compliance/form.html", {"form": form, "title": f"Edit {profile.ref} {profile.name}"}, status=status
    )
