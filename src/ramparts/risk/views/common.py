from django.contrib import messages
from django.shortcuts import render

from ramparts.core.errors import Conflict, PermissionDenied, ValidationFailed


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def run_service(request, form, call, *, success: str):
    """Call a service; on a domain error put it on the form. Returns the result or None."""
    try:
        result = call()
    except ValidationFailed as error:
        form.add_problems(error)
    except (Conflict, PermissionDenied) as error:
        form.add_error(None, str(error))
    else:
        messages.success(request, success)
        return result
    return None


def render_form(request, template: str, context: dict, form):
    return render(request, template, {**context, "form": form}, status=form_status(form))
