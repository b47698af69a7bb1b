"""Realistic payloads, written after each product's documented format (values invented)."""

import copy

# Wazuh alert as written to alerts.json and posted by an integration (rule 5712, sshd brute force).
WAZUH_SSH_BRUTE_FORCE = {
    "timestamp": "2026-11-27T01:14:07.532+0000",
    "rule": {
        "level": 10,
        "description": "sshd: brute force trying to get access to the system. Non existent user.",
        "id": "5712",
        "mitre": {"id": ["T1110"], "tactic": ["Credential Access"], "technique": ["Brute Force"]},
        "frequency": 8,
        "firedtimes": 3,
        "mail": False,
        "groups": ["syslog", "sshd", "authentication_failures"],
        "pci_dss": ["11.4", "10.2.4", "10.2.5"],
        "gdpr": ["IV_35.7.d", "IV_32.2"],
    },
    "agent": {"id": "017", "name": "nw-claims-web-01", "ip": "10.20.4.17"},
    "manager": {"name": "wazuh-manager-01"},
    "id": "1795741847.2810344",
    "previous_output": "Nov 27 01:14:05 nw-claims-web-01 sshd[28411]: Invalid user oracle from 203.0.113.77 port 52114",
    "full_log": "Nov 27 01:14:07 nw-claims-web-01 sshd[28415]: Invalid user admin from 203.0.113.77 port 52120",
    "predecoder": {"program_name": "sshd", "timestamp": "Nov 27 01:14:07", "hostname": "nw-claims-web-01"},
    "decoder": {"parent": "sshd", "name": "sshd"},
    "data": {"srcip": "203.0.113.77", "srcport": "52120", "srcuser": "admin"},
    "location": "/var/log/auth.log",
}

# Wazuh Windows logon failure with a critical level and several ATT&CK ids.
WAZUH_WINDOWS_CRITICAL = {
    "timestamp": "2026-11-27T02:01:00.000+0000",
    "rule": {
        "level": 15,
        "description": "Multiple Windows logon failures followed by a success (possible password spraying)",
        "id": "60204",
        "mitre": {"id": ["T1110.003", "T1078"], "tactic": ["Credential Access", "Defense Evasion"]},
        "groups": ["windows", "authentication_success"],
    },
    "agent": {"id": "044", "name": "NW-FIN-DC02", "ip": "10.30.0.12"},
    "id": "1795744860.99120",
    "data": {"win": {"eventdata": {"targetUserName": "svc_backup", "ipAddress": "10.30.9.88"}}},
}

# Kibana webhook connector with the documented body:
#   {"rule": {...}, "alerts": {{#toJson}}context.alerts{{/toJson}}}
ELASTIC_SECURITY = {
    "rule": {"id": "6f6d5a1e-7c0e-11ee-b962-0242ac120002", "name": "Suspicious PowerShell Encoded Command"},
    "alerts": [
        {
            "@timestamp": "2026-11-27T01:30:12.004Z",
            "kibana.alert.uuid": "3d1d7bd0c3d9c3b1c8bcaf1a5e5c7d51",
            "kibana.alert.rule.name": "Suspicious PowerShell Encoded Command",
            "kibana.alert.rule.uuid": "6f6d5a1e-7c0e-11ee-b962-0242ac120002",
            "kibana.alert.severity": "high",
            "kibana.alert.risk_score": 73,
            "kibana.alert.original_time": "2026-11-27T01:30:09.511Z",
            "kibana.alert.rule.threat": [
                {
                    "framework": "MITRE ATT&CK",
                    "tactic": {"id": "TA0002", "name": "Execution"},
                    "technique": [{"id": "T1059", "name": "Command and Scripting Interpreter"}],
                }
            ],
            "host": {"name": "NW-UW-LT-0231", "ip": ["10.40.12.31", "fe80::1c2a:9ff:fe31:2a1b"]},
            "user": {"name": "j.okafor"},
            "process": {"name": "powershell.exe", "command_line": "powershell.exe -enc SQBFAFgA..."},
        },
        {
            "@timestamp": "2026-11-27T01:31:40.120Z",
            "kibana": {
                "alert": {
                    "uuid": "9a0c0f4f3b2e4f0d8f51e0ad2e3f7b10",
                    "rule": {
                        "name": "Suspicious PowerShell Encoded Command",
                        "uuid": "6f6d5a1e-7c0e-11ee-b962-0242ac120002",
                    },
                    "severity": "medium",
                }
            },
            "host": {"name": "NW-UW-LT-0188", "ip": ["10.40.12.88"]},
            "user": {"name": "m.lindqvist"},
        },
    ],
}

# Prometheus Alertmanager webhook (version 4): one request, several alerts.
ALERTMANAGER = {
    "version": "4",
    "groupKey": '{}:{alertname="HighFailedLogins"}',
    "truncatedAlerts": 0,
    "status": "firing",
    "receiver": "ramparts",
    "groupLabels": {"alertname": "HighFailedLogins"},
    "commonLabels": {"alertname": "HighFailedLogins", "severity": "warning", "job": "keycloak"},
    "commonAnnotations": {},
    "externalURL": "http://alertmanager.northwind.example:9093",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "HighFailedLogins",
                "instance": "nw-sso-01:8080",
                "job": "keycloak",
                "severity": "warning",
            },
            "annotations": {
                "summary": "Failed log-ins above 50/min on nw-sso-01",
                "description": "Possible credential stuffing.",
            },
            "startsAt": "2026-11-27T01:02:03.000Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.northwind.example:9090/graph?g0.expr=rate%28failed_logins%5B5m%5D%29",
            "fingerprint": "a3f1c2d4e5b60718",
        },
        {
            "status": "firing",
            "labels": {
                "alertname": "HighFailedLogins",
                "instance": "nw-sso-02:8080",
                "job": "keycloak",
                "severity": "critical",
            },
            "annotations": {"summary": "Failed log-ins above 200/min on nw-sso-02"},
            "startsAt": "2026-11-27T01:03:33.000Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.northwind.example:9090/graph",
            "fingerprint": "b7e2d9c1f0a43365",
        },
        {
            "status": "firing",
            "labels": {
                "alertname": "TLSCertificateExpiring",
                "instance": "portal.northwind.example",
                "severity": "info",
            },
            "annotations": {"summary": "Certificate of portal.northwind.example expires in 9 days"},
            "startsAt": "2026-11-27T00:00:00.000Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.northwind.example:9090/graph",
            "fingerprint": "c0ffee0000000001",
        },
    ],
}


def wazuh(**changes) -> dict:
    """A copy of the SSH brute-force alert with top-level or dotted ("agent.name") changes."""
    alert = copy.deepcopy(WAZUH_SSH_BRUTE_FORCE)
    for dotted, value in changes.items():
        target = alert
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return alert
