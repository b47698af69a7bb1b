"""What the incident views share: reading form times in the user's zone, errors back to the page."""

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ramparts.core.errors import Conflict, ValidationFailed
from ramparts.core.ui import domain_errors
from ramparts.incidents import selectors


def user_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def form_time(request, name: str) -> datetime | str | None:
    """A datetime-local field read in the user's zone; bad text is passed on for the service to name."""
    raw = (request.POST.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return value if value.tzinfo else value.replace(tzinfo=user_zone(request.user))


def incident_action(anchor: str = ""):
    """A POST on one incident: load it (scoped; 404 elsewhere), run the service, report errors, go back."""

    def decorate(view):
        @login_required
        @require_POST
        @domain_errors
        @functools.wraps(view)
        def wrapper(request, ref: str, *args, **kwargs):
            incident = selectors.incident_get(request.user, ref=ref)
            try:
                message = view(request, incident, *args, **kwargs)
            except ValidationFailed as exc:
                messages.error(request, exc.message + " " + "; ".join(str(p) for p in exc.problems))
            except Conflict as exc:
                messages.error(request, str(exc))
            else:
                if message:
                    messages.success(request, message)
            target = request.POST.get("next") or f"/incidents/{incident.ref}/"
            if not target.startswith("/") or target.startswith("//"):
                target = f"/incidents/{incident.ref}/"
            return redirect(target + (f"#{anchor}" if anchor and "#" not in target else ""))

        return wrapper

    return decorate
