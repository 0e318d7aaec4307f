"""Settings of meaning, read in one place.

PRACTICEKB_MEANING is one of
- "off": no vectors are computed and search shows no "Related by meaning";
- "process": the model is loaded lazily inside the process that needs it (the task worker
  always; a web process only in this mode). For one person on SQLite (`make run`), the tests
  and `evaluate_search`. Costs about 160 MB in each process that searches.
- "socket": web processes ask the helper process (`manage.py meaning_server`) at
  PRACTICEKB_MEANING_SOCKET, waiting at most PRACTICEKB_MEANING_TIMEOUT seconds; the task
  worker hands it the statements to embed (PRACTICEKB_MEANING_EMBED_TIMEOUT seconds a
  request). The model and the vectors live there only. For production (gunicorn and task
  workers stay small).
"""

from django.conf import settings

OFF, PROCESS, SOCKET = "off", "process", "socket"
MODES = (OFF, PROCESS, SOCKET)


def mode():
    value = getattr(settings, "PRACTICEKB_MEANING", OFF)
    return value if value in MODES else OFF


def meaning_enabled():
    return mode() != OFF


def socket_path():
    return str(getattr(settings, "PRACTICEKB_MEANING_SOCKET", "var/meaning.sock"))


def timeout():
    return float(getattr(settings, "PRACTICEKB_MEANING_TIMEOUT", 0.2))


def embed_timeout():
    return float(getattr(settings, "PRACTICEKB_MEANING_EMBED_TIMEOUT", 300))
