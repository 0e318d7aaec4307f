"""The OpenAPI schema validates, and schemathesis finds no server error and no response that
breaks the schema when it fuzzes the API, bounded, against a live server on loopback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import restore_roles

ST = Path(sys.executable).with_name("st")


@pytest.mark.django_db
def test_the_schema_validates(tmp_path):
    """drf-spectacular's own validation (against the OpenAPI 3 meta-schema), warnings as
    failures: every endpoint and field is described."""
    out = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    schema = json.loads(out.read_text())
    paths = schema["paths"]
    assert "/api/v1/statements/{id}/" in paths
    assert reverse("api:search") in paths
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_the_schema_and_docs_are_served(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    page = docs.content.decode()
    # the docs page's scripts and styles come from this site's static files (the sidecar)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page and "cdn" not in page.lower()
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "default-src 'self'" in docs["Content-Security-Policy"]


@pytest.mark.skipif(not ST.exists(), reason="schemathesis is not installed (pip install .[dev])")
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_errors_or_schema_violations(live_server, tmp_path):
    call_command("load_organizations", verbosity=0)
    restore_roles()
    report = tmp_path / "junit.xml"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [
            str(ST),
            "run",
            f"{live_server.url}/api/v1/schema/",
            "--url",
            live_server.url,
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            os.environ.get("PRACTICEKB_SCHEMATHESIS_EXAMPLES", "8"),
            "--seed",
            "24",
            "--workers",
            "1",
            "--phases",
            "examples,fuzzing",
            "--generation-deterministic",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,  # schemathesis keeps its cache (.schemathesis/) in the working directory
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "No issues found" in output or "passed" in output, output[-3000:]
    print(output[-2500:])  # the summary, for `pytest -s`
