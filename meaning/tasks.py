"""Jobs of the task queue (django-tasks): vectors are computed by the worker or the helper
process, never by a web request."""

import logging

from django_tasks import task

from . import conf
from .client import helper_embeds
from .encoder import ModelUnavailable
from .services import embed_and_announce

logger = logging.getLogger(__name__)


@task()
def embed_changed_statements(statement_ids):
    """Compute the vectors of these statements whose text changed: in "socket" mode the
    helper process does it (the worker never loads the model), otherwise this worker. Without
    the model (the optional extra not installed, a file that is not the pinned one) or the
    helper, there is nothing to do: search works on words alone, and a helper embeds what
    was left when it starts (meaning_server)."""
    try:
        if conf.mode() == conf.SOCKET:
            return helper_embeds(statement_ids)
        return embed_and_announce(statement_ids)
    except (ModelUnavailable, OSError) as error:
        logger.info("Statement vectors not computed: %s", error)
        return 0
