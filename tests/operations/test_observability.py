"""Production logs are JSON lines carrying the request id; Sentry starts when a DSN is set."""

import json

from django.test import Client
from django.urls import reverse

from tests.foundation.test_settings import run_manage

LOG_ONE_REQUEST = (
    "import logging; from django.test import Client; "
    "from operations.logs import request_id_var; request_id_var.set('req-12345678'); "
    "logging.getLogger('practicekb.test').warning('hello from the test')"
)


def test_production_logs_are_json_with_the_request_id():
    result = run_manage("shell", "-c", LOG_ONE_REQUEST)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "hello from the test" in line)
    record = json.loads(line)
    assert record["message"] == "hello from the test"
    assert record["level"] == "WARNING"
    assert record["request_id"] == "req-12345678"


def test_sentry_starts_only_with_a_dsn():
    show = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    without = run_manage("shell", "-c", show, SENTRY_DSN=None)
    with_dsn = run_manage("shell", "-c", show, SENTRY_DSN="https://public@127.0.0.1:9/1")
    assert without.stdout.strip().endswith("False"), without.stderr
    assert with_dsn.stdout.strip().endswith("True"), with_dsn.stderr


def test_every_response_carries_a_request_id(db):
    client = Client()
    made = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(made) == 32
    assert client.get(reverse("healthz"), HTTP_X_REQUEST_ID="nginx-req-abcdef12")[
        "X-Request-ID"
    ] == ("nginx-req-abcdef12")
    # a header that is not a plain id is replaced, not echoed
    assert (
        client.get(reverse("healthz"), HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"
    )


def test_the_favicon_is_served(client, db):
    response = client.get(reverse("favicon"))
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
