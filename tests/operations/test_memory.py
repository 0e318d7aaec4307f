"""A task worker gives back a job's freed memory after each job; jobs run at once (in a
request or a test) do not pay for a full collection."""

import subprocess
import sys

import pytest
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend

from operations import memory


@pytest.fixture
def given_back(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "give_back_memory", lambda: calls.append(True))
    return calls


def test_a_workers_job_gives_memory_back_after_success_and_failure(given_back):
    backend = DatabaseBackend("default", {"QUEUES": ["default"]})
    memory.after_job(sender=backend)  # db_worker sends the backend on success
    memory.after_job(sender=DatabaseBackend)  # and its class on failure
    assert len(given_back) == 2


def test_a_job_run_at_once_does_not(given_back):
    memory.after_job(sender=ImmediateBackend)
    assert given_back == []


def test_give_back_memory_runs_here():
    memory.give_back_memory()  # glibc's malloc_trim, or nothing where there is none


def test_a_worker_starts_without_numpy_or_the_api_framework():
    """What a task worker loads at start-up (django.setup()) is what it holds between jobs:
    NumPy (vectors) and DRF with drf-spectacular (the API's schema) load only where used."""
    script = (
        "import sys, django; django.setup(); "
        "print(sorted(m for m in ('numpy', 'rest_framework.fields', 'drf_spectacular.plumbing') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
