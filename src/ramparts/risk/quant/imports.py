"""Scenarios from other tools: pyfair's model JSON (`FairModel.to_json()`) and riskquant's
CSV (`Identifier,Name,Probability,Low_loss,High_loss`).

pyfair ranges {low, mode, high} become our PERT (pyfair's own PERT is fitted by moments and
differs slightly in shape, not in mean: see docs/risk-quant.md); {constant} a constant.
pyfair's normal ({mean, stdev}), raw arrays and the deep tree (contact frequency, threat
capability, control strength) have no Open FAIR range equivalent here and are refused by name.
riskquant's probability is a Poisson rate and its low/high losses a 90% interval: exactly our
constant frequency with a {p5, p95} lognormal loss.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from ramparts.risk.quant.distributions import Constant, Distribution, DistributionError, Pert
from ramparts.risk.quant.model import QuantError, Scenario, Secondary
from ramparts.risk.quant.spec import SpecError, parse_range

PYFAIR_NAMES = {
    "lef": "Loss Event Frequency",
    "tef": "Threat Event Frequency",
    "v": "Vulnerability",
    "lm": "Loss Magnitude",
    "pl": "Primary Loss",
    "slef": "Secondary Loss Event Frequency",
    "slem": "Secondary Loss Event Magnitude",
    "c": "Contact Frequency",
    "a": "Probability of Action",
    "tc": "Threat Capability",
    "cs": "Control Strength",
    "sl": "Secondary Loss",
}
_BY_NAME = {full.lower(): full for full in PYFAIR_NAMES.values()} | {k: v for k, v in PYFAIR_NAMES.items()}
PYFAIR_META = {"name", "n_simulations", "random_seed", "model_uuid", "type", "creation_date"}


def from_pyfair_json(text: str, *, scenario_id: str | None = None) -> Scenario:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError("", "", f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if not isinstance(data, Mapping) or data.get("type") != "FairModel":
        raise SpecError("", "type", 'not a pyfair FairModel export (expected "type": "FairModel")')
    ident = scenario_id or str(data.get("name") or "pyfair")
    params: dict[str, Distribution] = {}
    for key, value in data.items():
        if key in PYFAIR_META:
            continue
        name = _BY_NAME.get(str(key).lower())
        if name is None:
            raise SpecError(ident, str(key), "not a pyfair node this importer knows")
        params[name] = _pyfair_range(value, ident, name)
    loss = params.get("Loss Magnitude") or params.get("Primary Loss")
    if loss is None:
        raise SpecError(ident, "Loss Magnitude", "missing: the model gives no loss magnitude or primary loss")
    if "Loss Magnitude" in params and "Primary Loss" in params:
        raise SpecError(ident, "Primary Loss", "give Loss Magnitude or Primary Loss, not both")
    for deep in (
        "Contact Frequency",
        "Probability of Action",
        "Threat Capability",
        "Control Strength",
        "Secondary Loss",
    ):
        if deep in params:
            raise SpecError(ident, deep, "not supported: give Vulnerability / Secondary Loss Event Frequency directly")
    secondary = None
    if "Secondary Loss Event Frequency" in params or "Secondary Loss Event Magnitude" in params:
        try:
            secondary = Secondary(params["Secondary Loss Event Frequency"], params["Secondary Loss Event Magnitude"])
        except KeyError as missing:
            raise SpecError(ident, str(missing.args[0]), "missing: secondary loss needs both SLEF and SLEM") from None
    try:
        return Scenario(
            id=ident,
            title=str(data.get("name") or ""),
            loss=loss,
            secondary=secondary,
            frequency=params.get("Loss Event Frequency"),
            tef=params.get("Threat Event Frequency"),
            vulnerability=params.get("Vulnerability"),
        )
    except QuantError as error:
        raise SpecError(error.scenario, error.field, error.reason) from None


def _pyfair_range(value: object, ident: str, name: str) -> Distribution:
    if not isinstance(value, Mapping):
        raise SpecError(ident, name, "must be a mapping of parameters")
    keys = set(value) - {"gamma"}
    try:
        if keys == {"constant"}:
            return Constant(value["constant"])
        if keys == {"low", "mode", "high"}:
            if value.get("gamma", 4) != 4:
                raise SpecError(ident, f"{name}.gamma", "only the standard PERT (gamma 4) is supported")
            return Pert(value["low"], value["mode"], value["high"])
    except DistributionError as error:
        sub = {"min": "low", "most_likely": "mode", "max": "high"}.get(error.field, error.field)
        raise SpecError(ident, f"{name}.{sub}" if sub else name, error.reason) from None
    if keys in ({"mean", "stdev"}, {"raw"}):
        raise SpecError(
            ident,
            name,
            f"pyfair's {'normal' if 'mean' in keys else 'raw'} input has no equivalent here; use low/mode/high",
        )
    raise SpecError(ident, name, f"unsupported parameters {sorted(keys)}")


def from_riskquant_csv(text: str) -> list[Scenario]:
    """riskquant's CSV: `Identifier,Name,Probability,Low_loss,High_loss`, with or without that
    header. riskquant allows repeated identifiers; here a repeat gets a `-2`, `-3`… suffix."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    scenarios: list[Scenario] = []
    used: dict[str, int] = {}
    for line, row in enumerate(rows, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if line == 1 and row[0].strip().lower() == "identifier":
            continue
        if len(row) != 5:
            raise SpecError(
                f"line {line}",
                "",
                f"expected 5 columns (Identifier,Name,Probability,Low_loss,High_loss), got {len(row)}",
            )
        ident, name, rate, low, high = (cell.strip() for cell in row)
        if not ident:
            raise SpecError(f"line {line}", "Identifier", "missing")
        used[ident] = used.get(ident, 0) + 1
        unique = ident if used[ident] == 1 else f"{ident}-{used[ident]}"
        frequency = parse_range(rate, unique, "Probability")
        loss = parse_range({"p5": low, "p95": high}, unique, "Low_loss/High_loss")
        try:
            scenarios.append(Scenario(id=unique, title=name, frequency=frequency, loss=loss))
        except QuantError as error:
            raise SpecError(error.scenario, error.field, error.reason) from None
    if not scenarios:
        raise SpecError("", "", "the CSV holds no scenario")
    return scenarios
