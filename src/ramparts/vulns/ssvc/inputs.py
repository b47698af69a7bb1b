"""Derive each SSVC input from plain data. Thresholds and mappings are documented here and in
docs/ssvc-and-feeds.md; change them there together."""

from __future__ import annotations

# EPSS >= 10% probability of exploitation in the next 30 days counts as "poc": the score says
# exploitation is plausible, but only KEV (or a scanner flag of exploitation in the wild)
# is evidence of "active" exploitation.
EPSS_POC_THRESHOLD = 0.1


def exploitation(
    *, in_kev: bool, epss: float | None = None, exploit_available: bool = False, threshold: float = EPSS_POC_THRESHOLD
) -> str:
    """active if in CISA KEV; poc if a public exploit is known or EPSS >= threshold; else none."""
    if in_kev:
        return "active"
    if exploit_available or (epss is not None and epss >= threshold):
        return "poc"
    return "none"


def cvss_metrics(vector: str) -> dict[str, str]:
    """Parse a CVSS v3.x or v4.0 vector ('CVSS:3.1/AV:N/...') into {metric: value}."""
    metrics: dict[str, str] = {}
    for part in vector.strip().split("/"):
        key, sep, value = part.partition(":")
        if sep and key != "CVSS":
            metrics.setdefault(key, value)
    return metrics


def automatable(vector: str | None) -> str:
    """yes when network-reachable, low complexity, no privileges and no user interaction
    (AV:N, AC:L, PR:N, UI:N; v4 UI:N too, and AT:N when present). Unknown -> no."""
    if not vector:
        return "no"
    m = cvss_metrics(vector)
    ok = (
        m.get("AV") == "N"
        and m.get("AC") == "L"
        and m.get("PR") == "N"
        and m.get("UI") == "N"
        and m.get("AT", "N") == "N"
    )
    return "yes" if ok else "no"


def technical_impact(vector: str | None) -> str:
    """total when confidentiality and integrity are both High (v3 C:H/I:H, v4 VC:H/VI:H);
    otherwise partial. Unknown -> partial."""
    if not vector:
        return "partial"
    m = cvss_metrics(vector)
    c = m.get("C", m.get("VC"))
    i = m.get("I", m.get("VI"))
    return "total" if c == "H" and i == "H" else "partial"


def mission_wellbeing(*, criticality: int, internet_facing: bool) -> str:
    """System criticality 1 (low) .. 4 (critical): 4 -> high; 3 -> high if internet-facing
    else medium; 2 -> medium if internet-facing else low; 1 -> low."""
    if criticality not in (1, 2, 3, 4):
        raise ValueError(f"criticality must be 1-4, got {criticality!r}")
    if criticality == 4 or (criticality == 3 and internet_facing):
        return "high"
    if criticality == 3 or (criticality == 2 and internet_facing):
        return "medium"
    return "low"
