"""Permission-matrix requests of scan imports (upload page, import history, scan upload API);
collected by matrix_modules, joined with matrix_vulns.py."""

from tests.security.matrix_base import api, ui  # noqa: F401

MATRIX: dict[str, dict[str, list]] = {}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    return {}
