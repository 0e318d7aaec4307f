"""Test settings: fast hashing, no manifest storage (pytest runs without collectstatic)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105 - never used outside the test suite
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise warns on every request when STATIC_ROOT is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The benchmarks and corpus generation (bench/), which tests/bench covers.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Page tests count the queries a view itself runs; tests/performance turns the cache on.
PRACTICEKB_PAGE_CACHE = False

# The SQLite test database lives in memory, shared between the test and live_server's
# thread; IMMEDIATE transactions there lock the shared cache against the other thread.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)  # noqa: F405
# Rate limits would trip over the suite's many requests from one address: tests/operations
# turns them on where they are the subject.
RATELIMIT_ENABLE = False
# Tasks run at once, inside the request or test that enqueues them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
# Jobs do their work in the test's own process: a child could not open its database
# (tests/sheets/test_prepared_pdf.py runs one on PostgreSQL).
PRACTICEKB_JOBS_IN_CHILD = False
# No embedding model unless a test asks for it (tests/meaning, tests/search/test_meaning.py).
PRACTICEKB_MEANING = "off"

# Content saved by tests does not build open-data releases; tests/api turns it on.
PRACTICEKB_OPEN_DATA_ON_CHANGE = False
