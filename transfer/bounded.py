"""Convert an uploaded PDF or Word file in a child process with time and memory limits.

A hostile or broken file (a decompression bomb, a PDF whose content streams never end)
must not take the web worker with it: the child gets at most CONVERT_SECONDS of CPU and
wall-clock time and CONVERT_MEMORY_MB of address space, and whatever goes wrong there
comes back as a plain ImportTextError. Text, Markdown and HTML (at most 1 MB of text) are
converted in the process itself. Settings TRANSFER_CONVERT_SECONDS and
TRANSFER_CONVERT_MEMORY_MB override the defaults; TRANSFER_CONVERT_ISOLATED = False
converts in-process (tests of the converters themselves).

Conversion is synchronous: a file within the limits converts in a few seconds. Moving large
files to the job queue waits for the queue itself (issue 17).
"""

import json
import subprocess
import sys

from django.conf import settings

from .converters import Block, Converted, convert, sniff
from .parser import ImportTextError

CONVERT_SECONDS = 30
CONVERT_MEMORY_MB = 1536
ISOLATED_FORMATS = {"pdf", "docx"}


def limits():
    return (
        getattr(settings, "TRANSFER_CONVERT_SECONDS", CONVERT_SECONDS),
        getattr(settings, "TRANSFER_CONVERT_MEMORY_MB", CONVERT_MEMORY_MB),
    )


def convert_bounded(name, data):
    """convert(), in a limited child process for the binary formats."""
    fmt = sniff(name, data) if data.strip() else ""
    if fmt not in ISOLATED_FORMATS or not getattr(settings, "TRANSFER_CONVERT_ISOLATED", True):
        return convert(name, data)
    seconds, memory_mb = limits()
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", "transfer.convert_worker", name, str(seconds), str(memory_mb)],
            input=data,
            capture_output=True,
            timeout=seconds + 5,
            cwd=str(settings.BASE_DIR),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ImportTextError(
            f"Reading the file took longer than {seconds} seconds, so it was stopped. Split it "
            "into smaller files, or save it again from the program that made it."
        ) from exc
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ImportTextError(
            "Reading the file needed more time or memory than a document should, so it was "
            "stopped. Check that it is the right file, or save it again as a plain .docx or PDF."
        )
    if "error" in answer:
        raise ImportTextError(answer["error"])
    converted = Converted(**{k: v for k, v in answer.items() if k != "blocks"})
    converted.blocks = [Block(**block) for block in answer["blocks"]]
    return converted


def read_upload(name, data, **options):
    """An uploaded file of any accepted format, converted within bounds and parsed."""
    from .parser import parse_converted

    return parse_converted(convert_bounded(name, data), **options)
