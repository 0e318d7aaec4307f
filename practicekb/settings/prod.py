"""Production. Every secret and host comes from the environment; missing ones stop start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_url, env, env_list


def required(name):
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production "
            "(practicekb.settings.prod). See .env.example."
        )
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS is required in production: a comma-separated "
        "list of host names (a bare '*' is refused)."
    )
DATABASES = {"default": database_from_url(required("DATABASE_URL"))}
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Staff sign in to admin with a TOTP code as well (accounts/admin_site.py); a deployment
# may opt out with ADMIN_TWO_FACTOR=false. Behind one proxy (nginx) unless told otherwise.
PRACTICEKB_ADMIN_TWO_FACTOR = env("ADMIN_TWO_FACTOR", "true").lower() == "true"
PRACTICEKB_TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", "1"))

# Logs: one JSON object a line on stderr (journald, or any collector), with the request id
# that nginx sends (X-Request-ID) or the app makes (operations/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO
    "loggers": {
        "django.request": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Errors go to Sentry (or self-hosted GlitchTip, which speaks its protocol) when a DSN is set.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # no usernames, addresses or cookies leave the site
    )
