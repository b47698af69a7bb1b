# ruff: noqa: E501  (the demo tables read best one row per line)
"""Demo content: Northwind Mutual's control library mapped to NIST CSF 2.0 (and to its internal
standard v1), the security tools that implement the controls, a CSF 2.0 assessment of the group
with overrides and evidence (one item expired), and current/target CSF profiles.

Runs after the frameworks demo (which installs CSF 2.0 and the internal standard). Idempotent:
everything is looked up by name first, so a second run changes nothing.
"""

import datetime as dt
import random

from django.utils import timezone

from ramparts.compliance import services
from ramparts.compliance.models import Assessment, Control, CsfProfile, Evidence
from ramparts.core.models import BusinessUnit, User
from ramparts.frameworks.models import Framework
from ramparts.inventory.models import Person, System

STANDARD = "Northwind Mutual Information Security Standard"

# name, type, automation, frequency, status, effectiveness, annual cost, technologies, CSF 2.0, standard v1
CONTROLS = [
    ("Multi-factor authentication for remote and administrator access", "preventive", "automated", "continuous", "implemented", 4, 48000, ["lon-mfa01"], ["PR.AA-03"], ["NW-AC-02"]),
    ("Privileged access management vault", "preventive", "automated", "continuous", "implemented", 3, 120000, ["lon-pam01"], ["PR.AA-05"], []),
    ("Quarterly access review by system owners", "detective", "manual", "quarterly", "in_progress", 2, 15000, [], ["PR.AA-05"], ["NW-AC-03"]),
    ("Joiner, mover and leaver account process", "preventive", "manual", "ad_hoc", "implemented", 3, None, [], ["PR.AA-01"], ["NW-AC-01"]),
    ("Endpoint detection and response on servers and laptops", "detective", "automated", "continuous", "implemented", 4, 210000, ["CrowdStrike Falcon"], ["DE.CM-01", "DE.CM-09"], []),
    ("Security monitoring and alerting in the SIEM", "detective", "automated", "continuous", "implemented", 3, 180000, ["lon-siem01"], ["DE.CM-01", "DE.AE-02"], ["NW-OP-03"]),
    ("Vulnerability scanning and patching", "corrective", "automated", "weekly", "in_progress", 2, 60000, ["lon-scan01"], ["ID.RA-01", "PR.PS-02"], ["NW-OP-01"]),
    ("Backups with six-monthly restore tests", "corrective", "automated", "daily", "implemented", 4, 95000, ["lon-bkp01", "man-bkp01"], ["PR.DS-11", "RC.RP-01"], ["NW-OP-02"]),
    ("E-mail security gateway", "preventive", "automated", "continuous", "implemented", 4, 70000, ["Proofpoint Email Protection"], ["DE.CM-09"], []),
    ("Web application firewall for customer-facing sites", "preventive", "automated", "continuous", "implemented", 3, 85000, ["Cloudflare WAF", "lon-waf01"], ["PR.IR-01"], []),
    ("Secure web gateway", "preventive", "automated", "continuous", "implemented", 3, 52000, ["Zscaler Internet Access"], ["DE.CM-01"], []),
    ("Security awareness training and phishing simulation", "preventive", "manual", "quarterly", "implemented", 3, 40000, ["KnowBe4"], ["PR.AT-01"], []),
    ("Asset inventory of systems, data and services", "detective", "automated", "continuous", "implemented", 3, None, [], ["ID.AM-01", "ID.AM-02"], []),
    ("Information security policy, approved by the board", "preventive", "manual", "annual", "implemented", 0, None, [], ["GV.PO-01"], []),
    ("Cyber risk management process", "preventive", "manual", "quarterly", "in_progress", 0, 25000, [], ["GV.RM-01", "GV.OC-01"], []),
    ("Security roles and responsibilities", "preventive", "manual", "annual", "implemented", 3, None, [], ["GV.RR-02"], []),
    ("Third-party security assessments", "detective", "manual", "annual", "planned", 0, 30000, [], ["GV.SC-01"], []),
    ("Incident response plan with a yearly exercise", "corrective", "manual", "annual", "implemented", 3, 20000, [], ["RS.MA-01", "ID.IM-02"], ["NW-IR-01"]),
    ("Breach notification procedure", "corrective", "manual", "ad_hoc", "implemented", 3, None, [], ["RS.CO-02"], ["NW-IR-02"]),
    ("Encryption of data at rest", "preventive", "automated", "continuous", "implemented", 4, None, [], ["PR.DS-01"], []),
    # Two gaps on purpose: no tool and no owner.
    ("Secure configuration baselines", "preventive", "manual", "monthly", "in_progress", 0, None, [], ["PR.PS-01"], []),
    ("File-integrity monitoring on Linux servers", "detective", "automated", "continuous", "planned", 0, None, ["lon-hids01"], ["DE.CM-09"], []),
]  # fmt: skip
UNOWNED = {"Secure configuration baselines", "File-integrity monitoring on Linux servers"}

ASSESSMENT = "NIST CSF 2.0 self-assessment 2026"
OVERRIDES = [
    ("GV.OC-04", "not_applicable", "Northwind Mutual delivers no critical infrastructure service to others."),
    ("PR.PS-06", "partial", "Secure development practices are followed by the digital team only."),
    ("RS.MA-01", "implemented", "Tabletop exercise of March 2026 reviewed; lessons learned closed."),
]
EVIDENCE = [
    # title, file name or URL, content, control name or assessment requirement, expires in days
    ("Duo MFA enrolment report", "duo-enrolment-2026-10.csv", b"user,enrolled\nall-admins,100%\nremote-staff,98.7%\n",
     "Multi-factor authentication for remote and administrator access", 180),
    ("Restore test of the claims database", "restore-test-2026-06.txt", b"Restore of claimsdb to man-bkp01: OK in 3h12\n",
     "Backups with six-monthly restore tests", -10),
    ("Splunk use-case catalogue", "https://siem.northwind-mutual.example/app/usecases", b"",
     "Security monitoring and alerting in the SIEM", None),
    ("Incident response exercise report", "ir-exercise-2026-03.txt", b"Scenario: ransomware on claims. Findings: 4, closed: 4.\n",
     "@RS.MA-01", 365),
]  # fmt: skip
CURRENT_TIERS = {
    "GV.PO-01": 3,
    "GV.RM-01": 2,
    "ID.AM-01": 3,
    "PR.AA-03": 3,
    "PR.AA-05": 2,
    "PR.DS-11": 3,
    "DE.CM-01": 3,
    "RS.MA-01": 2,
    "PR.PS-01": 1,
}
TARGET_TIERS = {
    "GV.PO-01": (3, "medium"), "GV.RM-01": (3, "high"), "GV.SC-01": (3, "high"), "ID.AM-01": (3, "medium"),
    "PR.AA-03": (4, "high"), "PR.AA-05": (3, "high"), "PR.DS-11": (3, "medium"), "PR.PS-01": (3, "high"),
    "DE.CM-01": (3, "medium"), "RS.MA-01": (3, "medium"),
}  # fmt: skip


def _actor() -> User | None:
    return User.objects.filter(username="secmgr").first() or User.objects.filter(role="admin").first()


def _csf() -> Framework | None:
    return Framework.objects.filter(built_in=True, name="NIST Cybersecurity Framework").first()


def load(*, seed: int) -> list[str]:
    actor, csf = _actor(), _csf()
    group = BusinessUnit.objects.filter(code="group").first() or BusinessUnit.objects.order_by("id").first()
    if actor is None or csf is None or group is None:
        return ["compliance: skipped (needs the demo users, business units and the built-in CSF 2.0)"]
    lines = []
    created = _controls(actor, group, csf, random.Random(seed))  # noqa: S311 (demo data, not secrets)
    if created:
        lines.append(f"compliance: {created} controls mapped to {csf}")
    lines += _assessment(actor, group, csf)
    lines += _profiles(actor, group, csf)
    return lines


def _controls(actor, group, csf: Framework, rng: random.Random) -> int:
    existing = set(Control.objects.values_list("name", flat=True))
    standard = Framework.objects.filter(name=STANDARD, version="1").first()
    tools = {s.name: s.ref for s in System.objects.filter(kind=System.Kind.SECURITY_TOOL)}
    owners = [
        p.ref for p in Person.objects.filter(department="Information Security", status="active").order_by("employee_id")
    ]
    created = 0
    for name, kind, automation, frequency, status, effectiveness, cost, tech, csf_ids, std_ids in CONTROLS:
        if name in existing:
            continue
        requirements = [f"{csf.slug}:{i}" for i in csf_ids]
        if standard is not None:
            requirements += [f"{standard.slug}:{i}" for i in std_ids]
        services.control_create(
            actor=actor,
            business_unit=group,
            name=name,
            control_type=kind,
            automation=automation,
            frequency=frequency,
            status=status,
            effectiveness=effectiveness,
            annual_cost=cost,
            owner=None if name in UNOWNED or not owners else rng.choice(owners),
            technologies=[tools[t] for t in tech if t in tools],
            requirements=requirements,
        )
        created += 1
    return created


def _assessment(actor, group, csf: Framework) -> list[str]:
    if Assessment.objects.filter(name=ASSESSMENT).exists():
        return []
    assessment = services.assessment_create(
        actor=actor,
        business_unit=group,
        name=ASSESSMENT,
        framework=csf.slug,
        description="Yearly self-assessment of the whole group against NIST CSF 2.0, for the board's risk committee.",
        reviewer=User.objects.filter(username="secmgr").first(),
    )
    for identifier, status, reason in OVERRIDES:
        services.assessment_result_set(
            actor=actor, ref=assessment.ref, requirement=identifier, status=status, reason=reason
        )
    controls = {c.name: c.ref for c in Control.objects.all()}
    today = timezone.localdate()
    for title, name, content, target, days in EVIDENCE:
        expires = today + dt.timedelta(days=days) if days is not None else None
        where = (
            {"assessment": assessment.ref, "requirement": target[1:]}
            if target.startswith("@")
            else {"control": controls[target]}
        )
        if name.startswith("https://"):
            services.evidence_add(actor=actor, title=title, url=name, expires_on=expires, **where)
        else:
            services.evidence_add(actor=actor, title=title, file=content, file_name=name, expires_on=expires, **where)
    return [f"compliance: assessment {assessment.ref} of {csf} with {Evidence.objects.count()} evidence items"]


def _profiles(actor, group, csf: Framework) -> list[str]:
    if CsfProfile.objects.filter(name="Northwind Mutual today").exists():
        return []
    current = services.profile_create(
        actor=actor, business_unit=group, name="Northwind Mutual today", kind="current", tier=2, framework=csf.slug
    )
    services.profile_outcomes_set(actor=actor, ref=current.ref, outcomes=CURRENT_TIERS)
    target = services.profile_create(
        actor=actor,
        business_unit=group,
        name="Northwind Mutual end of 2027",
        kind="target",
        tier=3,
        framework=csf.slug,
        current=current.ref,
    )
    services.profile_outcomes_set(
        actor=actor,
        ref=target.ref,
        outcomes={k: v[0] for k, v in TARGET_TIERS.items()},
        priorities={k: v[1] for k, v in TARGET_TIERS.items()},
    )
    return [f"compliance: CSF profiles {current.ref} (current, tier 2) and {target.ref} (target, tier 3)"]
