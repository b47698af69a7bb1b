"""Small value helpers shared by the XML and CSV parsers (pure functions, never raise)."""

from __future__ import annotations

import ipaddress
import re

from .base import Severity

_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
_CWE = re.compile(r"CWE[-_ :#]*(\d{1,6})", re.IGNORECASE)


def clean(value: str | None, limit: int = 1_000_000) -> str:
    """Text without the XML pretty-printing indentation on each line."""
    if not value:
        return ""
    value = value.strip()
    if "\n" in value:
        value = "\n".join(line.strip() for line in value.splitlines())
    return value[:limit]


def band(score: float | None) -> Severity:
    """CVSS qualitative bands (FIRST): 9-10 critical, 7 high, 4 medium, >0 low, 0 info."""
    if score is None:
        return Severity.INFO
    if score >= 9:
        return Severity.CRITICAL
    if score >= 7:
        return Severity.HIGH
    if score >= 4:
        return Severity.MEDIUM
    return Severity.LOW if score > 0 else Severity.INFO


def number(value: str | None, high: float = 10.0) -> float | None:
    try:
        n = float((value or "").strip())
    except ValueError:
        return None
    return n if 0.0 <= n <= high else None


def integer(value: str | None, high: int = 65535) -> int | None:
    v = (value or "").strip()
    if not v.isdigit() or len(v) > 10:
        return None
    n = int(v)
    return n if n <= high else None


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    return True


def cves(text: str) -> list[str]:
    return list(dict.fromkeys(m.upper() for m in _CVE.findall(text or "")))


def cwe(text: str | None) -> int | None:
    if not text:
        return None
    t = text.strip()
    if t.isdigit() and len(t) < 7:
        return int(t) or None
    m = _CWE.search(t)
    return int(m.group(1)) or None if m else None


def urls(text: str | None, limit: int = 200) -> tuple[str, ...]:
    found = [u.strip() for u in re.split(r"\s+", text or "") if u.strip().startswith(("http://", "https://"))]
    return tuple(dict.fromkeys(found))[:limit]


def cvss3_prefixed(vector: str, version: str = "3.1") -> str:
    """A CVSS v3 vector with its "CVSS:3.x/" prefix (some exports drop it)."""
    v = vector.strip()
    if not v or v.startswith("CVSS:"):
        return v
    return f"CVSS:{version}/{v}"


# [ \t] rather than \s: \s also matches newlines and made these quadratic on blank-line floods
_INSTALLED = re.compile(r"^[ \t]*Installed version[ \t]*:[ \t]*(\S[^\n]{0,200})$", re.IGNORECASE | re.MULTILINE)
_FIXED = re.compile(r"^[ \t]*Fixed version[ \t]*:[ \t]*(\S[^\n]{0,200})$", re.IGNORECASE | re.MULTILINE)


def versions(plugin_output: str) -> tuple[str, str]:
    """(installed, fixed) from Nessus/OpenVAS "Installed version : x / Fixed version : y" output."""
    if not plugin_output or "version" not in plugin_output:
        return "", ""
    a = _INSTALLED.search(plugin_output)
    b = _FIXED.search(plugin_output)
    return (a.group(1).strip() if a else ""), (b.group(1).strip() if b else "")


def cpe_product(cpe: str) -> str:
    """ "php" from "cpe:/a:php:php" or "cpe:2.3:a:php:php:5.1.6:..."."""
    parts = cpe.strip().split(":")
    if parts[:2] == ["cpe", "2.3"] and len(parts) > 4:
        return parts[4]
    if parts[:1] == ["cpe"] and len(parts) > 3:
        return parts[3]
    return ""
