"""Permission-matrix requests of the incidents module (collected by matrix_modules; see its docstring)."""

from tests.security.matrix_base import api, ui


def declare_form(w) -> dict:
    return {
        "title": f"Matrix incident {w.n}",
        "incident_type": "phishing",
        "severity": "high",
        "business_unit": w.unit.code,
    }


MATRIX: dict[str, dict[str, list]] = {
    "incidents.view": {
        "ui": [
            ui("GET", "/incidents/"),
            ui("GET", "/incidents/{incident}/"),
            ui("GET", "/incidents/{incident}/timeline/"),
        ],
        "api": [
            api("GET", "/incidents/incidents"),
            api("GET", "/incidents/incidents/{incident}"),
            api("GET", "/incidents/incidents/{incident}/timeline"),
            api("GET", "/incidents/incidents/{incident}/clocks"),
            api("GET", "/incidents/incidents/{incident}/tasks"),
        ],
    },
    "incidents.declare": {
        "ui": [ui("GET", "/incidents/declare/"), ui("POST", "/incidents/declare/", declare_form)],
        "api": [api("POST", "/incidents/incidents", declare_form)],
    },
    "incidents.manage": {
        "ui": [
            ui("POST", "/incidents/{incident}/transition/", {"to_phase": "analysis"}),
            ui("POST", "/incidents/{incident}/timeline/add/", {"text": "Called the MSSP"}),
            ui("POST", "/incidents/{incident}/tasks/", {"title": "Reset passwords"}),
            ui("POST", "/incidents/{incident}/tasks/{task}/", {"status": "done"}),
            ui("POST", "/incidents/{incident}/observables/", {"kind": "ip", "value": "203.0.113.9", "tlp": "green"}),
            ui("POST", "/incidents/{incident}/techniques/", {"technique_id": "T1566.001"}),
            ui("POST", "/incidents/{incident}/review/", {"root_cause": "Weak MFA"}),
            ui("POST", "/incidents/{incident}/costs/", {"description": "Forensics", "amount": "1200"}),
        ],
        "api": [
            api("POST", "/incidents/incidents/{incident}/transition", {"to_phase": "analysis"}),
            api("POST", "/incidents/incidents/{incident}/timeline", {"text": "Called the MSSP"}),
            api("POST", "/incidents/incidents/{incident}/tasks", {"title": "Reset passwords"}),
            api("PATCH", "/incidents/incidents/{incident}/tasks/{task}", {"status": "done"}),
            api("POST", "/incidents/incidents/{incident}/observables", {"kind": "domain", "value": "evil.example"}),
            api("PUT", "/incidents/incidents/{incident}/conditions", {"conditions": {"personal_data": True}}),
            api("PATCH", "/incidents/incidents/{incident}", {"summary": "Updated"}),
        ],
    },
    "incidents.close": {
        "ui": [ui("POST", "/incidents/{incident}/transition/", {"to_phase": "closed"})],
        "api": [api("POST", "/incidents/incidents/{incident}/transition", {"to_phase": "closed"})],
    },
    "incidents.export": {
        "ui": [
            ui("GET", "/incidents/{incident}/export/md/"),
            ui("GET", "/incidents/{incident}/export/csv/"),
            ui("GET", "/incidents/{incident}/export/stix/"),
        ],
        "api": [api("GET", "/incidents/incidents/{incident}/export/pdf")],
    },
    "incidents.metrics": {
        "ui": [ui("GET", "/incidents/metrics/")],
        "api": [api("GET", "/incidents/metrics")],
    },
}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    """An incident in `unit` (affecting the world's system) with one task."""
    from ramparts.incidents import services

    incident = services.incident_declare(
        actor=owner,
        title="Matrix incident",
        incident_type="other",
        severity="medium",
        business_unit=unit,
        systems=[world.system],
        notify_people=False,
    )
    task = services.task_create(actor=owner, incident=incident, title="Matrix task")
    return {"incident": incident.ref, "task": str(task.number)}
