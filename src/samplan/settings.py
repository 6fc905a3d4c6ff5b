"""Samplan settings. Everything secret or machine-specific comes from the environment."""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SAMPLAN_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("SAMPLAN_DEBUG", False)
# The demo and tests run without a configured key; production must set one.
SECRET_KEY = os.environ.get("SAMPLAN_SECRET_KEY") or (
    "insecure-demo-key-only-for-local-use" if DEBUG or os.environ.get("SAMPLAN_DEMO") else None
)
if not SECRET_KEY:
    raise RuntimeError("Set SAMPLAN_SECRET_KEY (or SAMPLAN_DEMO=1 for local demo use).")

ALLOWED_HOSTS = [h for h in os.environ.get("SAMPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search fields and lookups; inert on SQLite (catalogue.search is the seam).
    "django.contrib.postgres",
    "rest_framework",
    # Hashed, expiring API tokens (core/api_tokens.py). It replaced rest_framework.authtoken,
    # whose clear-text tokens migration core 0012 drops.
    "knox",
    "drf_spectacular",
    "django_htmx",
    "django_tasks_db",
    "samplan.core",
    "samplan.terminology",
    "samplan.citizens",
    "samplan.cases",
    "samplan.journal",
    "samplan.standards",
    "samplan.api",
    "samplan.demo",
    "samplan.calculators",
    "samplan.consent",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "samplan.portal",
    "samplan.plans",
    "samplan.questionnaires",
    "samplan.meetings",
    "samplan.catalogue",
    "samplan.courses",
    "samplan.documents",
    "samplan.letters",
    "samplan.inbox",
    "samplan.appeals",
    "samplan.access_requests",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django has no setting for Permissions-Policy; SAMPLAN_PERMISSIONS_POLICY below.
    "samplan.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samplan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware yet: the screens are not translated, so a browser asking for English
    # would only get English dates inside Danish pages. Danish (LANGUAGE_CODE) throughout.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session's OTP device, loaded once and lazily (core/twofactor.py).
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions without the second factor reach only the code step (core/twofactor.py).
    "samplan.core.twofactor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session lifetime (after messages: the logout leaves a Danish message).
    "samplan.core.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the 429 page (core/login_throttle.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samplan.urls"
WSGI_APPLICATION = "samplan.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samplan.core.context_processors.navigation",
                "samplan.inbox.context_processors.inbox",
            ],
        },
    }
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samplan.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# AxesStandaloneBackend first: it refuses a locked-out username + IP before any password
# is checked; ModelBackend does the real check (Min side's code and MitID steps log in
# with ModelBackend explicitly, see portal/twofactor.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's Danish formats plus Samplan's few overrides (samplan/formats/da/formats.py).
FORMAT_MODULE_PATH = ["samplan.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Citizens' documents (samplan.documents): never under STATIC/MEDIA and never given a URL —
# they are served only by the download view, which asks the policy and writes the audit
# trail. By default files under var/documents/ (SAMPLAN_DOCUMENTS_DIR); production may name
# any Django storage backend (SAMPLAN_DOCUMENTS_STORAGE), or an S3-compatible bucket through
# django-storages (SAMPLAN_DOCUMENTS_S3_BUCKET, …; install django-storages[s3] for it —
# docs/architecture.md, "Documents").
SAMPLAN_DOCUMENTS_S3_BUCKET = os.environ.get("SAMPLAN_DOCUMENTS_S3_BUCKET", "")
if SAMPLAN_DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {
        "BACKEND": os.environ.get("SAMPLAN_DOCUMENTS_STORAGE", "storages.backends.s3.S3Storage"),
        "OPTIONS": {
            "bucket_name": SAMPLAN_DOCUMENTS_S3_BUCKET,
            "endpoint_url": os.environ.get("SAMPLAN_DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SAMPLAN_DOCUMENTS_S3_REGION") or None,
            "access_key": os.environ.get("SAMPLAN_DOCUMENTS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("SAMPLAN_DOCUMENTS_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("SAMPLAN_DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": os.environ.get("SAMPLAN_DOCUMENTS_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {
            "location": os.environ.get("SAMPLAN_DOCUMENTS_DIR", str(VAR_DIR / "documents")),
            "base_url": "/ingen-offentlig-adresse/",  # never served: a url() that leaked would 404
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# The largest document accepted (MB). Django's DATA_UPLOAD_MAX_MEMORY_SIZE (below) does not
# count a multipart request's files, only its other fields, so the document's own bound is
# checked while it arrives (documents/uploads.py) and again on the content.
SAMPLAN_UPLOAD_MAX_MB = float(os.environ.get("SAMPLAN_UPLOAD_MAX_MB", "20"))
# The virus scanner (documents/scanning.py): "host:port" of a clamd; empty = no scanning.
SAMPLAN_CLAMD = os.environ.get("SAMPLAN_CLAMD", "")
SAMPLAN_CLAMD_TIMEOUT = float(os.environ.get("SAMPLAN_CLAMD_TIMEOUT", "30"))
WHITENOISE_USE_FINDERS = True

# Security defaults. Cookies are secure unless explicitly running plain-HTTP locally.
SECURE_ON_HTTP = env_bool("SAMPLAN_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = not SECURE_ON_HTTP
CSRF_COOKIE_SECURE = not SECURE_ON_HTTP
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute session lifetime from login, for everyone, and the idle timeout of staff sessions
# (core/middleware.SessionLifetimeMiddleware keeps both times in the session). The cookie
# lives as long as the absolute lifetime; the session is saved only when it changed.
SAMPLAN_SESSION_MAX_HOURS = float(os.environ.get("SAMPLAN_SESSION_MAX_HOURS", "8"))
SAMPLAN_SESSION_IDLE_MINUTES = float(os.environ.get("SAMPLAN_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(SAMPLAN_SESSION_MAX_HOURS * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# Browser features Samplan never uses are switched off for every page (Permissions-Policy).
SAMPLAN_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused CSRF check gets the Danish 403 page instead of Django's English one (core/error_pages.py).
CSRF_FAILURE_VIEW = "samplan.core.error_pages.csrf_failure"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not SECURE_ON_HTTP and not DEBUG:
    # Production: plain HTTP is redirected to HTTPS (behind a proxy that sets
    # X-Forwarded-Proto), and browsers remember to use HTTPS for a year, subdomains too.
    SECURE_SSL_REDIRECT = True
    # The health check answers the load balancer's plain-HTTP probe without a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SAMPLAN_HSTS_PRELOAD", False)  # see docs/security.md
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list binds every subdomain of the municipality's
        # domain to HTTPS for good: the domain owner's decision (docs/security.md).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Abuse protection of the public forms and the public enrolment API (core/ratelimit.py):
# at most this many POSTs per client and form per clock hour (0 turns it off).
SAMPLAN_PUBLIC_POSTS_PER_HOUR = int(os.environ.get("SAMPLAN_PUBLIC_POSTS_PER_HOUR", "30"))
# Days the municipality is closed besides weekends and public holidays (MM-DD, comma-separated):
# Grundlovsdag, Christmas Eve and New Year's Eve are not public holidays but days off by agreement.
SAMPLAN_CLOSED_DAYS = os.environ.get("SAMPLAN_CLOSED_DAYS", "06-05,12-24,12-31")
# Reverse proxies in front of Samplan that add to X-Forwarded-For. 0 (the default) ignores
# the header, which any client can forge, and counts REMOTE_ADDR.
SAMPLAN_TRUSTED_PROXY_COUNT = int(os.environ.get("SAMPLAN_TRUSTED_PROXY_COUNT", "0"))

# The cache holds the rate-limit counters, DRF's throttles and the brochure PDFs. LocMem is
# per process: with several server processes each counts on its own (limits multiply).
# SAMPLAN_CACHE_LOCATION=<table name> shares it between processes through the database
# (DatabaseCache; `manage.py createcachetable` creates the table, `make migrate` runs it).
if os.environ.get("SAMPLAN_CACHE_LOCATION"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": os.environ["SAMPLAN_CACHE_LOCATION"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samplan"}}

# The largest request body read (pages and API). The largest legitimate form is a plan
# page with a few long texts of at most core.validators.TEXT_MAX (20,000) characters —
# under 2 MB even when every letter is an encoded "æ" — so 4 MB leaves room, and a pasted
# 3 MB text still reaches its form and comes back with a Danish message and the text kept.
# Above it a page answers 413 in Danish, the API 413 in its error shape (core/error_pages.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "samplan.core.rest.permissions.VerifiedSessionAuthentication",
        "samplan.core.rest.permissions.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "samplan.core.rest.schema.SamplanAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "samplan.core.rest.errors.exception_handler",
    # JSON in, JSON out: the only content types the API offers and documents.
    "DEFAULT_PARSER_CLASSES": ["samplan.core.rest.parsers.SamplanJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Throttles' client address: as core/ratelimit.py (None would trust a forged X-Forwarded-For).
    "NUM_PROXIES": SAMPLAN_TRUSTED_PROXY_COUNT,
}
# API tokens (django-rest-knox, core/api_tokens.py): only a SHA-512 digest is stored; each
# login makes a new token that ends after SAMPLAN_API_TOKEN_HOURS (default 8), at the web
# logout, on deactivation, on a reset of the second factor, or when revoked.
SAMPLAN_API_TOKEN_HOURS = float(os.environ.get("SAMPLAN_API_TOKEN_HOURS", "8"))
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=SAMPLAN_API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Samplan API",
    "DESCRIPTION": "Sager, udredninger, afgørelser, bevillinger, bestillinger og opfølgninger.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # `check --deploy` would generate the schema without the enum names the schema view
    # serves (api/schema.SCHEMA_SETTINGS) and so report name collisions the served schema
    # does not have; tests/test_api_schema.py checks the served schema (docs/security.md).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# The demo writes mails as files under var/mail/; production sets an SMTP backend.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("SAMPLAN_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")}
        if "filebased" in os.environ.get("SAMPLAN_EMAIL_BACKEND", "filebased")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("SAMPLAN_FROM_EMAIL", "samplan@example.invalid")
# The public address, for personal links in e-mails (enrolment, course evaluation).
SAMPLAN_BASE_URL = os.environ.get("SAMPLAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Letters (samplan.letters.delivery): how an approved letter is delivered. "outbox" (the demo:
# PDF + JSON metadata in SAMPLAN_LETTER_OUTBOX), "email", "sf1601" (KOMBIT Digital Post, see
# the SAMPLAN_SF1601_* settings below) or a dotted path to a backend class.
SAMPLAN_LETTER_BACKEND = os.environ.get("SAMPLAN_LETTER_BACKEND", "outbox")
SAMPLAN_LETTER_OUTBOX = os.environ.get("SAMPLAN_LETTER_OUTBOX", str(VAR_DIR / "outbox"))
SAMPLAN_LETTER_ATTEMPTS = int(os.environ.get("SAMPLAN_LETTER_ATTEMPTS", "3"))
SAMPLAN_LETTER_RETRY_SECONDS = int(os.environ.get("SAMPLAN_LETTER_RETRY_SECONDS", "300"))
SAMPLAN_SF1601_ENDPOINT = os.environ.get("SAMPLAN_SF1601_ENDPOINT", "")
SAMPLAN_SF1601_CERT_FILE = os.environ.get("SAMPLAN_SF1601_CERT_FILE", "")
SAMPLAN_SF1601_KEY_FILE = os.environ.get("SAMPLAN_SF1601_KEY_FILE", "")
SAMPLAN_SF1601_CA_FILE = os.environ.get("SAMPLAN_SF1601_CA_FILE", "")
SAMPLAN_SF1601_SENDER_CVR = os.environ.get("SAMPLAN_SF1601_SENDER_CVR", "")
SAMPLAN_SF1601_SENDER_LABEL = os.environ.get("SAMPLAN_SF1601_SENDER_LABEL", "")
SAMPLAN_SF1601_SYSTEM_ID = os.environ.get("SAMPLAN_SF1601_SYSTEM_ID", "samplan")

# Application logs never carry CPR numbers or free text: only ids and actions.
# No CPR number in a log line (core/logmask.py): every handler masks anything CPR-shaped,
# and so do the loggers that write request lines and paths — runserver's access log
# (django.server, which Django gives its own handler) and django.request — so a handler
# added to them later masks too. gunicorn's access log: samplan/gunicorn_conf.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_cpr": {"()": "samplan.core.logmask.MaskCprFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_cpr"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["mask_cpr"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SAMPLAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False, "filters": ["mask_cpr"]},
        "django.request": {"filters": ["mask_cpr"]},
        # django-axes: only new failures and lockouts (usernames and IPs masked, see below).
        "axes": {"level": "WARNING"},
    },
}

# Brute-force protection of the logins (django-axes): the staff login /login/, Min side's
# password step /mit/log-ind/ and the API's /api/v1/auth/token/ all call
# django.contrib.auth.authenticate(request=...), so every failure is counted per username
# + client IP (AccessAttempt rows). At the limit that username is locked from that IP for
# the cool-off; each new try during the lockout starts the cool-off again. The page (or
# the API's JSON) is a 429 from samplan.core.login_throttle. Unlock early with
# `manage.py axes_reset` (everything), `axes_reset_username NAME` or `axes_reset_ip IP`.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("SAMPLAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("SAMPLAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samplan.core.login_throttle.lockout_response"
# A CPR number typed as username is stored and compared only as a keyed hash.
AXES_USERNAME_CALLABLE = "samplan.core.login_throttle.lockout_username"
# The client IP: REMOTE_ADDR, or behind SAMPLAN_TRUSTED_PROXY_COUNT reverse proxies (the
# same setting as the public forms' rate limit, core/ratelimit.py) the X-Forwarded-For entry
# the outermost trusted proxy added. With 0 the header, which a client can forge, is ignored.
# (axes 8 reads AXES_IPWARE_* only when django-ipware is installed; it is not.)
AXES_CLIENT_IP_CALLABLE = "samplan.core.login_throttle.client_ip"
# Passwords are never logged or stored by axes; usernames and IPs are masked in its log
# lines and in the stored request data, and its log lines leave out the user agent.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
AXES_VERBOSE = False
# Failed attempts also go to AccessFailureLog, kept after a reset (prune with
# `manage.py axes_reset_failure_logs --age DAYS`; successful logins: axes_reset_logs).
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Citizen portal (samplan.portal): citizens and relatives log in with password + a code
# from an authenticator app (TOTP), or with MitID through NemLog-in (OpenID Connect) when
# SAMPLAN_OIDC_ISSUER and the client are set; without them the MitID button is hidden.
SAMPLAN_PORTAL_REQUIRE_2FA = env_bool("SAMPLAN_PORTAL_REQUIRE_2FA", True)
# Staff (every role but citizen and relative) log in at /login/ with password + a code from
# the same kind of app (/login/kode/, first time: QR code); the API's token endpoint then
# wants the current code in a `code` field. On by default, in the demo too.
SAMPLAN_STAFF_REQUIRE_2FA = env_bool("SAMPLAN_STAFF_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Samplan"
SAMPLAN_OIDC = {
    "ISSUER": os.environ.get("SAMPLAN_OIDC_ISSUER", ""),
    "CLIENT_ID": os.environ.get("SAMPLAN_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("SAMPLAN_OIDC_CLIENT_SECRET", ""),
    "SCOPE": os.environ.get("SAMPLAN_OIDC_SCOPE", "openid"),
    # The claim carrying the CPR number (NemLog-in: a CprNumberIdentifier-style claim).
    "CPR_CLAIM": os.environ.get("SAMPLAN_OIDC_CPR_CLAIM", "dk:gov:saml:attribute:CprNumberIdentifier"),
    "ACR_VALUES": os.environ.get("SAMPLAN_OIDC_ACR_VALUES", ""),
    "TOKEN_AUTH_METHOD": os.environ.get("SAMPLAN_OIDC_TOKEN_AUTH_METHOD", "client_secret_basic"),
    "REDIRECT_URI": os.environ.get("SAMPLAN_OIDC_REDIRECT_URI", ""),  # default: built from the request
}
