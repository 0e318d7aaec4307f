"""Production settings plus the dev-only bench app: for `make bench` and `make abuse` only,
which measure the production configuration with the tools in bench/."""

from .prod import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
