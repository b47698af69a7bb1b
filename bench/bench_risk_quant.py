"""Risk quantification (Open FAIR Monte Carlo, ramparts.risk.quant) at the issue's sizes.

    .venv/bin/python bench/bench_risk_quant.py [--repeat 5] [--pyfair /tmp/pyfair-venv/bin/python]

Targets (issue 4): one scenario at 1,000,000 simulated years with every output, the loss
exceedance curve included, in <= 0.4 s; a portfolio of 1,000 scenarios x 100,000 years in
<= 3 s on 2 cores with bounded memory; one risk recomputed at 100,000 years in < 200 ms.

Each figure is the best of --repeat runs (the machine may be shared: the best run is the one
least disturbed), printed with baselines measured in the same run.

The "quantify a risk from the UI" figure runs the whole web request path of the risk page's
Quantify button (POST /risk/RISK-n/quantify/: session, permission and scope checks, the
simulation, P5 and the loss exceedance curve, the residual rating derived from the matrix, the
database write, the audit entry and the appetite check) against a throwaway SQLite test
database (Django's test settings; --no-django skips it). Its baseline is the engine alone on
the same 100,000 years.

Baselines:
  - numpy: NumPy's raw generation of the same draws with its own samplers (per simulated year
    a Beta for the PERT frequency and a Poisson count, per event a Beta for the loss), with no
    summing or statistics: what any NumPy engine must at least spend;
  - pyfair: pyfair 0.1a13 on the same model and count, in its own interpreter (--pyfair, or
    RAMPARTS_PYFAIR_PYTHON), when one is available. pyfair is never a Ramparts dependency.
Exit status 1 when a target is missed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ramparts.risk.quant.distributions import LogNormal, Pert  # noqa: E402
from ramparts.risk.quant.model import Scenario  # noqa: E402
from ramparts.risk.quant.portfolio import Correlation, default_workers, simulate_portfolio  # noqa: E402
from ramparts.risk.quant.results import TolerancePoint, compare_tolerance, exceedance_curve, summarize  # noqa: E402
from ramparts.risk.quant.simulate import simulate  # noqa: E402
from ramparts.risk.quant.whatif import what_if  # noqa: E402

REFERENCE = Scenario(id="ref", frequency=Pert(0.05, 0.1, 0.3), loss=Pert(100_000, 1_000_000, 10_000_000))
TOLERANCE = [TolerancePoint(5e6, 0.10), TolerancePoint(5e7, 0.01)]
PYFAIR_SCRIPT = """
import sys, time, numpy as np, pyfair
n = int(sys.argv[1])
start = time.perf_counter()
model = pyfair.FairModel(name="bench", n_simulations=n)
model.input_data("Loss Event Frequency", low=0.05, mode=0.1, high=0.3)
model.input_data("Loss Magnitude", low=100000, mode=1000000, high=10000000)
model.calculate_all()
risk = model.export_results()["Risk"].to_numpy()
stats = [risk.mean(), *np.percentile(risk, [50, 90, 95, 99]), (risk > 0).mean()]
print(time.perf_counter() - start)
"""


CPU: dict[str, float] = {}  # label -> process CPU seconds of the best run


def best_of(fn: Callable[[], object], repeat: int, label: str = "") -> float:
    """Best wall time of `repeat` runs; the CPU time of that run is kept under `label`."""
    best, best_cpu = float("inf"), 0.0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        if wall < best:
            best, best_cpu = wall, used
    if label:
        CPU[label] = best_cpu
    return best


def all_outputs(years: int, seed: int) -> None:
    losses = simulate(REFERENCE, years=years, seed=seed).losses
    summarize(losses)
    exceedance_curve(losses, points=60)
    compare_tolerance(losses, TOLERANCE)


def raw_numpy(scenarios: list[Scenario], years: int, rng: np.random.Generator) -> None:
    """The same number of frequency, count and loss draws through NumPy's own samplers."""
    for s in scenarios:
        f = s.rate
        rate = (
            f.low + (f.high - f.low) * rng.beta(f.alpha, f.beta, years) if isinstance(f, Pert) else np.full(years, 1.0)
        )
        counts = rng.poisson(rate)
        n = int(counts.sum())
        loss = s.loss
        if isinstance(loss, Pert):
            rng.beta(loss.alpha, loss.beta, n)
        else:
            rng.lognormal(0.0, 1.0, n)


def portfolio_scenarios(n: int) -> list[Scenario]:
    """A plausible register: loss event frequencies from once a century to a few times a year,
    per-event losses from $10k to $20M, half PERT and half lognormal."""
    rng = np.random.default_rng(2026)
    out = []
    for i in range(n):
        low = rng.uniform(0.01, 0.2)
        mode = low * rng.uniform(1, 3)
        high = mode * rng.uniform(1.5, 5)
        if i % 2:
            loss = Pert(1e4 * rng.uniform(1, 10), 1e5 * rng.uniform(1, 10), 1e6 * rng.uniform(2, 20))
        else:
            loss = LogNormal(1e4 * rng.uniform(1, 10), 1e6 * rng.uniform(1, 10))
        out.append(Scenario(id=f"RISK-{i + 1}", frequency=Pert(low, mode, high), loss=loss))
    return out


def ui_quantify(repeat: int) -> float:
    """Best time of the risk page's Quantify request at 100,000 years, on a throwaway SQLite DB."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("RAMPARTS_SECRET_KEY", "bench")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ramparts.core.models import BusinessUnit, User
    from ramparts.risk import services
    from ramparts.risk.models import RiskCategory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        unit = BusinessUnit.objects.create(code="bench", name="Bench")
        user = User.objects.create_user(username="bench", password="x", role="security_manager")
        user.business_units.set([unit])
        risk = services.risk_create(
            actor=user,
            business_unit=unit,
            title="Bench",
            category=RiskCategory.objects.create(name="Cyber"),
            inherent_likelihood=3,
            inherent_impact=3,
            fair={"frequency": {"min": 0.05, "most_likely": 0.1, "max": 0.3},
                  "loss": {"min": 100000, "most_likely": 1000000, "max": 10000000}},
        )  # fmt: skip
        client = Client()
        client.force_login(user)

        def post() -> None:
            response = client.post(f"/risk/{risk.ref}/quantify/", {"years": 100_000, "seed": 7})
            assert response.status_code == 302, response.status_code

        post()  # warm: templates, URL resolver, PERT tables
        return best_of(post, repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def pyfair_seconds(python: str | None, n: int) -> float | None:
    if not python or not Path(python).exists():
        return None
    try:
        out = subprocess.run(
            [python, "-c", PYFAIR_SCRIPT, str(n)], capture_output=True, text=True, timeout=900, check=True
        )
    except (subprocess.SubprocessError, OSError) as error:
        print(f"  pyfair failed: {error}")
        return None
    return float(out.stdout.strip().splitlines()[-1])


def line(label: str, seconds: float, target: float | None, baselines: dict[str, float | None]) -> bool:
    ok = target is None or seconds <= target
    parts = [f"{label:<44} {seconds * 1000:9.1f} ms"]
    if target is not None:
        parts.append(f"target {target * 1000:7.0f} ms {'PASS' if ok else 'MISS'}")
    for name, base in baselines.items():
        if base:
            parts.append(f"{name} {base * 1000:9.1f} ms (x{seconds / base:.2f})")
    print("  ".join(parts))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyfair", default=os.environ.get("RAMPARTS_PYFAIR_PYTHON", "/tmp/pyfair-venv/bin/python"))
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--no-django", action="store_true", help="skip the UI request measure (needs a test DB)")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    workers = default_workers()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores available: {workers}   load average: {load:.1f}   best of {args.repeat} runs")
    ok = True

    all_outputs(10_000, 0)  # warm the PERT tables and imports
    ours = best_of(lambda: all_outputs(1_000_000, 1), args.repeat)
    raw = best_of(lambda: raw_numpy([REFERENCE], 1_000_000, rng), args.repeat)
    theirs = pyfair_seconds(args.pyfair, 1_000_000)
    if theirs is None:
        print("  (no pyfair interpreter: pyfair's time not measured)")
    ok &= line("one scenario, 1,000,000 years, all outputs", ours, 0.4, {"numpy": raw, "pyfair": theirs})

    ours = best_of(lambda: all_outputs(100_000, 2), args.repeat * 2)
    raw = best_of(lambda: raw_numpy([REFERENCE], 100_000, rng), args.repeat * 2)
    ok &= line("one risk recomputed, 100,000 years", ours, 0.2, {"numpy": raw})
    if not args.no_django:
        ok &= line(
            "quantify a risk from the UI (POST, 100,000 years)", ui_quantify(args.repeat * 2), 0.2, {"engine": ours}
        )
    changed = REFERENCE.with_vulnerability_reduced(0.5)
    ours = best_of(lambda: what_if(REFERENCE, changed, years=100_000, seed=3, annual_cost=1e5), args.repeat * 2)
    line("what-if (2 paired runs), 100,000 years", ours, None, {"numpy (1 run)": raw})

    scenarios = portfolio_scenarios(args.scenarios)
    simulate_portfolio(scenarios[:20], years=1000, seed=0)  # warm
    label = f"portfolio {len(scenarios):,} x 100,000 years, {workers} threads"
    ours = best_of(
        lambda: simulate_portfolio(scenarios, years=100_000, seed=4).summary(), max(1, args.repeat // 2), label
    )
    part = scenarios[: max(1, len(scenarios) // 5)]
    raw = best_of(lambda: raw_numpy(part, 100_000, rng), 1) * len(scenarios) / len(part)
    ok &= line(label, ours, 3.0, {"numpy (1 thread, scaled from 1/5)": raw})
    cpu = CPU[label]
    print(
        f"  CPU time of that run: {cpu:.2f} s, i.e. {cpu / workers:.2f} s of wall time if {workers} cores were free "
        f"(wall/CPU = {ours / cpu:.2f}; > 1/{workers} means the machine is shared)"
    )
    rho = best_of(lambda: simulate_portfolio(scenarios, years=100_000, seed=4, correlation=Correlation(rho=0.3)), 1)
    line("  same, Gaussian copula rho = 0.3", rho, None, {})

    tracemalloc.start()
    simulate_portfolio(scenarios, years=100_000, seed=4)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    naive = len(scenarios) * 100_000 * 8
    print(
        f"portfolio peak traced memory: {peak / 2**20:.0f} MiB (a scenarios x years matrix would be "
        f"{naive / 2**20:.0f} MiB)"
    )
    print(json.dumps({"ok": bool(ok)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
