"""Personal API tokens: `rp_<prefix>_<secret>`. The prefix finds the row, the secret's SHA-256
is compared in constant time. The full token exists only in the response that created it."""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ramparts.core import audit
from ramparts.core.errors import NotFound, Problem, ValidationFailed
from ramparts.core.models import ApiToken
from ramparts.core.permissions import require, user_can

TOKEN_PREFIX = "rp_"  # noqa: S105 - a public marker, not a secret
MAX_LIFETIME_DAYS = 366


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, actor, name: str, scopes: list[str], expires_in_days: int) -> IssuedToken:
    require(actor, "tokens.own")
    problems = []
    name = (name or "").strip()
    if not name:
        problems.append(Problem(column="name", reason="a name is required"))
    unknown = sorted(set(scopes) - set(ApiToken.SCOPES))
    if unknown or not scopes:
        problems.append(Problem(column="scopes", reason=f"choose from {', '.join(ApiToken.SCOPES)}"))
    if not 1 <= expires_in_days <= MAX_LIFETIME_DAYS:
        problems.append(Problem(column="expires_in_days", reason=f"must be between 1 and {MAX_LIFETIME_DAYS}"))
    if problems:
        raise ValidationFailed("The token was not created.", problems)
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=prefix,
            key_hash=_hash(secret),
            scopes=sorted(set(scopes)),
            expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
        )
        audit.record(
            actor,
            audit.Change(
                audit.Action.CREATE,
                "core.apitoken",
                str(token.pk),
                f"token {name} ({prefix}…)",
                audit.created({"name": name, "scopes": token.scopes, "expires_at": token.expires_at}),
            ),
        )
    return IssuedToken(token=token, secret=f"{TOKEN_PREFIX}{prefix}_{secret}")


def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    require(actor, "tokens.own")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise NotFound("No such token.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor,
                audit.Change(
                    audit.Action.UPDATE,
                    "core.apitoken",
                    str(token.pk),
                    f"token {token.name} ({token.prefix}…)",
                    {"revoked_at": [None, audit.plain(token.revoked_at)]},
                ),
            )
    return token


def api_token_list(user):
    require(user, "tokens.own")
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def authenticate(raw: str, *, ip: str | None = None) -> ApiToken | None:
    """The live token for this raw value, or None (forged, expired, revoked, inactive or demoted user)."""
    if not raw.startswith(TOKEN_PREFIX) or raw.count("_") < 2:
        return None
    prefix, _, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now:
        return None
    # is_active and the role are read on every request, so deactivating a user or moving them to
    # a role without tokens (employee) cuts their tokens off at once.
    if not user_can(token.user, "tokens.own"):
        return None
    # Writing on every request would serialise readers on SQLite; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip or "")
    return token
