"""API shapes of the incidents module. Times are ISO 8601 with offset (UTC)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class IncidentOut(Schema):
    ref: str
    title: str
    incident_type: str
    severity: str = Field(..., alias="get_severity_display")
    priority: str = Field(..., alias="get_priority_display")
    phase: str
    business_unit: str = Field(..., alias="business_unit.code")
    summary: str
    personal_data: bool
    declared_at: datetime
    occurred_at: datetime | None
    occurred_estimated: bool
    detected_at: datetime | None
    reported_at: datetime | None
    acknowledged_at: datetime | None
    contained_at: datetime | None
    eradicated_at: datetime | None
    recovered_at: datetime | None
    closed_at: datetime | None
    aware_at: datetime | None
    classified_at: datetime | None
    determined_at: datetime | None
    material_at: datetime | None
    discovered_at: datetime | None
    payment_at: datetime | None


class ClockOut(Schema):
    regime: str
    report: str
    rule_id: str
    source: str
    due: datetime | None
    basis: str
    state: str
    remaining_seconds: int | None
    level: int
    provisional: bool
    assumed: list[str]
    waiting_for: list[str]
    submitted_at: datetime | None


class ChecklistOut(Schema):
    id: int
    text: str
    done: bool
    done_at: datetime | None


class TaskOut(Schema):
    ref: str
    number: int
    title: str
    description: str
    phase: str
    owner: str | None = Field(None, alias="owner.username")
    due_at: datetime | None
    status: str
    playbook: str
    completed_at: datetime | None
    checklist: list[ChecklistOut]

    @staticmethod
    def resolve_checklist(obj) -> list:
        items = getattr(obj, "checklist_items", None)  # attached by selectors.attach_checklists
        return list(obj.checklist.all()) if items is None else items


class RoleOut(Schema):
    id: int
    user: str = Field(..., alias="user.username")
    role: str
    held_from: datetime
    held_until: datetime | None


class EntryOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    written_at: datetime
    author: str | None = Field(None, alias="author.username")
    text: str
    pinned: bool


class ObservableOut(Schema):
    id: int
    kind: str
    value: str
    tlp: str
    note: str
    added_at: datetime


class TechniqueOut(Schema):
    id: int
    technique_id: str
    name: str


class NoticeOut(Schema):
    id: int
    rule_id: str
    sent_at: datetime
    recipient: str
    content: str
    reference: str
    evidence_name: str
    evidence_sha256: str
    evidence_size: int | None


class ActionOut(Schema):
    ref: str
    number: int
    title: str
    owner: str | None = Field(None, alias="owner.username")
    due_on: date | None
    status: str
    control: str | None
    treatment_plan: int | None = Field(None, alias="treatment_plan_id")

    @staticmethod
    def resolve_control(obj) -> str | None:
        return obj.control.ref if obj.control_id else None


class ReviewOut(Schema):
    what_happened: str = ""
    went_well: str = ""
    went_badly: str = ""
    root_cause: str = ""


class IncidentDetailOut(IncidentOut):
    """Built from the incident with the page's lists attached (see api._detail)."""

    conditions: dict[str, bool] = Field(..., alias="api_conditions")
    systems: list[str] = Field(..., alias="api_systems")
    data_assets: list[str] = Field(..., alias="api_data_assets")
    services: list[str] = Field(..., alias="api_services")
    risks: list[str] = Field(..., alias="api_risks")
    roles: list[RoleOut] = Field(..., alias="api_roles")
    tasks: list[TaskOut] = Field(..., alias="api_tasks")
    clocks: list[ClockOut] = Field(..., alias="api_clocks")
    observables: list[ObservableOut] = Field(..., alias="api_observables")
    techniques: list[TechniqueOut] = Field(..., alias="api_techniques")
    notices: list[NoticeOut] = Field(..., alias="api_notices")
    actions: list[ActionOut] = Field(..., alias="api_actions")
    review: ReviewOut | None = Field(None, alias="api_review")
    cost_total: Decimal = Field(..., alias="api_cost_total")
    timeline_total: int = Field(..., alias="api_timeline_total")


class DeclareIn(Schema):
    title: str
    incident_type: str
    severity: str
    business_unit: str  # unit code
    priority: str | None = None
    summary: str = ""
    occurred_at: datetime | None = None
    occurred_estimated: bool = False
    detected_at: datetime | None = None
    aware_at: datetime | None = None
    systems: list[str] = []
    data_assets: list[str] = []
    services: list[str] = []


class IncidentPatchIn(Schema):
    title: str | None = None
    summary: str | None = None
    incident_type: str | None = None
    severity: str | None = None
    priority: str | None = None
    occurred_estimated: bool | None = None
    occurred_at: datetime | None = None
    detected_at: datetime | None = None
    reported_at: datetime | None = None
    acknowledged_at: datetime | None = None
    contained_at: datetime | None = None
    eradicated_at: datetime | None = None
    recovered_at: datetime | None = None
    closed_at: datetime | None = None
    aware_at: datetime | None = None
    classified_at: datetime | None = None
    determined_at: datetime | None = None
    material_at: datetime | None = None
    discovered_at: datetime | None = None
    payment_at: datetime | None = None


class TransitionIn(Schema):
    to_phase: str
    at: datetime | None = None
    note: str = ""


class ConditionsIn(Schema):
    conditions: dict[str, bool | None]


class RoleIn(Schema):
    user: str  # username
    role: str
    at: datetime | None = None


class TaskIn(Schema):
    title: str
    description: str = ""
    owner: str | None = None
    due_at: datetime | None = None
    phase: str = ""
    checklist: list[str] = []


class TaskPatchIn(Schema):
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    due_at: datetime | None = None
    status: str | None = None


class ChecklistIn(Schema):
    done: bool


class EntryIn(Schema):
    text: str
    occurred_at: datetime | None = None
    pinned: bool = False


class PinIn(Schema):
    pinned: bool


class ObservableIn(Schema):
    kind: str
    value: str
    tlp: str = "amber"
    note: str = ""


class TechniqueIn(Schema):
    technique_id: str
    name: str = ""


class RisksIn(Schema):
    risks: list[str]  # RISK-4 ...
    remove: bool = False


class AssetsIn(Schema):
    systems: list[str] = []
    data_assets: list[str] = []
    services: list[str] = []
    remove: bool = False


class ReviewIn(Schema):
    what_happened: str | None = None
    went_well: str | None = None
    went_badly: str | None = None
    root_cause: str | None = None


class ActionIn(Schema):
    title: str
    owner: str | None = None
    due_on: date | None = None
    control: str | None = None
    treatment_plan: int | None = None


class ActionPatchIn(Schema):
    status: str


class EffortIn(Schema):
    role: str
    hours: Decimal
    user: str | None = None
    note: str = ""


class CostIn(Schema):
    description: str
    amount: Decimal


class MeasureOut(Schema):
    key: str
    label: str
    n: int
    mean_hours: float | None
    median_hours: float | None


class GroupOut(Schema):
    key: str
    label: str
    count: int
    measures: list[MeasureOut]


class MetricsOut(Schema):
    overall: GroupOut
    by_type: list[GroupOut]
    by_severity: list[GroupOut]
    by_month: list[GroupOut]
    cost_total: Decimal
    cost_by_type: dict[str, Decimal]
    currency: str
