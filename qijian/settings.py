"""Qijian settings: every value comes from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from qijian.core.env import EnvError, env_bool, env_choice, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("QJ_DEBUG", False)
QJ_DEMO = env_bool("QJ_DEMO", False)  # the demo county's conveniences (manage.py demo_totp); never in production
SECRET_KEY = env_str("QJ_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not QJ_DEMO and not env_bool("QJ_TESTING", False):
        raise EnvError("QJ_SECRET_KEY must be set (a long random string) unless QJ_DEBUG/QJ_DEMO is on")
    SECRET_KEY = "insecure-demo-key-do-not-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105
ALLOWED_HOSTS = env_list("QJ_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("QJ_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "qijian.core",
    "qijian.accounts",
    "qijian.audit",
    "qijian.org",
    "qijian.enterprises",
    "qijian.meetings",
    "qijian.catalog",
    "qijian.plans",
    "qijian.inspections",
    "qijian.oversight",
    "qijian.checkins",
    "qijian.grading",
    "qijian.sampling",
    "qijian.joint",
    "qijian.evaluations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qijian.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qijian.accounts.middleware.IdleTimeoutMiddleware",
    "qijian.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qijian.core.csp.CSPMiddleware",  # django-csp's, the constant policy built once
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qijian.urls"
WSGI_APPLICATION = "qijian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qijian.core.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL through DATABASE_URL -------------------------
DATA_DIR = Path(env_str("QJ_DATA_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'qijian.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("QJ_DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers up front, so the audit chain never forks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Server-side binding; the hot statements of qijian/core/rawsql.py are then prepared, so PostgreSQL
    # plans them once per connection (psycopg's automatic preparing of every statement stays off, as
    # Django leaves it). Off for a transaction-pooling proxy. docs/benchmarks.md, "Check-ins under load".
    _prepared = env_bool("QJ_DB_PREPARED", True)
    _options = {"server_side_binding": _prepared, "prepare_threshold": None}
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_options}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("QJ_TESTING", False):  # the suite hashes many passwords; same algorithm, lower cost
    PASSWORD_HASHERS = ["qijian.accounts.hashers.TestingArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("QJ_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("QJ_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qijian.accounts.views.auth.locked_out"  # Chinese page with the cool-off time
AXES_ENABLED = env_bool("QJ_AXES_ENABLED", True)
# Lock-out counts failures per user name only (docs/security.md): on the county intranet whole bureaus sit
# behind one NAT address, so an IP-based lock would lock out a department; axes.W006 is silenced for that.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Key of the HMAC-SM3 that turns a 身份证号 / employee number into User.person_id (hex; empty = derived
# from SECRET_KEY). Set it once and never change it, or stored identities stop matching.
QJ_PERSON_ID_KEY = env_str("QJ_PERSON_ID_KEY", "")
if QJ_PERSON_ID_KEY:
    try:
        bytes.fromhex(QJ_PERSON_ID_KEY)
    except ValueError as exc:
        raise EnvError("QJ_PERSON_ID_KEY must be a hex string") from exc

SESSION_IDLE_TIMEOUT = env_int("QJ_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_COOKIE_AGE = env_int("QJ_SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_TLS = env_bool("QJ_SECURE_TLS", False)
SESSION_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SECURE = SECURE_TLS
SECURE_SSL_REDIRECT = SECURE_TLS
SECURE_HSTS_SECONDS = 31536000 if SECURE_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_TLS
SECURE_HSTS_PRELOAD = SECURE_TLS
if env_bool("QJ_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation: the users read Simplified Chinese; logs and storage are UTC -------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("QJ_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files: front-end packages come from node_modules, served locally -------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("QJ_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    # Only Tabler's own CSS and JS: its bundled third-party libs/ reference source maps it does not ship,
    # which the manifest storage of collectstatic refuses.
    ("vendor/tabler/css", _NODE / "@tabler" / "core" / "dist" / "css"),
    ("vendor/tabler/js", _NODE / "@tabler" / "core" / "dist" / "js"),
    ("vendor/tabler/img", _NODE / "@tabler" / "core" / "dist" / "img"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
    ("vendor/jsqr", _NODE / "jsqr" / "dist"),  # QR decoding on the check-in phone page
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("QJ_MANIFEST_STATIC", not DEBUG and not env_bool("QJ_TESTING", False))  # tests: no manifest
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
QJ_IMPORT_MAX_BYTES = env_int("QJ_IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024
# Worker processes that check a large CSV import (0: check in the importing process only).
QJ_IMPORT_WORKERS = env_int("QJ_IMPORT_WORKERS", min(2, os.cpu_count() or 1), minimum=0)

# --- Mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("QJ_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("QJ_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("QJ_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("QJ_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("QJ_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("QJ_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("QJ_EMAIL_FROM", "qijian@localhost")
EMAIL_FILE_PATH = env_str("QJ_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # file backend only (demo)
QJ_OFFICE_MAILBOX = env_str("QJ_OFFICE_MAILBOX", "cxfgj2024@163.com")

# --- Policy, audit keys ------------------------------------------------------------------------
QJ_POLICY = env_str("QJ_POLICY", "cangxian")
# Deadlines (plan windows, work reports) that closed before this day are not judged (R11): the day the
# county started keeping its plans in Qijian. Unset: every deadline since the policy took effect.
QJ_JUDGE_FROM = env_date("QJ_JUDGE_FROM", None)
QJ_AUDIT_KEY_ID = env_str("QJ_AUDIT_KEY_ID", "k1")
QJ_AUDIT_KEYS = env_list("QJ_AUDIT_KEYS", [])  # "id:hexkey" pairs; empty means derive from SECRET_KEY
QJ_AUDIT_RETENTION_DAYS = env_int("QJ_AUDIT_RETENTION_DAYS", 183, minimum=183)  # never below the policy floor
QJ_AUDIT_CHECKPOINT_MINUTES = env_int("QJ_AUDIT_CHECKPOINT_MINUTES", 60, minimum=1)  # periodic signed checkpoint
# Inspection and enterprise codes (入企扫码): signing keys like the audit's, but never the same keys.
QJ_CODE_KEY_ID = env_str("QJ_CODE_KEY_ID", "c1")
QJ_CODE_KEYS = env_list("QJ_CODE_KEYS", [])  # "id:hexkey" pairs; empty means derive from SECRET_KEY
QJ_PUBLIC_BASE_URL = env_str("QJ_PUBLIC_BASE_URL", "http://127.0.0.1:8000")  # what a printed QR code points at

# --- Background tasks ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_choice(
            "QJ_TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            {"django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"},
        ),
        "QUEUES": ["default"],
    }
}

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qijian.core.api_auth.FastTokenAuthentication",
        "qijian.core.api_auth.VerifiedSessionAuthentication",  # sessions of 2FA roles must be OTP-verified
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "qijian.core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "qijian.core.api.KeysetPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "企检 Qijian API",
    "DESCRIPTION": "涉企行政检查监管平台接口 (Cang County)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share (an enterprise's type; an item's applicable types).
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseTypeEnum": "qijian.enterprises.choices.EnterpriseType",
        "CheckInSourceEnum": "qijian.checkins.choices.CheckInSource",
        "JointTaskSourceEnum": "qijian.joint.choices.TaskSource",
        "FollowUpMethodEnum": "qijian.evaluations.choices.FollowUpMethod",
        "InspectionMethodEnum": "qijian.catalog.choices.InspectionMethod",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "qijian.core.api.add_error_responses",
    ],
}

# --- Logging: UTC timestamps ---------------------------------------------------------------------
LOG_LEVEL = env_choice("QJ_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {"()": "qijian.core.logging.UTCFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
