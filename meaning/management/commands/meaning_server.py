"""Run the helper process that holds the embedding model and the statement vectors.

Loads the model and the stored vectors once, then serves over a unix socket
(PRACTICEKB_MEANING_SOCKET) until stopped: web workers ask it which statements are closest in
meaning to a query, and the task worker hands it the statements whose vectors an edit made
stale. Settings use it with PRACTICEKB_MEANING = "socket". On start it embeds, in the
background, whatever was edited while it was not running.
"""

import logging
import os
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from meaning import conf
from meaning.client import local_index
from meaning.encoder import ModelUnavailable, get_encoder
from meaning.server import serve, yield_to_searches
from meaning.services import embed_and_announce

logger = logging.getLogger(__name__)

# One BLAS thread: a query's scan of every vector is bound by memory, not arithmetic, and
# OpenBLAS's extra threads spin while they wait. The helper spent 46 ms of CPU per search
# at 100,000 statements with them and 9 ms without, for the same answer time. Read when
# NumPy loads, which is after this: Django's start-up imports no NumPy
# (tests/operations/test_memory.py).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def catch_up():
    """Vectors of statements edited while no helper ran (the worker's requests failed)."""
    yield_to_searches()
    try:
        computed = embed_and_announce(None)
        if computed:
            logger.info("meaning: computed %s vectors left stale while it was down", computed)
    except Exception:  # the helper serves searches whatever happens here
        logger.exception("meaning: catching up on stale vectors failed")
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = "Serve query embeddings, nearest statements and statement vectors over a unix socket."

    def add_arguments(self, parser):
        parser.add_argument("--socket", default=None, help="Socket path (default: setting).")
        parser.add_argument(
            "--no-catch-up",
            action="store_true",
            help="Do not embed statements whose vectors are stale on start.",
        )

    def handle(self, *args, socket=None, no_catch_up=False, **options):
        path = socket or conf.socket_path()
        try:
            encoder = get_encoder()
        except ModelUnavailable as error:
            raise CommandError(f"The embedding model cannot run: {error}") from error
        index = local_index()
        index.refresh(force=True)
        connections.close_all()
        server = serve(path)
        self.stdout.write(
            f"meaning: {encoder.name}, {len(index.ids):,} statement vectors, listening on {path}"
        )
        if not no_catch_up:
            threading.Thread(target=catch_up, name="meaning-catch-up", daemon=True).start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
