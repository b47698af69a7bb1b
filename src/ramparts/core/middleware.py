from django.conf import settings

from ramparts.core import context
from ramparts.core.context import Channel


def client_ip(request) -> str | None:
    # Only trust X-Forwarded-For when told we sit behind a proxy; otherwise it is attacker-controlled.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
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
