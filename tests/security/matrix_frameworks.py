"""Permission-matrix requests of the frameworks module (collected by matrix_modules; see its docstring)."""

from tests.security.matrix_base import api, ui  # noqa: F401

MATRIX: dict[str, dict[str, list]] = {}


def objects(*, owner, unit, user, world) -> dict[str, str]:
    return {}
