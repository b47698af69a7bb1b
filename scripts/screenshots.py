"""Take the README's screenshots from a running demo (`./run demo` in another terminal).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--only risk-register ...]

Logs in as the demo security manager (or the user a shot names) in Debian's Chromium and saves
docs/screenshots/<name>.png. Pages are listed below; a page that answers an error fails the run,
so a stale list is noticed.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "Northwind-Demo-2026"  # noqa: S105 - the published demo password

# name, path, user, full page
SHOTS = [
    ("home", "/", "secmgr", False),
    ("systems-list", "/inventory/systems/", "secmgr", False),
    ("system-detail", "/inventory/systems/SYS-1/", "secmgr", False),
    ("findings-list", "/vulns/findings/", "secmgr", False),
    ("cve-detail", "/vulns/cves/CVE-2023-34362/", "secmgr", True),
    ("burndown", "/vulns/burndown/", "secmgr", False),
    ("risk-register", "/risk/", "secmgr", False),
    ("risk-detail", "/risk/RISK-1/", "secmgr", True),
    ("risk-heat-map", "/risk/heat-map/", "secmgr", True),
    ("risk-portfolio", "/risk/portfolio/", "executive", True),
    ("compliance-overview", "/compliance/", "secmgr", False),
    ("assessment", "/compliance/assessments/ASM-1/", "secmgr", False),
    ("frameworks", "/frameworks/", "secmgr", False),
    ("policies-mine", "/policies/mine/", "employee", False),
    ("incident", "/incidents/INC-2026-005/", "secmgr", True),
    ("incident-metrics", "/incidents/metrics/", "secmgr", True),
    ("alerts-list", "/alerts/", "analyst", False),
    ("audit-trail", "/audit/", "secmgr", False),
]


def log_in(browser, base: str, username: str):
    """A fresh browser context (its own cookies) logged in as `username`; returns its page."""
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("networkidle")
    return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    failures = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        page = None
        current_user = None
        for name, path, user, full_page in SHOTS:
            if args.only and name not in args.only:
                continue
            if user != current_user or page is None:
                page = log_in(browser, args.base, user)
                current_user = user
            response = page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            if response is None or response.status >= 400:
                failures.append(f"{name}: {path} answered {response.status if response else 'nothing'}")
                continue
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
            print(f"saved docs/screenshots/{name}.png")
        browser.close()
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
