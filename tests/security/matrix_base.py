"""The request shapes of the permission matrix, shared by every module's matrix file."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

NOT_BUILT = pytest.mark.xfail(strict=True, reason="not built yet")


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    data: Callable[[Any], Any] | dict | None = None
    # How the body is sent: "form" (UI), "json" (API) or "multipart" (file uploads).
    body: str = "form"
    # When a denied role still gets a page (the home page shows employees their own things),
    # a check that the privileged content is absent replaces the 403.
    denied_check: Callable[[Any], bool] | None = None
    allowed_check: Callable[[Any], bool] | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def ui(method: str, path: str, data=None, **kw) -> Req:
    return Req(method, path, data, body=kw.pop("body", "form"), **kw)


def api(method: str, path: str, data=None, **kw) -> Req:
    return Req(method, "/api/v1" + path, data, body=kw.pop("body", "json"), **kw)


def pending(req: Req):
    """A request whose endpoint is not built yet: kept visible, and strict so it fails once built."""
    return pytest.param(req, marks=NOT_BUILT, id=str(req))
