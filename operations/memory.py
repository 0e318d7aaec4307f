"""A task worker gives back what a job freed, so between jobs it holds what it keeps (the
similarity corpus, loaded libraries), not the peak of its last job."""

import contextlib
import ctypes
import gc

from django_tasks_db.backend import DatabaseBackend


def give_back_memory():
    """Collect reference cycles, then hand glibc's freed blocks back to the system (glibc
    keeps them otherwise: a worker that built a 20 MB release stays 200 MB large)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim with
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def after_job(sender, **kwargs):
    """task_finished receiver: only for a worker's jobs (the database backend). The
    immediate backend runs jobs inside a request or a test, where a full collection after
    each would only cost time. db_worker sends the backend on success, its class on failure."""
    backend = sender if isinstance(sender, type) else type(sender)
    if issubclass(backend, DatabaseBackend):
        give_back_memory()
