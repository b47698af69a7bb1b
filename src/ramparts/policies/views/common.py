"""What the policy pages share."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect

from ramparts.core.errors import Conflict, PermissionDenied, ValidationFailed


def status_of(form) -> int:
    """A rejected submission answers 400, so that scripts and tests cannot mistake it for success."""
    return 400 if form.is_bound and form.errors else 200


def act(request, action: Callable[[], object], *, success: str, back: str):
    """Run a one-click transition (a POST without a form): a conflict or a refusal becomes a message
    on the page the person came from, success another one."""
    try:
        action()
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, str(exc).splitlines()[0] if isinstance(exc, ValidationFailed) else str(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(back)
