"""The fingerprint of a finding: stable across re-imports, independent of the file's layout.

sha256 hex of the UTF-8 text `format \\x1f part1 \\x1f part2 …`, where the parts are the parser's
`fingerprint_parts` (docs/scan-formats.md lists them per format). The format name is included so
that two tools never collide on the same parts.
"""

import hashlib


def fingerprint(format_name: str, parts: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join((format_name, *parts)).encode("utf-8", "surrogatepass")).hexdigest()


def scope_key(*, unit_code: str, system_number: int | None, format_name: str) -> str:
    """Findings of the same scope are compared on re-import: one business unit, one system (or none), one format."""
    return f"unit:{unit_code}|system:{'SYS-' + str(system_number) if system_number else '-'}|format:{format_name}"
