"""The scope of a finding: what one import compares its findings with (docs/vulns.md, "Scope").

The fingerprint itself is built where the findings are prepared (importing/prepared.py).
"""


def scope_key(*, unit_code: str, system_number: int | None, format_name: str) -> str:
    """Findings of the same scope are compared on re-import: one business unit, one system (or none), one format."""
    return f"unit:{unit_code}|system:{'SYS-' + str(system_number) if system_number else '-'}|format:{format_name}"
