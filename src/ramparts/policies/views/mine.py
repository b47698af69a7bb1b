"""Everyone's own view: the policies addressed to me, to read and acknowledge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ramparts.core.errors import Conflict
from ramparts.core.ui import domain_errors, paginate
from ramparts.policies import selectors, services
from ramparts.policies.engine.markdown import render as render_markdown


@login_required
@require_GET
@domain_errors
def my_list(request):
    policies = selectors.my_policies(request.user)
    show = request.GET.get("show", "")
    if show == "pending":
        policies = policies.filter(acknowledged_at__isnull=True)
    pagination = paginate(request, policies)
    pending = selectors.my_pending(request.user).count()
    return render(
        request,
        "policies/mine.html",
        {"pagination": pagination, "rows": pagination.page.object_list, "pending": pending, "show": show},
    )


@login_required
@require_GET
@domain_errors
def my_detail(request, ref: str):
    policy = selectors.my_policy_get(request.user, ref=ref)
    version = policy.current_version
    assert version is not None  # addressed policies are published
    context = {
        "policy": policy,
        "version": version,
        "html": render_markdown(version.text),
        "history": selectors.my_acknowledgements(request.user, policy),
    }
    return render(request, "policies/mine_detail.html", context)


@login_required
@require_POST
@domain_errors
def acknowledge(request, ref: str):
    try:
        ack = services.policy_acknowledge(actor=request.user, ref=ref, label=request.POST.get("version") or None)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You acknowledged {ref.upper()} version {ack.version.label}.")
    return redirect("policies:my_detail", ref=ref.upper())
