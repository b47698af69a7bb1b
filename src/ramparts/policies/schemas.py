"""Shapes of the policies API."""

import datetime as dt

from ninja import Field, Schema

from ramparts.policies.engine.markdown import render
from ramparts.policies.models import Policy, PolicyException, PolicyVersion


class VersionBrief(Schema):
    label: str
    status: str
    change_summary: str
    published_at: dt.datetime | None


def _user(user) -> str | None:
    return user.username if user is not None else None


class PolicyOut(Schema):
    ref: str
    title: str
    kind: str
    state: str
    summary: str
    business_unit: str
    owner: str | None
    current_version: VersionBrief | None
    review_interval_months: int
    next_review_on: dt.date | None
    last_reviewed_on: dt.date | None
    audience_units: list[str]
    audience_roles: list[str]
    controls: list[str]
    requirements: list[str]

    @staticmethod
    def resolve_business_unit(obj: Policy) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_owner(obj: Policy) -> str | None:
        return _user(obj.owner)

    @staticmethod
    def resolve_audience_units(obj: Policy) -> list[str]:
        return [u.code for u in obj.audience_units.all()]

    @staticmethod
    def resolve_audience_roles(obj: Policy) -> list[str]:
        return obj.role_list

    @staticmethod
    def resolve_controls(obj: Policy) -> list[str]:
        return [c.ref for c in obj.controls.all()]

    @staticmethod
    def resolve_requirements(obj: Policy) -> list[str]:
        return [f"{r.framework.slug}:{r.identifier}" for r in obj.requirements.all()]


class PolicyIn(Schema):
    title: str
    business_unit: str
    text: str = Field(description="Markdown text of version 1.0 (the first draft)")
    kind: str = "policy"
    change_summary: str = ""
    summary: str = ""
    owner: str | None = Field(None, description="username; default: you")
    review_interval_months: int = 12
    audience_units: list[str] = Field(default_factory=list, description="unit codes; empty: the whole organisation")
    audience_roles: list[str] = Field(default_factory=list, description="role values; empty: every role")
    controls: list[str] = Field(default_factory=list, description="control refs (CTL-12)")
    requirements: list[str] = Field(default_factory=list, description="framework-slug:identifier")


class PolicyPatch(Schema):
    title: str | None = None
    kind: str | None = None
    summary: str | None = None
    business_unit: str | None = None
    owner: str | None = None
    review_interval_months: int | None = None
    audience_units: list[str] | None = None
    audience_roles: list[str] | None = None
    controls: list[str] | None = None
    requirements: list[str] | None = None


class PolicyFilterIn(Schema):
    q: str = ""
    kind: str = ""
    state: str = Field("", description="draft, in_approval, published, retired")
    review: str = Field("", description="overdue, due_soon")
    business_unit: str = ""
    owner: str = ""
    sort: str = "ref"


class VersionOut(Schema):
    policy: str
    label: str
    major: int
    minor: int
    status: str
    change_summary: str
    text: str
    html: str = Field(description="The text rendered to sanitised HTML")
    author: str | None
    submitted_by: str | None
    submitted_at: dt.datetime | None
    approver: str | None
    approved_at: dt.datetime | None
    decision_note: str
    published_by: str | None
    published_at: dt.datetime | None
    ended_at: dt.datetime | None

    @staticmethod
    def resolve_policy(obj: PolicyVersion) -> str:
        return obj.policy.ref

    @staticmethod
    def resolve_html(obj: PolicyVersion) -> str:
        return render(obj.text)

    @staticmethod
    def resolve_author(obj: PolicyVersion) -> str | None:
        return _user(obj.author)

    @staticmethod
    def resolve_submitted_by(obj: PolicyVersion) -> str | None:
        return _user(obj.submitted_by)

    @staticmethod
    def resolve_approver(obj: PolicyVersion) -> str | None:
        return _user(obj.approver)

    @staticmethod
    def resolve_published_by(obj: PolicyVersion) -> str | None:
        return _user(obj.published_by)


class VersionIn(Schema):
    bump: str = Field(description='"major" (everyone acknowledges again) or "minor"')
    text: str
    change_summary: str


class VersionPatch(Schema):
    text: str | None = None
    change_summary: str | None = None


class NoteIn(Schema):
    note: str = ""


class DiffLineOut(Schema):
    op: str
    old_no: int | None
    new_no: int | None
    text: str


class DiffOut(Schema):
    old: str
    new: str
    added: int
    removed: int
    lines: list[DiffLineOut]


class MyPolicyOut(Schema):
    ref: str
    title: str
    kind: str
    version: str
    published_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    html: str | None = None

    @staticmethod
    def resolve_version(obj: Policy) -> str:
        return obj.current_version.label if obj.current_version else ""

    @staticmethod
    def resolve_published_at(obj: Policy) -> dt.datetime | None:
        return obj.current_version.published_at if obj.current_version else None


class AcknowledgeIn(Schema):
    version: str | None = Field(None, description="the version you read; refused if a newer one is published")


class AcknowledgementOut(Schema):
    policy: str
    version: str
    acknowledged_at: dt.datetime


class RateOut(Schema):
    addressed: int
    acknowledged: int
    missing: int
    percent: float | None


class PolicyRateOut(RateOut):
    policy: str
    title: str
    version: str


class PageOfRates(Schema):
    count: int
    page: int
    page_size: int
    items: list[PolicyRateOut]


class DepartmentRateOut(RateOut):
    department: str


class PolicyReportOut(RateOut):
    policy: str
    version: str
    departments: list[DepartmentRateOut]


class MissingPersonOut(Schema):
    ref: str
    employee_id: str
    full_name: str
    email: str
    department: str
    business_unit: str
    account: str | None

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_account(obj) -> str | None:
        return _user(obj.user)


class ExceptionOut(Schema):
    ref: str
    title: str
    policy: str
    business_unit: str
    status: str = Field(description="today's status: an approved exception past its date is expired")
    justification: str
    compensating_controls: str
    systems: list[str]
    risk: str | None = Field(description="the risk register entry (RISK-12)")
    expires_on: dt.date
    requested_by: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_policy(obj: PolicyException) -> str:
        return obj.policy.ref

    @staticmethod
    def resolve_business_unit(obj: PolicyException) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_status(obj: PolicyException) -> str:
        return obj.status_now

    @staticmethod
    def resolve_systems(obj: PolicyException) -> list[str]:
        return [s.ref for s in obj.systems.all()]

    @staticmethod
    def resolve_risk(obj: PolicyException) -> str | None:
        return obj.risk.ref if obj.risk is not None else None

    @staticmethod
    def resolve_requested_by(obj: PolicyException) -> str | None:
        return _user(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj: PolicyException) -> str | None:
        return _user(obj.decided_by)


class ExceptionIn(Schema):
    policy: str
    business_unit: str
    title: str
    justification: str
    expires_on: dt.date
    systems: list[str] = Field(default_factory=list, description="system refs (SYS-12)")
    compensating_controls: str = ""
    risk: str | None = Field(None, description="risk ref (RISK-12)")


class ExceptionPatch(Schema):
    title: str | None = None
    justification: str | None = None
    compensating_controls: str | None = None
    expires_on: dt.date | None = None
    systems: list[str] | None = None
    risk: str | None = None


class ExceptionFilterIn(Schema):
    q: str = ""
    status: str = ""
    policy: str = ""
    system: str = ""
    business_unit: str = ""
    sort: str = "ref"


class RenewIn(Schema):
    expires_on: dt.date
    justification: str | None = None
