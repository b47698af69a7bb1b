from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ramparts.compliance import selectors
from ramparts.compliance.derivation import framework_coverage, requirements_without_controls
from ramparts.compliance.selectors import ControlFilters
from ramparts.core import charts
from ramparts.core.permissions import require
from ramparts.core.ui import domain_errors


@login_required
@require_GET
@domain_errors
def overview(request):
    require(request.user, "compliance.view")
    coverages = framework_coverage(request.user)
    chart = charts.bar_chart(
        [
            charts.Bar(label=str(c.framework), value=c.tally.percent, url=f"gaps/?framework={c.framework.slug}")
            for c in coverages
        ],
        value_format=lambda v: f"{v:.0f}%",
        summary="Coverage of each framework by the controls, directly or through crosswalks",
        label_width=260,
    )
    context = {
        "coverages": coverages,
        "chart": chart,
        "assessments": selectors.assessment_list(request.user)[:10],
        "profiles": selectors.profile_list(request.user)[:10],
        "n_controls": selectors.control_list(request.user).count(),
        "n_orphans": selectors.control_list(request.user, filters=ControlFilters(gap="no_tool_no_owner")).count(),
    }
    return render(request, "compliance/overview.html", context)


@login_required
@require_GET
@domain_errors
def gaps(request):
    """Coverage gaps: controls with no tool and no owner; requirements with no control."""
    require(request.user, "compliance.view")
    frameworks = list(selectors.framework_list(request.user))
    slug = request.GET.get("framework") or (frameworks[0].slug if frameworks else "")
    framework = selectors.framework_get(request.user, slug=slug) if slug else None
    orphans = selectors.control_list(request.user, filters=ControlFilters(gap="no_tool_no_owner"))
    uncovered = requirements_without_controls(request.user, framework) if framework else []
    return render(
        request,
        "compliance/gaps.html",
        {
            "frameworks": frameworks,
            "framework": framework,
            "orphans": orphans[:200],
            "n_orphans": orphans.count(),
            "uncovered": uncovered,
        },
    )
