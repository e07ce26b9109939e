"""Settings for the motcua portal, all read from the environment (django-environ).

Without any variable set this is the *embedded* run: SQLite file, Celery tasks executed
eagerly in-process, console e-mail and SMS. Setting SECRET_KEY (with DATABASE_URL,
REDIS_URL, ALLOWED_HOSTS, EMAIL_URL) switches to the production configuration.
Every variable is listed with one line of help in `.env.example`.
"""

import importlib.util
import os
from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# A variable set but empty means "the default": `cp .env.example .env` (the README's
# production recipe, read by docker-compose.yml's env_file) leaves many of them empty
# (`CONN_MAX_AGE=`), and int("") or bool("") would stop every process or quietly switch
# production off. The settings below read this filtered view of the environment.
env.ENVIRON = {name: value for name, value in os.environ.items() if value.strip()}

# A real secret key is what makes a deployment: its presence turns the production
# defaults on (each can still be overridden one by one). Declared but left empty still
# counts, so that a forgotten key stops the processes (motcua.checks) instead of running
# with the embedded one.
PRODUCTION = env.bool("PRODUCTION", default="SECRET_KEY" in os.environ)
# The key of the embedded run only: it is in this file, so it signs and keys nothing in
# production (motcua.checks refuses to start a production process with it).
EMBEDDED_SECRET_KEY = "embedded-insecure-key-for-local-use-only-0123456789abcdef"
SECRET_KEY = env("SECRET_KEY", default=EMBEDDED_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.admin_apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "csp",
    # shared plumbing first: it knows no domain app; the four apps depend one way on it
    "core",
    "thutuc",
    "motcua",
    "khieunai",
    "baocao",
]

# Development tools, never installed in production: `manage.py bench` (bench/, see
# docs/performance.md). The Docker image leaves the folder out (.dockerignore).
if not PRODUCTION and importlib.util.find_spec("bench") is not None:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NulInPathMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    # last, as django-axes asks: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

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
                "motcua.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent requests of the embedded run wait for the write lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker --------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Seconds a cache call waits for Redis (connect and reply): when Redis is down or unreachable,
# the rate limiters fail open after this instead of holding the request (docs/trust-failure.md).
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, keeping its redis-py clients (core/cache.py)
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    # sessions read from Redis, kept in the database; Redis down: the database answers
    SESSION_ENGINE = "core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Without a broker the embedded run executes tasks in-process, right away.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task whose worker died (SIGKILL, OOM, lost host) stays unacknowledged in
# Redis and is delivered again once this many seconds have passed since it was taken. It must
# exceed the longest task (CELERY_TASK_TIME_LIMIT) and the longest retry countdown
# (send_notification backs off up to one hour), or a task still running or waiting for its
# retry would be delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600),
    # a broker that does not answer must not hold a web request: .delay() fails fast, the
    # notification stays unsent in the database and resend_unsent_notifications delivers it
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600

# --- Auth --------------------------------------------------------------------------------
AUTH_USER_MODEL = "thutuc.User"
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the user's agency read along and permissions in one query.
    "thutuc.accounts.backend.PortalBackend",
]
# Login brute force (staff login /dang-nhap/ and the admin's /quan-tri/login/): a username
# from one address is locked after AXES_FAILURE_LIMIT wrong passwords for AXES_COOLOFF_MINUTES
# (the right password included); other users and other addresses are not affected.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "thutuc.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False  # no banner on every manage.py command, no INFO line per login
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "motcua:staff_home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "thutuc.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one working day
# Sessions stay in the database (a cached session store fails with Redis down: the portal
# must keep receiving then, tests/trust/test_failure_redis.py); the signed-in user and its
# roles and permissions are cached, dropped when they change, read from the database when the
# cache is unreachable (thutuc/accounts/access.py).
ACCESS_CACHE_SECONDS = env.int("ACCESS_CACHE_SECONDS", default=60)

# --- Language, time, formats -----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
# Where collectstatic gathers the files WhiteNoise serves (the image's /app/staticfiles; the
# production smoke, .ci/smoke.py, points it at its scratch folder).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# FILE_STORAGE=s3: uploaded files (papers, attachments, form templates) go to an
# S3-compatible object store through django-storages instead of MEDIA_ROOT. Private objects:
# downloads still go through the portal's views, which check who may see them.
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
if FILE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif FILE_STORAGE != "local":
    raise ImproperlyConfigured("FILE_STORAGE must be 'local' or 's3'.")
# The embedded run serves static files straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Upload size limits, in MB: each feedback attachment (khieunai.uploads), the catalogue
# import workbook (thutuc.catalogue.upload_check). Types are checked from the bytes.
# Uploaded files live under MEDIA_ROOT with random names; MEDIA_URL is never routed: files
# are served only by views that check access (e.g. /phan-anh/tep/<id>/).
FEEDBACK_ATTACHMENT_MAX_MB = env.int("FEEDBACK_ATTACHMENT_MAX_MB", default=5)
CATALOGUE_IMPORT_MAX_MB = env.int("CATALOGUE_IMPORT_MAX_MB", default=5)
# The papers of an online filing (motcua.services.papers): each file, and all of one filing.
ONLINE_PAPER_MAX_MB = env.int("ONLINE_PAPER_MAX_MB", default=10)
ONLINE_FILING_MAX_TOTAL_MB = env.int("ONLINE_FILING_MAX_TOTAL_MB", default=50)
# Imported workbooks are measured before any parser reads them (core.xlsx.check_workbook_bounds):
# their unpacked size, and each sheet's rows and columns. A province's catalogue has about
# 2,000 procedures; a legacy dossier file may hold years of a one-stop centre.
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=100)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=50)
CATALOGUE_IMPORT_MAX_ROWS = env.int("CATALOGUE_IMPORT_MAX_ROWS", default=5000)
DOSSIER_IMPORT_MAX_ROWS = env.int("DOSSIER_IMPORT_MAX_ROWS", default=200_000)
# A catalogue file longer than this is checked and imported by a Celery task, with its progress
# in the admin (thutuc.catalogue.jobs); a shorter one gets the immediate preview.
CATALOGUE_IMPORT_INLINE_ROWS = env.int("CATALOGUE_IMPORT_INLINE_ROWS", default=300)

# --- E-mail and SMS ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# Which of the variables a production process cannot run without were left empty
# (motcua.checks turns each into an error that stops `check --deploy`, migrate, gunicorn
# and the Celery processes when PRODUCTION is on).
PRODUCTION_MISSING_VARIABLES = [
    name for name in ("SECRET_KEY", "REDIS_URL", "EMAIL_URL") if not env.str(name, default="").strip()
]
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Một cửa <motcua@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", default="core.sms.ConsoleSmsBackend")
# The backends' module before issue 15, as an .env copied from .env.example may still name it.
if SMS_BACKEND.startswith("motcua.notifications.sms."):
    SMS_BACKEND = "core.sms." + SMS_BACKEND.removeprefix("motcua.notifications.sms.")

# --- Portal ---------------------------------------------------------------------------------
# The plausible range of the dates people type (core/dates.py): nothing an agency records
# happened before INPUT_DATE_EARLIEST; search bounds and deadlines stop at INPUT_DATE_LATEST.
INPUT_DATE_EARLIEST = date.fromisoformat(env("INPUT_DATE_EARLIEST", default="2000-01-01"))
INPUT_DATE_LATEST = date.fromisoformat(env("INPUT_DATE_LATEST", default="2100-12-31"))
PORTAL_NAME = env("PORTAL_NAME", default="Cổng dịch vụ công một cửa")
# Absolute address printed in QR codes on receipts (the citizen's phone opens it).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# --- Fees, online payment, electronic results (motcua.payments, docs/fees.md) ----------------
# The payment gateway's backend (motcua.payments.base.PaymentBackend). The sandbox runs inside
# the portal (its checkout page /thanh-toan-thu-nghiem/ exists only while it is configured).
PAYMENT_BACKEND = env("PAYMENT_BACKEND", default="motcua.payments.sandbox.SandboxBackend")
# The HMAC key of the sandbox's signed requests and callbacks.
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", default="") or "sandbox-secret-not-for-production"
# A callback older than this is refused as a replay (the reconciliation settles it).
PAYMENT_CALLBACK_MAX_AGE_MINUTES = env.int("PAYMENT_CALLBACK_MAX_AGE_MINUTES", default=15)
# How long a dossier found by code + PIN stays open in the citizen's session (pay, download).
TRACKING_SESSION_MINUTES = env.int("TRACKING_SESSION_MINUTES", default=30)
# Largest electronic result file (PDF) an officer may upload, in MB.
RESULT_FILE_MAX_MB = env.int("RESULT_FILE_MAX_MB", default=10)
# Day of the quarter's last month by which units send their CCHC report to Sở Nội vụ
# (inclusive; the province's reporting-regime decision sets it).
REPORT_DEADLINE_DAY = env.int("REPORT_DEADLINE_DAY", default=20)
# Working days before the report deadline on which units that have not sent it are reminded.
REPORT_REMINDER_WORKING_DAYS = env.int("REPORT_REMINDER_WORKING_DAYS", default=3)
# The public dashboard /cong-khai/ keeps a month's figures in the cache this long (seconds).
PUBLIC_DASHBOARD_CACHE_SECONDS = env.int("PUBLIC_DASHBOARD_CACHE_SECONDS", default=900)
# The day the portal began recording online payment, digitised papers and electronic results
# (issue 19; YYYY-MM-DD, empty = always). A service-index period that ends before it shows
# those components as "không có dữ liệu" rather than 0 % (baocao.service_index).
SERVICE_INDEX_DIGITAL_DATA_SINCE = (
    date.fromisoformat(_since) if (_since := env("SERVICE_INDEX_DIGITAL_DATA_SINCE", default="")) else None
)

# --- Rate limits of the public surfaces (core.ratelimit) ------------------------------------
# Request META key of the client address set by the reverse proxy (e.g. "HTTP_X_REAL_IP", a
# header the proxy overwrites, or "HTTP_X_FORWARDED_FOR"); empty = REMOTE_ADDR (behind a proxy
# that would make every citizen share the proxy's counter). Used by the lookups, feedback
# submissions and django-axes (core.ratelimit.client_ip). TRACKING_CLIENT_IP_HEADER is the
# variable's former name, still read.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default=env("TRACKING_CLIENT_IP_HEADER", default=""))
# How many trusted proxies append to that header: the client address is the entry the
# outermost trusted proxy appended, this many from the right (X-Forwarded-For's first entries
# are written by the client and never trusted).
CLIENT_IP_TRUSTED_PROXIES = env.int("CLIENT_IP_TRUSTED_PROXIES", default=1)
# Failed code/PIN lookups (dossier /tra-cuu/ and feedback /phan-anh/tra-cuu/, counted apart)
# per client address and per code, in a fixed window.
TRACKING_MAX_FAILURES_PER_ADDRESS = env.int("TRACKING_MAX_FAILURES_PER_ADDRESS", default=10)
TRACKING_MAX_FAILURES_PER_CODE = env.int("TRACKING_MAX_FAILURES_PER_CODE", default=5)
TRACKING_WINDOW_MINUTES = env.int("TRACKING_WINDOW_MINUTES", default=15)
# Past TRACKING_MAX_FAILURES_PER_CODE a code is protected, never blocked: the lookup also asks
# for the last 4 digits of the phone or ID number; a record with neither accepts one attempt
# per this many seconds (core.lookup_guard).
TRACKING_SLOW_SECONDS = env.int("TRACKING_SLOW_SECONDS", default=60)
# Online feedback submissions per client address in a fixed window.
FEEDBACK_MAX_SUBMISSIONS_PER_ADDRESS = env.int("FEEDBACK_MAX_SUBMISSIONS_PER_ADDRESS", default=5)
FEEDBACK_SUBMIT_WINDOW_MINUTES = env.int("FEEDBACK_SUBMIT_WINDOW_MINUTES", default=60)
RATE_LIMIT_CACHE = "default"  # the cache alias holding the counters (Redis when REDIS_URL is set)
RATE_LIMITS = {
    "tracking_address": (TRACKING_MAX_FAILURES_PER_ADDRESS, TRACKING_WINDOW_MINUTES * 60),
    "tracking_code": (TRACKING_MAX_FAILURES_PER_CODE, TRACKING_WINDOW_MINUTES * 60),
    "feedback_track_address": (TRACKING_MAX_FAILURES_PER_ADDRESS, TRACKING_WINDOW_MINUTES * 60),
    "feedback_track_code": (TRACKING_MAX_FAILURES_PER_CODE, TRACKING_WINDOW_MINUTES * 60),
    "feedback_submit": (FEEDBACK_MAX_SUBMISSIONS_PER_ADDRESS, FEEDBACK_SUBMIT_WINDOW_MINUTES * 60),
    # citizen sign-in (motcua.citizen): codes sent per phone/e-mail and per client address,
    # and codes typed per client address
    "citizen_code_contact": (env.int("CITIZEN_CODES_PER_CONTACT", default=5), 3600),
    "citizen_code_address": (env.int("CITIZEN_CODES_PER_ADDRESS", default=20), 3600),
    "citizen_verify_address": (env.int("CITIZEN_VERIFY_PER_ADDRESS", default=20), 15 * 60),
}

# --- Citizens' sign-in (motcua.citizen) -------------------------------------------------------
# The identity provider: a one-time code by SMS or e-mail here; a VNeID / national-portal
# provider implementing the same interface replaces it by this setting.
CITIZEN_IDENTITY_PROVIDER = env.str(
    "CITIZEN_IDENTITY_PROVIDER", default="motcua.citizen.identity.OneTimeCodeProvider"
)
CITIZEN_CODE_MINUTES = env.int("CITIZEN_CODE_MINUTES", default=10)
CITIZEN_CODE_MAX_TRIES = env.int("CITIZEN_CODE_MAX_TRIES", default=5)

# --- Deadline alerts (motcua/alerts) -----------------------------------------------------------
# How often Celery beat scans open dossiers, and what "due soon" means (in working hours).
ALERT_SCAN_INTERVAL_MINUTES = env.int("ALERT_SCAN_INTERVAL_MINUTES", default=15)
# When set (> 0), the scans run every this many seconds from beat's start instead of on the
# clock-aligned minutes above: the production smoke (.ci/smoke.py) sees a scheduled scan in
# seconds. Production leaves it at 0.
ALERT_SCAN_INTERVAL_SECONDS = env.int("ALERT_SCAN_INTERVAL_SECONDS", default=0)
# The task a committed working-calendar change enqueues (thutuc/calendar_changes.py): thutuc
# names no app above it, the project wires them here.
CALENDAR_CHANGE_TASK = "motcua.tasks.apply_calendar_change"
# The one "due soon" window (alerts, worklists, the feedback list): thutuc.deadlines.due_soon_limit.
ALERT_DUE_SOON_WORKING_HOURS = env.float("ALERT_DUE_SOON_WORKING_HOURS", default=8)
# NĐ 118/2025/NĐ-CP Điều 19 khoản 6: the apology goes out on the working day before the
# deadline at the latest; one working day ahead, the reminder falls on that last day.
ALERT_APOLOGY_WORKING_HOURS = env.float("ALERT_APOLOGY_WORKING_HOURS", default=8)
# Past this many working days overdue, the head of the one-stop centre is told too.
ALERT_ESCALATE_AFTER_WORKING_DAYS = env.float("ALERT_ESCALATE_AFTER_WORKING_DAYS", default=2)
# The scan is incremental (only deadlines crossed and dossiers changed since its previous
# run); a full scan runs when there is no watermark, after a calendar change, with the daily
# digest, and when the last full scan is older than this. Staff changes (a new specialist in
# a unit) reach existing alerts' recipients at the next full scan.
ALERT_FULL_SCAN_EVERY_MINUTES = env.int("ALERT_FULL_SCAN_EVERY_MINUTES", default=60)
# Dossiers changed up to this long before the previous scan started are read again
# (transactions that committed after that scan read). Requests time out after 60 s
# (gunicorn) and tasks write in short transactions; the one long writer, the legacy import,
# asks for a full scan when it commits, and the hourly full scan is the backstop.
ALERT_SCAN_CHANGE_MARGIN_MINUTES = env.int("ALERT_SCAN_CHANGE_MARGIN_MINUTES", default=2)
# When the daily digest goes out (on working days only).
ALERT_DIGEST_HOUR = env.int("ALERT_DIGEST_HOUR", default=7)
ALERT_DIGEST_MINUTE = env.int("ALERT_DIGEST_MINUTE", default=30)
# Which alert kinds are also e-mailed / sent by SMS (in-app always).
ALERT_EMAIL_KINDS = env.list(
    "ALERT_EMAIL_KINDS",
    default=[
        "overdue",
        "step_overdue",
        "supplement_overdue",
        "escalation",
        "apology_reminder",
        "feedback_overdue",
        "digest",
    ],
)
ALERT_SMS_KINDS = env.list("ALERT_SMS_KINDS", default=["escalation"])

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF token is read from the form, never by JavaScript from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env.bool("BEHIND_TLS_PROXY", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): only this site's own files; no inline script or
# style, no eval, no plugins, no framing. Templates use static/js/*.js and CSS classes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # one INFO line per login attempt; lockouts are logged as warnings
        "axes": {"level": "WARNING"},
    },
}

# --- Dossier processing (motcua.services.transitions / deadlines) ------------------------------
# A complete supplement restarts the processing time from zero: NĐ 118/2025/NĐ-CP Điều 19
# khoản 5 ("thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ"). The former
# setting DOSSIER_SUPPLEMENT_CLOCK ("pause": shift the deadline by the time spent waiting)
# contradicted it and is no longer read; supplements recorded under it keep their rule
# (thutuc.deadlines.statutory_due_at).
