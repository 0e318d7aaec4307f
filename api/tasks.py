from django_tasks import task

from operations.children import jobs_in_child, run_command

from . import opendata


@task()
def build_open_data():
    """Build a new open-data release if content changed since the last one, in a child
    process (operations.children: 50,000 statements' release left the worker 150 MB)."""
    if jobs_in_child():
        return run_command("build_open_data")
    release = opendata.build_release()
    return release.number if release else None
