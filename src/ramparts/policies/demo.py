"""Northwind Mutual's policy library: ten published policies, standards and procedures (one with a
minor revision to compare), a standard awaiting approval, acknowledgements by the demo users, two
reviews falling due and one approved exception for an end-of-life server.

Written through the services (approved by the executive, never by the author) and idempotent:
a policy or exception whose title exists is left as it is, and acknowledging twice changes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ramparts.core.models import User
from ramparts.inventory.models import System
from ramparts.policies import services
from ramparts.policies.models import Policy, PolicyException


@dataclass(frozen=True)
class DemoPolicy:
    title: str
    kind: str
    summary: str
    text: str
    units: tuple[str, ...] = ()  # empty: the whole organisation
    roles: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()  # NIST CSF 2.0 identifiers
    review_months: int = 12
    acknowledged_by: tuple[str, ...] = ()
    revisions: tuple[tuple[str, str], ...] = field(default=())  # (change summary, text appended), minor


POLICIES = [
    DemoPolicy(
        "Information Security Policy",
        "policy",
        "The board's commitment and the principles every other policy and standard follows.",
        "# Information Security Policy\n\n## Purpose\nNorthwind Mutual protects the information entrusted to "
        "it by customers, employees and partners. This policy sets the principles; standards and procedures "
        "say how.\n\n## Principles\n1. Information is classified and handled according to its classification.\n"
        "2. Access is granted on a need-to-know basis and reviewed.\n3. Risks are assessed and treated within "
        "the appetite set by the board.\n4. Incidents are reported at once and handled by the security team.\n\n"
        "## Responsibilities\n- The **CISO** owns this policy and reports to the board every quarter.\n"
        "- **Managers** make sure their teams know and follow it.\n- **Everyone** acknowledges it every year.\n",
        requirements=("GV.PO-01", "GV.PO-02", "GV.RR-01"),
        acknowledged_by=("secmgr", "analyst", "auditor", "executive", "employee"),
    ),
    DemoPolicy(
        "Acceptable Use Policy",
        "policy",
        "What employees and contractors may and may not do with Northwind Mutual's systems and data.",
        "# Acceptable Use Policy\n\n## You may\n- Use company systems for your work, and e-mail for brief "
        "personal messages.\n\n## You must not\n- Share your password or MFA codes with anyone, including IT.\n"
        "- Install software that IT has not approved.\n- Store customer data on personal devices or "
        "personal cloud storage.\n\n## Report\nForward suspicious e-mails with the **Report phishing** button.\n",
        requirements=("PR.AT-01",),
        acknowledged_by=("secmgr", "analyst", "employee"),
        revisions=(
            (
                "Clarified personal use of e-mail",
                "\n## Monitoring\nCompany systems are monitored "
                "for security; monitoring follows the Employee Privacy Notice.\n",
            ),
        ),
    ),
    DemoPolicy(
        "Access Control Standard",
        "standard",
        "Accounts, authentication and access reviews for every system.",
        "# Access Control Standard\n\n| Control | Requirement |\n|---|---|\n| Accounts | One named account "
        "per person; shared accounts need a CISO exception |\n| MFA | Required for remote access and every "
        "administrator |\n| Reviews | System owners review access every quarter, privileged access monthly |\n"
        "| Leavers | Access removed on the last working day |\n",
        roles=("admin", "security_manager", "analyst", "auditor"),
        requirements=("PR.AA-01", "PR.AA-03", "PR.AA-05"),
        acknowledged_by=("secmgr", "analyst"),
    ),
    DemoPolicy(
        "Incident Response Policy",
        "policy",
        "How incidents are reported, declared, handled and learned from.",
        "# Incident Response Policy\n\n1. **Report** anything suspicious to the service desk or "
        "security@northwind.example at once, day or night.\n2. The security team triages within 30 minutes "
        "and declares an incident when needed.\n3. Personal data breaches are assessed for notification "
        "within 24 hours; regulators are told within 72 hours when required.\n4. Every major incident ends "
        "with a post-incident review.\n",
        requirements=("RS.MA-01", "RS.CO-02"),
        acknowledged_by=("secmgr", "analyst", "executive"),
    ),
    DemoPolicy(
        "Data Classification and Handling Standard",
        "standard",
        "Four classification levels and how each is stored, sent and destroyed.",
        "# Data Classification and Handling Standard\n\n| Level | Examples | Sending outside |\n|---|---|---|\n"
        "| Public | Product brochures | Freely |\n| Internal | Procedures, org charts | Business need |\n"
        "| Confidential | Customer records, contracts | Encrypted only |\n| Restricted | Health claims, "
        "card data | Encrypted, named recipients, logged |\n\nLabel documents with their level. When in "
        "doubt, treat data as Confidential.\n",
        requirements=("ID.AM-07", "PR.DS-01"),
        review_months=24,
        acknowledged_by=("auditor",),
    ),
    DemoPolicy(
        "Password and Authentication Standard",
        "standard",
        "Passphrases, password managers and multi-factor authentication.",
        "# Password and Authentication Standard\n\n- Use a passphrase of at least 14 characters; never reuse "
        "it elsewhere.\n- Keep passwords in the company password manager.\n- Turn on MFA wherever it is "
        "offered; use the authenticator app, not SMS.\n- Passwords are changed only when there is a reason "
        "to believe they are known to someone else.\n",
        requirements=("PR.AA-03",),
    ),
    DemoPolicy(
        "Vulnerability and Patch Management Standard",
        "standard",
        "Scanning and fixing deadlines for Technology & Operations.",
        "# Vulnerability and Patch Management Standard\n\nEvery system is scanned weekly. Fix deadlines from "
        "discovery:\n\n| Priority | Internet-facing | Internal |\n|---|---|---|\n| Critical / KEV | 7 days "
        "| 15 days |\n| High | 15 days | 30 days |\n| Medium | 60 days | 90 days |\n\nSystems that cannot be "
        "patched need an approved exception naming the compensating controls.\n",
        units=("techops",),
        requirements=("ID.RA-01", "PR.PS-02"),
        review_months=6,
        acknowledged_by=("analyst",),
    ),
    DemoPolicy(
        "Backup and Recovery Procedure",
        "procedure",
        "How critical systems are backed up and how restores are tested.",
        "# Backup and Recovery Procedure\n\n1. Critical systems are backed up daily; one copy is immutable "
        "and off-site.\n2. Each quarter, the infrastructure team restores one critical system in the "
        "recovery environment and records the time taken against its RTO.\n3. Failed backups open a "
        "ticket the same day.\n",
        units=("techops",),
        requirements=("PR.DS-11",),
    ),
    DemoPolicy(
        "Remote Working and Mobile Device Standard",
        "standard",
        "Working from home, travelling, and company phones and laptops.",
        "# Remote Working and Mobile Device Standard\n\n- Connect through the company VPN; never leave a "
        "laptop unlocked in public.\n- Company phones are enrolled in device management; a lost phone is "
        "reported within one hour so it can be wiped.\n- Do not print customer data at home.\n",
        acknowledged_by=("employee",),
    ),
    DemoPolicy(
        "Third-Party Security Policy",
        "policy",
        "Security due diligence and contract terms for suppliers handling our data.",
        "# Third-Party Security Policy\n\nBefore a supplier receives Confidential or Restricted data, "
        "Procurement obtains a security questionnaire, the security team rates the supplier, and the "
        "contract includes breach notification within 24 hours and a right to audit. Critical suppliers "
        "are re-assessed every year.\n",
        units=("group", "commercial"),
        roles=("admin", "security_manager", "analyst", "auditor", "executive"),
        requirements=("GV.SC-01", "GV.SC-05"),
    ),
]
IN_APPROVAL = DemoPolicy(
    "Cryptography Standard", "standard",
    "Approved algorithms, key lengths and key management.",
    "# Cryptography Standard\n\n- TLS 1.2 or later for every connection carrying Internal data or above.\n"
    "- AES-256 for data at rest; keys in the cloud KMS or the HSM, rotated yearly.\n- No home-made "
    "cryptography.\n",
    requirements=("PR.DS-01", "PR.DS-02"),
)  # fmt: skip
EXCEPTION_TITLE = "lon-legacy01 runs Windows Server 2012 past end of support"


def _requirements(identifiers: tuple[str, ...]) -> list[str]:
    """The CSF 2.0 requirements of the built-in framework, when the frameworks demo installed it."""
    from ramparts.frameworks.models import Requirement
    from ramparts.frameworks.services.builtin import BUILTIN_CSF_SLUG

    wanted = [f"{BUILTIN_CSF_SLUG}:{i}" for i in identifiers]
    present = set(
        Requirement.objects.filter(framework__slug=BUILTIN_CSF_SLUG, identifier__in=identifiers).values_list(
            "identifier", flat=True
        )
    )
    return [ref for ref, i in zip(wanted, identifiers, strict=True) if i in present]


def _create(spec: DemoPolicy, *, author: User, approver: User, publish: bool) -> Policy:
    policy = services.policy_create(
        actor=author,
        business_unit="group",
        title=spec.title,
        kind=spec.kind,
        text=spec.text,
        change_summary="First version",
        summary=spec.summary,
        review_interval_months=spec.review_months,
        audience_units=list(spec.units),
        audience_roles=list(spec.roles),
        requirements=_requirements(spec.requirements),
    )
    services.version_submit(actor=author, ref=policy.ref, label="1.0")
    if not publish:
        return policy
    services.version_approve(actor=approver, ref=policy.ref, label="1.0", note="Approved by the executive committee.")
    services.version_publish(actor=author, ref=policy.ref, label="1.0")
    text = spec.text
    for summary, addition in spec.revisions:
        text += addition
        version = services.version_create(actor=author, ref=policy.ref, bump="minor", text=text, change_summary=summary)
        services.version_submit(actor=author, ref=policy.ref, label=version.label)
        services.version_approve(actor=approver, ref=policy.ref, label=version.label)
        services.version_publish(actor=author, ref=policy.ref, label=version.label)
    return policy


def load(*, seed: int) -> list[str]:
    del seed  # the library is the same for every demo organisation
    names = ["secmgr", "executive", "analyst", "auditor", "employee"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if "secmgr" not in users or "executive" not in users:
        return ["policies: the demo users are missing; run the inventory demo first"]
    author, approver = users["secmgr"], users["executive"]
    existing = set(Policy.objects.values_list("title", flat=True))
    created = acknowledged = 0
    with transaction.atomic():
        for spec in POLICIES:
            if spec.title not in existing:
                _create(spec, author=author, approver=approver, publish=True)
                created += 1
        if IN_APPROVAL.title not in existing:
            _create(IN_APPROVAL, author=author, approver=approver, publish=False)
            created += 1
        policies = {p.title: p for p in Policy.objects.filter(title__in=[s.title for s in POLICIES])}
        if created:
            _reviews_due(author, policies)
        for spec in POLICIES:
            for username in spec.acknowledged_by:
                user = users.get(username)
                policy = policies[spec.title]
                if user is None or policy.acknowledgements.filter(user=user).exists():
                    continue
                services.policy_acknowledge(actor=user, ref=policy.ref)
                acknowledged += 1
        exceptions = _exception(author, approver, policies)
    lines = [f"policies: {created} created, {acknowledged} acknowledgements, {exceptions} exception"]
    return lines if created or acknowledged or exceptions else ["policies: already loaded, nothing changed"]


def _reviews_due(author: User, policies: dict[str, Policy]) -> None:
    """One review overdue and one due in two weeks, so that reminders and the overdue list show."""
    today = timezone.localdate()
    for title, when in (
        ("Password and Authentication Standard", today - dt.timedelta(days=12)),
        ("Backup and Recovery Procedure", today + dt.timedelta(days=14)),
    ):
        services.policy_update(actor=author, ref=policies[title].ref, next_review_on=when)


def _exception(author: User, approver: User, policies: dict[str, Policy]) -> int:
    if PolicyException.objects.filter(title=EXCEPTION_TITLE).exists():
        return 0
    legacy = System.objects.filter(name="lon-legacy01").first()
    exc = services.exception_create(
        actor=author,
        policy=policies["Vulnerability and Patch Management Standard"].ref,
        business_unit=legacy.business_unit if legacy else "insurance",
        title=EXCEPTION_TITLE,
        justification="The legacy policy archive cannot move to a supported OS before its decommissioning; "
        "the data migration to the new document platform finishes next quarter.",
        compensating_controls="Isolated VLAN, no internet access, inbound RDP only from the jump host, "
        "EDR in block mode, weekly review of its logs.",
        systems=[legacy.ref] if legacy else [],
        expires_on=timezone.localdate() + dt.timedelta(days=120),
    )
    services.exception_approve(actor=approver, ref=exc.ref, note="Accepted until the archive is migrated.")
    return 1
