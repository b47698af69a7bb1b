"""POST /alerts/hooks/<source-slug>/: the signed webhook where alert sources deliver.

Answers (JSON {"detail": ...} on errors):
  202 stored (all alerts committed), with their refs and how many were new, repeats or suppressed
  400 malformed JSON, or a payload the source's mapping cannot read
  401 unsigned, badly signed or stale (timestamp more than 5 minutes away)
  404 unknown or disabled source
  409 replayed (this signature was already received)
  413 body larger than RAMPARTS_ALERT_MAX_BYTES (default 1 MiB)
  429 over the source's rate limit (requests per minute)
"""

import logging
import time

import orjson
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ramparts.alerts import intake
from ramparts.alerts.engine.mapping import PayloadError
from ramparts.notifications import signing

log = logging.getLogger(__name__)

_TIMESTAMP_META = "HTTP_" + signing.TIMESTAMP_HEADER.upper().replace("-", "_")
_SIGNATURE_META = "HTTP_" + signing.SIGNATURE_HEADER.upper().replace("-", "_")


def max_bytes() -> int:
    return int(getattr(settings, "RAMPARTS_ALERT_MAX_BYTES", 1024 * 1024))


def _refuse(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt
@require_POST
def receive(request: HttpRequest, slug: str) -> JsonResponse:
    source = intake.source_for(slug)
    if source is None or not source.active:
        return _refuse(404, f"No active alert source {slug!r}.")
    limit = max_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _refuse(413, f"The body is {declared} bytes; at most {limit} are accepted.")
    body = request.read(limit + 1)
    if len(body) > limit:
        return _refuse(413, f"The body is larger than {limit} bytes.")
    try:
        signature = intake.verify(
            source,
            timestamp=request.META.get(_TIMESTAMP_META),
            given=request.META.get(_SIGNATURE_META),
            body=body,
            now=time.time(),
        )
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise intake.Rejected(400, f"Malformed JSON: {exc}") from None
        try:
            alerts = list(source.mapping.apply(payload))
        except PayloadError as exc:
            raise intake.Rejected(400, f"Payload not understood: {exc}") from None
        received = intake.receive(source, alerts, signature=signature, now=timezone.now())
    except intake.Rejected as exc:
        if exc.status in (401, 409):
            log.warning("alert source %s: refused (%s): %s", slug, exc.status, exc.message)
        return _refuse(exc.status, exc.message)
    return JsonResponse(
        {
            "stored": len(received.refs),
            "new": received.new,
            "duplicates": received.duplicates,
            "suppressed": received.suppressed,
            "alerts": received.refs,
        },
        status=202,
    )
