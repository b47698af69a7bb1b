"""Ramparts settings. Everything that differs between installations comes from the environment.

Production defaults are the safe ones; the demo mode (RAMPARTS_DEMO=1, set by `./run demo`) relaxes
only what a laptop on plain http needs: a generated secret key and cookies without the Secure flag.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(
    os.environ.get("RAMPARTS_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "ramparts"
)

DEMO_MODE = env_flag("RAMPARTS_DEMO")
DEBUG = env_flag("RAMPARTS_DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("RAMPARTS_SECRET_KEY"):
        return key
    if not DEMO_MODE:
        raise ImproperlyConfigured(
            "RAMPARTS_SECRET_KEY is required (set RAMPARTS_DEMO=1 only for a local demo). "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    # The demo keeps a generated key in its data directory so that sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "demo-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("RAMPARTS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("RAMPARTS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks_db",
    "ramparts.core",
    "ramparts.inventory",
    "ramparts.risk",
    "ramparts.incidents",
    "ramparts.vulns",
    "ramparts.frameworks",
    "ramparts.compliance",
    "ramparts.policies",
    "ramparts.alerts",
    "ramparts.notifications",
    "ramparts.demo",
]

ADMIN_ENABLED = env_flag("RAMPARTS_ADMIN_ENABLED")
if ADMIN_ENABLED:
    INSTALLED_APPS.insert(0, "django.contrib.admin")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ramparts.core.middleware.MaxUploadSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ramparts.core.middleware.RequestContextMiddleware",
    "ramparts.core.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "ramparts.urls"
WSGI_APPLICATION = "ramparts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ramparts.core.context_processors.ramparts",
            ],
        },
    }
]

DEFAULT_SQLITE_PATH = DATA_DIR / "ramparts.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades that
        # would otherwise fail with "database is locked" under concurrent writers.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # page_size takes effect on a new database only (before journal_mode=WAL): 16 KiB pages
        # store a 1M-finding import ~20% faster than the 4 KiB default (bench/bench_vulns.py).
        "init_command": (
            "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Project-wide assets: vendored front-end libraries (static/vendor, see its VERSIONS) and app.css/app.js.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

# Upload limits: a request body larger than this is refused before any parsing.
RAMPARTS_MAX_UPLOAD_BYTES = int(os.environ.get("RAMPARTS_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = RAMPARTS_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# --- Security headers -------------------------------------------------------------------------
HTTPS = env_flag("RAMPARTS_HTTPS", default=not DEMO_MODE)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_flag("RAMPARTS_SSL_REDIRECT", default=False)
if env_flag("RAMPARTS_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # One proxy appends the client's address; log-in throttling must count per client, not per proxy.
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Authentication (django-allauth) ---------------------------------------------------------
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "ramparts.core.auth.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Failed log-ins are throttled per IP and per account; allauth answers with a clear message.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("RAMPARTS_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "5/h/ip",
    "reset_password": "5/h/ip,3/h/key",
}
# Administrators and security managers must enrol a second factor (core.middleware.RequireMFAMiddleware).
RAMPARTS_REQUIRE_MFA = env_flag("RAMPARTS_REQUIRE_MFA", default=not DEMO_MODE)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEMO_MODE or DEBUG
MFA_TOTP_ISSUER = "Ramparts"
SOCIALACCOUNT_ADAPTER = "ramparts.core.auth.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict = {}
if os.environ.get("RAMPARTS_OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("RAMPARTS_OIDC_PROVIDER_ID", "sso"),
                "name": os.environ.get("RAMPARTS_OIDC_NAME", "Single sign-on"),
                "client_id": os.environ.get("RAMPARTS_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("RAMPARTS_OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ["RAMPARTS_OIDC_SERVER_URL"]},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ramparts_cache",
    }
}

# --- Background work --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env_flag("RAMPARTS_TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- E-mail (notifications) -----------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("RAMPARTS_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("RAMPARTS_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("RAMPARTS_EMAIL_PORT", "25")),
            "username": os.environ.get("RAMPARTS_EMAIL_USER", ""),
            "password": os.environ.get("RAMPARTS_EMAIL_PASSWORD", ""),
            "use_tls": env_flag("RAMPARTS_EMAIL_TLS"),
            "use_ssl": env_flag("RAMPARTS_EMAIL_SSL"),
            "timeout": 20,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("RAMPARTS_EMAIL_FROM", "ramparts@localhost")
# Links in e-mails and webhook messages are made absolute with this (e.g. https://ramparts.example.org).
RAMPARTS_BASE_URL = os.environ.get("RAMPARTS_BASE_URL", "")

# --- API ----------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# --- Logging: never log request bodies or headers (they carry passwords and tokens) -------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RAMPARTS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
