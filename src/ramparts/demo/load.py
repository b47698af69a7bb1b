"""Write the demo organisation through the inventory import services, so that every row gets its
audit entry and its checks. Rows are matched by natural key: loading twice changes nothing."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from ramparts.core import audit
from ramparts.core.errors import ValidationFailed
from ramparts.core.models import BusinessUnit, User
from ramparts.core.permissions import user_can
from ramparts.core.users import user_create
from ramparts.demo.generate import DEFAULT_SEED, DEMO_PASSWORD, generate
from ramparts.demo.records import DemoOrg, DemoUserRec
from ramparts.inventory.models import Criticality, System
from ramparts.inventory.services import (
    ImportReport,
    PropagationResult,
    data_assets_import,
    dependencies_import,
    people_import,
    propagate_criticality,
    services_import,
    systems_import,
)


@dataclass
class LoadSummary:
    units_created: int = 0
    users_created: list[str] = field(default_factory=list)
    reports: dict[str, ImportReport] = field(default_factory=dict)
    propagation: PropagationResult | None = None
    critical_systems: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.units_created
            or self.users_created
            or any(r.created or r.updated for r in self.reports.values())
            or (self.propagation and self.propagation.changed)
        )


def load_demo(*, seed: int = DEFAULT_SEED) -> LoadSummary:
    """Load (or re-load) the demo organisation in one transaction."""
    org = generate(seed)
    summary = LoadSummary()
    with transaction.atomic():
        summary.units_created = _ensure_units(org)
        actor = _ensure_users(org, summary)
        steps: list[tuple[str, Callable[..., ImportReport], list[dict[str, str]]]] = [
            ("people", people_import, people_rows(org)),
            ("systems", systems_import, system_rows(org)),
            ("data-assets", data_assets_import, data_asset_rows(org)),
            ("services", services_import, service_rows(org)),
            ("dependencies", dependencies_import, dependency_rows(org)),
        ]
        for slug, importer, rows in steps:
            report = importer(actor=actor, rows=rows, dry_run=False)
            if report.errors:
                raise ValidationFailed(f"The demo {slug} did not import.", report.errors)
            summary.reports[slug] = report
        summary.propagation = propagate_criticality()
        summary.critical_systems = System.objects.filter(criticality=Criticality.CRITICAL).count()
    return summary


def _ensure_units(org: DemoOrg) -> int:
    existing = set(BusinessUnit.objects.values_list("code", flat=True))
    new = [
        BusinessUnit(code=u.code, name=u.name, description=u.description) for u in org.units if u.code not in existing
    ]
    for unit in new:
        unit.save()
    audit.record_many(
        None,
        [
            audit.Change(audit.Action.CREATE, "core.businessunit", str(u.pk), u.code, audit.created(audit.snapshot(u)))
            for u in new
        ],
    )
    return len(new)


def _ensure_users(org: DemoOrg, summary: LoadSummary) -> User:
    """Create the demo accounts that do not exist yet; existing ones (and their passwords) are kept."""
    units = {u.code: u for u in BusinessUnit.objects.all()}
    for rec in org.users:
        if not User.objects.filter(username__iexact=rec.username).exists():
            _create_user(rec, units)
            summary.users_created.append(rec.username)
    actor = User.objects.get(username__iexact=org.users[0].username)
    if not user_can(actor, "inventory.import"):
        raise ValidationFailed(
            f"The existing user {actor.username!r} may not import the inventory, so the demo cannot."
        )
    return actor


def _create_user(rec: DemoUserRec, units: dict[str, BusinessUnit]) -> User:
    return user_create(
        actor=None,
        username=rec.username,
        password=DEMO_PASSWORD,
        role=rec.role,
        email=rec.email,
        first_name=rec.first_name,
        last_name=rec.last_name,
        business_units=[units[c] for c in rec.units],
        all_units=rec.all_units,
    )


# --- rows as an import file would hold them -----------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)


def _row(obj: object, names: Iterable[str], **extra: object) -> dict[str, str]:
    row = {name: _cell(getattr(obj, name)) for name in names}
    row.update({k: _cell(v) for k, v in extra.items()})
    return row


PERSON_COLUMNS = (
    "employee_id", "full_name", "email", "kind", "business_unit", "department", "job_title", "manager",
    "status", "start_date", "end_date", "privileged",
)  # fmt: skip
SYSTEM_COLUMNS = (
    "name", "kind", "business_unit", "description", "vendor", "product", "version", "cpe", "hostnames",
    "ip_addresses", "urls", "environment", "internet_facing", "owner", "tags", "lifecycle",
)  # fmt: skip
DATA_COLUMNS = (
    "name", "business_unit", "description", "classification", "personal_data", "special_category_data",
    "health_data", "cardholder_data", "record_count", "confidentiality", "integrity", "availability", "systems",
    "owner", "regulations",
)  # fmt: skip
SERVICE_COLUMNS = (
    "name", "business_unit", "description", "criticality", "rto_hours", "rpo_hours", "owner",
    "confidentiality", "integrity", "availability",
)  # fmt: skip


def people_rows(org: DemoOrg) -> list[dict[str, str]]:
    accounts = {u.person: u.username for u in org.users}
    return [_row(p, PERSON_COLUMNS, user=accounts.get(p.employee_id, "")) for p in org.people]


def system_rows(org: DemoOrg) -> list[dict[str, str]]:
    return [_row(s, SYSTEM_COLUMNS, criticality=s.own_criticality) for s in org.systems]


def data_asset_rows(org: DemoOrg) -> list[dict[str, str]]:
    return [_row(d, DATA_COLUMNS) for d in org.data_assets]


def service_rows(org: DemoOrg) -> list[dict[str, str]]:
    return [_row(s, SERVICE_COLUMNS) for s in org.services]


def dependency_rows(org: DemoOrg) -> list[dict[str, str]]:
    rows = []
    for s in org.services:
        rows += [{"service": s.name, "target_type": "service", "target": t} for t in s.services]
        rows += [{"service": s.name, "target_type": "system", "target": t} for t in s.systems]
        rows += [{"service": s.name, "target_type": "data_asset", "target": t} for t in s.data_assets]
    return rows
