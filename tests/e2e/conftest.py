"""Browser tests: real Chromium (Debian's package, never a downloaded browser) against a live server.

Without /usr/bin/chromium the tests skip with a reason, except in CI (the CI variable is set),
where a missing browser is a failure: `.ci/run` installs it.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM refuses to run while one
# is running unless told it is safe. It is here: the test thread does nothing concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("RAMPARTS_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def chromium_present() -> bool:
    return Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    missing = not chromium_present()
    for item in items:
        if HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_present():
        pytest.fail(f"CI is set but Chromium is missing at {CHROMIUM}: install Debian's chromium package.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() go to the live server."""
    return live_server.url


@pytest.fixture
def page(page):
    """Fail fast instead of waiting 30 s for what will not come."""
    page.set_default_timeout(15_000)
    page.set_default_navigation_timeout(20_000)
    return page
