"""Program views: heat map, portfolio (top risks, loss exceedance, trend), appetite, treatment,
acceptances, import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ramparts.core.errors import NotFound
from ramparts.core.permissions import require
from ramparts.core.selectors import business_unit_list
from ramparts.core.ui import domain_errors, paginate
from ramparts.risk import selectors, services
from ramparts.risk.charts import heat_map, lec_chart, top_risks_chart, trend_chart
from ramparts.risk.evaluation import Judge, current_matrix
from ramparts.risk.forms import AppetiteForm, CategoryForm, ImportForm
from ramparts.risk.models import RiskCategory
from ramparts.risk.portfolio import portfolio as build_portfolio
from ramparts.risk.views.common import render_form, run_service
from ramparts.risk.views.register import filters_from

TOP = 10
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@login_required
@require_GET
@domain_errors
def heat(request):
    matrix = current_matrix()
    filters = filters_from(request)
    maps = [
        heat_map(
            matrix,
            selectors.heat_counts(request.user, stage="inherent", filters=filters),
            stage="inherent",
            title="Inherent",
        ),
        heat_map(
            matrix,
            selectors.heat_counts(request.user, stage="residual", filters=filters),
            stage="residual",
            title="Residual",
        ),
    ]
    return render(request, "risk/heat_map.html", {"maps": maps, "matrix": matrix, "filters": filters})


@login_required
@require_GET
@domain_errors
def portfolio(request):
    rho = request.GET.get("rho", "")
    try:
        rho_value = float(rho) if rho else None
    except ValueError:
        rho_value = None
    result = build_portfolio(request.user, rho=rho_value if rho_value is not None and 0 <= rho_value < 1 else None)
    top = sorted(result.risks, key=lambda r: -(r.ale or 0))[:TOP]
    judge = Judge()
    tolerance = judge.portfolio.tolerance if judge.portfolio else []
    context = {
        "result": result,
        "top_chart": top_risks_chart(top),
        "lec": lec_chart(
            result.curve.amounts.tolist(), result.curve.probabilities.tolist(), tolerance, name="Portfolio"
        )
        if result.curve is not None
        else None,
        "trend": trend_chart(selectors.snapshots(request.user)),
        "statement": judge.portfolio,
        "rho": rho_value,
    }
    return render(request, "risk/portfolio.html", context)


@login_required
@require_GET
@domain_errors
def appetite(request):
    require(request.user, "risk.view")
    judge = Judge()
    risks = list(selectors.risk_list(request.user).exclude(status="closed"))
    breaches = [(r, v) for r in risks if (v := judge.verdict(r)).breach]
    context = {
        "matrix": judge.matrix,
        "grid_rows": [
            (
                band,
                [
                    (judge.matrix.level(row, col), judge.matrix.slug(judge.matrix.level(row, col)))
                    for col in range(1, len(judge.matrix.impact) + 1)
                ],
            )
            for row, band in reversed(list(enumerate(judge.matrix.likelihood, start=1)))
        ],
        "statements": selectors.statements(request.user),
        "categories": selectors.categories(request.user),
        "breaches": breaches,
        "appetite_form": AppetiteForm(matrix=judge.matrix),
        "category_form": CategoryForm(),
    }
    return render(request, "risk/appetite.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def appetite_set(request):
    require(request.user, "risk.appetite")
    matrix = current_matrix()
    form = AppetiteForm(request.POST or None, matrix=matrix)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        category = RiskCategory.objects.filter(pk=data["category"]).first() if data["category"] else None
        if data["category"] and category is None:
            raise NotFound("No such risk category.")
        done = run_service(
            request,
            form,
            lambda: services.appetite_set(
                actor=request.user,
                category=category,
                statement=data["statement"],
                max_level=int(data["max_level"]) if data["max_level"] else None,
                tolerance=data["tolerance"],
                approved_by=data["approved_by"] or None,
                approved_at=data["approved_at"],
            ),
            success="Appetite statement saved.",
        )
        if done is not None:
            return redirect("risk:appetite")
    return render_form(request, "risk/appetite_form.html", {}, form)


@login_required
@require_POST
@domain_errors
def category_create(request):
    require(request.user, "risk.appetite")
    form = CategoryForm(request.POST)
    if form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.category_create(actor=request.user, **form.cleaned_data),
            success="Category added.",
        )
        if done is not None:
            return redirect("risk:appetite")
    return render_form(request, "risk/appetite_form.html", {"category": True}, form)


@login_required
@require_GET
@domain_errors
def treatment(request):
    require(request.user, "risk.view")
    context = {
        "plans": paginate(request, selectors.plans(request.user)),
        "overdue": list(selectors.actions(request.user, overdue_only=True)[:200]),
    }
    return render(request, "risk/treatment.html", context)


@login_required
@require_GET
@domain_errors
def acceptances(request):
    from django.utils import timezone

    return render(
        request,
        "risk/acceptances.html",
        {"pagination": paginate(request, selectors.acceptances(request.user)), "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def risk_import(request):
    require(request.user, "risk.import")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", f"is {upload.size:,} bytes, over the limit of {MAX_IMPORT_BYTES:,}")
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", "is not UTF-8 text")
            else:
                unit = next(u for u in business_unit_list(request.user) if u.code == form.cleaned_data["business_unit"])
                category = RiskCategory.objects.get(pk=form.cleaned_data["category"])
                risks = run_service(
                    request,
                    form,
                    lambda: services.risks_import(
                        actor=request.user,
                        text=text,
                        kind=form.cleaned_data["kind"],
                        business_unit=unit,
                        category=category,
                    ),
                    success="Imported.",
                )
                if risks is not None:
                    messages.info(request, f"{len(risks)} risk(s) created: {', '.join(r.ref for r in risks)}.")
                    return redirect("risk:list")
    return render_form(request, "risk/import.html", {}, form)
