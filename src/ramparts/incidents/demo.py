# ruff: noqa: E501 -- the demo stories read best one record per line.

"""Demo incidents for Northwind Mutual: three closed ones from earlier in the year (ransomware, phishing,
lost laptop) with their full lifecycle, reviews, notices and cost, and two open ones whose regulatory
clocks are running (a leaked cloud key, an exposed storage bucket). Written through the services; a
second run finds each incident by its title and changes nothing."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from ramparts.core.models import BusinessUnit, User
from ramparts.incidents import services
from ramparts.incidents.models import Incident, TaskStatus
from ramparts.inventory.models import BusinessService, DataAsset, System


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Story:
    title: str
    unit: str
    kind: str
    severity: str
    summary: str
    occurred: datetime
    detected: datetime
    phases: list[tuple[str, datetime]] = field(default_factory=list)
    systems: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    notes: list[tuple[datetime, str, bool]] = field(default_factory=list)
    iocs: list[tuple[str, str, str]] = field(default_factory=list)
    techniques: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, datetime, str, str]] = field(default_factory=list)
    conditions: dict[str, bool] = field(default_factory=dict)
    review: dict[str, str] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    effort: list[tuple[str, str]] = field(default_factory=list)
    costs: list[tuple[str, str]] = field(default_factory=list)
    tasks_done: int = 0


def _walk(start: datetime, *steps: tuple[str, float]) -> list[tuple[str, datetime]]:
    return [(phase, start + timedelta(hours=hours)) for phase, hours in steps]


def stories(now: datetime) -> list[Story]:
    ransom = _t("2026-03-14T02:40:00")
    phish = _t("2026-06-02T08:15:00")
    laptop = _t("2026-09-20T18:30:00")
    key = now - timedelta(hours=40)
    bucket = now - timedelta(hours=20)
    return [
        Story(
            "Ransomware on the claims file servers (LockBit 3.0)",
            "insurance",
            "ransomware",
            "critical",
            "Files on the claims servers were encrypted overnight; a ransom note demanded 40 BTC. Entry through a "
            "contractor VPN account without MFA. No ransom was paid; data restored from immutable backups.",
            occurred=ransom - timedelta(hours=30),
            detected=ransom,
            phases=_walk(
                ransom,
                ("analysis", 0.5),
                ("containment", 1.5),
                ("eradication", 20),
                ("recovery", 44),
                ("review", 120),
                ("closed", 340),
            ),
            systems=("lon-db-claims01",),
            data=("Claims files",),
            services=("Claims Handling",),
            notes=[
                (
                    ransom - timedelta(hours=30),
                    "Earliest attacker logon through the contractor VPN account (from VPN logs).",
                    True,
                ),
                (ransom + timedelta(minutes=20), "EDR isolated 14 hosts; SMB blocked between server VLANs.", False),
                (
                    ransom + timedelta(hours=6),
                    "Exfiltration of ~12 GB of claims documents confirmed from proxy logs.",
                    True,
                ),
                (
                    ransom + timedelta(hours=60),
                    "Claims Handling back in service from the 13 March immutable backup.",
                    False,
                ),
            ],
            iocs=[
                ("ip", "185.220.101.47", "green"),
                ("domain", "lockbit-decryptor.example", "green"),
                ("hash", "2b0f1c7e5a1d4f6b8c9e0a3d5f7b9c1e2d4f6a8b0c2e4f6a8b0c2d4e6f8a0b2c", "amber"),
                ("account", "ext-contractor-17", "red"),
            ],
            techniques=[
                ("T1133", "External Remote Services"),
                ("T1486", "Data Encrypted for Impact"),
                ("T1490", "Inhibit System Recovery"),
                ("T1567.002", "Exfiltration to Cloud Storage"),
            ],
            notices=[
                (
                    "gdpr.authority",
                    ransom + timedelta(hours=50),
                    "ICO",
                    "Personal-data breach report: claims files of ~9,000 policyholders exfiltrated.",
                ),
                (
                    "nis2.early_warning",
                    ransom + timedelta(hours=18),
                    "National CSIRT",
                    "Early warning: ransomware on claims systems, suspected criminal act.",
                ),
                (
                    "nis2.notification",
                    ransom + timedelta(hours=66),
                    "National CSIRT",
                    "Incident notification with initial assessment and IOCs.",
                ),
                (
                    "dora.initial",
                    ransom + timedelta(hours=3),
                    "PRA/FCA",
                    "Initial notification of a major ICT-related incident.",
                ),
                (
                    "dora.intermediate",
                    ransom + timedelta(hours=70),
                    "PRA/FCA",
                    "Intermediate report: containment and recovery status.",
                ),
            ],
            conditions={"personal_data": True, "significant": True, "major": True},
            review={
                "what_happened": "A contractor's VPN account without MFA was used to enter, move to the claims servers and encrypt them after exfiltrating documents.",
                "went_well": "Immutable backups were intact; EDR isolation took 20 minutes; every regulatory report went out on time.",
                "went_badly": "The contractor account should have expired in January; the SIEM alert on the first logon was closed as a false positive.",
                "root_cause": "No MFA on the contractor VPN profile and no leaver process for contractors.",
            },
            actions=[
                "Enforce MFA on every VPN profile, contractors included",
                "Expire contractor accounts with the contract end date",
            ],
            effort=[
                ("commander", "46"),
                ("scribe", "30"),
                ("legal", "18"),
                ("communications", "12"),
                ("participant", "210"),
            ],
            costs=[("Incident response retainer (forensics)", "38000"), ("Outside counsel", "12500")],
            tasks_done=5,
        ),
        Story(
            "Credential phishing against wealth advisers",
            "wealth",
            "phishing",
            "high",
            "A fake DocuSign e-mail reached 212 advisers; 9 entered their password. Two mailboxes got forwarding rules.",
            occurred=phish - timedelta(hours=3),
            detected=phish,
            phases=_walk(
                phish,
                ("analysis", 0.3),
                ("containment", 1),
                ("eradication", 6),
                ("recovery", 10),
                ("review", 72),
                ("closed", 200),
            ),
            notes=[
                (
                    phish + timedelta(hours=2),
                    "Forwarding rules to an external Gmail address removed from two mailboxes.",
                    True,
                )
            ],
            iocs=[
                ("url", "https://docusign-secure-review.example/login", "clear"),
                ("email", "no-reply@docusign-secure-review.example", "clear"),
            ],
            techniques=[("T1566.002", "Spearphishing Link"), ("T1114.003", "Email Forwarding Rule")],
            conditions={"personal_data": False, "significant": False, "major": False},
            review={"root_cause": "Phishing-resistant MFA not yet rolled out to Wealth Management."},
            actions=["Roll out FIDO2 keys to all wealth advisers"],
            effort=[("commander", "8"), ("participant", "26")],
            tasks_done=3,
        ),
        Story(
            "Lost laptop of a claims handler",
            "insurance",
            "lost_device",
            "medium",
            "Laptop left on a train. BitLocker was on; the device was wiped remotely the next morning.",
            occurred=laptop - timedelta(hours=2),
            detected=laptop,
            phases=_walk(laptop, ("analysis", 14), ("containment", 15), ("review", 40), ("closed", 60)),
            data=("Claims files",),
            conditions={"personal_data": False},
            notes=[
                (
                    laptop + timedelta(hours=15),
                    "Remote wipe confirmed by Intune; encryption at rest verified, so no personal-data breach.",
                    True,
                )
            ],
            tasks_done=3,
        ),
        Story(
            "AWS access key leaked in a public GitHub repository",
            "techops",
            "cloud_key_leak",
            "high",
            "An access key of the data-pipeline IAM user was committed to a public repository; GitHub secret scanning alerted.",
            occurred=key - timedelta(hours=5),
            detected=key,
            phases=_walk(key, ("analysis", 0.25), ("containment", 0.5)),
            notes=[
                (
                    key + timedelta(minutes=40),
                    "Key deactivated; CloudTrail shows three ListBuckets calls from an unknown ASN.",
                    True,
                )
            ],
            iocs=[("ip", "198.51.100.23", "amber"), ("account", "svc-data-pipeline", "amber")],
            techniques=[("T1552.001", "Credentials In Files"), ("T1078.004", "Cloud Accounts")],
            conditions={"major": False},
            tasks_done=1,
        ),
        Story(
            "Customer data exposed through a misconfigured storage bucket",
            "retail",
            "data_breach",
            "critical",
            "A marketing export of customer master records sat in a storage container with anonymous read access for 11 days.",
            occurred=bucket - timedelta(days=11),
            detected=bucket,
            phases=_walk(bucket, ("analysis", 1)),
            data=("Customer master records",),
            notes=[
                (
                    bucket + timedelta(hours=2),
                    "Anonymous access removed; storage logs requested from the cloud provider.",
                    True,
                )
            ],
            notices=[
                (
                    "nis2.early_warning",
                    bucket + timedelta(hours=16),
                    "National CSIRT",
                    "Early warning: possible exposure of customer data.",
                )
            ],
            conditions={"significant": True},
        ),
    ]


def _lookup(model, names):
    return list(model.objects.filter(name__in=names))


def load(*, seed: int) -> list[str]:
    actor = User.objects.filter(username="secmgr").first() or User.objects.filter(role="admin").first()
    if actor is None:
        return ["incidents: no security manager or admin to declare the demo incidents; skipped"]
    analyst = User.objects.filter(username="analyst").first()
    units = {u.code: u for u in BusinessUnit.objects.all()}
    now = timezone.now().replace(second=0, microsecond=0)
    created = []
    for story in stories(now):
        if Incident.objects.filter(title=story.title).exists() or story.unit not in units:
            continue
        _tell(story, actor=actor, analyst=analyst, unit=units[story.unit])
        created.append(story.title)
    if not created:
        return ["incidents: demo incidents already present"]
    return [f"incidents: {len(created)} demo incidents ({', '.join(created)})"]


def _tell(story: Story, *, actor, analyst, unit) -> Incident:
    incident = services.incident_declare(
        actor=actor,
        title=story.title,
        incident_type=story.kind,
        severity=story.severity,
        business_unit=unit,
        summary=story.summary,
        occurred_at=story.occurred,
        occurred_estimated=True,
        detected_at=story.detected,
        declared_at=story.detected + timedelta(minutes=10),
        systems=_lookup(System, story.systems),
        data_assets=_lookup(DataAsset, story.data),
        services=_lookup(BusinessService, story.services),
        notify_people=False,
    )
    if story.conditions:
        services.incident_set_conditions(actor=actor, incident=incident, conditions=story.conditions)
    if analyst is not None and analyst.is_active:
        when = story.detected + timedelta(minutes=15)
        services.role_assign(actor=actor, incident=incident, user=analyst, role="scribe", at=when)
    for occurred, text, pinned in story.notes:
        services.timeline_add(actor=actor, incident=incident, text=text, occurred_at=occurred, pinned=pinned)
    for kind, value, tlp in story.iocs:
        services.observable_add(actor=actor, incident=incident, kind=kind, value=value, tlp=tlp)
    for technique_id, name in story.techniques:
        services.technique_add(actor=actor, incident=incident, technique_id=technique_id, name=name)
    for task in list(incident.tasks.order_by("number"))[: story.tasks_done]:
        services.task_update(actor=actor, task=task, status=TaskStatus.DONE)
    for rule_id, sent_at, recipient, content in story.notices:
        services.notice_record(
            actor=actor, incident=incident, rule_id=rule_id, sent_at=sent_at, recipient=recipient, content=content
        )
    for phase, at in story.phases:
        if phase == "review" and story.review:
            services.review_update(actor=actor, incident=incident, **story.review)
        incident = services.incident_transition(actor=actor, incident=incident, to_phase=phase, at=at)
    for title in story.actions:
        services.action_create(actor=actor, incident=incident, title=title, owner=actor)
    for role, hours in story.effort:
        services.effort_add(actor=actor, incident=incident, role=role, hours=hours)
    for description, amount in story.costs:
        services.cost_add(actor=actor, incident=incident, description=description, amount=amount)
    return incident
