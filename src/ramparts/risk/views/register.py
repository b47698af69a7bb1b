"""The register: list, detail, create, edit, delete, quantify, what-if."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.core.charts import money
from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.permissions import require
from ramparts.core.ui import PAGE_SIZES, domain_errors, paginate
from ramparts.risk import selectors, services
from ramparts.risk.charts import lec_chart
from ramparts.risk.evaluation import Judge, active_acceptance, current_matrix
from ramparts.risk.forms import AcceptForm, ActionForm, PlanForm, QuantifyForm, RiskForm, WhatIfForm
from ramparts.risk.models import Risk, RiskCategory
from ramparts.risk.quant.model import QuantError
from ramparts.risk.quant.whatif import what_if
from ramparts.risk.services.quantify import scenario_of
from ramparts.risk.views.common import render_form, run_service


def level_badge(judge: Judge, level: int) -> dict[str, str]:
    return {"label": judge.matrix.level_label(level), "slug": judge.matrix.slug(level)}


def filters_from(request) -> selectors.RiskFilters:
    get = request.GET

    def level(name: str) -> int | None:
        value = get.get(name, "")
        return int(value) if value.isdigit() else None

    return selectors.RiskFilters(
        q=get.get("q", "")[:200],
        category=get.get("category", ""),
        status=get.get("status", ""),
        owner=get.get("owner", "")[:150],
        business_unit=get.get("business_unit", ""),
        accepted=get.get("accepted", ""),
        quantified=get.get("quantified", ""),
        stage=get.get("stage", ""),
        likelihood=level("likelihood"),
        impact=level("impact"),
        order=get.get("order", ""),
    )


@login_required
@require_GET
@domain_errors
def risk_list(request):
    filters = filters_from(request)
    services.acceptances_expire()  # lazily, as well as daily: reopens and notifies once (one query if none)
    pagination = paginate(request, selectors.risk_list(request.user, filters=filters))
    judge = Judge()
    rows = [(r, level_badge(judge, judge.residual_level(r)), judge.verdict(r)) for r in pagination.page.object_list]
    context = {
        "rows": rows,
        "matrix": judge.matrix,
        "pagination": pagination,
        "filters": filters,
        "filtered": any(v for k, v in vars(filters).items()),
        "categories": RiskCategory.objects.all(),
        "statuses": Risk.Status.choices,
        "page_sizes": PAGE_SIZES,
    }
    template = "risk/list.html#results" if request.headers.get("HX-Request") else "risk/list.html"
    return render(request, template, context)


@login_required
@require_GET
@domain_errors
def risk_detail(request, ref: str):
    risk = selectors.risk_get(request.user, ref=ref)
    judge = Judge()
    verdict = judge.verdict(risk)
    tolerance = verdict.statement.tolerance if verdict.statement else []
    matrix = judge.matrix
    stages = []
    for stage in selectors.STAGES:
        likelihood, impact = getattr(risk, f"{stage}_likelihood"), getattr(risk, f"{stage}_impact")
        level = matrix.level(likelihood, impact) if likelihood and impact else None
        stages.append(
            {
                "name": stage,
                "likelihood": matrix.likelihood[likelihood - 1].label if likelihood else None,
                "impact": matrix.impact[impact - 1].label if impact else None,
                "level": level,
                "label": matrix.level_label(level) if level else None,
                "slug": matrix.slug(level) if level else "",
            }
        )
    context = {
        "risk": risk,
        "verdict": verdict,
        "stages": stages,
        "acceptance": active_acceptance(risk),
        "kev_findings": list(selectors.kev_findings(risk).select_related("system")[:50]),
        "lec": lec_chart(risk.lec["amounts"], risk.lec["probabilities"], tolerance, name=risk.ref)
        if risk.lec
        else None,
        "quantify_form": QuantifyForm(),
        "whatif_form": WhatIfForm(),
        "plan_form": PlanForm(),
        "action_form": ActionForm(),
        "accept_form": AcceptForm(),
    }
    return render(request, "risk/detail.html", context)


def _form_page(request, form, risk=None):
    return render_form(request, "risk/form.html", {"risk": risk}, form)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def risk_create(request):
    require(request.user, "risk.change")
    form = RiskForm(request.POST or None, user=request.user, matrix=current_matrix())
    if request.method == "POST" and form.is_valid():
        risk = run_service(
            request, form, lambda: services.risk_create(actor=request.user, **form.values()), success="Risk created."
        )
        if risk is not None:
            return redirect("risk:detail", ref=risk.ref)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def risk_edit(request, ref: str):
    risk = selectors.risk_get(request.user, ref=ref)
    require(request.user, "risk.change")
    form = RiskForm(request.POST or None, user=request.user, matrix=current_matrix(), instance=risk)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.risk_update(actor=request.user, ref=risk.ref, **form.values()),
            success=f"{risk.ref} saved.",
        )
        if saved is not None:
            return redirect("risk:detail", ref=risk.ref)
    return _form_page(request, form, risk)


@login_required
@require_POST
@domain_errors
def risk_delete(request, ref: str):
    services.risk_delete(actor=request.user, ref=ref)
    messages.success(request, f"{ref} deleted.")
    return redirect("risk:list")


@login_required
@require_POST
@domain_errors
def risk_quantify(request, ref: str):
    risk = selectors.risk_get(request.user, ref=ref)
    require(request.user, "risk.change")
    form = QuantifyForm(request.POST)
    if form.is_valid():
        try:
            done = services.risk_quantify(
                actor=request.user, ref=risk.ref, years=form.cleaned_data["years"], seed=form.cleaned_data["seed"]
            )
        except ValidationFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{risk.ref} quantified: ALE {money(done.ale or 0)} (seed {done.quant_seed}).")
    else:
        messages.error(
            request,
            "Not simulated: " + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
        )
    return redirect("risk:detail", ref=risk.ref)


@login_required
@require_GET
@domain_errors
def risk_what_if(request, ref: str):
    """ΔALE, ΔP95 and ROSI of a control, on common random numbers (read-only: nothing stored)."""
    risk = selectors.risk_get(request.user, ref=ref)
    form = WhatIfForm(request.GET)
    context: dict = {"risk": risk, "form": form}
    if form.is_valid():
        try:
            base = scenario_of(risk)
            result = what_if(
                base,
                base.with_vulnerability_reduced(form.cleaned_data["effectiveness"]),
                years=100_000,
                seed=risk.quant_seed or 1,
                annual_cost=form.cleaned_data["annual_cost"],
            )
        except (ValidationFailed, QuantError) as error:
            form.add_error(None, str(error))
        else:
            context["result"] = result
    status = 200 if "result" in context else 400
    return render(request, "risk/_what_if.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def risk_accept(request, ref: str):
    risk = selectors.risk_get(request.user, ref=ref)
    require(request.user, "risk.accept")
    form = AcceptForm(request.POST or None)
    verdict = Judge().verdict(risk)
    if request.method == "POST" and form.is_valid():
        try:  # PermissionDenied (above appetite, not an executive) goes on to a 403
            services.acceptance_create(actor=request.user, ref=risk.ref, **form.cleaned_data)
        except ValidationFailed as error:
            form.add_problems(error)
        except Conflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{risk.ref} accepted until {form.cleaned_data['expires_at']:%Y-%m-%d}.")
            return redirect("risk:detail", ref=risk.ref)
    return render_form(request, "risk/accept.html", {"risk": risk, "verdict": verdict}, form)


@login_required
@require_POST
@domain_errors
def risk_revoke(request, ref: str):
    services.acceptance_revoke(actor=request.user, ref=ref, reason=request.POST.get("reason", "")[:2000])
    messages.success(request, f"The acceptance of {ref} was revoked.")
    return redirect("risk:detail", ref=ref)


@login_required
@require_POST
@domain_errors
def plan_create(request, ref: str):
    form = PlanForm(request.POST)
    require(request.user, "risk.change")
    if form.is_valid():
        try:
            services.plan_create(actor=request.user, ref=ref, **form.cleaned_data)
        except ValidationFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Treatment plan added.")
    return redirect("risk:detail", ref=ref)


@login_required
@require_POST
@domain_errors
def action_create(request, plan: int):
    form = ActionForm(request.POST)
    require(request.user, "risk.change")
    ref = request.POST.get("risk", "")
    if form.is_valid():
        try:
            action = services.action_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationFailed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Action added.")
            ref = action.plan.risk.ref
    else:
        messages.error(
            request,
            "Action not added: " + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
        )
    return redirect("risk:detail", ref=ref) if ref else redirect("risk:treatment")


@login_required
@require_POST
@domain_errors
def action_update(request, pk: int):
    status = request.POST.get("status", "")
    try:
        action = services.action_update(actor=request.user, pk=pk, status=status)
    except ValidationFailed as error:
        messages.error(request, str(error))
        return redirect("risk:treatment")
    messages.success(request, f"Action “{action.title}” is now {action.get_status_display()}.")
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/risk/") else "risk:treatment")
