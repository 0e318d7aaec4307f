"""The statements closest in meaning to a query, from wherever the model runs (conf.mode()).

neighbours() never raises: without the model, without the helper process, or past the
timeout it returns None, and search goes on with words alone.
"""

import json
import logging
import re
import socket
from dataclasses import dataclass, field

from . import conf
from .encoder import ModelUnavailable, get_encoder

logger = logging.getLogger(__name__)

# A query is embedded only if it has a letter or digit (in any script).
MEANINGFUL = re.compile(r"\w")
MAX_REPLY = 1 << 20
# Statement ids per embedding request: keeps a request line well under server.MAX_REQUEST
EMBED_BATCH = 500

_index = None


def local_index():
    global _index
    if _index is None:
        from .index import VectorIndex  # NumPy: only in the process that holds the vectors

        _index = VectorIndex()
    return _index


@dataclass
class Closeness:
    """A query's nearest statements, closest first, and its cosine with some given ones."""

    neighbours: list = field(default_factory=list)  # [(statement id, cosine)]
    scores: dict = field(default_factory=dict)  # {statement id: cosine}


def local_closeness(text, k, ids=(), recheck=None):
    """Embed here and search this process's index (PROCESS mode, and the helper itself)."""
    encoder = get_encoder()
    index = local_index()
    if recheck is None:
        index.refresh()
    else:
        index.refresh_every(recheck)
    vector = encoder.embed_query(text)
    return Closeness(index.nearest(vector, k), index.scores(vector, ids))


def exchange(request, timeout):
    """One request to the helper process: a JSON line each way."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(conf.socket_path())
        connection.sendall(json.dumps(request).encode() + b"\n")
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            reply += chunk
            if len(reply) > MAX_REPLY:
                raise ValueError("reply too long")
    answer = json.loads(reply)
    if "error" in answer:
        raise ModelUnavailable(answer["error"])
    return answer


def ask_helper(text, k, ids=()):
    answer = exchange({"q": text, "k": k, "ids": [int(pk) for pk in ids]}, conf.timeout())
    return Closeness(
        [(int(pk), float(score)) for pk, score in answer["neighbours"]],
        {int(pk): float(score) for pk, score in answer["scores"]},
    )


def helper_embeds(statement_ids):
    """Have the helper compute and store these statements' vectors (those whose text
    changed), EMBED_BATCH ids a request; returns how many it computed. Raises OSError when
    the helper cannot be reached, ModelUnavailable when it cannot run the model."""
    ids = sorted(int(pk) for pk in statement_ids)
    computed = 0
    for start in range(0, len(ids), EMBED_BATCH):
        answer = exchange({"embed": ids[start : start + EMBED_BATCH]}, conf.embed_timeout())
        computed += int(answer["computed"])
    return computed


_warned = set()


def closeness(text, k, ids=()):
    """The `k` statements closest in meaning to `text` and the cosine of `ids`, or None
    when meaning is off or cannot answer (said once per process in the log)."""
    current = conf.mode()
    if current == conf.OFF or not MEANINGFUL.search(text or ""):
        return None
    try:
        if current == conf.PROCESS:
            return local_closeness(text, k, ids, recheck=0)
        return ask_helper(text, k, ids)
    except (ModelUnavailable, OSError, ValueError, KeyError, TypeError) as error:
        level = logging.DEBUG if type(error) in _warned else logging.WARNING
        _warned.add(type(error))
        logger.log(level, "Related by meaning unavailable: %s", error)
        return None
