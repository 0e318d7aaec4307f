"""The request id in every log line (production logs are JSON: settings/prod.py).

Kept apart from the middleware: logging is configured before Django's apps are loaded, so
this module imports nothing from Django.
"""

import logging
from contextvars import ContextVar

request_id_var = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True
