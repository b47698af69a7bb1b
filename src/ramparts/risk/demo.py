"""Demo risks for Northwind Mutual (an insurer with retail, commercial and wealth arms): the
register, categories, the board's appetite, treatments and one executive acceptance.

Everything goes through the risk services (checked, audited). Idempotent: risks are keyed by
title, categories by name, statements by category; a second run changes nothing.
"""

import datetime as dt

from django.utils import timezone

from ramparts.core.models import BusinessUnit, User
from ramparts.inventory.models import BusinessService, DataAsset, System
from ramparts.risk import services
from ramparts.risk.models import AppetiteStatement, Risk, RiskAcceptance, RiskCategory, RiskSnapshot

CATEGORIES = {
    "Cyber": "Attacks on our systems and data: ransomware, intrusion, account takeover.",
    "Data protection": "Personal, health and cardholder data lost, exposed or misused.",
    "Operational resilience": "Outages of important business services beyond their tolerance.",
    "Third party": "Suppliers, cloud and software vendors failing or being compromised.",
    "Fraud": "Payment, claims and identity fraud enabled by security weaknesses.",
}
# category -> (statement, max level, tolerance points)
APPETITE = {
    "Cyber": ("Low appetite for cyber losses: no risk above Moderate.", 3, [(5e6, 0.05), (25e6, 0.01)]),
    "Data protection": ("Minimal appetite for exposure of customer data.", 2, [(1e6, 0.10), (10e6, 0.01)]),
    "Operational resilience": ("Important services stay within impact tolerances.", 3, [(2e6, 0.10)]),
    "Third party": ("Moderate appetite, with exit plans for critical suppliers.", 3, []),
    "Fraud": ("Low appetite for fraud losses enabled by control gaps.", 3, [(1e6, 0.10)]),
}
PORTFOLIO = ("The board tolerates at most a 10% chance of losing $5M or more in a year, and 1% of $50M.",
             [(5e6, 0.10), (50e6, 0.01)])  # fmt: skip


def pert(a: float, m: float, b: float) -> dict:
    return {"min": a, "most_likely": m, "max": b}


def logn(p5: float, p95: float) -> dict:
    return {"p5": p5, "p95": p95}


# title, unit, category, owner, (because, affecting, resulting in), inherent (L, I), services, systems, data,
# FAIR scenario (None: not quantified), threat
RISKS = [
    ("Ransomware encrypts claims platform", "insurance", "Cyber", "secmgr",
     ("a phishing e-mail or an unpatched VPN gives an attacker a foothold", "the claims platform and its database",
      "claims stop for days and we pay for recovery and lost business"),
     (3, 5), ["Claims Handling"], ["Claims Management", "lon-db-claims01"], ["Claims files"],
     {"frequency": pert(0.05, 0.15, 0.4), "loss": logn(400_000, 12_000_000)}, "Ransomware affiliates (e.g. LockBit)"),
    ("Exploitation of internet-facing VPN", "techops", "Cyber", "secmgr",
     ("KEV-listed vulnerabilities on remote access appliances are exploited within days",
      "remote access for staff and suppliers", "an intruder inside the network"),
     (4, 4), ["Network and Connectivity"], ["lon-vpn01", "lon-gw01", "lon-pa01"], [],
     {"tef": pert(2, 6, 15), "vulnerability": pert(0.02, 0.06, 0.2), "loss": logn(150_000, 6_000_000)},
     "Initial access brokers mass-exploiting edge devices"),
    ("Card data breach through payments API", "retail", "Data protection", "analyst",
     ("an injection flaw in the payments API is exploited", "cardholder data",
      "PCI DSS fines, card re-issuing costs and customer compensation"),
     (2, 5), ["Card Services", "Payments"], ["Card Management System", "lon-db-cards01"], ["Cardholder data"],
     {"frequency": pert(0.02, 0.05, 0.15), "loss": logn(1_000_000, 30_000_000),
      "secondary": {"probability": 0.6, "magnitude": logn(500_000, 8_000_000)}}, "Organised crime groups"),
    ("Health records exposed by misconfigured cloud storage", "insurance", "Data protection", "analyst",
     ("a storage bucket or share is made public by mistake", "health claims and medical records",
      "regulatory fines (GDPR, HIPAA) and notification costs"),
     (3, 4), ["Health Insurance Claims"], ["Health Claims Portal", "lon-db-health01"],
     ["Health claims and medical records"],
     {"frequency": pert(0.05, 0.1, 0.3), "loss": logn(200_000, 5_000_000)}, "Opportunistic scanning for open storage"),
    ("Business e-mail compromise diverts supplier payments", "group", "Fraud", "secmgr",
     ("a supplier's or executive's mailbox is taken over", "supplier payments from finance",
      "money wired to criminals and rarely recovered"),
     (4, 3), ["Procurement and Supplier Management"], ["Microsoft 365", "Coupa"], ["Supplier contracts"],
     {"tef": pert(10, 30, 80), "vulnerability": pert(0.005, 0.02, 0.05), "loss": logn(20_000, 900_000)},
     "BEC fraud rings"),
    ("Core banking outage beyond impact tolerance", "retail", "Operational resilience", "secmgr",
     ("a failed change or a data-centre failure takes the ledger down", "Core Banking",
      "customers cannot pay or be paid; regulator reporting under DORA"),
     (3, 4), ["Core Banking"], ["Core Banking Ledger", "lon-app-core01"], [],
     {"frequency": pert(0.2, 0.5, 1.5), "loss": logn(100_000, 3_000_000)}, "Operational failure"),
    ("Cloud provider region failure", "techops", "Operational resilience", "analyst",
     ("an Azure or AWS region fails for a day", "claims, data platform and payments workloads",
      "degraded services and manual workarounds"),
     (2, 4), ["Claims Handling", "Data and Analytics"], ["azure-nw-prod", "aws-nw-prod-payments"], [],
     {"frequency": pert(0.1, 0.2, 0.5), "loss": logn(50_000, 2_500_000)}, "Provider outage"),
    ("Managed file transfer compromise (MOVEit-style)", "commercial", "Third party", "analyst",
     ("a zero-day in the file transfer product is exploited", "corporate payment files",
      "data theft and extortion, client notification"),
     (3, 4), ["Corporate Banking and Trade Finance", "Treasury Services"], ["lon-mft01"],
     ["Corporate payment files"],
     {"frequency": pert(0.03, 0.08, 0.25), "loss": logn(300_000, 9_000_000)}, "Cl0p and similar extortion groups"),
    ("Payroll provider breach", "group", "Third party", "secmgr",
     ("the HR and payroll SaaS provider is breached", "employee records and payroll",
      "employee data exposed; notification and support costs"),
     (2, 3), ["Payroll and HR"], ["Workday"], ["Employee records", "Payroll"],
     {"frequency": pert(0.02, 0.05, 0.1), "loss": logn(100_000, 2_000_000)}, "Attacks on SaaS providers"),
    ("Insider exfiltrates wealth client data", "wealth", "Data protection", "analyst",
     ("a departing adviser copies client lists", "wealth client records", "client poaching and fines"),
     (3, 3), ["Wealth Portfolio Management"], ["Portfolio Management System", "lon-db-wealth01"], [],
     {"frequency": pert(0.1, 0.3, 0.8), "loss": logn(20_000, 800_000)}, "Malicious or careless insiders"),
    ("Claims fraud through synthetic identities", "insurance", "Fraud", "analyst",
     ("weak identity checks accept synthetic identities", "motor and home claims", "fraudulent payouts"),
     (4, 2), ["Claims Handling"], ["Claims Management"], ["Claims files"],
     {"frequency": pert(5, 12, 30), "loss": logn(3_000, 60_000)}, "Organised claims fraud"),
    ("Account takeover on mobile banking", "retail", "Fraud", "analyst",
     ("credential stuffing and SIM swaps bypass weak authentication", "online and mobile banking customers",
      "reimbursed fraud losses (APP fraud rules)"),
     (4, 3), ["Online and Mobile Banking"], ["Mobile Banking API", "Online Banking"], [],
     {"tef": pert(50, 120, 300), "vulnerability": pert(0.01, 0.03, 0.08), "loss": logn(1_000, 40_000)},
     "Credential stuffing crews"),
    ("Log4Shell in legacy Java applications", "techops", "Cyber", "analyst",
     ("unpatched Log4j libraries remain in legacy applications", "internal Java applications",
      "remote code execution inside the network"),
     (3, 4), ["Software Delivery"], ["lon-ci01"], [],
     {"frequency": pert(0.05, 0.1, 0.3), "loss": logn(100_000, 3_000_000)}, "Mass exploitation of CVE-2021-44228"),
    ("DDoS on online banking", "retail", "Operational resilience", "secmgr",
     ("a volumetric DDoS overwhelms the web tier", "online banking", "customers locked out for hours"),
     (3, 3), ["Online and Mobile Banking"], ["lon-web01", "lon-web02"], [],
     {"frequency": pert(0.5, 1, 3), "loss": logn(10_000, 400_000)}, "Hacktivists"),
    ("SWIFT / payment message manipulation", "commercial", "Fraud", "secmgr",
     ("an attacker with operator access alters payment messages", "treasury payments",
      "large fraudulent transfers"),
     (2, 5), ["Treasury Services"], ["Treasury Management"], ["Treasury deal records"],
     {"frequency": pert(0.005, 0.02, 0.06), "loss": logn(2_000_000, 60_000_000)}, "Nation-state financially motivated"),
    ("Legacy policy archive on unsupported OS", "insurance", "Cyber", "analyst",
     ("the archive runs on an operating system without security updates", "legacy policy archive",
      "easy lateral movement and data theft"),
     (3, 3), ["Policy Administration"], ["lon-legacy01"], ["Legacy policy archive"],
     {"frequency": pert(0.05, 0.1, 0.2), "loss": logn(50_000, 1_500_000)}, "Any intruder already inside"),
    ("Privileged access not reviewed", "techops", "Cyber", "secmgr",
     ("administrator rights accumulate and are not reviewed", "directory and cloud consoles",
      "a compromised admin account has wide reach"),
     (3, 4), ["Identity and Access Management"], [], [], None, "Account compromise"),
    ("Phishing-resistant MFA missing for executives", "group", "Cyber", "secmgr",
     ("executives use push-based MFA", "executive mailboxes and approvals", "MFA fatigue leads to takeover"),
     (3, 3), ["Email and Collaboration"], ["Microsoft 365"], ["Board minutes"], None, "MFA fatigue attacks"),
    ("Data warehouse holds unmasked personal data", "techops", "Data protection", "analyst",
     ("production data is copied to analytics without masking", "the data platform",
      "broad internal access to personal data"),
     (3, 3), ["Data and Analytics"], ["lon-db-dwh01"], [], None, "Over-broad internal access"),
    ("Card switch single supplier dependency", "retail", "Third party", "secmgr",
     ("one supplier runs the card switch with no tested exit plan", "card authorisations",
      "cards declined during a supplier failure"),
     (2, 4), ["Card Services"], ["Card Switch"], ["Card authorisation logs"],
     {"frequency": pert(0.05, 0.1, 0.3), "loss": logn(100_000, 2_000_000)}, "Supplier failure"),
    ("Contact centre social engineering", "retail", "Fraud", "analyst",
     ("callers talk agents into resetting credentials", "customer accounts", "account takeover and fraud"),
     (3, 2), ["Customer Contact Centre"], ["Genesys Cloud CX"], [],
     {"frequency": pert(2, 5, 12), "loss": logn(2_000, 50_000)}, "Social engineers"),
    ("Backups not immutable", "techops", "Operational resilience", "secmgr",
     ("backups can be deleted with domain administrator rights", "recovery of every service",
      "ransomware destroys the means to recover"),
     (3, 5), [], [], [], None, "Ransomware operators targeting backups"),
    ("Regulatory reporting errors from ERP changes", "group", "Operational resilience", "analyst",
     ("unreviewed ERP changes alter regulatory figures", "financial reporting and close",
      "misstatements and regulatory censure"),
     (2, 3), ["Financial Reporting and Close"], ["SAP ERP Finance"], [], None, "Change failure"),
    ("Website defacement", "group", "Cyber", "analyst",
     ("the CMS is compromised", "the public website", "reputational embarrassment"),
     (2, 2), ["Corporate Website"], ["lon-web05"], ["Public website content"],
     {"frequency": pert(0.05, 0.2, 0.5), "loss": logn(5_000, 80_000)}, "Hacktivists"),
    ("AML monitoring gaps", "group", "Fraud", "secmgr",
     ("transaction monitoring rules lag new typologies", "financial crime compliance",
      "missed suspicious activity and regulatory fines"),
     (2, 4), ["Financial Crime Compliance"], ["AML Transaction Monitoring"], [],
     {"frequency": pert(0.02, 0.05, 0.15), "loss": logn(500_000, 15_000_000)}, "Money launderers"),
]  # fmt: skip


def _by_name(model, names: list[str]) -> list:
    found = {o.name: o for o in model.objects.filter(name__in=names)}
    return [found[n] for n in names if n in found]


def load(*, seed: int) -> list[str]:
    admin = User.objects.filter(role="admin", is_active=True).order_by("id").first()
    users = {u.username: u for u in User.objects.filter(username__in=["secmgr", "analyst", "executive"])}
    if admin is None or not BusinessUnit.objects.exists():
        return []
    categories = _categories(admin)
    _appetite(admin, categories, users.get("executive"))
    created = _risks(admin, categories, users, seed)
    lines = [f"risk: {created} risks added to the register"] if created else []
    lines += _treatments(admin, users)
    lines += _acceptance(users.get("executive"))
    _snapshots()
    return lines


def _categories(admin) -> dict[str, RiskCategory]:
    existing = {c.name: c for c in RiskCategory.objects.all()}
    for name, description in CATEGORIES.items():
        if name not in existing:
            existing[name] = services.category_create(actor=admin, name=name, description=description)
    return existing


def _appetite(admin, categories, executive) -> None:
    approved_at = timezone.now() - dt.timedelta(days=60)
    have = set(AppetiteStatement.objects.values_list("category__name", flat=True))
    for name, (statement, level, points) in APPETITE.items():
        if name not in have:
            services.appetite_set(
                actor=admin,
                category=categories[name],
                statement=statement,
                max_level=level,
                tolerance=[{"loss": loss, "probability": p} for loss, p in points],
                approved_by=executive,
                approved_at=approved_at,
            )
    if None not in have:
        services.appetite_set(
            actor=admin,
            category=None,
            statement=PORTFOLIO[0],
            tolerance=[{"loss": loss, "probability": p} for loss, p in PORTFOLIO[1]],
            approved_by=executive,
            approved_at=approved_at,
        )


def _risks(admin, categories, users, seed: int) -> int:
    units = {u.code: u for u in BusinessUnit.objects.all()}
    existing = set(Risk.objects.values_list("title", flat=True))
    created = 0
    for index, row in enumerate(RISKS):
        title, unit, category, owner, (because, affecting, resulting), (lik, imp), svc, sys, data, fair, threat = row
        if title in existing or unit not in units:
            continue
        risk = services.risk_create(
            actor=admin,
            business_unit=units[unit],
            title=title,
            category=categories[category],
            owner=users.get(owner),
            because=because,
            affecting=affecting,
            resulting_in=resulting,
            threat=threat,
            inherent_likelihood=lik,
            inherent_impact=imp,
            residual_likelihood=max(1, lik - 1),
            residual_impact=imp,
            target_likelihood=max(1, lik - 2),
            target_impact=max(1, imp - 1),
            status="assessed",
            next_review=timezone.localdate() + dt.timedelta(days=30 + 7 * index),
            services=_by_name(BusinessService, svc),
            systems=_by_name(System, sys),
            data_assets=_by_name(DataAsset, data),
            fair=fair,
        )
        if fair is not None:
            services.risk_quantify(actor=admin, ref=risk.ref, years=50_000, seed=seed + index)
        created += 1
    return created


def _treatments(admin, users) -> list[str]:
    lines = []
    today = timezone.localdate()
    plans = [
        ("Exploitation of internet-facing VPN", "mitigate", "Patch within KEV due dates; replace the VPN with ZTNA.",
         [("Patch Ivanti and PAN-OS to fixed releases", -10, 4_000, "in_progress"),
          ("Replace VPN with zero-trust access", 120, 180_000, "planned")]),
        ("Ransomware encrypts claims platform", "mitigate", "EDR everywhere, immutable backups, tested restore.",
         [("Deploy EDR to claims servers", -3, 25_000, "in_progress"), ("Quarterly restore test", 30, 8_000, "planned"),
          ("Segment the claims network", -40, 60_000, "done")]),
        ("Card data breach through payments API", "transfer", "Cyber insurance with a $20M limit for card breaches.",
         [("Renew cyber insurance policy", 45, 350_000, "planned")]),
        ("Website defacement", "accept", "Low impact: accepted while the CMS is replaced next year.", []),
    ]  # fmt: skip
    risks = {r.title: r for r in Risk.objects.filter(title__in=[p[0] for p in plans]).prefetch_related("plans")}
    for title, option, description, actions in plans:
        risk = risks.get(title)
        if risk is None or risk.plans.exists():
            continue
        plan = services.plan_create(actor=admin, ref=risk.ref, option=option, description=description, owner=risk.owner)
        for action_title, due_in, cost, status in actions:
            services.action_create(
                actor=admin,
                plan=plan.pk,
                title=action_title,
                owner=users.get("analyst"),
                due=today + dt.timedelta(days=due_in),
                cost=cost,
                status=status,
            )
        lines.append(f"risk: treatment plan for {risk.ref}")
    return lines


def _acceptance(executive) -> list[str]:
    risk = Risk.objects.filter(title="Website defacement").first()
    if executive is None or risk is None or RiskAcceptance.objects.filter(risk=risk).exists():
        return []
    services.acceptance_create(
        actor=executive,
        ref=risk.ref,
        rationale="Low impact; the CMS is replaced in the 2027 web programme.",
        compensating_controls="Cloudflare WAF in front of the site; daily integrity check.",
        expires_at=timezone.now() + dt.timedelta(days=180),
    )
    return [f"risk: {risk.ref} accepted by executive until {timezone.localdate() + dt.timedelta(days=180)}"]


def _snapshots() -> None:
    """Today's snapshot, then (once) the twelve weeks before it as a trend: demo history, with the
    exposure falling as treatments land (each earlier week ~4% higher)."""
    services.snapshots_take()
    today = timezone.localdate()
    if RiskSnapshot.objects.filter(date__lt=today).exists():
        return
    history = []
    for current in RiskSnapshot.objects.filter(date=today):
        for week in range(1, 13):
            history.append(
                RiskSnapshot(
                    date=today - dt.timedelta(weeks=week),
                    business_unit_id=current.business_unit_id,
                    risks=current.risks,
                    quantified=current.quantified,
                    residual_ale=current.residual_ale * (1 + 0.04 * week),
                    above_appetite=current.above_appetite + (1 if week > 6 else 0),
                    by_level=current.by_level,
                )
            )
    RiskSnapshot.objects.bulk_create(history)
