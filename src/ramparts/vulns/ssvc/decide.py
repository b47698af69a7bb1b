"""Look up the CISA SSVC decision for a set of inputs and explain it in plain English."""

from __future__ import annotations

from dataclasses import dataclass, field

from ramparts.vulns.ssvc.table import load


@dataclass(frozen=True, slots=True)
class Inputs:
    exploitation: str
    automatable: str
    technical_impact: str
    mission_wellbeing: str
    # Optional evidence, used only to explain the decision.
    cve: str | None = None
    kev_date_added: str | None = None
    epss: float | None = None
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str
    reasons: list[str]


def _exploitation_reason(inputs: Inputs) -> str:
    text = f"Exploitation is {inputs.exploitation}"
    if inputs.exploitation == "active" and inputs.cve and inputs.kev_date_added:
        return f"{text}: {inputs.cve} is in CISA's KEV catalogue (added {inputs.kev_date_added})"
    if inputs.epss is not None:
        return f"{text}: EPSS score {inputs.epss:.2f}"
    return text


def decide(inputs: Inputs) -> Decision:
    key = (
        inputs.exploitation,
        inputs.automatable,
        inputs.technical_impact,
        inputs.mission_wellbeing,
    )
    table = load()
    if key not in table:
        raise ValueError(f"unknown SSVC inputs: {key}")
    reasons = [
        _exploitation_reason(inputs),
        f"Automatable is {inputs.automatable}",
        f"Technical impact is {inputs.technical_impact}",
        f"Mission and well-being impact is {inputs.mission_wellbeing}",
    ]
    reasons = [
        r + (f" ({inputs.evidence[name]})" if name in inputs.evidence else "")
        for r, name in zip(
            reasons,
            ("exploitation", "automatable", "technical_impact", "mission_wellbeing"),
            strict=True,
        )
    ]
    return Decision(table[key], reasons)


def reason(exploitation: str, automatable: str, technical_impact: str, mission_wellbeing: str) -> str:
    """The combination in words ("Exploitation is active; Automatable is yes; ..."), "" for an
    incomplete one. Derived when shown rather than stored: one of 36 texts on every finding."""
    key = (exploitation, automatable, technical_impact, mission_wellbeing)
    if key not in load():
        return ""
    return "; ".join(decide(Inputs(*key)).reasons)
