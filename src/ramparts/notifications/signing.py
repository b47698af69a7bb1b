"""HMAC-SHA256 request signatures, the same scheme for outgoing webhooks and incoming alerts.

The signed message is the decimal Unix timestamp, a dot, then the raw body bytes:
    X-Ramparts-Timestamp: 1795747200
    X-Ramparts-Signature: sha256=<hex HMAC-SHA256(secret, b"1795747200." + body)>
Covering the timestamp lets the receiver refuse stale or replayed requests.
"""

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Ramparts-Timestamp"
SIGNATURE_HEADER = "X-Ramparts-Signature"
PREFIX = "sha256="


def signature(secret: str | bytes, timestamp: int | str, body: bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def signed_headers(secret: str | bytes, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, body)}


def matches(secret: str | bytes, timestamp: str, body: bytes, given: str) -> bool:
    """Constant-time comparison of a received signature against the expected one."""
    return hmac.compare_digest(signature(secret, timestamp, body).encode(), given.strip().lower().encode())
