"""Writes of the incidents module: `<entity>_<verb>(*, actor, ...)`, one transaction each, audited.

Import from here; the submodules are an implementation detail."""

from ramparts.incidents.services.lifecycle import (
    incident_attach_alert,
    incident_declare,
    incident_link_assets,
    incident_link_risks,
    incident_set_conditions,
    incident_transition,
    incident_update,
    refresh_privacy,
)
from ramparts.incidents.services.regulatory import clocks_of, clocks_warn, facts_of, notice_record
from ramparts.incidents.services.response import (
    observable_add,
    observable_remove,
    role_assign,
    role_release,
    technique_add,
    technique_remove,
    timeline_add,
    timeline_pin,
)
from ramparts.incidents.services.review import action_create, action_set_status, cost_add, effort_add, review_update
from ramparts.incidents.services.tasks import checklist_set, playbook_apply, task_create, task_update, tasks_remind

__all__ = [
    "action_create",
    "action_set_status",
    "checklist_set",
    "clocks_of",
    "clocks_warn",
    "cost_add",
    "effort_add",
    "facts_of",
    "incident_attach_alert",
    "incident_declare",
    "incident_link_assets",
    "incident_link_risks",
    "incident_set_conditions",
    "incident_transition",
    "incident_update",
    "notice_record",
    "observable_add",
    "observable_remove",
    "playbook_apply",
    "refresh_privacy",
    "review_update",
    "role_assign",
    "role_release",
    "task_create",
    "task_update",
    "tasks_remind",
    "technique_add",
    "technique_remove",
    "timeline_add",
    "timeline_pin",
]
