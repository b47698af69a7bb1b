"""Shared helpers for the security tests: log-in with a real password and a real TOTP code."""

import os
import subprocess
import sys
import time
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

PASSWORD = "Correct-Horse-Battery-9"  # noqa: S105 - a test fixture
ROOT = Path(__file__).resolve().parents[2]


def with_password(user, password: str = PASSWORD):
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def enrol_totp(user) -> str:
    """Activate TOTP for the user; returns the base32 secret an authenticator app would hold."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, offset_periods: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_periods))


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter (settings are read once per process)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RAMPARTS_", "DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=clean, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
