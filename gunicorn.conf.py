"""gunicorn for practicekb (`gunicorn -c gunicorn.conf.py`), behind nginx (deploy/nginx/).

Every value can be changed from the environment, so the systemd unit and the tests use the
same file.
"""

import gc
import multiprocessing
import os

wsgi_app = "practicekb.wsgi:application"
# loopback only: nginx in front terminates TLS, compresses, serves /static/
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# a sheet PDF may take seconds; anything longer belongs in a job, not a request
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# recycle workers now and then, so a slow leak cannot grow without bound; not often: a
# worker's restart costs about a second of CPU and cold caches, and at 2,000 requests each
# worker restarted every 5 s under a training day's load (docs/PERFORMANCE.md)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# the client's address reaches Django in X-Forwarded-For (TRUSTED_PROXIES), not here
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
control_socket_disable = True  # gunicorn 27 would otherwise open one under ~/.gunicorn/


def post_worker_init(worker):
    """Load the URLconf (and so every view module), then freeze what loading made, some
    130,000 objects, out of the garbage collector's reach: the full collections that come
    every few dozen requests then walk only what requests made since, about 20 ms rather
    than 80 ms of pause, the p95 of an API list of 200 (docs/PERFORMANCE.md, "API")."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    gc.freeze()
