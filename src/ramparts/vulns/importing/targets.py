"""What a scan covered: the part of a finding's scope that comes from the file (docs/vulns.md, "Scope").

A complete scan closes the open findings it no longer reports, but only within the targets it
covered: a Trivy scan of image A never closes image B's findings, a Nessus scan of hosts 1-3
never closes host 4's. The target of each finding is taken from the fields the parser filled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit

from ramparts.vulns.parsers import RawFinding

MAX_TARGET = 160  # longer targets keep their head and a hash, so the scope fits its column


def _site(raw: RawFinding) -> str:
    if raw.target:  # ZAP's <site>: a finding's URL may point to another host
        return raw.target.lower()
    if raw.url:
        parts = urlsplit(raw.url)
        if parts.netloc:
            return f"{parts.scheme}://{parts.netloc}".lower()
    return (raw.host or raw.ip).lower()


def _artifact(raw: RawFinding) -> str:
    return raw.target or raw.image or raw.repository


def _tool_repository(raw: RawFinding) -> str:
    return f"{raw.tool}@{raw.repository}" if raw.repository else raw.tool


def _first_part(raw: RawFinding) -> str:
    return raw.fingerprint_parts[0] if raw.fingerprint_parts else ""


def _host_part(raw: RawFinding) -> str:
    # (plugin or NVT id, host, port, protocol): the host as the scanner named it
    return raw.fingerprint_parts[1].lower() if len(raw.fingerprint_parts) > 1 else (raw.host or raw.ip).lower()


def _burp_host(raw: RawFinding) -> str:
    # (issue type, host URL, path, location)
    return raw.fingerprint_parts[1].lower() if len(raw.fingerprint_parts) > 1 else _site(raw)


def _repository(raw: RawFinding) -> str:
    return raw.repository


def _none(raw: RawFinding) -> str:
    return ""


def _generic(raw: RawFinding) -> str:
    return raw.target or _site(raw) or raw.image or raw.repository


_BY_FORMAT: dict[str, Callable[[RawFinding], str]] = {
    "trivy": _artifact,
    "grype": _artifact,
    "sarif": _tool_repository,
    "semgrep": _repository,
    "gitleaks": _repository,
    "cyclonedx-json": _first_part,
    "cyclonedx-xml": _first_part,
    "snyk": _first_part,
    "nessus-xml": _host_part,
    "nessus-csv": _host_part,
    "openvas-xml": _host_part,
    "openvas-csv": _host_part,
    "zap-xml": _site,
    "zap-json": _site,
    "burp": _burp_host,
    "nuclei": _site,
    "openvex": _none,
    "npm-audit": _none,
    "pip-audit": _none,
    "dependency-check": _none,
}


def target_function(format_name: str) -> Callable[[RawFinding], str]:
    """The function giving a finding's target for this format (generic rules for the others)."""
    return _BY_FORMAT.get(format_name, _generic)


def clip(target: str) -> str:
    if len(target) <= MAX_TARGET:
        return target
    return f"{target[:120]}…{hashlib.sha256(target.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
