"""A parsed finding as the import stores it: fingerprint, target, location and the row's own columns.

No Django here: a child process prepares the findings of a large file (importing/ahead.py) while
the importing process stores the previous batch. An item is a plain tuple (cheap to pickle):

    (fingerprint, target, location, columns)

- fingerprint: the first 16 bytes of the sha256 of `format \\x1f part1 \\x1f part2 …` (docs/vulns.md);
- target: what the scan covered, clipped (targets.py; "" when the import has a fixed system);
- location: (host, ip, url, image, repository), what a system is matched by (matching.py);
- columns: the values of COLUMNS, clipped to their column's length.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ramparts.vulns.importing.targets import clip, target_function
from ramparts.vulns.parsers import RawFinding

# The finding columns an item carries, in order (rows.IMPORT_COLUMNS puts them between the
# import's own values and the enrichment): the TEXTS text columns first, then the others (the
# child process shares equal texts cheaply, ahead._shared).
COLUMNS = (
    "title", "description", "scanner_severity", "cvss3_vector", "cvss4_vector", "cve", "aliases", "package",
    "installed_version", "fixed_version", "ecosystem", "purl", "host", "ip", "url", "image", "repository",
    "file_path", "tool", "rule_id", "vex_state",
    "severity", "cvss3_score", "cvss4_score", "cwe", "port", "line", "exploit_available",
)  # fmt: skip
TEXTS = COLUMNS.index("severity")
SEVERITY, CVSS3, CVSS4, CVE, EXPLOIT = (
    COLUMNS.index(name) for name in ("severity", "cvss3_vector", "cvss4_vector", "cve", "exploit_available")
)
FINGERPRINT, TARGET, LOCATION, VALUES = range(4)

Item = tuple  # (fingerprint, target, location, values): see above; indexed by the constants


def preparer(format_name: str, *, targets: bool) -> Callable[[RawFinding], Item]:
    """The function preparing one finding of this format (`targets`: derive each finding's target)."""
    head = format_name + "\x1f"
    target_of = target_function(format_name)
    sha256 = hashlib.sha256

    def prepare(raw: RawFinding) -> Item:
        parts = raw.fingerprint_parts
        text = head + "\x1f".join(parts) if parts else format_name
        fingerprint = sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]
        target = clip(target_of(raw)) if targets else ""
        cvss3, cvss4, cve = raw.cvss3_vector[:200], raw.cvss4_vector[:300], raw.cve[:64]
        values = (
            raw.title[:500], raw.description, raw.scanner_severity[:40], cvss3, cvss4, cve, "\n".join(raw.aliases),
            raw.package[:300], raw.installed_version[:200], raw.fixed_version[:300], raw.ecosystem[:60],
            raw.purl[:500], raw.host[:300], raw.ip[:64], raw.url, raw.image[:500], raw.repository[:500],
            raw.file_path, raw.tool[:80], raw.rule_id[:300], raw.vex_state[:40],
            int(raw.severity), raw.cvss3_score, raw.cvss4_score, raw.cwe, raw.port, raw.line,
            bool(raw.exploit_available),
        )  # fmt: skip
        return fingerprint, target, (raw.host, raw.ip, raw.url, raw.image, raw.repository), values

    return prepare
