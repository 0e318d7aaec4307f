"""Jobs of the task queue (django-tasks): vectors are computed by the worker, never by a
web request."""

import logging

from django_tasks import task

from .encoder import ModelUnavailable
from .services import embed_statements
from .signals import vectors_changed

logger = logging.getLogger(__name__)


@task()
def embed_changed_statements(statement_ids):
    """Compute the vectors of these statements whose text changed. Without the model
    (the optional extra not installed, or a file that is not the pinned one) there is
    nothing to do: search then works on words alone."""
    try:
        report = embed_statements(statement_ids)
    except ModelUnavailable as error:
        logger.info("Statement vectors not computed: %s", error)
        return 0
    if report.statement_ids:
        vectors_changed.send(sender=embed_changed_statements, statement_ids=report.statement_ids)
    return report.computed
