"""Each module may add its part of the demo organisation in `ramparts/<module>/demo.py`.

That module defines `load(*, seed: int) -> list[str]`: it writes through the module's own services
(so every row is checked and audited), must change nothing when run a second time, and returns
the lines the `demo` command prints about what it did. Modules load in this order, after the
inventory, so that each may build on the ones before it.
"""

from importlib import import_module
from importlib.util import find_spec

DOMAIN_DEMOS = ("vulns", "risk", "frameworks", "compliance", "policies", "incidents", "alerts")


def load_domains(*, seed: int) -> list[str]:
    lines: list[str] = []
    for module in DOMAIN_DEMOS:
        name = f"ramparts.{module}.demo"
        if find_spec(name) is None:
            continue
        lines += import_module(name).load(seed=seed)
    return lines
