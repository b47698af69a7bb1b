"""The mapping engine and the ready-made mappings, on realistic payloads (no database)."""

import datetime as dt

import pytest

from ramparts.alerts.engine.mapping import CompiledMapping, MappingError, PayloadError, parse_time
from ramparts.alerts.engine.presets import PRESETS
from tests.alerts import samples


def test_wazuh_levels_band_into_severities():
    mapping = CompiledMapping(PRESETS["wazuh"])
    levels = {0: "low", 6: "low", 7: "medium", 10: "medium", 11: "medium", 12: "high", 14: "high", 15: "critical"}
    for level, expected in levels.items():
        (alert,) = mapping.apply(samples.wazuh(rule__level=level))
        assert alert.severity == expected, level


def test_wazuh_windows_alert_with_several_techniques():
    (alert,) = CompiledMapping(PRESETS["wazuh"]).apply(samples.WAZUH_WINDOWS_CRITICAL)
    assert alert.severity == "critical"
    assert alert.technique == "T1110.003, T1078"
    assert (alert.host, alert.ip, alert.user) == ("NW-FIN-DC02", "10.30.0.12", "svc_backup")
    assert alert.source_ref == "1795744860.99120" and alert.dedup_key == "ref:1795744860.99120"


def test_elastic_connector_payload_flattened_and_nested_documents():
    first, second = CompiledMapping(PRESETS["elastic"]).apply(samples.ELASTIC_SECURITY)
    assert first.title == "Suspicious PowerShell Encoded Command"
    assert (first.severity, first.host, first.user, first.technique) == ("high", "NW-UW-LT-0231", "j.okafor", "T1059")
    assert first.ip == "10.40.12.31, fe80::1c2a:9ff:fe31:2a1b"
    assert first.occurred_at == dt.datetime(2026, 11, 27, 1, 30, 9, 511000, tzinfo=dt.UTC)
    assert first.source_ref == "3d1d7bd0c3d9c3b1c8bcaf1a5e5c7d51"
    assert first.rule == "6f6d5a1e-7c0e-11ee-b962-0242ac120002"
    assert (second.severity, second.source_ref, second.host) == (
        "medium",
        "9a0c0f4f3b2e4f0d8f51e0ad2e3f7b10",
        "NW-UW-LT-0188",
    )
    assert second.raw["user"] == {"name": "m.lindqvist"}


def test_alertmanager_one_payload_several_alerts():
    alerts = list(CompiledMapping(PRESETS["alertmanager"]).apply(samples.ALERTMANAGER))
    assert [a.severity for a in alerts] == ["medium", "critical", "info"]
    assert alerts[0].title == "Failed log-ins above 50/min on nw-sso-01"
    assert alerts[0].host == "nw-sso-01:8080" and alerts[0].rule == "HighFailedLogins"
    assert alerts[0].source_ref == "a3f1c2d4e5b60718@2026-11-27T01:02:03.000Z"
    assert len({a.dedup_key for a in alerts}) == 3


def test_alertmanager_empty_alerts_is_a_payload_error():
    with pytest.raises(PayloadError, match="no alerts"):
        list(CompiledMapping(PRESETS["alertmanager"]).apply({"alerts": []}))


def test_missing_reference_dedups_on_content():
    mapping = CompiledMapping({"fields": {"title": "$.t"}})
    (a,) = mapping.apply({"t": "x", "n": 1})
    (b,) = mapping.apply({"n": 1, "t": "x"})
    (c,) = mapping.apply({"t": "x", "n": 2})
    assert a.dedup_key == b.dedup_key != c.dedup_key and a.dedup_key.startswith("sha256:")


def test_missing_fields_are_empty_and_title_has_a_default():
    (alert,) = CompiledMapping(PRESETS["generic"]).apply({"nothing": "here"})
    assert (alert.title, alert.host, alert.severity, alert.occurred_at) == ("(untitled alert)", "", "medium", None)


def test_long_and_odd_values_are_cut_and_kept_as_text():
    (alert,) = CompiledMapping(PRESETS["generic"]).apply(
        {"title": "t" * 2000, "host": 42, "severity": True, "ip": {"x": 1}}
    )
    assert len(alert.title) == 500 and alert.host == "42" and alert.ip == "" and alert.severity == "medium"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([], "JSON object"),
        ({"fields": {}}, "at least one"),
        ({"fields": {"host": "$.h"}}, "'title' must be mapped"),
        ({"fields": {"title": "$.t", "colour": "$.c"}}, "unknown alert field"),
        ({"fields": {"title": "$[[["}}, "invalid JSONPath"),
        ({"fields": {"title": "$.t"}, "severity": {"default": "urgent"}}, "not one of"),
        ({"fields": {"title": {"join": []}}}, "join"),
    ],
)
def test_bad_mappings_name_the_problem(spec, message):
    with pytest.raises(MappingError, match=message):
        CompiledMapping(spec)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27T01:14:07.532+0000", dt.datetime(2026, 11, 27, 1, 14, 7, 532000, tzinfo=dt.UTC)),
        ("2026-11-27T02:14:07+01:00", dt.datetime(2026, 11, 27, 1, 14, 7, tzinfo=dt.UTC)),
        ("2026-11-27T01:14:07Z", dt.datetime(2026, 11, 27, 1, 14, 7, tzinfo=dt.UTC)),
        ("2026-11-27 01:14:07", dt.datetime(2026, 11, 27, 1, 14, 7, tzinfo=dt.UTC)),
        ("1795741847", dt.datetime(2026, 11, 27, 1, 10, 47, tzinfo=dt.UTC)),
        ("1795741847000", dt.datetime(2026, 11, 27, 1, 10, 47, tzinfo=dt.UTC)),
        ("0001-01-01T00:00:00Z", None),
        ("not a time", None),
        ("", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "path",
    ["$.a.b", '$."x.y"', "$['x.y']", "$.a.list", "$.missing.deeper", "$.a.b.c", "$.n", "$.a['b']"],
)
def test_fast_member_paths_agree_with_jsonpath_ng(path):
    from jsonpath_ng import parse

    from ramparts.alerts.engine.mapping import _compile

    item = {"a": {"b": "B", "list": [1, 2], "c": None}, "x.y": "XY", "n": 0}
    assert _compile(path, "f")(item) == [m.value for m in parse(path).find(item)]
