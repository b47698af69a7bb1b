from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.compliance import selectors, services
from ramparts.compliance.derivation import assessment_view
from ramparts.compliance.forms import AssessmentForm, EvidenceForm, MigrateForm, ResultForm
from ramparts.compliance.models import AssessmentResult, RequirementStatus
from ramparts.compliance.views._common import coverage_bars
from ramparts.core.errors import Conflict, NotFound, ValidationFailed
from ramparts.core.permissions import require, user_can
from ramparts.core.ui import domain_errors, page_window, paginate, query_without

ROWS_PER_PAGE = 50
STATUS_FILTERS = [*RequirementStatus.choices, ("none", "not assessed"), ("amber", "expired evidence"), ("gap", "gaps")]


@login_required
@require_GET
@domain_errors
def assessment_list(request):
    pagination = paginate(request, selectors.assessment_list(request.user))
    return render(
        request, "compliance/assessment_list.html", {"pagination": pagination, "rows": pagination.page.object_list}
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def assessment_create(request):
    require(request.user, "compliance.assess")
    frameworks = selectors.framework_list(request.user)
    form = AssessmentForm(request.POST or None, user=request.user, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(actor=request.user, **form.service_fields())
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"Assessment {assessment.ref} created.")
            return redirect("compliance:assessment_detail", ref=assessment.ref)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "compliance/form.html", {"form": form, "title": "New assessment"}, status=status)


def _keep(row, wanted: str, group: str, q: str) -> bool:
    if group and group not in {k for k, _ in row.groups}:
        return False
    if q and q.lower() not in f"{row.identifier} {row.title}".lower():
        return False
    if not wanted:
        return True
    if wanted == "amber":
        return row.amber
    if wanted == "none":
        return row.effective is None
    if wanted == "gap":
        return row.effective in (None, "not_implemented", "partial")
    return row.effective == wanted


@login_required
@require_GET
@domain_errors
def assessment_detail(request, ref: str):
    assessment = selectors.assessment_get(request.user, ref=ref)
    view = assessment_view(assessment)
    wanted, group, q = request.GET.get("status", ""), request.GET.get("group", ""), request.GET.get("q", "").strip()
    rows = [r for r in view.rows if _keep(r, wanted, group, q)]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/assessment_detail.html",
        {
            "obj": assessment,
            "coverage": view.coverage,
            "top_chart": coverage_bars(view.coverage, 0, summary="Coverage per function", url=request.path),
            "sub_chart": coverage_bars(view.coverage, 1, summary="Coverage per category", url=request.path),
            "page": page,
            "window": page_window(page.number, page.paginator.num_pages),
            "base_query": query_without(request, "page"),
            "statuses": STATUS_FILTERS,
            "groups": view.coverage.depth(0),
            "wanted": wanted,
            "group": group,
            "q": q,
            "n_amber": sum(1 for r in view.rows if r.amber),
            "editable": assessment.state != assessment.State.SIGNED_OFF,
            "can_signoff": user_can(request.user, "compliance.signoff")
            and (
                not assessment.reviewer_id or assessment.reviewer_id == request.user.pk or request.user.role == "admin"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def result_set(request, ref: str, identifier: str):
    """One requirement of an assessment: why it has its status, its evidence, and the forms to
    override the status (assessors) and to add evidence (assessors and auditors)."""
    assessment = selectors.assessment_get(request.user, ref=ref)
    form = ResultForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        try:
            services.assessment_result_set(
                actor=request.user,
                ref=assessment.ref,
                requirement=identifier,
                status=form.cleaned_data.get("status", ""),
                reason=form.cleaned_data.get("reason", ""),
            )
        except (ValidationFailed, Conflict) as exc:
            problems = getattr(exc, "problems", None)
            messages.error(
                request, f"{identifier} unchanged: " + ("; ".join(p.reason for p in problems) if problems else str(exc))
            )
        else:
            messages.success(request, f"{identifier} saved.")
        return redirect(request.path)
    row = next((r for r in assessment_view(assessment).rows if r.identifier == identifier), None)
    if row is None:
        raise NotFound(f"No requirement {identifier!r} in {assessment.ref}.")
    result = AssessmentResult.objects.select_related("requirement").get(pk=row.result_id)
    form = ResultForm(initial={"status": row.override, "reason": row.reason})
    return render(
        request,
        "compliance/result_detail.html",
        {
            "obj": assessment,
            "row": row,
            "requirement": result.requirement,
            "evidence": result.evidence.select_related("collected_by").order_by("-number"),
            "result_form": form,
            "evidence_form": EvidenceForm(initial={"assessment": assessment.ref, "requirement": identifier}),
            "editable": assessment.state != assessment.State.SIGNED_OFF,
        },
    )


def assessment_url(assessment) -> str:
    from django.urls import reverse

    return reverse("compliance:assessment_detail", args=[assessment.ref])


@login_required
@require_POST
@domain_errors
def assessment_signoff(request, ref: str):
    assessment = selectors.assessment_get(request.user, ref=ref)
    try:
        services.assessment_signoff(actor=request.user, ref=assessment.ref, note=request.POST.get("note", ""))
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{assessment.ref} signed off.")
    return redirect("compliance:assessment_detail", ref=assessment.ref)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def assessment_migrate(request, ref: str):
    assessment = selectors.assessment_get(request.user, ref=ref)
    require(request.user, "compliance.assess")
    frameworks = [f for f in selectors.framework_list(request.user) if f.pk != assessment.framework_id]
    form = MigrateForm(request.POST or None, frameworks=frameworks, initial={"carry_mappings": True})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.assessment_migrate(
                actor=request.user,
                ref=assessment.ref,
                framework=form.cleaned_data["framework"],
                carry_mappings=form.cleaned_data["carry_mappings"],
            )
        except ValidationFailed as exc:
            form.add_problems(exc)
        else:
            messages.success(request, f"{assessment.ref} migrated to {new.framework} as {new.ref}.")
            return redirect("compliance:assessment_detail", ref=new.ref)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "compliance/form.html",
        {"form": form, "title": f"Migrate {assessment.ref} to a new framework version", "obj": assessment},
        status=status,
    )
