"""My API tokens: list, create (the secret is shown once, on the response page), revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ramparts.core import tokens
from ramparts.core.errors import ValidationFailed
from ramparts.core.user_forms import TokenCreateForm
from ramparts.core.user_views import action_required, add_problems


@action_required("tokens.own")
def token_list(request):
    context = {"tokens": tokens.api_token_list(request.user), "now": timezone.now()}
    return render(request, "core/tokens/list.html", context)


@never_cache  # the page carries the secret: no browser or proxy may keep a copy
@action_required("tokens.own")
@require_http_methods(["GET", "POST"])
def token_create(request):
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = tokens.api_token_create(
                actor=request.user, name=data["name"], scopes=data["scopes"], expires_in_days=data["expires_in_days"]
            )
        except ValidationFailed as exc:
            add_problems(form, exc)
        else:
            # Rendered, not redirected: the secret must not travel through the session or a URL.
            return render(request, "core/tokens/created.html", {"token": issued.token, "secret": issued.secret})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "core/tokens/form.html", {"form": form}, status=status)


@action_required("tokens.own")
@require_POST
def token_revoke(request, token_id: int):
    token = tokens.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, f"Token {token.name} ({token.prefix}…) revoked.")
    return redirect("token_list")
