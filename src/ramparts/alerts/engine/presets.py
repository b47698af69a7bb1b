"""Ready-made mappings for common alert senders (see docs/alerts.md for how to point each at Ramparts)."""

from typing import Any

# Wazuh rule levels 0–15, banded as the Wazuh dashboard does: low 0–6, medium 7–11, high 12–14, critical 15.
WAZUH: dict[str, Any] = {
    "fields": {
        "title": "$.rule.description",
        "severity": "$.rule.level",
        "time": "$.timestamp",
        "source_ref": "$.id",
        "host": "$.agent.name",
        "ip": ["$.agent.ip", "$.data.dstip"],
        "user": ["$.data.dstuser", "$.data.srcuser", "$.data.win.eventdata.targetUserName"],
        "technique": "$.rule.mitre.id",
        "rule": "$.rule.id",
    },
    "severity": {"ranges": [[0, 6, "low"], [7, 11, "medium"], [12, 14, "high"], [15, 99, "critical"]]},
}

# Kibana's webhook connector sends the body written in the rule action. The documented body is
#   {"rule": {"id": "{{rule.id}}", "name": "{{rule.name}}"}, "alerts": {{#toJson}}context.alerts{{/toJson}}}
# whose alert documents carry both flattened ("kibana.alert.rule.name") and nested ECS fields.
ELASTIC: dict[str, Any] = {
    "items": "$.alerts[*]",
    "fields": {
        "title": ['$."kibana.alert.rule.name"', "$.kibana.alert.rule.name", "$.rule.name", "$.message"],
        "severity": ['$."kibana.alert.severity"', "$.kibana.alert.severity", "$.event.severity"],
        "time": ['$."kibana.alert.original_time"', "$.kibana.alert.original_time", '$."@timestamp"'],
        "source_ref": ['$."kibana.alert.uuid"', "$.kibana.alert.uuid", "$._id"],
        "host": ['$."host.name"', "$.host.name", "$.host.hostname"],
        "ip": ['$."host.ip"', "$.host.ip", '$."destination.ip"', "$.destination.ip"],
        "user": ['$."user.name"', "$.user.name"],
        "technique": [
            '$."kibana.alert.rule.threat"[*].technique[*].id',
            "$.kibana.alert.rule.threat[*].technique[*].id",
            "$.threat.technique.id",
        ],
        "rule": ['$."kibana.alert.rule.uuid"', "$.kibana.alert.rule.uuid", '$."kibana.alert.rule.rule_id"'],
    },
    "severity": {"default": "medium"},
}

# Prometheus Alertmanager's webhook (version 4): one request groups several alerts. Each firing of an
# alert is one alert here (fingerprint + start time); Alertmanager's repeats of it are duplicates.
ALERTMANAGER: dict[str, Any] = {
    "items": "$.alerts[*]",
    "fields": {
        "title": ["$.annotations.summary", "$.labels.alertname"],
        "severity": "$.labels.severity",
        "time": "$.startsAt",
        "source_ref": {"join": ["$.fingerprint", "$.startsAt"], "sep": "@"},
        "host": ["$.labels.host", "$.labels.instance", "$.labels.node"],
        "ip": "$.labels.ip",
        "user": "$.labels.user",
        "technique": "$.labels.mitre_technique",
        "rule": "$.labels.alertname",
    },
    "severity": {
        "map": {"page": "critical", "error": "high", "warning": "medium", "warn": "medium", "none": "info"},
        "default": "medium",
    },
}

GENERIC: dict[str, Any] = {
    "fields": {
        "title": "$.title",
        "severity": "$.severity",
        "time": "$.time",
        "source_ref": "$.id",
        "host": "$.host",
        "ip": "$.ip",
        "user": "$.user",
        "technique": "$.technique",
        "rule": "$.rule",
    },
}

PRESETS: dict[str, dict[str, Any]] = {
    "generic": GENERIC,
    "wazuh": WAZUH,
    "elastic": ELASTIC,
    "alertmanager": ALERTMANAGER,
}
