"""Alert intake under load: signed webhooks over loopback against the real server, on SQLite.

    .venv/bin/python bench/bench_alerts.py                  # 60 s per phase (the issue's figure)
    .venv/bin/python bench/bench_alerts.py --seconds 10     # a short run
    .venv/bin/python bench/bench_alerts.py --workers 4 --clients 16 --batch 20

What runs
- A temporary data directory and SQLite database (WAL, the production settings), migrated, with one
  Alertmanager source and one Wazuh source (deduplication and grouping on, rate limit raised).
- gunicorn with several sync workers serving ramparts.wsgi (as `ramparts serve` does, without its
  per-request access log), on 127.0.0.1.
- A load generator in separate processes (--procs × --clients threads), each request a new loopback
  connection, HMAC-signed with a fresh timestamp, as fast as the server answers (closed loop).

Phases, each --seconds long, all in the same run:
  baseline-wsgi    the same load against a trivial WSGI app (hello world) under the same gunicorn
                   settings: the ceiling of HTTP + process model on this machine;
  baseline-django  the same load through Django's whole middleware stack to a trivial answer
                   (GET on the hook: 405, no database);
  batch            Prometheus Alertmanager payloads carrying --batch alerts each (how Alertmanager
                   delivers); ~10 % of alerts repeat an earlier one (dedup counts them);
  single           Wazuh payloads, one alert per request (how a Wazuh integration delivers).

Checks
- No loss: every alert acknowledged with 202 is in the database: stored rows == distinct alerts
  acknowledged, and the sum of repeat counts == alerts acknowledged. Any non-202 answer is reported.
- Throughput: alerts stored per second over the phase, and the slowest 5-second window (sustained).
  Target (issue 6): >= 1,000 alerts/s sustained for 60 s on SQLite. The target is checked on the
  batch phase and on the single phase separately; each is printed with its ratio to the baselines.
Exit status 1 when a target is missed or an alert is lost.
"""

import argparse
import http.client
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ramparts.notifications.signing import signed_headers  # noqa: E402

TARGET_ALERTS_PER_SECOND = 1000.0
WINDOW = 5.0

TRIVIAL_WSGI = """
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]
"""


def env_for(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RAMPARTS_DATA_DIR=data_dir,
        RAMPARTS_SECRET_KEY="bench-only-" + "x" * 40,
        RAMPARTS_ALLOWED_HOSTS="127.0.0.1,localhost",
        RAMPARTS_REQUIRE_MFA="0",
        RAMPARTS_LOG_LEVEL="ERROR",
        RAMPARTS_HTTPS="0",
        DJANGO_SETTINGS_MODULE="ramparts.settings",
        PYTHONPATH=f"{ROOT / 'src'}:{data_dir}",
    )
    env.pop("DATABASE_URL", None)
    return env


SETUP = """
import django, json
django.setup()
from ramparts.core.models import BusinessUnit, User
from ramparts.alerts.services import source_create
unit = BusinessUnit.objects.create(code="soc", name="Security operations")
admin = User.objects.create_user(username="bench", password="x" * 16, role="admin")
am, am_secret = source_create(actor=admin, name="Prometheus", business_unit=unit, kind="alertmanager",
                              rate_limit_per_minute=10_000_000)
wz, wz_secret = source_create(actor=admin, name="Wazuh", business_unit=unit, kind="wazuh",
                              rate_limit_per_minute=10_000_000)
print(json.dumps({"alertmanager": [am.slug, am_secret], "wazuh": [wz.slug, wz_secret]}))
"""

COUNT = """
import django, json
django.setup()
from django.db.models import Sum, Count
from ramparts.alerts.models import Alert
print(json.dumps({s: dict(Alert.objects.filter(source__slug=s).aggregate(rows=Count("id"), total=Sum("count")))
                  for s in ("prometheus", "wazuh")}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app: str, env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--backlog", "2048", "--log-level", "warning", "--timeout", "120"],
        env=env, cwd=env["RAMPARTS_DATA_DIR"], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn ({app}) did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- load generator ----------------------------------------------------------------------------


def alertmanager_body(worker: str, n: int, batch: int, repeat: bool) -> bytes:
    alerts = []
    for i in range(batch):
        # A repeat sends an earlier alert again (same fingerprint and start): dedup must count it.
        ident = f"{worker}-{n - 1 if repeat and n else n}-{i}"
        alerts.append(
            {
                "status": "firing",
                "labels": {"alertname": f"Rule{i % 7}", "instance": f"host-{i % 50}:9100", "severity": "warning"},
                "annotations": {"summary": f"Alert {ident}"},
                "startsAt": "2026-11-27T01:02:03.000Z",
                "fingerprint": ident,
            }
        )
    return orjson.dumps(
        {"version": "4", "status": "firing", "receiver": "ramparts", "seq": f"{worker}-{n}", "alerts": alerts}
    )


def wazuh_body(worker: str, n: int, repeat: bool) -> bytes:
    ident = f"{worker}-{n - 1 if repeat and n else n}"
    return orjson.dumps(
        {
            "timestamp": "2026-11-27T01:14:07.532+0000",
            "rule": {
                "level": 10,
                "description": "sshd: brute force",
                "id": str(5700 + n % 13),
                "mitre": {"id": ["T1110"]},
            },
            "agent": {"id": "017", "name": f"host-{n % 50}", "ip": "10.20.4.17"},
            "id": ident,
            "seq": f"{worker}-{n}",  # repeats differ here, so their signatures differ (not replays)
        }
    )


def client_process(spec: dict, queue) -> None:
    stop_at = spec["start"] + spec["seconds"]
    lock = threading.Lock()
    statuses: Counter = Counter()
    acked = [0]
    times: list[float] = []

    def run(thread: int) -> None:
        worker = f"p{spec['proc']}t{thread}"
        n = 0
        while time.time() < spec["start"]:
            time.sleep(0.01)
        while True:
            now = time.time()
            if now >= stop_at:
                return
            repeat = n % 10 == 9
            if spec["kind"] == "batch":
                body = alertmanager_body(worker, n, spec["batch"], repeat)
            elif spec["kind"] == "single":
                body = wazuh_body(worker, n, repeat)
            else:
                body = b"{}"
            headers = {"Content-Type": "application/json", **signed_headers(spec["secret"], body, now=now)}
            conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=60)
            try:
                conn.connect()
                # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
                # holds the body back until the server's delayed ACK (tens of ms on every request).
                conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.request(
                    spec["method"], spec["path"], body=body if spec["method"] == "POST" else None, headers=headers
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as exc:
                status = f"error:{type(exc).__name__}"
            finally:
                conn.close()
            done = time.time()
            with lock:
                statuses[status] += 1
                if status == 202:
                    acked[0] += spec["batch"] if spec["kind"] == "batch" else 1
                    times.append(done)
                elif spec["kind"] in ("baseline", "wsgi") and isinstance(status, int):
                    times.append(done)
            n += 1

    threads = [threading.Thread(target=run, args=(t,)) for t in range(spec["clients"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put({"statuses": dict(statuses), "acked": acked[0], "times": times})


def warm_up(port: int, path: str, workers: int) -> None:
    """Until every worker has answered once (each imports the URLconf and views on first use)."""
    deadline = time.monotonic() + 120
    answered = 0
    while answered < 4 * workers and time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("GET", path)
            conn.getresponse().read()
            answered += 1
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()


def load(kind: str, *, port: int, method: str, path: str, secret: str, args) -> dict:
    warm_up(port, path, args.workers)
    start = time.time() + 1.0
    queue: mp.Queue = mp.Queue()
    procs = []
    for p in range(args.procs):
        spec = {
            "kind": kind, "port": port, "method": method, "path": path, "secret": secret, "proc": p,
            "clients": args.clients, "seconds": args.seconds, "start": start, "batch": args.batch,
        }  # fmt: skip
        proc = mp.Process(target=client_process, args=(spec, queue))
        proc.start()
        procs.append(proc)
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    statuses: Counter = Counter()
    times: list[float] = []
    acked = 0
    for r in results:
        statuses.update(r["statuses"])
        times.extend(r["times"])
        acked += r["acked"]
    per_request = args.batch if kind == "batch" else 1
    rate = (acked if kind in ("batch", "single") else len(times)) / args.seconds
    return {
        "statuses": dict(statuses),
        "acked": acked,
        "requests_per_s": len(times) / args.seconds,
        "rate": rate,
        "slowest_window": slowest_window(times, start, args.seconds) * per_request,
    }


def slowest_window(times: list[float], start: float, seconds: float) -> float:
    """Requests per second in the slowest whole WINDOW-second slice of the phase."""
    slices = max(1, int(seconds // WINDOW))
    counts = [0] * slices
    for t in times:
        index = int((t - start) // WINDOW)
        if 0 <= index < slices:
            counts[index] += 1
    return min(counts) / WINDOW


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections per generator process")
    parser.add_argument("--batch", type=int, default=20, help="alerts per Alertmanager request (default 20)")
    parser.add_argument("--skip", default="", help="comma-separated phases to skip (wsgi,django,batch,single)")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    data_dir = tempfile.mkdtemp(prefix="ramparts-bench-alerts-")
    env = env_for(data_dir)
    Path(data_dir, "bench_trivial_wsgi.py").write_text(TRIVIAL_WSGI)
    print(f"data directory {data_dir} (SQLite, WAL); {args.workers} gunicorn workers; "
          f"{args.procs}×{args.clients} clients; {args.seconds:.0f} s per phase; {os.cpu_count()} cores")  # fmt: skip
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, cwd=data_dir)
    subprocess.run([sys.executable, "-m", "django", "createcachetable"], env=env, check=True, cwd=data_dir)
    sources = orjson.loads(
        subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, cwd=data_dir).stdout
    )

    results: dict[str, dict] = {}
    if "wsgi" not in skip:
        proc, port = start_gunicorn("bench_trivial_wsgi:application", env, args.workers)
        try:
            results["baseline-wsgi"] = load("wsgi", port=port, method="POST", path="/", secret="x", args=args)
        finally:
            stop(proc)
    proc, port = start_gunicorn("ramparts.wsgi:application", env, args.workers)
    try:
        am_slug, am_secret = sources["alertmanager"]
        wz_slug, wz_secret = sources["wazuh"]
        if "django" not in skip:
            results["baseline-django"] = load(
                "baseline", port=port, method="GET", path=f"/alerts/hooks/{wz_slug}/", secret=wz_secret, args=args
            )
        if "batch" not in skip:
            results["batch"] = load(
                "batch", port=port, method="POST", path=f"/alerts/hooks/{am_slug}/", secret=am_secret, args=args
            )
        if "single" not in skip:
            results["single"] = load(
                "single", port=port, method="POST", path=f"/alerts/hooks/{wz_slug}/", secret=wz_secret, args=args
            )
    finally:
        stop(proc)
    stored = orjson.loads(
        subprocess.run([sys.executable, "-c", COUNT], env=env, check=True, capture_output=True, cwd=data_dir).stdout
    )

    failed = False
    print()
    print(f"{'phase':<16} {'requests/s':>11} {'alerts/s':>9} {'slowest 5 s':>12}  answers")
    for name, r in results.items():
        alerts = f"{r['rate']:.0f}" if name in ("batch", "single") else "-"
        slow = f"{r['slowest_window']:.0f}" if name in ("batch", "single") else f"{r['slowest_window']:.0f} req"
        print(f"{name:<16} {r['requests_per_s']:>11.0f} {alerts:>9} {slow:>12}  {r['statuses']}")
    print()
    base_wsgi = results.get("baseline-wsgi", {}).get("requests_per_s")
    base_django = results.get("baseline-django", {}).get("requests_per_s")
    for name, slug in (("batch", "prometheus"), ("single", "wazuh")):
        if name not in results:
            continue
        r = results[name]
        s = stored[slug]
        rows, total = s["rows"] or 0, s["total"] or 0
        # Acknowledged alerts include repeats: the repeat counts in the database must add up to them.
        lost = r["acked"] - total
        non_202 = {k: v for k, v in r["statuses"].items() if k != 202}
        ratios = []
        if base_wsgi:
            ratios.append(f"{r['requests_per_s'] / base_wsgi:.2f}× trivial WSGI requests/s")
        if base_django:
            ratios.append(f"{r['requests_per_s'] / base_django:.2f}× trivial Django requests/s")
        sustained = r["slowest_window"]
        ok = sustained >= TARGET_ALERTS_PER_SECOND and lost == 0 and not non_202
        failed |= not ok
        print(f"{name}: {r['rate']:.0f} alerts/s ({r['requests_per_s']:.0f} requests/s; {', '.join(ratios)}); "
              f"slowest 5 s: {sustained:.0f} alerts/s; target >= {TARGET_ALERTS_PER_SECOND:.0f} sustained: "
              f"{'PASS' if sustained >= TARGET_ALERTS_PER_SECOND else 'FAIL'}")  # fmt: skip
        verdict = "no loss" if lost == 0 else f"{lost} LOST"
        others = f"; non-202 answers {non_202}" if non_202 else ""
        print(f"  acknowledged {r['acked']} alerts, stored {rows} distinct, counts sum to {total}: {verdict}{others}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
