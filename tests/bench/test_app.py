"""bench/ is a dev-only app: development and test settings install it, production does not;
the load benchmark's pages all answer."""

import pytest

from bench.management.commands.bench_load import pages
from tests.foundation.test_settings import run_manage

pytestmark = pytest.mark.django_db

SHOW_APPS = "from django.conf import settings; print('bench' in settings.INSTALLED_APPS)"


def test_production_settings_do_not_install_bench_and_its_commands_are_absent():
    shown = run_manage("shell", "-c", SHOW_APPS)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "False"
    missing = run_manage("generate_corpus", "--help")
    assert missing.returncode != 0
    assert "Unknown command: 'generate_corpus'" in missing.stderr


def test_bench_settings_are_production_plus_bench():
    shown = run_manage("shell", "-c", SHOW_APPS, DJANGO_SETTINGS_MODULE="practicekb.settings.bench")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "True"


def test_the_benchmark_measures_seven_pages_that_answer(client):
    chosen = dict(pages())
    assert list(chosen) == [
        "ceiling",
        "home",
        "organization",
        "statement",
        "theme",
        "search",
        "compare",
        "compare-seeds",
    ]
    assert chosen["compare"].count("org=") == 5
    for path in chosen.values():
        assert client.get(path).status_code == 200, path
