"""Tests that read ../shared/data skip without it on a developer's machine, and fail in CI."""

import os

import pytest


def missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"shared data missing in CI: {reason}")
    pytest.skip(reason)
