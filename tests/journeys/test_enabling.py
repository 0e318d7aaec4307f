"""Without Chromium the browser tests skip, saying how to enable them; in CI they fail."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_BROWSER_TEST = "tests/journeys/test_journeys.py::test_search_kinship_and_open_a_result"


def run_without_chromium(**extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CI", "DATABASE_URL", "PYTEST_ADDOPTS")
    }
    env.update(
        PRACTICEKB_CHROMIUM="/nonexistent/chromium",
        PATH=str(Path(sys.executable).parent),  # no chromium on this PATH
        DATABASE_URL="sqlite:////tmp/practicekb-enabling-check.sqlite3",  # in-memory test DB
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest", ONE_BROWSER_TEST, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_chromium_browser_tests_skip_and_say_how_to_enable_them():
    result = run_without_chromium()
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 skipped" in result.stdout
    assert "apt-get install -y chromium" in result.stdout


def test_without_chromium_in_ci_browser_tests_fail():
    result = run_without_chromium(CI="true")
    assert result.returncode != 0
    assert "CI must run the browser tests" in result.stdout
    assert "skipped" not in result.stdout
