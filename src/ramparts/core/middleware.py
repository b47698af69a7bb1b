from django.conf import settings

from ramparts.core import context
from ramparts.core.context import Channel


def client_ip(request) -> str | None:
    # Only trust X-Forwarded-For when told we sit behind a proxy; otherwise it is attacker-controlled.
    # Even then only its last entry is: our proxy appends the address it saw, and anything before
    # that came from the client.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Marks everything done during a request as UI, API or admin work, from the caller's IP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/api/"):
            channel = Channel.API
        elif path.startswith("/admin/"):
            channel = Channel.ADMIN
        else:
            channel = Channel.UI
        token = context.set_for_request(channel, client_ip(request))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


# Roles whose accounts can change everything: with RAMPARTS_REQUIRE_MFA they must enrol a second factor.
PRIVILEGED_ROLES = frozenset({"admin", "security_manager"})
# Pages a privileged user without a second factor may still reach: log-in, log-out, MFA set-up.
_MFA_SETUP_OPEN_PREFIXES = ("/accounts/", "/static/")


def needs_mfa_setup(request, user) -> bool:
    if not getattr(settings, "RAMPARTS_REQUIRE_MFA", False):
        return False
    if not user.is_authenticated or user.role not in PRIVILEGED_ROLES:
        return False
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.mfa.utils import is_mfa_enabled

    # A session opened with a second factor needs no database check on every request.
    if any(r.get("method") == "mfa" for r in get_authentication_records(request, user)):
        return False
    return not is_mfa_enabled(user)


class RequireMFAMiddleware:
    """Privileged users without a second factor are sent to set one up before anything else.

    Only session users are affected: API tokens are created after log-in, so they imply MFA.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path_info
        if user is not None and not path.startswith(_MFA_SETUP_OPEN_PREFIXES) and needs_mfa_setup(request, user):
            return self._refuse(request, path)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, path: str):
        from django.contrib import messages
        from django.http import JsonResponse
        from django.shortcuts import redirect

        reason = "Your role requires two-factor authentication: set up an authenticator first."
        if path.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=403)
        messages.warning(request, reason)
        return redirect("mfa_index")


class MaxUploadSizeMiddleware:
    """Refuses a request body larger than RAMPARTS_MAX_UPLOAD_BYTES before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, so without this an import
    endpoint would spool a file of any size to disk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "RAMPARTS_MAX_UPLOAD_BYTES", None)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            return self._too_large(request, length, limit)
        return self.get_response(request)

    @staticmethod
    def _too_large(request, length: int, limit: int):
        from django.http import HttpResponse, JsonResponse

        reason = (
            f"The upload is too large: {length:,} bytes, the limit is {limit:,} bytes "
            "(RAMPARTS_MAX_UPLOAD_BYTES). Nothing was changed."
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=413)
        return HttpResponse(reason, status=413, content_type="text/plain; charset=utf-8")
