"""Task-queue jobs whose work is large and passing run it in a child process.

What such a job builds (a PDF's fonts and layout, an open-data release's 40 MB of text, and
the small objects Python keeps its arenas for) leaves with the child: the long-lived worker
keeps its size (docs/PERFORMANCE.md, "Memory"), and a child past its time is killed without
taking the worker along. The child costs a Python start-up (about a second); tests run the
work in their own process (PRACTICEKB_JOBS_IN_CHILD off), where a child could not open the
test database.
"""

import subprocess
import sys

from django.conf import settings


class ChildFailed(RuntimeError):
    """The child exited with an error or ran past its time."""


def jobs_in_child():
    return settings.PRACTICEKB_JOBS_IN_CHILD


def run_command(name, *args):
    """`manage.py <name> <args>` in a child process, on this process's settings and
    environment; returns what it printed. Raises ChildFailed with its last words."""
    command = [sys.executable, "manage.py", name, "--skip-checks"]
    if args:
        command += ["--", *args]  # an argument (a reader's address) is never read as an option
    timeout = settings.PRACTICEKB_CHILD_JOB_SECONDS
    try:
        child = subprocess.run(  # noqa: S603 - our own command; the arguments are not parsed by a shell
            command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        raise ChildFailed(f"manage.py {name} took over {timeout} s") from error
    if child.returncode:
        raise ChildFailed(f"manage.py {name} failed: {child.stderr[-2000:]}")
    return child.stdout.strip()
