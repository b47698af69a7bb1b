"""API shapes of findings, facets, triage and feeds."""

import datetime as dt

from ninja import Field, Schema


class FindingFilterIn(Schema):
    """The list's filters (same names and values as the UI's query string; see ramparts.vulns.filters)."""

    q: str = ""
    status: str = Field("open", description="open, fixed, false_positive, risk_accepted or all")
    severity: str = Field("", description="comma-separated: critical,high,medium,low,info")
    priority: str = Field("", description="comma-separated SSVC decisions: act,attend,track_star,track")
    kev: bool | None = None
    epss: str = Field("", description="comma-separated bands: very_high,high,medium,low")
    tool: str = ""
    system: str = Field("", description="SYS-n")
    business_unit: str = Field("", description="business unit code")
    age: str = Field("", description="week, month, quarter, year or older (since first seen)")
    overdue: bool | None = None
    cve: str = ""
    assignee: str = Field("", description="a username, or me")
    sort: str = Field("priority", description="priority, severity, due, first_seen, last_seen, epss, ref")


class FindingOut(Schema):
    ref: str
    title: str
    severity: str
    priority: str
    ssvc_decision: str
    status: str
    cve: str
    tool: str
    package: str
    host: str
    system: str | None
    system_name: str | None
    business_unit: str
    assignee: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    sla_due: dt.date | None
    kev_date_added: dt.date | None
    epss_score: float | None

    @staticmethod
    def resolve_severity(obj) -> str:
        return obj.severity_label

    @staticmethod
    def resolve_priority(obj) -> str:
        return obj.priority_label

    @staticmethod
    def resolve_last_seen(obj) -> dt.datetime:
        return obj.last_seen_at

    @staticmethod
    def resolve_system(obj) -> str | None:
        return obj.system.ref if obj.system_id else None

    @staticmethod
    def resolve_system_name(obj) -> str | None:
        return obj.system.name if obj.system_id else None

    @staticmethod
    def resolve_business_unit(obj) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return obj.assignee.username if obj.assignee_id else None


class CommentOut(Schema):
    author: str | None
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.username if obj.author_id else None


class AcceptanceOut(Schema):
    reason: str
    requested_by: str | None
    approver: str | None
    expires_on: dt.date
    created_at: dt.datetime
    state: str

    @staticmethod
    def resolve_requested_by(obj) -> str | None:
        return obj.requested_by.username if obj.requested_by_id else None

    @staticmethod
    def resolve_approver(obj) -> str | None:
        return obj.approver.username if obj.approver_id else None


class FindingDetailOut(FindingOut):
    description: str
    scanner_severity: str
    cvss3_vector: str
    cvss3_score: float | None
    cvss4_vector: str
    cvss4_score: float | None
    cwe: int | None
    aliases: list[str]
    installed_version: str
    fixed_version: str
    ecosystem: str
    purl: str
    ip: str
    port: int | None
    url: str
    image: str
    repository: str
    file_path: str
    line: int | None
    rule_id: str
    exploit_available: bool
    kev_due_date: dt.date | None
    kev_ransomware: bool
    epss_percentile: float | None
    epss_date: dt.date | None
    exploitation: str
    automatable: str
    technical_impact: str
    mission_wellbeing: str
    ssvc_reasons: list[str]
    triage_reason: str
    accepted_until: dt.date | None
    fixed_at: dt.datetime | None
    comments: list[CommentOut]
    acceptances: list[AcceptanceOut]

    @staticmethod
    def resolve_aliases(obj) -> list[str]:
        return [a for a in obj.aliases.split("\n") if a]

    @staticmethod
    def resolve_ssvc_reasons(obj) -> list[str]:
        from ramparts.vulns.enrichment import explain

        decision = explain(obj)
        return decision.reasons if decision else []

    @staticmethod
    def resolve_comments(obj) -> list:
        return list(obj.comments.select_related("author"))

    @staticmethod
    def resolve_acceptances(obj) -> list:
        return list(obj.acceptances.select_related("approver", "requested_by"))


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    total: int
    groups: dict[str, list[FacetValueOut]]


class AssignIn(Schema):
    assignee: str | None = Field(None, description="username; null or empty to unassign")


class CommentIn(Schema):
    body: str


class ReasonIn(Schema):
    reason: str


class AcceptIn(Schema):
    reason: str
    expires_on: dt.date
    approver: str | None = Field(None, description="username holding vulns.accept; default: you")


class BulkIn(Schema):
    action: str = Field(description="assign, false_positive, accept or reopen")
    refs: list[str] = Field(default_factory=list, description="FND-n refs; or give `filters` instead")
    filters: FindingFilterIn | None = Field(None, description="apply to every finding matching these filters")
    assignee: str | None = None
    reason: str = ""
    expires_on: dt.date | None = None
    approver: str | None = None


class BulkOut(Schema):
    changed: int


class CveSystemOut(Schema):
    system: str | None
    name: str | None
    criticality: int | None
    internet_facing: bool | None
    open: int
    findings: int


class CveOut(Schema):
    cve: str
    in_kev: bool
    kev_date_added: dt.date | None
    kev_due_date: dt.date | None
    kev_ransomware: bool | None
    kev_name: str
    epss_score: float | None
    epss_percentile: float | None
    epss_date: dt.date | None
    open_findings: int
    finding_count: int  # every finding of the CVE the caller sees; `findings` lists the first 200
    systems: list[CveSystemOut]  # every affected system, most open findings first
    services: list[str]
    findings: list[FindingOut]


class FeedOut(Schema):
    feed: str
    name: str
    url: str
    last_update: dt.datetime | None
    source: str
    count: int
    version: str
    sha256: str


class FeedUpdateOut(Schema):
    feed: str
    source: str
    count: int
    sha256: str
    version: str
    findings_updated: int
