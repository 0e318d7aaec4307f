"""Local development: DEBUG on, SQLite in var/ unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env, env_list

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "django-insecure-dev-only-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Plain storage so a fresh clone runs without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise warns on every request when STATIC_ROOT is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The benchmarks and corpus generation (bench/): development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Pages are not cached in development (edited templates show at once) unless asked for.
PRACTICEKB_PAGE_CACHE = env("PRACTICEKB_PAGE_CACHE", "false").lower() == "true"

# One person on SQLite: the embedding model loads in the server process when first needed.
PRACTICEKB_MEANING = env("PRACTICEKB_MEANING", "process")
