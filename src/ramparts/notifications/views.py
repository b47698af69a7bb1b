"""Notification pages: my inbox and preferences; webhook endpoints and the deliveries log."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ramparts.core.errors import ValidationFailed
from ramparts.core.ui import paginate
from ramparts.core.user_views import action_required, add_problems
from ramparts.notifications import selectors, services
from ramparts.notifications.forms import WebhookEndpointEditForm, WebhookEndpointForm
from ramparts.notifications.models import Channel, DeliveryStatus


@action_required("notifications.own")
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    pagination = paginate(request, selectors.inbox(request.user, unread_only=unread_only))
    context = {"pagination": pagination, "unread_only": unread_only, "unread": selectors.unread_count(request.user)}
    return render(request, "notifications/inbox.html", context)


@action_required("notifications.own")
@require_POST
def mark_read(request):
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()] or None
    count = services.notifications_mark_read(actor=request.user, ids=ids)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:inbox")


@action_required("notifications.own")
@require_http_methods(["GET", "POST"])
def preferences(request):
    rows = selectors.preferences(request.user)
    if request.method == "POST":
        choices = {
            row["event"]: (f"in_app:{row['event']}" in request.POST, f"email:{row['event']}" in request.POST)
            for row in rows
        }
        services.preferences_set(actor=request.user, choices=choices)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"rows": rows})


@action_required("notifications.webhooks")
def endpoint_list(request):
    return render(request, "notifications/endpoints.html", {"endpoints": selectors.endpoint_list(request.user)})


@never_cache  # the created page shows the signing secret once
@action_required("notifications.webhooks")
@require_http_methods(["GET", "POST"])
def endpoint_create(request):
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.webhook_endpoint_create(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_problems(form, exc)
        else:
            return render(request, "notifications/endpoint_secret.html", {"endpoint": endpoint, "secret": secret})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "notifications/endpoint_form.html", {"form": form}, status=status)


@action_required("notifications.webhooks")
@require_http_methods(["GET", "POST"])
def endpoint_edit(request, endpoint_id: int):
    endpoint = selectors.endpoint_get(request.user, endpoint_id=endpoint_id)
    initial = {"name": endpoint.name, "format": endpoint.format, "events": endpoint.events, "active": endpoint.active}
    form = WebhookEndpointEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data["url"]:
            data.pop("url")
        try:
            services.webhook_endpoint_update(actor=request.user, endpoint_id=endpoint.pk, **data)
        except ValidationFailed as exc:
            add_problems(form, exc)
        else:
            messages.success(request, f"Webhook endpoint {endpoint.name} saved.")
            return redirect("notifications:endpoints")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "notifications/endpoint_form.html", {"form": form, "endpoint": endpoint}, status=status)


@never_cache
@action_required("notifications.webhooks")
@require_POST
def endpoint_rotate(request, endpoint_id: int):
    endpoint = selectors.endpoint_get(request.user, endpoint_id=endpoint_id)
    secret = services.webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint.pk)
    return render(request, "notifications/endpoint_secret.html", {"endpoint": endpoint, "secret": secret})


@action_required("notifications.webhooks")
@require_POST
def endpoint_test(request, endpoint_id: int):
    services.webhook_endpoint_test(actor=request.user, endpoint_id=endpoint_id)
    messages.success(request, "A test message is queued; see the deliveries log for the result.")
    return redirect("notifications:deliveries")


@action_required("notifications.webhooks")
@require_POST
def endpoint_delete(request, endpoint_id: int):
    services.webhook_endpoint_delete(actor=request.user, endpoint_id=endpoint_id)
    messages.success(request, "Webhook endpoint deleted.")
    return redirect("notifications:endpoints")


@action_required("notifications.deliveries")
def delivery_list(request):
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    qs = selectors.delivery_list(request.user, status=status, channel=channel, event=request.GET.get("event", ""))
    context = {
        "pagination": paginate(request, qs),
        "status": status,
        "channel": channel,
        "statuses": DeliveryStatus.choices,
        "channels": Channel.choices,
    }
    return render(request, "notifications/deliveries.html", context)


@action_required("notifications.webhooks")
@require_POST
def delivery_retry(request, delivery_id: int):
    services.delivery_retry(actor=request.user, delivery_id=delivery_id)
    messages.success(request, "Delivery queued again.")
    return redirect("notifications:deliveries")
