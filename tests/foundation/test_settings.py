"""Configuration errors are caught at start-up with a plain message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from practicekb.settings.base import database_from_url

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "practicekb.settings.prod",
    "SECRET_KEY": "a-long-and-random-enough-secret-key-for-the-deploy-check-1234567890",
    "ALLOWED_HOSTS": "practicekb.example.org",
    "DATABASE_URL": "postgres://user:pw@127.0.0.1:5432/practicekb",
}


def run_manage(*args, timeout=300, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in PROD_ENV}
    env.update(PROD_ENV)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # a guard against a hang, not a timing: a loaded machine (or xdist's second worker)
        # can take a minute to start Django and collect the static files
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = run_manage("check", **{variable: None})
    assert result.returncode != 0
    assert f"The environment variable {variable} is required in production" in result.stderr


def test_production_refuses_a_wildcard_host():
    result = run_manage("check", ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "a bare '*' is refused" in result.stderr


def test_production_passes_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "url", ["not a url", "mysqlx://host/db", "postgres://host:notaport/db", "postgres://host"]
)
def test_a_malformed_database_url_says_so(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is malformed"):
        database_from_url(url)


def test_production_never_runs_with_debug():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"
