"""The helper process that holds the model and the vectors, so web and task workers stay small.

A threaded server on a unix socket; each request is one JSON line, answered by one JSON line
or {"error": text}:
- {"q": text, "k": n, "ids": [...]} (a web worker's search) gets {"neighbours": [[statement
  id, cosine], ...], "scores": [[statement id, cosine], ...]};
- {"embed": [statement id, ...]} (the task worker's job after an edit) computes and stores
  the vectors of those whose text changed and gets {"computed": n}.
"""

import contextlib
import json
import logging
import os
import socketserver
import threading

from django.db import close_old_connections, connections

from .client import EMBED_BATCH, local_closeness
from .services import embed_and_announce

logger = logging.getLogger(__name__)

MAX_REQUEST = 8192
MAX_K = 1000
# The niceness of the threads that embed statements (deploy/systemd: the task workers' Nice=10)
EMBED_NICENESS = 10


class Handler(socketserver.StreamRequestHandler):
    timeout = 5

    def handle(self):
        try:
            line = self.rfile.readline(MAX_REQUEST)
            if not line.strip():
                return  # a probe that only connects
            request = json.loads(line)
            close_old_connections()
            answer = embed(request) if "embed" in request else nearest(request)
        except Exception as error:  # one bad request never stops the helper
            logger.warning("meaning request failed: %s", error)
            answer = {"error": str(error)[:200]}
        finally:
            # the index reads the table at most every few seconds: no idle connection between
            connections.close_all()
        with contextlib.suppress(OSError):  # the worker stopped waiting (its timeout)
            self.wfile.write(json.dumps(answer).encode() + b"\n")


def nearest(request):
    text = str(request["q"])[:2000]
    k = max(1, min(int(request.get("k", 50)), MAX_K))
    ids = [int(pk) for pk in request.get("ids", [])][:MAX_K]
    found = local_closeness(text, k, ids)
    return {"neighbours": found.neighbours, "scores": list(found.scores.items())}


def embed(request):
    ids = [int(pk) for pk in request["embed"]][:EMBED_BATCH]
    yield_to_searches()
    return {"computed": embed_and_announce(ids)}


def yield_to_searches():
    """Run the rest of this thread at EMBED_NICENESS, as the task workers run: a web
    worker's search waits for this process (PRACTICEKB_MEANING_TIMEOUT), an edit's vectors
    can wait for the readers. Linux gives each thread its own niceness; elsewhere, or when
    the thread is already lower, this does nothing. Each request has its own thread."""
    with contextlib.suppress(OSError, AttributeError):
        thread = threading.get_native_id()
        niceness = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, max(niceness, EMBED_NICENESS))


class MeaningServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def serve(path):
    if os.path.exists(path):
        os.unlink(path)  # a socket left by a helper that died
    server = MeaningServer(path, Handler)
    os.chmod(path, 0o660)
    return server
