"""Settings shared by every environment.

Everything that differs between machines comes from the environment (see .env.example).
The embedded default needs nothing: a SQLite file and a generated secret key are kept in
the data directory (CCHC_DATA_DIR, default `.data/` in a source checkout).
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _default_data_dir() -> Path:
    if (BASE_DIR / "pyproject.toml").exists():  # running from a source checkout
        return BASE_DIR / ".data"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "cchc"


DATA_DIR = Path(os.environ.get("CCHC_DATA_DIR") or _default_data_dir()).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.getuid():
    # the SQLite file, the secret key and citizens' files: readable by this account only
    DATA_DIR.chmod(0o700)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data directory."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",  # the background-job queue's worker command (cchc worker runs it)
    "ninja",  # installed so that the API's viewer (/api/v1/docs/) uses its bundled Swagger UI, not a CDN
    "cchc.core",
    "cchc.orgs",
    "cchc.jobs",
    "cchc.plans",
    "cchc.tracking",
    "cchc.procedures",
    "cchc.dossiers",
    "cchc.exchange",
    "cchc.indicators",
    "cchc.index766",
    "cchc.manual_indicators",
    "cchc.surveys",
    "cchc.targets",
    "cchc.evaluation",
    "cchc.reports",
    "cchc.portal",
    "cchc.inspections",
    "cchc.demo",
    "cchc.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cchc.core.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cchc.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.core.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with the lockout page
]

# In every mode (so the browser tests run under it): our scripts only, no inline script.
CCHC_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.orgs.context_processors.navigation",
            ],
            # `{{ n|so }}` (1.993) in every template without a {% load %}: cchc.core.templatetags.vi_numbers
            "builtins": ["cchc.core.templatetags.vi_numbers"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'cchc.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dashboard read while an officer writes; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A streaming replica of the primary (several application servers, docs/scaling.md): the reads of
# selectors marked replica-tolerant (the dashboards) go there, everything else to the primary
# (`cchc.core.db_router`). In tests the alias mirrors the default database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["cchc.core.db_router.ReplicaRouter"]
# No JIT compilation on PostgreSQL: our reads are short aggregates that the planner costs above
# jit_above_cost once a table holds millions of rows, and compiling took 0.33 s of a 1.8 s
# dashboard query at 4.6 million dossiers for nothing in return (docs/scaling.md).
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db.setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every worker and process (the public forms' rate limits count in it): Redis
# when CACHE_URL names one (production), else a table of the database (the embedded mode; created
# by the migration core.0005). A per-process memory cache would let each worker count alone.
if os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cchc_cache"}}

# Background jobs and schedules (cchc.jobs, huey; docs/decisions.md). The queue is a SQLite file in
# the data directory in the embedded mode (no broker: `make run` needs nothing), a Redis server when
# JOBS_URL names one (production requires it). The worker runs beside the web server (`cchc serve`)
# or alone (`cchc worker`); CCHC_SCHEDULES=0 leaves the scheduled reminders to another host or cron.
JOBS_URL = os.environ.get("JOBS_URL", "")
_queue = os.environ.get("JOBS_QUEUE", "cchc")  # the queue's name: two installations on one Redis differ
if JOBS_URL.startswith(("redis://", "rediss://")):
    HUEY: dict = {"huey_class": "huey.RedisHuey", "name": _queue, "url": JOBS_URL}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": _queue, "filename": str(DATA_DIR / "jobs.sqlite3")}
HUEY |= {
    "immediate": False,  # never DEBUG's default: the embedded mode runs its worker as production does
    "results": False,  # a job's outcome is kept in its Job row, not the queue's result store
    "utc": True,
    "consumer": {
        "workers": int(os.environ.get("CCHC_JOB_WORKERS", "2")),
        "worker_type": "thread",
        "periodic": env_bool("CCHC_SCHEDULES", True),
        "check_worker_health": True,
        "initial_delay": 0.2,  # a page waits on its job: poll the queue often when idle
        "max_delay": 1.0,
    },
}
CCHC_JOB_RETRIES = int(os.environ.get("CCHC_JOB_RETRIES", "2"))  # tries after the first
CCHC_JOB_RETRY_DELAY = int(os.environ.get("CCHC_JOB_RETRY_DELAY", "10"))  # seconds; then ×3 each time
CCHC_JOB_STALE_SECONDS = int(os.environ.get("CCHC_JOB_STALE_SECONDS", "900"))  # no heartbeat: taken up again
CCHC_JOB_KEEP_DAYS = int(os.environ.get("CCHC_JOB_KEEP_DAYS", "7"))  # finished jobs and their files

# The online payment gateway (a dotted path to a `cchc.dossiers.gateways.PaymentGateway`). The
# simulated one is for the demo and the tests only: production refuses to start with it.
CCHC_PAYMENT_GATEWAY = os.environ.get("CCHC_PAYMENT_GATEWAY") or "cchc.dossiers.gateways.SimulatedGateway"
AUTH_USER_MODEL = "orgs.User"

# Login lockout (django-axes, its attempts in the database so every worker sees them): after 5
# wrong passwords an account is locked, and so is an address, for 15 minutes; an administrator
# unlocks sooner with `cchc axes_reset_username <tên>` or `cchc axes_reset_ip <địa chỉ>`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Vietnamese for everyone: the browser's Accept-Language is not followed (no LocaleMiddleware)
# until an English translation exists, so that numbers and dates never switch format.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Input reads "1.234" as 1234; output groups nothing by itself (NUMBER_GROUPING = 0 in
# cchc/core/formats/vi: identifiers in option values and links stay whole).
USE_THOUSAND_SEPARATOR = True
# dd/mm/yyyy for every date shown (cchc/core/formats/vi/formats.py), not Django's spelled-out form.
FORMAT_MODULE_PATH = ["cchc.core.formats"]
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "static")
# Uploaded files (evidence, result files, inspection records): by default a directory
# (MEDIA_ROOT) that every application server mounts (NFS or similar) when there are several; or,
# with CCHC_MEDIA_STORAGE=s3, an S3-compatible object store (MinIO, Ceph, a cloud's) through
# django-storages (`pip install cchc[s3]`; settings in .env.example, docs/scaling.md).
CCHC_MEDIA_STORAGE = os.environ.get("CCHC_MEDIA_STORAGE", "local").strip().lower()
if CCHC_MEDIA_STORAGE == "s3":
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("CCHC_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("CCHC_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CCHC_S3_REGION") or None,
            "access_key": os.environ.get("CCHC_S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("CCHC_S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",  # files are streamed by views that check access, never linked
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif CCHC_MEDIA_STORAGE == "local":
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"CCHC_MEDIA_STORAGE={CCHC_MEDIA_STORAGE!r} không hợp lệ: dùng 'local' (thư mục dùng chung) hoặc 's3'."
    )
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded evidence lives outside any served directory: it is streamed by a view that checks access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
# No URL serves MEDIA_ROOT in the application (nothing is routed there); the value only
# exists because Django's test live server expects a string.
MEDIA_URL = "/_private/"

# Evidence uploads (tracking): what may be attached to a progress update.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
# Reverse proxies in front of the application (0: none). The public lookup's rate limit then
# takes the citizen's address from X-Forwarded-For as the nearest trusted proxy wrote it.
CCHC_TRUSTED_PROXIES = int(os.environ.get("CCHC_TRUSTED_PROXIES", "0"))

# The public portal (/cong-khai/, docs/portal.md): the province it speaks for (a unit code; by
# default the first current province), and the address where a procedure is submitted online
# ("{code}" is replaced by the procedure's code; by default the national public service portal).
CCHC_PORTAL_PROVINCE = os.environ.get("CCHC_PORTAL_PROVINCE", "")
CCHC_PORTAL_ONLINE_URL = os.environ.get("CCHC_PORTAL_ONLINE_URL", "")
# Cached figure tables are rebuilt after a change at most this often (seconds; 0: at once).
CCHC_PORTAL_REFRESH_SECONDS = int(os.environ.get("CCHC_PORTAL_REFRESH_SECONDS", "60"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body accepted at all: a few evidence files of 20 MB each, and the form.
CCHC_MAX_REQUEST_BYTES = int(os.environ.get("CCHC_MAX_REQUEST_BYTES", 100 * 1024 * 1024))
FILE_UPLOAD_PERMISSIONS = 0o640

# Sessions in the database (every application server sees them); with the shared Redis cache, read
# through it and written to both ("cached_db"), which saves a query a request.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_without_traceback": {"()": "cchc.core.logging.RefusalWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusal_without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
