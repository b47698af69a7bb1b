"""Permission-matrix requests of the alerts module (collected by matrix_modules; see its docstring)."""

from tests.security.matrix_base import api, ui


def _source_form(w) -> dict:
    return {
        "name": f"Matrix source {w.n}",
        "business_unit": w.unit.code,
        "kind": "wazuh",
        "group_by": ["host", "rule"],
        "group_window_minutes": "10",
        "rate_limit_per_minute": "100",
        "active": "on",
    }


def _in_a_month(fmt: str) -> str:
    import datetime as dt

    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).strftime(fmt)


def _suppress(w) -> dict:
    return {"field": "host", "value": "scanner-*", "until": _in_a_month("%Y-%m-%dT%H:%M"), "reason": "weekly scan"}


def _suppress_api(w) -> dict:
    return {**_suppress(w), "until": _in_a_month("%Y-%m-%dT%H:%M:%SZ")}


MATRIX: dict[str, dict[str, list]] = {
    "alerts.view": {
        "ui": [
            ui("GET", "/alerts/"),
            ui("GET", "/alerts/?status=&q=brute"),
            ui("GET", "/alerts/{alert}/"),
            ui("GET", "/alerts/sources/"),
            ui("GET", "/alerts/suppressions/"),
        ],
        "api": [
            api("GET", "/alerts/"),
            api("GET", "/alerts/{alert}"),
            api("GET", "/alerts/sources"),
            api("GET", "/alerts/sources/{source}"),
            api("GET", "/alerts/suppressions"),
        ],
    },
    "alerts.triage": {
        "ui": [
            ui("POST", "/alerts/{alert}/dismiss/", {"reason": "authorised scan"}),
            ui("POST", "/alerts/{alert}/merge/", lambda w: {"incident": w.extras["incident"]}),
            ui(
                "POST",
                "/alerts/{alert}/promote/",
                {"title": "Brute force", "incident_type": "other", "severity": "high"},
            ),
            ui("POST", "/alerts/suppressions/", lambda w: {**_suppress(w), "source": w.extras["source"]}),
            ui("POST", "/alerts/suppressions/{rule}/end/"),
        ],
        "api": [
            api("POST", "/alerts/{alert}/dismiss", {"reason": "authorised scan"}),
            api("POST", "/alerts/{alert}/merge", lambda w: {"incident": w.extras["incident"]}),
            api("POST", "/alerts/{alert}/promote", {"incident_type": "other"}),
            api("POST", "/alerts/suppressions", lambda w: {**_suppress_api(w), "source": w.extras["source"]}),
            api("POST", "/alerts/suppressions/{rule}/end"),
        ],
    },
    "alerts.sources": {
        "ui": [
            ui("GET", "/alerts/sources/new/"),
            ui("POST", "/alerts/sources/new/", _source_form),
            ui("GET", "/alerts/sources/{source}/"),
            ui("POST", "/alerts/sources/{source}/", lambda w: {**_source_form(w), "name": "Renamed"}),
            ui("POST", "/alerts/sources/{source}/rotate/"),
        ],
        "api": [
            api(
                "POST",
                "/alerts/sources",
                lambda w: {"name": f"Api source {w.n}", "business_unit": w.unit.code, "kind": "elastic"},
            ),
            api("PATCH", "/alerts/sources/{source}", {"rate_limit_per_minute": 50}),
            api("POST", "/alerts/sources/{source}/rotate"),
        ],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    import datetime as dt

    from django.utils import timezone

    from ramparts.alerts import intake
    from ramparts.alerts.models import AlertSource
    from ramparts.alerts.services import source_create, suppression_create
    from ramparts.incidents.services import incident_declare
    from tests.alerts.samples import wazuh

    source = AlertSource.objects.filter(business_unit=unit, kind="wazuh").first()
    if source is None:
        source, _ = source_create(actor=owner, name=f"Wazuh {unit.code}", business_unit=unit, kind="wazuh")
    intake.forget_cached_sources()
    cached = intake.source_for(source.slug)
    alerts = list(cached.mapping.apply(wazuh(agent__name=world.system.name)))
    received = intake.receive(
        cached, alerts, signature=f"matrix-{unit.code}-{timezone.now().timestamp()}", now=timezone.now()
    )
    rule = suppression_create(
        actor=owner,
        source=source,
        field="host",
        value="decommissioned-*",
        until=timezone.now() + dt.timedelta(days=1),
        reason="matrix",
    )
    incident = incident_declare(
        actor=owner, title="Matrix incident", incident_type="other", severity="medium", business_unit=unit
    )
    return {"alert": received.refs[0], "source": source.slug, "rule": str(rule.pk), "incident": incident.ref}
