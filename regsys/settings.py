"""regsys settings: one file, embedded defaults, production values from the environment.

SECRET_KEY is required to serve or run jobs (dev.py demo/test set one; makemigrations, check and
collectstatic run without it); DEBUG is off unless DEBUG=1. Without
DATABASE_URL/REDIS_URL it runs on a SQLite file and Celery runs tasks inline. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS; the security block below lists the rest.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Production-safe by default: DEBUG is off unless asked for, and there is no key in the repository.
# `python3 dev.py demo` and `python3 dev.py test` set DEBUG and SECRET_KEY explicitly.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Commands that only read code, migrations and static files (they never sign a cookie or a token) run
# without a key, on a random one for this process; serving, workers, shells and data commands refuse.
KEYLESS_COMMANDS = {"makemigrations", "check", "showmigrations", "sqlmigrate", "collectstatic"}
if not SECRET_KEY and Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in KEYLESS_COMMANDS:
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (environment variable); `python3 dev.py demo` and `dev.py test` set one"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "simple_history",
    "django_htmx",
    "enterprises",
    "campaigns",
    "inspections",
    "monitoring",
    "reporting",
    "regsys",  # notifications (regsys/models.py)
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "regsys.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "regsys.page_parts.GenerationMiddleware",
]

ROOT_URLCONF = "regsys.urls"

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
                "regsys.context_processors.scope",
                "regsys.context_processors.notifications",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/django/forms/widgets/ (select and input with their
# per-option includes written out: same HTML, a filter bar in a third less time) override Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "regsys.wsgi.application"

# Persistent connections (DB_CONN_MAX_AGE seconds, checked before reuse so a connection the database or
# PgBouncer dropped is replaced instead of failing a request). Behind PgBouncer in transaction pooling set
# DB_DISABLE_SERVER_SIDE_CURSORS=1: a server-side cursor (QuerySet.iterator()) outlives the transaction
# PgBouncer hands the server connection back after. See the README's production section.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = os.environ.get("DB_DISABLE_SERVER_SIDE_CURSORS", "") in (
    "1", "true", "True", "yes")
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Server settings for every connection (libpq "options"). JIT off by default: PostgreSQL compiles
    # any query whose estimated cost passes jit_above_cost, and on the page queries the compiling took
    # most of the time (1.8 s of a 2.2 s 待办 count at seed_demo --scale 10). DB_OPTIONS="" keeps
    # the server's own settings; an "options" in DATABASE_URL's query string wins over both.
    db_options = os.environ.get("DB_OPTIONS", "-c jit=off").strip()
    if db_options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", db_options)
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "enterprises.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins (form, admin and API token)
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for the few texts Django and django-axes ship untranslated (the admin's table headers, the
# login-lockout records); compiled .mo committed next to the .po.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Celery: eager (inline) when no broker is configured.
# Job rows are their own outbox (regsys/jobs.py): a job is published after commit, once, with a short
# broker timeout and no publish retry, so a request never waits for a broker that is down; the sweeper
# (beat, below) publishes what could not be sent and re-queues jobs whose worker died.
# Run the worker with beat in production: celery -A regsys worker -B (or a separate `celery -A regsys beat`).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None  # job state lives in the job rows; no task results are read
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed pool child puts its message back instead of losing it
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The longest job (an import of REGSYS_IMPORT_MAX_ROWS rows, a few minutes) is stopped at the hard limit;
# the visibility timeout (an unacked message of a dead worker goes back to the queue) is above it, so a
# running job is never delivered twice, and a whole dead worker's job is back within that time at most.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", 14 * 60))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", 15 * 60))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 2,
    "max_retries": 0,  # publishing: fail at once when Redis is down (the worker reconnects on its own terms)
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
# One queue per kind of job, so a long export never waits behind (or delays) a return build. A worker started
# without -Q consumes every queue below (development, CI, a single host); on several hosts each worker can
# take its own: celery -A regsys worker -Q reports … (README, production). Maintenance (beat) stays on "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in (
    "celery", "reports", "exports", "imports")}
CELERY_TASK_ROUTES = {
    "reporting.tasks.return_build_task": {"queue": "reports"},
    "reporting.tasks.list_export_task": {"queue": "exports"},
    "reporting.tasks.risk_report_task": {"queue": "reports"},
    "reporting.tasks.cockpit_summary_task": {"queue": "reports"},
    "enterprises.tasks.enterprise_import_task": {"queue": "imports"},
    "monitoring.tasks.ae_import_task": {"queue": "imports"},
    "monitoring.tasks.lead_import_task": {"queue": "imports"},
    "enterprises.tasks.filing_import_task": {"queue": "imports"},
}
CELERY_BEAT_SCHEDULE: dict = {
    "jobs-sweep": {"task": "reporting.tasks.jobs_sweep_task", "schedule": 60.0},
    # 不良事件评价: open evaluations for new death/serious reports and clusters, once a day (idempotent).
    "ae-evaluations-scan": {"task": "monitoring.tasks.evaluations_scan_task", "schedule": 24 * 60 * 60.0},
    # 监督抽检: record the 复检 windows that ended, once a day (idempotent).
    "sampling-windows-close": {"task": "monitoring.tasks.sampling_windows_close_task", "schedule": 24 * 60 * 60.0},
    # 季度快照: freeze each ended quarter's cockpit figures once (idempotent; hourly so a quarter's first day counts).
    "cockpit-snapshots": {"task": "reporting.tasks.cockpit_snapshots_task", "schedule": 60 * 60.0},
    # Notifications: deadline reminders (7/3/1 days, overdue) at 06:30, then the e-mail digest at 07:30
    # (CELERY_TIMEZONE); both are safe to run twice (dedupe keys, one DigestLog per user and day).
    "notifications-deadlines": {"task": "reporting.tasks.notifications_deadlines_task",
                                "schedule": crontab(hour=6, minute=30)},
    "notifications-digest": {"task": "reporting.tasks.notifications_digest_task", "schedule": crontab(hour=7, minute=30)},
}
# Sweeper thresholds (seconds): a job not yet published after DISPATCH_GRACE is published again; a job
# published but not started after PENDING_TIMEOUT, or running without progress for RUNNING_TIMEOUT
# (its worker died), is re-queued, and failed once it has started MAX_ATTEMPTS times. The user may
# press 重试 on such a stale job too.
REGSYS_JOB_DISPATCH_GRACE = int(os.environ.get("REGSYS_JOB_DISPATCH_GRACE", 30))
REGSYS_JOB_PENDING_TIMEOUT = int(os.environ.get("REGSYS_JOB_PENDING_TIMEOUT", 30 * 60))
REGSYS_JOB_RUNNING_TIMEOUT = int(os.environ.get("REGSYS_JOB_RUNNING_TIMEOUT", 5 * 60))
REGSYS_JOB_MAX_ATTEMPTS = int(os.environ.get("REGSYS_JOB_MAX_ATTEMPTS", 3))
# Test hook only: seconds a return build sleeps before writing its files (so a test can kill the worker
# mid-job), and a list export before reading its rows (a long export). Always 0 in production.
REGSYS_JOB_TEST_DELAY = float(os.environ.get("REGSYS_JOB_TEST_DELAY", 0))
# List exports are jobs of the download centre (regsys/exports.py files them through this service).
REGSYS_EXPORT_JOB_SERVICE = "reporting.services.list_export_request"
REGSYS_DOWNLOADS_URL = "reporting:downloads"
# The quarterly risk-consultation report's job (filed from a monitoring page, kept in the download centre)
REGSYS_RISK_REPORT_JOB_SERVICE = "reporting.risk_report.risk_report_request"
REGSYS_RISK_REPORT_JOBS = "reporting.risk_report.risk_report_jobs"
# Imports (Excel uploads) run as background jobs; every row read, blank or not, counts toward the limit.
REGSYS_IMPORT_MAX_ROWS = int(os.environ.get("REGSYS_IMPORT_MAX_ROWS", 10_000))
REGSYS_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("REGSYS_IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
# The cockpit's live figures (cockpit, start pages, API) are cached this many seconds; a snapshot always reads
# the records. 0 turns the cache off.
REGSYS_COCKPIT_CACHE_SECONDS = int(os.environ.get("REGSYS_COCKPIT_CACHE_SECONDS", 300))
# The start page's and 我的待办's rendered parts are kept per user until a write concerns them (a 所's: a write
# of its records or of what belongs to no unit; regsys.page_parts): on when the cache is shared by every process
# (REDIS_URL), at most this many seconds.
REGSYS_PAGE_PARTS = env_bool("REGSYS_PAGE_PARTS", bool(REDIS_URL))
REGSYS_PAGE_PART_SECONDS = int(os.environ.get("REGSYS_PAGE_PART_SECONDS", 300))

# E-mail (the daily notification digest): SMTP when EMAIL_HOST is set, else the console (the demo and an
# embedded install print the mails). REGSYS_SITE_URL makes the links in a mail absolute.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "医疗器械监管系统 <noreply@localhost>")
REGSYS_SITE_URL = os.environ.get("REGSYS_SITE_URL", "http://127.0.0.1:8000")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "regsys.security.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "regsys.paging.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "regsys.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "regsys 医疗器械监管系统 API",
    "DESCRIPTION": "区市场监督管理局医疗器械监管：企业、许可、检查、案件、专项整治与统计报表。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",  # served from static files (drf-spectacular-sidecar), never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums", "regsys.api_schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseStatusEnum": "enterprises.choices.EnterpriseStatus",
        "LicenceStatusEnum": "enterprises.choices.LicenceStatus",
        "LicenceKindEnum": "enterprises.choices.LicenceKind",
        "UnitKindEnum": "enterprises.choices.UnitKind",
        "SubdistrictKindEnum": "enterprises.choices.SubdistrictKind",
        "InspectionKindEnum": "inspections.choices.InspectionKind",
        "InspectionStatusEnum": "inspections.choices.InspectionStatus",
        "CaseStatusEnum": "inspections.choices.CaseStatus",
        "InspectionConclusionEnum": "inspections.choices.Conclusion",
        "AnswerResultEnum": "inspections.choices.AnswerResult",
        "SampleConclusionEnum": "monitoring.choices.SampleConclusion",
        "SampleStepKindEnum": "monitoring.choices.SampleStepKind",
        "LeadResultEnum": "monitoring.leads_choices.LeadResult",
        "NotificationKindEnum": "regsys.choices.NotificationKind",
        "CampaignKindEnum": "campaigns.models.CampaignKind",
        "CellKindEnum": "campaigns.models.CellKind",
    },
}

# --- Security: cookies, TLS proxy, HSTS, CSP, sessions, login lockout, API tokens ----------------
# Every value can be set from the environment; the defaults are production-safe. The demo
# (dev.py demo) turns the Secure-only cookies off because it serves plain http on 127.0.0.1.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# The TLS proxy (nginx) terminates HTTPS, sets X-Forwarded-Proto, redirects http to https and may
# add HSTS itself; SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS let Django do it instead.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", "")

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script
# and no eval. Styles allow 'unsafe-inline' for style="" attributes (templates, htmx, ECharts, Swagger UI).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request and SESSION_ABSOLUTE_TIMEOUT
# seconds after login, whichever comes first (regsys.security.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# With a shared cache (Redis) a request reads its session from the cache, not the database; without one
# (a per-process cache) sessions stay in the database, so a logout holds in every worker.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# API tokens (/api/auth/token/) expire API_TOKEN_TTL seconds after they were issued.
API_TOKEN_TTL = env_int("API_TOKEN_TTL", 7 * 24 * 60 * 60)

# Login throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address lock that pair out for AXES_COOLOFF_MINUTES; the login form, admin and the API token.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "regsys.security.lockout_response"
AXES_VERBOSE = False
# axes' own admin pages name records in English ("Access Log for …"): the lockouts are shown in Chinese by
# enterprises.admin.LoginLockoutAdmin instead.
AXES_ENABLE_ADMIN = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
