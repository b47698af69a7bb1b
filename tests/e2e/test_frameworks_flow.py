"""Frameworks in real Chromium: import a profile whose catalog is missing and read the error, import
the catalog, then the profile; walk the tree, search it, open a requirement with its rendered
parameters, and compare two versions."""

import re

import orjson
import pytest
from playwright.sync_api import Page, expect

from ramparts.core.models import User
from ramparts.core.roles import Role
from ramparts.frameworks.models import Framework
from tests.frameworks.conftest import tiny_catalog, tiny_profile

PASSWORD = "Rampart-E2E-Frameworks-42"  # noqa: S105 - a test fixture


@pytest.fixture
def manager(transactional_db) -> User:
    return User.objects.create_user(username="franz", password=PASSWORD, role=Role.SECURITY_MANAGER.value)


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^login", re.I)).fill(username)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page.get_by_role("button", name=re.compile("log out", re.I), include_hidden=True)).to_be_attached()


def upload(page: Page, name: str, content: bytes) -> None:
    page.goto("/frameworks/import/")
    page.locator("#framework-file").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": content}]
    )
    page.locator("#framework-form").get_by_role("button", name=re.compile("import", re.I)).click()


def test_import_profile_catalog_tree_requirement_and_compare(page: Page, manager):
    log_in(page, manager.username)
    page.goto("/frameworks/")
    expect(page.get_by_role("link", name="NIST Cybersecurity Framework")).to_be_visible()

    upload(page, "tiny-profile.json", orjson.dumps(tiny_profile()))
    expect(page.locator("#import-errors")).to_contain_text("Tiny Test Catalog")
    expect(page.locator("#import-errors")).to_contain_text("has not been imported")
    assert not Framework.objects.filter(kind="profile").exists()

    upload(page, "tiny-catalog.json", orjson.dumps(tiny_catalog()))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiny Test Catalog")
    expect(page.locator("td .badge", has_text="withdrawn")).to_be_visible()

    page.get_by_label("Search requirements").fill("automate")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="TC-1(1)")).to_be_visible()
    expect(page.get_by_role("link", name="XX-1")).to_have_count(0)

    upload(page, "tiny-profile.json", orjson.dumps(tiny_profile()))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiny Test Baseline")
    expect(page.get_by_text("Profile resolved against")).to_be_visible()
    page.get_by_role("link", name="TC-1", exact=True).click()
    expect(page.get_by_text("Review the policy every quarter.")).to_be_visible()

    v2 = tiny_catalog(
        version="2.0", extra_control={"id": "tc-3", "title": "New", "props": [{"name": "label", "value": "TC-3"}]}
    )
    upload(page, "tiny-catalog-2.json", orjson.dumps(v2))
    page.get_by_role("button", name="What changed").click()
    expect(page.get_by_role("heading", name=re.compile(r"Added \(1\)"))).to_be_visible()
    expect(page.get_by_role("link", name="TC-3")).to_be_visible()
