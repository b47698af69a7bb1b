import os
from pathlib import Path

import pytest

from ramparts.core.models import BusinessUnit, User
from ramparts.core.roles import Role


@pytest.fixture
def unit_a(db) -> BusinessUnit:
    return BusinessUnit.objects.create(code="retail", name="Retail Banking")


@pytest.fixture
def unit_b(db) -> BusinessUnit:
    return BusinessUnit.objects.create(code="wealth", name="Wealth Management")


@pytest.fixture
def make_user(db, unit_a):
    def make(role: Role | str = Role.ANALYST, *, units=None, all_units=False, username=None) -> User:
        role = Role(role)
        user = User.objects.create_user(
            username=username or f"{role.value}-{User.objects.count() + 1}",
            password="Unused-Password-123",
            role=role.value,
            all_units=all_units,
        )
        user.business_units.set(units if units is not None else [unit_a])
        return user

    return make


@pytest.fixture
def admin_user(make_user) -> User:
    return make_user(Role.ADMIN, username="admin")


def pytest_report_header(config):
    from django.db import connection

    return f"ramparts database: {connection.vendor} ({connection.settings_dict['NAME']})"


@pytest.fixture(scope="session", autouse=True)
def _database_is_the_one_expected(django_db_setup, django_db_blocker):
    """CI sets RAMPARTS_EXPECT_DB so that a PostgreSQL run can never silently fall back to SQLite."""
    import os

    from django.db import connection

    expected = os.environ.get("RAMPARTS_EXPECT_DB")
    if expected and connection.vendor != expected:
        pytest.exit(f"Expected the {expected} database but the tests run on {connection.vendor}.", returncode=3)


SHARED_DATA = Path(os.environ.get("RAMPARTS_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def pytest_configure(config):
    """Tests on real tool outputs read ../shared/data. Locally they skip without it; in CI its
    absence is an error, so those tests can never pass by skipping."""
    # The tests that read shared data skip without it on a developer's machine; in CI, none may.
    needed = ("scans", "feeds/kev", "frameworks/nist-oscal", "frameworks/mappings")
    missing = [name for name in needed if not (SHARED_DATA / name).is_dir()]
    if os.environ.get("CI") and missing:
        raise pytest.UsageError(f"CI is set but the shared data is missing at {SHARED_DATA}: {', '.join(missing)}")
