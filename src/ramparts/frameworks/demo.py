"""Demo content: NIST CSF 2.0 (built in), Northwind Mutual's internal security standard in two
versions (to show version diffs), and a crosswalk from the standard to CSF 2.0."""

import yaml

from ramparts.core.models import User
from ramparts.frameworks.models import Framework
from ramparts.frameworks.services import BUILTIN_CSF_SLUG, builtin_install, framework_import, mapping_import

STANDARD = "Northwind Mutual Information Security Standard"

SECTIONS = [
    ("NW-AC", "Access control", [
        ("NW-AC-01", "Every account belongs to a named person or a registered service, with an owner."),
        ("NW-AC-02", "Multi-factor authentication protects remote access and every administrator account."),
        ("NW-AC-03", "Access rights are reviewed every quarter by the system owner."),
    ]),
    ("NW-OP", "Operations", [
        ("NW-OP-01", "Critical and high vulnerabilities on internet-facing systems are fixed within 15 days."),
        ("NW-OP-02", "Backups of critical systems are tested by a restore every six months."),
        ("NW-OP-03", "Security events of critical systems are sent to the SIEM and kept for one year."),
    ]),
    ("NW-IR", "Incident response", [
        ("NW-IR-01", "The incident response plan is exercised once a year."),
        ("NW-IR-02", "Personal data breaches are assessed for notification within 24 hours of awareness."),
    ]),
]  # fmt: skip
V2_CHANGES = {
    "NW-AC-03": "Access rights are reviewed every quarter by the system owner, and monthly for privileged access.",
}
V2_ADDED = ("NW-OP", "NW-OP-04", "Endpoint detection and response runs on every workstation and server.")
V2_REMOVED = "NW-IR-02"  # moved to the privacy standard
CROSSWALK = [
    ("NW-AC-01", "subset_of", "PR.AA-01"),
    ("NW-AC-02", "subset_of", "PR.AA-03"),
    ("NW-AC-03", "intersects_with", "PR.AA-05"),
    ("NW-OP-01", "intersects_with", "ID.RA-01"),
    ("NW-OP-02", "equal", "PR.DS-11"),
    ("NW-OP-03", "intersects_with", "DE.CM-01"),
    ("NW-IR-01", "intersects_with", "ID.IM-02"),
]


def _standard(version: str) -> bytes:
    requirements = []
    for section, title, items in SECTIONS:
        children = [
            {"id": ident, "title": V2_CHANGES.get(ident, text) if version == "2" else text}
            for ident, text in items
            if not (version == "2" and ident == V2_REMOVED)
        ]
        if version == "2" and section == V2_ADDED[0]:
            children.append({"id": V2_ADDED[1], "title": V2_ADDED[2]})
        requirements.append({"id": section, "title": title, "kind": "group", "children": children})
    doc = {
        "framework": {"name": STANDARD, "version": version, "publisher": "Northwind Mutual, Office of the CISO"},
        "requirements": requirements,
    }
    return yaml.safe_dump(doc, sort_keys=False).encode()


def load(*, seed: int) -> list[str]:
    actor = User.objects.filter(username="secmgr").first() or User.objects.filter(role="admin").first()
    lines = []
    already = Framework.objects.filter(slug=BUILTIN_CSF_SLUG).exists()
    csf = builtin_install(actor=actor)
    if not already:
        lines.append(f"frameworks: {csf} built in ({csf.requirement_count} subcategories)")
    for version in ("1", "2"):
        if not Framework.objects.filter(name=STANDARD, version=version).exists():
            result = framework_import(actor=actor, name=f"northwind-standard-v{version}.yaml", data=_standard(version))
            lines.append(f"frameworks: {STANDARD} v{version} ({result.requirements} requirements)")
    standard = Framework.objects.get(name=STANDARD, version="2")
    rows = ["source_framework,source_id,relationship,target_framework,target_id,note"]
    rows += [f"{standard.slug},{a},{rel},{BUILTIN_CSF_SLUG},{b}," for a, rel, b in CROSSWALK]
    mapped = mapping_import(actor=actor, name="northwind-standard-to-csf.csv", data="\n".join(rows).encode())
    if mapped.created:
        lines.append(f"frameworks: crosswalk {standard.slug} → CSF 2.0 ({mapped.created} relations)")
    return lines
