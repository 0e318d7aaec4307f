"""The helper process that holds the model and the vectors, so web workers stay small.

A threaded server on a unix socket; each request is one JSON line {"q": text, "k": n}
answered by one JSON line {"neighbours": [[statement id, cosine], ...]} or {"error": text}.
"""

import contextlib
import json
import logging
import os
import socketserver

from django.db import close_old_connections, connections

from .client import local_closeness

logger = logging.getLogger(__name__)

MAX_REQUEST = 8192
MAX_K = 1000


class Handler(socketserver.StreamRequestHandler):
    timeout = 5

    def handle(self):
        try:
            line = self.rfile.readline(MAX_REQUEST)
            if not line.strip():
                return  # a probe that only connects
            request = json.loads(line)
            text = str(request["q"])[:2000]
            k = max(1, min(int(request.get("k", 50)), MAX_K))
            ids = [int(pk) for pk in request.get("ids", [])][:MAX_K]
            close_old_connections()
            found = local_closeness(text, k, ids)
            answer = {"neighbours": found.neighbours, "scores": list(found.scores.items())}
        except Exception as error:  # one bad request never stops the helper
            logger.warning("meaning request failed: %s", error)
            answer = {"error": str(error)[:200]}
        finally:
            # the index reads the table at most every few seconds: no idle connection between
            connections.close_all()
        with contextlib.suppress(OSError):  # the worker stopped waiting (its timeout)
            self.wfile.write(json.dumps(answer).encode() + b"\n")


class MeaningServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def serve(path):
    if os.path.exists(path):
        os.unlink(path)  # a socket left by a helper that died
    server = MeaningServer(path, Handler)
    os.chmod(path, 0o660)
    return server
