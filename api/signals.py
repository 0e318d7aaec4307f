"""Content changed: schedule a new open-data release, debounced.

Every save or delete of a core model, once its transaction commits, asks for one; the
first ask in PRACTICEKB_OPEN_DATA_DEBOUNCE_SECONDS (a cache key) enqueues the task to run
that many seconds later, and the asks after it within that time ride along. The task
itself skips the build when the content version is the one the latest release was built
from, so a duplicate run costs one query. Raw saves (loaddata) send signals too but with
raw=True: the loaders' own paths are caught by the next change or `manage.py
build_open_data`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from organizations.models import Organization
from principles.models import Document, Section, Statement, TaggedStatement, Theme

SENDERS = (Organization, Document, Section, Statement, TaggedStatement, Theme)
SCHEDULED_KEY = "api:open-data-scheduled"


def enqueue_build():
    from django_tasks import default_task_backend

    from .tasks import build_open_data

    delay = settings.PRACTICEKB_OPEN_DATA_DEBOUNCE_SECONDS
    if not cache.add(SCHEDULED_KEY, True, timeout=max(1, delay)):
        return  # a build is already due within the debounce window
    if delay and default_task_backend.supports_defer:
        build_open_data.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()
    else:
        build_open_data.enqueue()


def content_changed(sender, raw=False, using="default", **kwargs):
    if raw or not settings.PRACTICEKB_OPEN_DATA_ON_CHANGE:
        return
    transaction.on_commit(enqueue_build, using=using, robust=True)


for _model in SENDERS:
    post_save.connect(
        content_changed, sender=_model, dispatch_uid=f"api_open_data_{_model.__name__}"
    )
    post_delete.connect(
        content_changed, sender=_model, dispatch_uid=f"api_open_data_del_{_model.__name__}"
    )
