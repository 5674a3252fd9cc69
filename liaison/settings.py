"""Settings of a Liaison instance, all read from the environment (see README, "Configuration").

Production hardening is the default. `LIAISON_DEMO=1` explicitly relaxes what a laptop demo over plain HTTP needs
(secure cookies, HTTPS redirect, the second factor for demo accounts) and nothing else; `LIAISON_DEBUG=1` relaxes
the same transport settings for development and adds Django's debug pages.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from liaison.core.env import envbool, envint, envlist, envstr
from liaison.core.files import private_dir, private_file, private_sqlite, write_private

BASE_DIR = Path(__file__).resolve().parent
DEMO = envbool("LIAISON_DEMO", False)
DEBUG = envbool("LIAISON_DEBUG", False)
DATA_DIR = Path(envstr("LIAISON_DATA_DIR", str(BASE_DIR.parent / "data"))).resolve()
if envstr("DATABASE_URL") != "sqlite://:memory:":  # only the offline verify commands run without one (liaison/cli.py)
    private_dir(DATA_DIR)  # owner-only (0700), tightened if it is not


def _secret_key() -> str:
    key = envstr("LIAISON_SECRET_KEY")
    if key:
        return key
    if not (DEMO or DEBUG):
        raise ImproperlyConfigured(
            "LIAISON_SECRET_KEY is not set. Set it to a long random value (for example the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(64))'`), or set LIAISON_DEMO=1 for a demo."
        )
    # Demo and development only: one random key per data folder, readable by the owner alone.
    path = DATA_DIR / "secret_key"
    if path.exists():
        private_file(path)
    else:
        write_private(path, secrets.token_urlsafe(64).encode())
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("LIAISON_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEMO or DEBUG) else [])
CSRF_TRUSTED_ORIGINS = envlist("LIAISON_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "liaison.core",
    "liaison.policy",
    "liaison.accounts",
    "liaison.passkeys",
    "liaison.audit",
    "liaison.partners",
    "liaison.exchanges",
    "liaison.reports",
    "liaison.releases",
    "liaison.followup",
    "liaison.reviews",
    "liaison.notifications",
    "liaison.alerts",
    "liaison.agenda",
    "liaison.breakglass",
    "liaison.security",
    "liaison.concerns",
    "liaison.advisories",
    "liaison.committee",
    "liaison.search",
    "liaison.home",
    "liaison.tasks",
    "liaison.demo",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "liaison.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "liaison.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "liaison.core.middleware.RequestShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liaison.accounts.middleware.SessionLifetimeMiddleware",
    "liaison.accounts.middleware.UserTimeZoneMiddleware",
    "liaison.advisories.middleware.FederalPartnerConfinementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.home.context_processors.shell",
                "liaison.notifications.context_processors.unread",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = envstr("DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
            raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL.")
        db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=envint("LIAISON_DB_CONN_MAX_AGE", 60)))
    else:
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "liaison.sqlite3")}
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # The file is created owner-only before the first connection would create it with the umask's mode.
        private_sqlite(str(db["NAME"]))
        # WAL lets readers go on while one writer commits; IMMEDIATE makes every write transaction take the
        # write lock at BEGIN, which serialises audit-chain appends without deadlocks. synchronous=FULL syncs the
        # WAL at every commit: with NORMAL, a power cut could lose commits already acknowledged, audit entries
        # included (figures in docs/operations.md, bench/sqlite_durability.py).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        }
    return {"default": db}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Authentication hardening (docs/security-model.md).
LIAISON_LOCKOUT_THRESHOLD = envint("LIAISON_LOCKOUT_THRESHOLD", 5)
LIAISON_LOCKOUT_MINUTES = envint("LIAISON_LOCKOUT_MINUTES", 15)
LIAISON_IDLE_MINUTES = envint("LIAISON_IDLE_MINUTES", 15)
LIAISON_SESSION_MAX_HOURS = envint("LIAISON_SESSION_MAX_HOURS", 10)
LIAISON_TOTP_ISSUER = envstr("LIAISON_TOTP_ISSUER", "Liaison")
LIAISON_LOGIN_STEP_MINUTES = 5
# Failed authentications are counted in shared windows of this length, per client address and per account
# (accounts/auth_failures.py): past the limit an address is refused with 429 until its window ends, and the audit
# log gets the first failure of each window, the start of a throttle and one summary per window.
LIAISON_AUTH_WINDOW_SECONDS = envint("LIAISON_AUTH_WINDOW_SECONDS", 300, minimum=1)
LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS = envint("LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS", 20, minimum=1)
LIAISON_AUTH_WINDOW_KEEP_DAYS = envint("LIAISON_AUTH_WINDOW_KEEP_DAYS", 90, minimum=1)
# Security keys and passkeys (liaison/passkeys, docs/security-model.md "Security keys and passkeys"). The relying
# party id and the origins default to the host of LIAISON_BASE_URL, or to the host that served the page in demo and
# development. Users holding one of LIAISON_KEY_REQUIRED_ROLES must log in with a key.
LIAISON_WEBAUTHN_RP_ID = envstr("LIAISON_WEBAUTHN_RP_ID")
LIAISON_WEBAUTHN_ORIGINS = envlist("LIAISON_WEBAUTHN_ORIGINS", [])
LIAISON_KEY_REQUIRED_ROLES = envlist("LIAISON_KEY_REQUIRED_ROLES", ["administrator", "release_authority"])
LIAISON_KEY_CHALLENGE_SECONDS = envint("LIAISON_KEY_CHALLENGE_SECONDS", 120, minimum=30)

SESSION_COOKIE_AGE = LIAISON_IDLE_MINUTES * 60
# The cookie age is an idle timeout: activity pushes it back, by a save at most every LIAISON_SESSION_TOUCH_SECONDS
# (accounts/middleware.py), so the timeout is between AGE - TOUCH and AGE after the last request.
SESSION_SAVE_EVERY_REQUEST = False
LIAISON_SESSION_TOUCH_SECONDS = envint("LIAISON_SESSION_TOUCH_SECONDS", 60, minimum=0)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "liaison.core.views.csrf_failure"

_HTTPS = not (DEMO or DEBUG) or envbool("LIAISON_HTTPS", False)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and envbool("LIAISON_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("LIAISON_BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Bad input: bounded request bodies (an oversized upload gets a clear 413 page, see core.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("LIAISON_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
LANGUAGE_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Strict"
TIME_ZONE = envstr("LIAISON_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LIAISON_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # PDF rendering and signing libraries report every step at INFO; keep their warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pyhanko": {"level": "WARNING"},
        "pyhanko_certvalidator": {"level": "WARNING"},
    },
}

LIAISON_HOST = envstr("LIAISON_HOST", "127.0.0.1")
LIAISON_PORT = envint("LIAISON_PORT", 8000)
LIAISON_THREADS = envint("LIAISON_THREADS", 8, minimum=1)
LIAISON_PROCESSES = envint("LIAISON_PROCESSES", 0, minimum=0)  # 0: one per usable core
LIAISON_CHANNEL_TIMEOUT = envint("LIAISON_CHANNEL_TIMEOUT", 60, minimum=5)
LIAISON_CONNECTION_LIMIT = envint("LIAISON_CONNECTION_LIMIT", 200, minimum=10)
LIAISON_HOME_COUNTRY = envstr("LIAISON_HOME_COUNTRY", "FR")
LIAISON_ORGANISATION = envstr("LIAISON_ORGANISATION", "Liaison")
# Instance keys (liaison/keys, docs/operations.md "Keys"): files in LIAISON_KEY_DIR, or a PKCS#11 token (an HSM).
LIAISON_KEY_BACKEND = envstr("LIAISON_KEY_BACKEND", "file").strip().lower()
if LIAISON_KEY_BACKEND not in ("file", "pkcs11"):
    raise ImproperlyConfigured(f"LIAISON_KEY_BACKEND must be file or pkcs11 (got {LIAISON_KEY_BACKEND!r}).")
LIAISON_PKCS11_MODULE = envstr("LIAISON_PKCS11_MODULE")
LIAISON_PKCS11_TOKEN_LABEL = envstr("LIAISON_PKCS11_TOKEN_LABEL")
LIAISON_PKCS11_PIN_FILE = envstr("LIAISON_PKCS11_PIN_FILE")
# Named *_SECRET so that Django masks it in error reports (LIAISON_PKCS11_PIN_FILE is preferred: see the docs).
LIAISON_PKCS11_PIN_SECRET = envstr("LIAISON_PKCS11_PIN")
LIAISON_PKCS11_SIGNING_KEY_LABEL = envstr("LIAISON_PKCS11_SIGNING_KEY_LABEL", "liaison-ed25519")
LIAISON_PKCS11_PDF_KEY_LABEL = envstr("LIAISON_PKCS11_PDF_KEY_LABEL", "liaison-pdf")
LIAISON_PKCS11_MASTER_KEY_LABEL = envstr("LIAISON_PKCS11_MASTER_KEY_LABEL", "liaison-master")
LIAISON_MAX_ATTACHMENT_BYTES = envint("LIAISON_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
# Uploads stay in memory up to the attachment limit: a file is never written in clear to a temporary folder
# before it is encrypted (waitress keeps request bodies of that size in memory too, see `liaison serve`).
FILE_UPLOAD_MAX_MEMORY_SIZE = LIAISON_MAX_ATTACHMENT_BYTES + 1024 * 1024
LIAISON_ACK_DAYS = envint("LIAISON_ACK_DAYS", 3)
LIAISON_TRUSTED_PROXY = envstr("LIAISON_TRUSTED_PROXY", "127.0.0.1")

# Follow-ups (liaison/followup): default deadlines of a partner's request for information by priority; each request
# may set its own.
LIAISON_FOLLOWUP_DUE_URGENT_HOURS = envint("LIAISON_FOLLOWUP_DUE_URGENT_HOURS", 8, minimum=1)
LIAISON_FOLLOWUP_DUE_NORMAL_DAYS = envint("LIAISON_FOLLOWUP_DUE_NORMAL_DAYS", 3, minimum=1)
LIAISON_FOLLOWUP_DUE_ROUTINE_DAYS = envint("LIAISON_FOLLOWUP_DUE_ROUTINE_DAYS", 7, minimum=1)

# The REST API (liaison/api): personal tokens or the session, the same policy as the pages. The browsable API
# runs inline scripts, which the Content-Security-Policy forbids: JSON only, except for development.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "liaison.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "liaison.api.schema.LiaisonAutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    # JSON only, bounded in size and depth: one content type documented, accepted and tested.
    "DEFAULT_PARSER_CLASSES": ["liaison.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "liaison.api.handlers.ApiPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "liaison.api.handlers.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components, so that what a client must send is described exactly (non-blank
    # strings, read-only fields left out).
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "liaison.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "liaison.partners.models.PartnerKind",
        "PartnerStatusEnum": "liaison.partners.models.PartnerStatus",
        "ExchangeKindEnum": "liaison.exchanges.models.ExchangeKind",
        "ReportStatusEnum": "liaison.reports.models.ReportStatus",
        "ReleaseStatusEnum": "liaison.releases.models.ReleaseStatus",
        "ReleaseActionEnum": "liaison.releases.models.ReleaseAction",
        "ConsentRequestStatusEnum": "liaison.releases.models.ConsentRequestStatus",
        "FollowUpKindEnum": "liaison.followup.models.FollowUpKind",
        "FollowUpNewKindEnum": "liaison.followup.models.CREATABLE_KIND_CHOICES",
        "FollowUpStatusEnum": "liaison.followup.models.FollowUpStatus",
        "FollowUpPriorityEnum": "liaison.followup.models.Priority",
        "NotificationKindEnum": "liaison.notifications.models.NotificationKind",
    },
}

# My day and the watchtower (liaison/home): an exchange without a report after this many days is flagged to its
# author; a partner with no exchange for this many weeks is listed as gone silent (the page's filter may change it).
LIAISON_REPORT_DUE_DAYS = envint("LIAISON_REPORT_DUE_DAYS", 3, minimum=1)
LIAISON_SILENT_WEEKS = envint("LIAISON_SILENT_WEEKS", 8, minimum=1)
# Background jobs, reminders and notifications (docs/operations.md, "Background jobs and reminders"). The queue is
# the database itself (django-tasks-db); `liaison worker` runs the jobs and schedules the periodic reminder sweep.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LIAISON_REMINDER_INTERVAL = envint("LIAISON_REMINDER_INTERVAL", 60, minimum=1)
LIAISON_REMINDER_DUE_SOON_HOURS = envint("LIAISON_REMINDER_DUE_SOON_HOURS", 24, minimum=1)
LIAISON_WORKER_POLL_SECONDS = envint("LIAISON_WORKER_POLL_SECONDS", 1, minimum=1)
# Reads of protected content are recorded as plain rows and sealed into the audit chain by the worker every this
# many seconds (docs/security-model.md, "Audit log"); the verifier warns about rows left unsealed 10 times longer.
LIAISON_READ_SEAL_SECONDS = envint("LIAISON_READ_SEAL_SECONDS", 10, minimum=1)
# Access reviews (liaison/reviews): items still pending after a campaign's due date are reminded to the managers at
# the next review sweep (every LIAISON_REVIEW_SWEEP_SECONDS), escalated this many days after the reminder, and, when
# the campaign closes, revoked (the fail-closed default) or only flagged.
LIAISON_REVIEW_SWEEP_SECONDS = envint("LIAISON_REVIEW_SWEEP_SECONDS", 3600, minimum=60)
LIAISON_REVIEW_ESCALATE_DAYS = envint("LIAISON_REVIEW_ESCALATE_DAYS", 3, minimum=0)
LIAISON_REVIEW_UNANSWERED = envstr("LIAISON_REVIEW_UNANSWERED", "revoke")
if LIAISON_REVIEW_UNANSWERED not in ("revoke", "flag"):
    raise ImproperlyConfigured("LIAISON_REVIEW_UNANSWERED must be 'revoke' or 'flag'.")
# Break-glass (docs/security-model.md, "Break-glass"): the longest window an administrator may ask for, in minutes.
LIAISON_BREAKGLASS_MAX_MINUTES = envint("LIAISON_BREAKGLASS_MAX_MINUTES", 60, minimum=1)
# Anomaly alerts (liaison/alerts; docs/security-model.md, "Anomaly alerts"): the rules run every
# LIAISON_ALERT_INTERVAL seconds over what the audit log gained since the last run, LIAISON_ALERT_BATCH rows at most
# per step. A day's reads (or exports) alert above max(floor, factor x the user's 95th percentile of their previous
# BASELINE_DAYS days); refusals and distinct look-ups alert from a count within a window of minutes; bulk reads
# outside the user's usual hours (the office's DAY_STARTS to DAY_ENDS plus the hours they read in on USUAL_HOUR_DAYS
# previous days) from a count in a day; an administrator's login from a device or address unseen in DEVICE_MEMORY_DAYS.
LIAISON_ALERT_INTERVAL = envint("LIAISON_ALERT_INTERVAL", 300, minimum=1)
LIAISON_ALERT_BATCH = envint("LIAISON_ALERT_BATCH", 20000, minimum=1)
LIAISON_ALERT_BASELINE_DAYS = envint("LIAISON_ALERT_BASELINE_DAYS", 14, minimum=1)
LIAISON_ALERT_VOLUME_FACTOR = envint("LIAISON_ALERT_VOLUME_FACTOR", 3, minimum=1)
LIAISON_ALERT_READS_FLOOR = envint("LIAISON_ALERT_READS_FLOOR", 50, minimum=1)
LIAISON_ALERT_EXPORTS_FLOOR = envint("LIAISON_ALERT_EXPORTS_FLOOR", 10, minimum=1)
# Live indicators of the security office (liaison/security/indicators): computed by the worker every this many seconds,
# one sample per indicator and period.
LIAISON_INDICATOR_INTERVAL = envint("LIAISON_INDICATOR_INTERVAL", 3600, minimum=60)
LIAISON_ALERT_REFUSALS = envint("LIAISON_ALERT_REFUSALS", 5, minimum=1)
LIAISON_ALERT_REFUSALS_MINUTES = envint("LIAISON_ALERT_REFUSALS_MINUTES", 10, minimum=1)
LIAISON_ALERT_LOOKUPS = envint("LIAISON_ALERT_LOOKUPS", 40, minimum=1)
LIAISON_ALERT_LOOKUPS_MINUTES = envint("LIAISON_ALERT_LOOKUPS_MINUTES", 60, minimum=1)
LIAISON_ALERT_OFF_HOURS_READS = envint("LIAISON_ALERT_OFF_HOURS_READS", 20, minimum=1)
LIAISON_ALERT_DAY_STARTS = envint("LIAISON_ALERT_DAY_STARTS", 7, minimum=0)
LIAISON_ALERT_DAY_ENDS = envint("LIAISON_ALERT_DAY_ENDS", 20, minimum=1)
LIAISON_ALERT_USUAL_HOUR_DAYS = envint("LIAISON_ALERT_USUAL_HOUR_DAYS", 2, minimum=1)
LIAISON_ALERT_DEVICE_MEMORY_DAYS = envint("LIAISON_ALERT_DEVICE_MEMORY_DAYS", 90, minimum=1)
LIAISON_ALERT_EVIDENCE_MAX = envint("LIAISON_ALERT_EVIDENCE_MAX", 100, minimum=1)
# Signed checkpoints of the audit log (docs/security-model.md, "Signed checkpoints"): the worker signs one every this
# many seconds when entries were added since the last; the origin names this instance's log in each checkpoint.
LIAISON_CHECKPOINT_SECONDS = envint("LIAISON_CHECKPOINT_SECONDS", 300, minimum=1)
LIAISON_AUDIT_ORIGIN = envstr("LIAISON_AUDIT_ORIGIN")
# Test hook: milliseconds the sweep pauses after each notification and e-mail (0 outside the crash tests).
LIAISON_SWEEP_PAUSE_MS = envint("LIAISON_SWEEP_PAUSE_MS", 0, minimum=0)
# E-mail is off unless an SMTP server is named. Messages are content-free: they say that something waits and link
# to the notification centre; they never carry a title or any protected text. A user's address is their login
# name at LIAISON_MAIL_DOMAIN (the office's internal mail domain); no domain, no e-mail.
LIAISON_SMTP_HOST = envstr("LIAISON_SMTP_HOST")
LIAISON_MAIL_DOMAIN = envstr("LIAISON_MAIL_DOMAIN")
LIAISON_MAIL_FROM = envstr("LIAISON_MAIL_FROM", "liaison@localhost")
LIAISON_BASE_URL = envstr("LIAISON_BASE_URL", f"http://{LIAISON_HOST}:{LIAISON_PORT}").rstrip("/")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = LIAISON_SMTP_HOST or "localhost"
EMAIL_PORT = envint("LIAISON_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("LIAISON_SMTP_USER")
EMAIL_HOST_PASSWORD = envstr("LIAISON_SMTP_PASSWORD")
EMAIL_USE_TLS = envbool("LIAISON_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = LIAISON_MAIL_FROM
