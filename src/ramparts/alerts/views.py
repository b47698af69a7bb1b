"""Alert pages: the triage queue, one alert, sources and suppression rules."""

import json
import zoneinfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ramparts.alerts import selectors, services
from ramparts.alerts.forms import DismissForm, MergeForm, PromoteForm, SourceForm, SuppressionForm
from ramparts.alerts.models import Alert, Severity
from ramparts.alerts.selectors import AlertFilters
from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.ui import paginate
from ramparts.core.user_views import action_required, add_problems


def _filters(request) -> AlertFilters:
    group = request.GET.get("group", "")
    return AlertFilters(
        q=request.GET.get("q", "").strip(),
        status=request.GET.get("status", "open"),
        severity=request.GET.get("severity", ""),
        source=request.GET.get("source", ""),
        host=request.GET.get("host", "").strip(),
        group=int(group) if group.isdigit() else None,
    )


@action_required("alerts.view")
def alert_list(request):
    filters = _filters(request)
    context = {
        "pagination": paginate(request, selectors.alert_list(request.user, filters=filters)),
        "filters": filters,
        "statuses": [("open", "open (new)"), ("", "any"), *Alert.Status.choices],
        "severities": Severity.choices,
        "sources": selectors.sources_visible_to(request.user),
    }
    return render(request, "alerts/list.html", context)


def _detail_context(request, alert: Alert, **forms) -> dict:
    context = {
        "alert": alert,
        "raw": json.dumps(alert.raw, indent=2, ensure_ascii=False),
        "siblings": selectors.group_alerts(request.user, alert=alert),
        "systems": selectors.matching_systems(request.user, alert) if request.user.can("inventory.view") else [],
        "open": alert.status in (Alert.Status.NEW, Alert.Status.SUPPRESSED),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
    }
    if request.user.can("alerts.triage") and request.user.can("incidents.declare"):
        context["promote_form"] = forms.get("promote_form") or PromoteForm(
            initial={"title": alert.title[:300], "incident_type": "other", "severity": _incident_severity(alert)}
        )
    return context


def _incident_severity(alert: Alert) -> str:
    return "low" if alert.severity == "info" else alert.severity


@action_required("alerts.view")
def alert_detail(request, ref: str):
    alert = selectors.alert_get(request.user, ref=ref)
    return render(request, "alerts/detail.html", _detail_context(request, alert))


def _triage_failed(request, alert: Alert, exc: Exception, **forms):
    if isinstance(exc, Conflict):
        messages.error(request, str(exc))
        return redirect("alerts:detail", ref=alert.ref)
    assert isinstance(exc, ValidationFailed)
    for form in forms.values():
        add_problems(form, exc)
    return render(request, "alerts/detail.html", _detail_context(request, alert, **forms), status=400)


@action_required("alerts.triage")
@require_POST
def alert_dismiss(request, ref: str):
    alert = selectors.alert_get(request.user, ref=ref)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/detail.html", _detail_context(request, alert, dismiss_form=form), status=400)
    try:
        services.alert_dismiss(actor=request.user, alert=alert, reason=form.cleaned_data["reason"])
    except (Conflict, ValidationFailed) as exc:
        return _triage_failed(request, alert, exc, dismiss_form=form)
    messages.success(request, f"{alert.ref} dismissed.")
    return redirect("alerts:list")


@action_required("alerts.triage")
@require_POST
def alert_merge(request, ref: str):
    alert = selectors.alert_get(request.user, ref=ref)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/detail.html", _detail_context(request, alert, merge_form=form), status=400)
    try:
        merged = services.alert_merge(actor=request.user, alert=alert, incident_ref=form.cleaned_data["incident"])
    except (Conflict, ValidationFailed) as exc:
        return _triage_failed(request, alert, exc, merge_form=form)
    messages.success(request, f"{alert.ref} merged into {merged.incident_ref}.")
    return redirect(reverse("incidents:detail", args=[merged.incident_ref]))


@action_required("alerts.triage")
@require_POST
def alert_promote(request, ref: str):
    alert = selectors.alert_get(request.user, ref=ref)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/detail.html", _detail_context(request, alert, promote_form=form), status=400)
    try:
        promoted = services.alert_promote(actor=request.user, alert=alert, **form.cleaned_data)
    except (Conflict, ValidationFailed) as exc:
        return _triage_failed(request, alert, exc, promote_form=form)
    messages.success(request, f"{alert.ref} promoted to {promoted.incident_ref}.")
    return redirect(reverse("incidents:detail", args=[promoted.incident_ref]))


# --- sources ---------------------------------------------------------------------------------


@action_required("alerts.view")
def source_list(request):
    return render(request, "alerts/sources.html", {"sources": selectors.sources_visible_to(request.user)})


@never_cache  # the created page shows the secret once
@action_required("alerts.sources")
@require_http_methods(["GET", "POST"])
def source_create(request):
    form = SourceForm(request.POST or None, user=request.user, initial={"group_by": ["host", "rule"]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            source, secret = services.source_create(actor=request.user, **data)
        except ValidationFailed as exc:
            add_problems(form, exc)
        else:
            return render(request, "alerts/source_secret.html", _secret_context(request, source, secret))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "alerts/source_form.html", {"form": form}, status=status)


def _secret_context(request, source, secret: str) -> dict:
    url = request.build_absolute_uri(reverse("alerts:hook", args=[source.slug]))
    return {"source": source, "secret": secret, "hook_url": url}


@action_required("alerts.sources")
@require_http_methods(["GET", "POST"])
def source_edit(request, slug: str):
    source = selectors.source_get(request.user, slug=slug)
    initial = {
        "name": source.name,
        "mapping": source.mapping,
        "group_by": source.group_by,
        "group_window_minutes": source.group_window_minutes,
        "rate_limit_per_minute": source.rate_limit_per_minute,
        "active": source.active,
    }
    form = SourceForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("mapping") is None:
            data.pop("mapping")
        try:
            services.source_update(actor=request.user, source=source, **data)
        except ValidationFailed as exc:
            add_problems(form, exc)
        else:
            messages.success(request, f"Alert source {source.name} saved.")
            return redirect("alerts:sources")
    status = 400 if form.is_bound and form.errors else 200
    url = request.build_absolute_uri(reverse("alerts:hook", args=[source.slug]))
    return render(request, "alerts/source_form.html", {"form": form, "source": source, "hook_url": url}, status=status)


@never_cache
@action_required("alerts.sources")
@require_POST
def source_rotate(request, slug: str):
    source = selectors.source_get(request.user, slug=slug)
    secret = services.source_rotate_secret(actor=request.user, source=source)
    return render(request, "alerts/source_secret.html", _secret_context(request, source, secret))


# --- suppression -------------------------------------------------------------------------------


@action_required("alerts.view")
@require_http_methods(["GET", "POST"])
def suppression_list(request):
    sources = selectors.sources_visible_to(request.user)
    form = SuppressionForm(request.POST or None, sources=sources)
    if request.method == "POST":
        if not request.user.can("alerts.triage"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Your role may not do this (alerts.triage).")
        if form.is_valid():
            data = form.cleaned_data
            try:
                zone = zoneinfo.ZoneInfo(request.user.time_zone or "UTC")
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = zoneinfo.ZoneInfo("UTC")
            until = data["until"]
            if timezone.is_naive(until):
                until = until.replace(tzinfo=zone)
            try:
                services.suppression_create(
                    actor=request.user, source=data["source"], field=data["field"], value=data["value"],
                    until=until, reason=data["reason"],
                )  # fmt: skip
            except ValidationFailed as exc:
                add_problems(form, exc)
            else:
                messages.success(request, "Suppression rule saved.")
                return redirect("alerts:suppressions")
    rules = selectors.suppression_list(request.user, active_only=request.GET.get("all") != "1")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "rules": rules, "now": timezone.now()}
    return render(request, "alerts/suppressions.html", context, status=status)


@action_required("alerts.triage")
@require_POST
def suppression_end(request, rule_id: int):
    rule = selectors.suppression_get(request.user, rule_id=rule_id)
    services.suppression_end(actor=request.user, rule=rule)
    messages.success(request, "Suppression rule ended.")
    return redirect("alerts:suppressions")
