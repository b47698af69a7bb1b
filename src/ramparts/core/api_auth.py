"""API authentication: a personal token (Bearer) or the browser session with its CSRF token."""

from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from ramparts.core import tokens
from ramparts.core.middleware import client_ip

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = tokens.authenticate(token, ip=client_ip(request))
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and "write" not in api_token.scopes:
            raise HttpError(403, "This token is read-only: it lacks the 'write' scope.")
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    """Session auth (CSRF enforced by ninja on unsafe methods) for active users only."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return user


API_AUTH = [TokenAuth(), ActiveSessionAuth()]
