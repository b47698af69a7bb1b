"""Test settings: the production settings with a fixed key and fast password hashing."""

import os

os.environ.setdefault("RAMPARTS_SECRET_KEY", "test-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("RAMPARTS_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", ".test-data"))
# The optional Django admin is on in tests, so that its audited ModelAdmins are tested too.
os.environ.setdefault("RAMPARTS_ADMIN_ENABLED", "1")

from ramparts.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Tests log privileged users in with force_login; tests/security turn MFA enforcement back on.
RAMPARTS_REQUIRE_MFA = False

# WhiteNoise warns on every request when the collected-static directory does not exist.
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405

# Templates that only tests render (e.g. a widget registered by a test).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0].get("DIRS", []), os.path.join(os.path.dirname(__file__), "templates")]  # noqa: F405
