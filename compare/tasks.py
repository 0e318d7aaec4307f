"""The worker's similarity job (django-tasks; `manage.py db_worker` runs it).

compare.signals marks the changed statements pending (PendingRefresh) and enqueues
refresh_pending once per committed edit. Each run takes every pending statement, not only
its own: edits that arrive while the worker is busy are refreshed together by the next run,
and the runs after it find nothing left to do. The job runs on its own queue, "similarity",
so that one worker (holding the corpus between jobs, see compare.services) serves it.
"""

from django.db import transaction
from django_tasks import task

from performance import versioning

from .models import PendingRefresh

QUEUE = "similarity"
# The most statements one run takes; the rest wait for the next run (enqueued below).
MOST_PER_RUN = 5000


@task(queue_name=QUEUE)
def refresh_pending():
    """Recompute the matches of the pending statements; returns how many it took."""
    # NumPy and SciPy are loaded by the worker, not by the web process that enqueues
    from .services import refresh_similarities

    with transaction.atomic():
        taken = list(
            PendingRefresh.objects.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "statement_id")[:MOST_PER_RUN]
        )
        if not taken:
            return 0
        statements = {key for _, key in taken}
        refresh_similarities(statements)
        # exactly the rows taken: a statement marked again meanwhile stays pending
        PendingRefresh.objects.filter(pk__in=[pk for pk, _ in taken]).delete()
        # their pages said "being updated": cached copies go, even if no match changed
        versioning.bump([f"st:{key}" for key in statements])
    if len(taken) == MOST_PER_RUN:
        refresh_pending.enqueue()
    return len(statements)
