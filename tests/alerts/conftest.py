import time

import orjson
import pytest

from ramparts.alerts import intake
from ramparts.alerts.services import source_create
from ramparts.notifications import signing


@pytest.fixture(autouse=True)
def _fresh_source_cache():
    intake.forget_cached_sources()
    yield
    intake.forget_cached_sources()


@pytest.fixture
def wazuh_source(admin_user, unit_a):
    source, secret = source_create(actor=admin_user, name="Wazuh SIEM", business_unit=unit_a, kind="wazuh")
    return source, secret


def signed_post(
    client, slug: str, secret: str, payload, *, now: float | None = None, raw: bytes | None = None, headers=None
):
    body = raw if raw is not None else orjson.dumps(payload)
    sent = signing.signed_headers(secret, body, now=now if now is not None else time.time())
    extra = {
        "HTTP_X_RAMPARTS_TIMESTAMP": sent[signing.TIMESTAMP_HEADER],
        "HTTP_X_RAMPARTS_SIGNATURE": sent[signing.SIGNATURE_HEADER],
    }
    extra.update(headers or {})
    return client.post(f"/alerts/hooks/{slug}/", body, content_type="application/json", **extra)
