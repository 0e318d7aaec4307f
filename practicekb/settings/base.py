"""Settings shared by every environment. Environment-specific modules import * from here."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    """Read an environment variable; empty strings count as unset."""
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url):
    """Parse DATABASE_URL into Django's DATABASES entry, or say plainly what is wrong."""
    try:
        # health checks: a connection kept across a database restart is replaced, not failed
        config = dj_database_url.parse(
            url, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({exc}). Use sqlite:///path/to/db.sqlite3 or "
            "postgres://user:password@host:5432/dbname."
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed: it names no database. Use sqlite:///path/to/db.sqlite3 "
            "or postgres://user:password@host:5432/dbname."
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


# SQLite for one person: a handful of concurrent writes (two tabs, a double click) wait for
# each other instead of failing with "database is locked". IMMEDIATE takes the write lock at
# the start of a transaction, so a reader never has to upgrade (which cannot wait); WAL lets
# readers go on while one writes; the timeout (seconds) is how long a writer waits.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'var' / 'practicekb.sqlite3'}"

DATABASES = {"default": database_from_url(env("DATABASE_URL", DEFAULT_SQLITE_URL))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "accounts.admin_apps.PracticekbAdminConfig",  # django.contrib.admin, optional two-factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "simple_history",
    "organizations",
    "principles",
    "search",
    "meaning",
    "accounts",
    "sheets",
    "transfer",
    "compare",
    "csp",
    "axes",
    "performance",
    "operations",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.security.AdminStyleHashesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "operations.middleware.IdleTimeoutMiddleware",  # inside SessionMiddleware: it saves
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "operations.middleware.PrivateWhenSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.LoginRequiredForReadingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # before the page cache: a redirect or a 429 costs no render and no cache entry
    "operations.middleware.CanonicalQueryMiddleware",
    # a signed-in person's page from the cache is cheaper than counting it against a limit
    # kept per address (which an office's staff share): before the rate limits
    "performance.pagecache.SignedInPageCacheMiddleware",
    "operations.middleware.RateLimitMiddleware",
    # after authentication, login-required and messages: it serves readers' cached pages
    "performance.pagecache.ReaderPageCacheMiddleware",
    # last, as django-axes asks: it turns a locked-out sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "practicekb.urls"
WSGI_APPLICATION = "practicekb.wsgi.application"

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
                # after messages: keeps a statement's tagging messages beside the statement
                "principles.context_processors.page_messages",
                "sheets.context_processors.sheet_builder",
                # after Django's own csrf: a page drawn from shared fragments gets a marker
                "performance.context_processors.fragment_csrf",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "operations.staticfiles.UsedAppFiles",  # leaves out apps' files no page uses
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (of the API docs' bundles; 14 of the 20 MB collected before operations/
# staticfiles.py) are fetched only by developer tools: compressing them took most of the time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# A document's admin form (about 9 fields per statement) and the import preview (7 per row,
# at most 500 rows) post more than Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Themes are one vocabulary: "Safety" and "safety" are the same theme.
TAGGIT_CASE_INSENSITIVE = True

# The product's name, as admin's header and page titles show it (accounts/admin_site.py).
PRACTICEKB_SITE_NAME = "PracticeKB"

# Accounts: reading is open unless PRACTICEKB_LOGIN_REQUIRED_FOR_READING=true; writing needs
# a sign-in and a permission (accounts/roles.py).
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PRACTICEKB_LOGIN_REQUIRED_FOR_READING = (
    env("PRACTICEKB_LOGIN_REQUIRED_FOR_READING", "false").lower() == "true"
)

# Security and accessibility (issue 9). The headers and the Content-Security-Policy apply in
# every environment, so the tests run under them: an inline <script>, a style= attribute or an
# onclick= would break a browser test. Production adds HSTS and secure cookies (prod.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sign-in throttling (django-axes): after 5 failed sign-ins for one username from one address,
# that pair is locked out for 15 minutes; a successful sign-in clears the count. Keyed on the
# pair so that guessing from one place cannot lock a person out everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_VERBOSE = False

# Caching (issue 10): Redis when CACHE_URL (or REDIS_URL) is set, e.g. redis://127.0.0.1:6379/1,
# shared by every worker; otherwise each process keeps its own in memory (locmem).
CACHE_URL = env("CACHE_URL") or env("REDIS_URL")
# An in-memory cache holds at most this many bytes (Redis: maxmemory, docs/operations.md).
CACHE_MAX_BYTES = int(env("CACHE_MAX_BYTES", str(64 * 1024 * 1024)))
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "CACHE_URL must be a Redis address: redis://host:6379/1, rediss://... or unix://..."
        )
    CACHES = {
        "default": {
            # a Redis that is down or hung is a miss, never an error (operations/cache.py)
            "BACKEND": "operations.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "practicekb",
            "TIMEOUT": 3600,
        },
        # Readers' pages are looked for in the process's own memory first: their keys name
        # the content version, so a copy kept here is never stale, and a hit does not fetch
        # a page of up to 1 MB from Redis each time (performance/pagecache.py).
        "pages-local": {
            "BACKEND": "operations.cache.ByteBoundedLocMemCache",
            "LOCATION": "practicekb-pages",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 300, "MAX_BYTES": CACHE_MAX_BYTES},
        },
        # Signed-in people's fragments ({% cache %} uses this alias when there is one):
        # the process's copy first, then Redis, as for readers' pages
        "template_fragments": {
            "BACKEND": "operations.cache.LayeredCache",
            "OPTIONS": {"LAYERS": ["pages-local", "default"]},
        },
    }
    PRACTICEKB_PAGE_CACHES = ["pages-local", "default"]
else:
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.ByteBoundedLocMemCache",
            "LOCATION": "practicekb",
            "TIMEOUT": 3600,
            # most pages are 5 to 250 KB, a five-organization comparison about 1 MB: bounded
            # in bytes (pickled) as well as entries, least recently used evicted first
            "OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": CACHE_MAX_BYTES},
        }
    }
    PRACTICEKB_PAGE_CACHES = ["default"]

# Whole pages for anonymous readers, keyed by the content version (performance/pagecache.py),
# in PRACTICEKB_PAGE_CACHES above, nearest first.
PRACTICEKB_PAGE_CACHE = env("PRACTICEKB_PAGE_CACHE", "true").lower() == "true"
PRACTICEKB_PAGE_CACHE_SECONDS = 3600
PRACTICEKB_PAGE_CACHE_MAX_BYTES = 2_000_000
PRACTICEKB_CACHED_PAGES = {
    "home",
    "organizations:list",
    "organizations:detail",
    "organizations:document",
    "principles:statement",
    "principles:themes",
    "principles:theme",
    "compare:compare",
    "search:search",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Hardening and operations (issue 16, operations/). A database outage is answered 503 with
# Retry-After (operations.views.server_error); /readyz checks the database and the cache.
PRACTICEKB_RETRY_AFTER_SECONDS = int(env("RETRY_AFTER_SECONDS", "30"))

# The client's address is the N-th from the right in X-Forwarded-For behind N trusted proxies
# (operations/clients.py); 0 means REMOTE_ADDR, for a site reached without a proxy.
PRACTICEKB_TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "operations.clients.client_address"

# Per-client rate limits (django-ratelimit, counted in the default cache; with locmem each
# process counts alone, with Redis all share). Over a limit: 429 with Retry-After.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True  # a cache that is down limits nobody rather than everybody
PRACTICEKB_RATE_LIMITS = {
    "pdf": env("RATE_LIMIT_PDF", "12/m"),
    "compare": env("RATE_LIMIT_COMPARE", "60/m"),
    "search": env("RATE_LIMIT_SEARCH", "120/m"),
    # sign-in attempts from one address, whatever the usernames (password spraying)
    "sign-in": env("RATE_LIMIT_SIGN_IN", "20/10m"),
}
_GET, _POST = ("GET", "HEAD"), ("POST",)
PRACTICEKB_RATE_LIMITED_VIEWS = {
    "sheets:organization-pdf": ("pdf", _GET),
    "sheets:document-pdf": ("pdf", _GET),
    "sheets:theme-pdf": ("pdf", _GET),
    "sheets:comparison-pdf": ("pdf", _GET),
    "sheets:selection-pdf": ("pdf", _GET),
    "sheets:comparison": ("compare", _GET),
    "compare:compare": ("compare", _GET),
    "search:search": ("search", _GET),
    "accounts:login": ("sign-in", _POST),
    "admin:login": ("sign-in", _POST),
}

# The query parameters each cached or costly page takes; any other is redirected away
# (operations.middleware.CanonicalQueryMiddleware). A page absent here takes any; the
# comparison pages are absent because they answer an unknown parameter with 400 themselves.
_PRINT = ("paper", "layout")
PRACTICEKB_QUERY_PARAMETERS = {
    "home": (),
    "about": (),
    "accessibility": (),
    "sources": (),
    "organizations:list": ("kind", "jurisdiction"),
    "organizations:detail": (),
    "organizations:document": (),
    "principles:statement": (),
    "principles:themes": (),
    "principles:theme": ("page",),
    # "tag" is the old name of "theme": search redirects it (search.views)
    "search:search": ("q", "org", "kind", "theme", "tag", "page", "earlier"),
    "sheets:organization": _PRINT,
    "sheets:organization-pdf": _PRINT,
    "sheets:document": _PRINT,
    "sheets:document-pdf": _PRINT,
    "sheets:theme": _PRINT,
    "sheets:theme-pdf": _PRINT,
    "sheets:selection": _PRINT,
    "sheets:selection-pdf": _PRINT,
}

# Readers' sheet PDFs are kept in the default cache per content version (sheets/pdfcache.py).
PRACTICEKB_PDF_CACHE_MAX_BYTES = 5_000_000
PRACTICEKB_PDF_RETRY_SECONDS = 5

# Sign-in (issue 16). A session ends after SESSION_IDLE_MINUTES without a request (each
# request at least IDLE_REFRESH later than the last saved one pushes the end back:
# operations.middleware.IdleTimeoutMiddleware). Admin asks staff for a TOTP code when
# PRACTICEKB_ADMIN_TWO_FACTOR is on (accounts/admin_site.py; on in production).
SESSION_COOKIE_AGE = 60 * int(env("SESSION_IDLE_MINUTES", "120"))
# Django's database sessions, read in plain SQL (accounts/sessions.py)
SESSION_ENGINE = "accounts.sessions"
PRACTICEKB_SESSION_IDLE_REFRESH_SECONDS = 300
PRACTICEKB_ADMIN_TWO_FACTOR = env("ADMIN_TWO_FACTOR", "false").lower() == "true"
OTP_TOTP_ISSUER = "practicekb"
# An extra per-address throttle on sign-in ("sign-in" in PRACTICEKB_RATE_LIMITS) stops
# spraying one password across many usernames.

# Work that must not hold a request (similarity refresh, large PDFs, embeddings) runs as a
# task (django.tasks API, backported by django-tasks). The database backend needs no broker:
# `manage.py db_worker` runs the queues, and `make run` starts one beside the server.
# Queues (docs/tasks.md): "default" (PDFs; any number of workers) and "similarity" (one
# worker, which holds the similarity corpus in memory between jobs).
TASK_QUEUES = ["default", "similarity"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
# PDFs and open-data releases are built in a child process of the worker (operations.children),
# killed past PRACTICEKB_CHILD_JOB_SECONDS: the worker keeps its size.
PRACTICEKB_JOBS_IN_CHILD = True
PRACTICEKB_CHILD_JOB_SECONDS = 300

# Related by meaning (meaning/conf.py, docs/SEARCH.md): "socket" asks the helper process
# (manage.py meaning_server) that holds the embedding model, so web workers stay small;
# "process" loads the model in the process that searches; "off" searches by words only.
PRACTICEKB_MEANING = env("PRACTICEKB_MEANING", "socket")
PRACTICEKB_MEANING_SOCKET = env("PRACTICEKB_MEANING_SOCKET", str(BASE_DIR / "var" / "meaning.sock"))
PRACTICEKB_MEANING_TIMEOUT = float(env("PRACTICEKB_MEANING_TIMEOUT", "0.2"))
# How long the task worker waits for the helper to embed 500 edited statements
PRACTICEKB_MEANING_EMBED_TIMEOUT = float(env("PRACTICEKB_MEANING_EMBED_TIMEOUT", "300"))

# The open data API (issue 24, api/): DRF with drf-spectacular's OpenAPI schema, the docs
# page served from drf-spectacular-sidecar's static files (CSP unchanged: no CDN, no inline
# script). Sessions (with CSRF) for the browser, personal tokens (api.models.ApiToken) for
# scripts. Errors are RFC 9457 problem details (api/problems.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOpen"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Per-client API rates: anonymous clients by address (operations.clients), others by user.
PRACTICEKB_API_RATES = {
    "anonymous": env("RATE_LIMIT_API_ANONYMOUS", "120/m"),
    "user": env("RATE_LIMIT_API_USER", "600/m"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "practicekb API",
    "DESCRIPTION": "Practice models of child-welfare agencies as data: organizations, "
    "documents, statements, themes, search, crosswalks, sheets and open-data releases. "
    "See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "organizations.models.OrganizationKind",
        "DocumentKindEnum": "principles.models.DocumentKind",
        "StatementKindEnum": "principles.models.StatementKind",
        "DocumentStatusEnum": "principles.models.DocumentStatus",
        "LinkKindEnum": "api.serializers.LINK_KINDS",
    },
}
# A new open-data release is built this long after content changes (api/signals.py).
PRACTICEKB_OPEN_DATA_ON_CHANGE = True
PRACTICEKB_OPEN_DATA_DEBOUNCE_SECONDS = int(env("OPEN_DATA_DEBOUNCE_SECONDS", "300"))
