from pathlib import Path

from ramparts.api import api
from ramparts.core.apidoc import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_api_reference_is_current():
    expected = render_markdown(api.get_openapi_schema())
    assert DOC.exists(), "docs/api.md is missing: run ./run docs"
    assert DOC.read_text() == expected, "docs/api.md is out of date: run ./run docs"


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/inventory/systems" in response.json()["paths"]
