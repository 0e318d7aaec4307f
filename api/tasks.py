from django_tasks import task

from . import opendata


@task()
def build_open_data():
    """Build a new open-data release if content changed since the last one."""
    release = opendata.build_release()
    return release.number if release else None
