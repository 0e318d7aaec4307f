"""The child process of transfer.bounded: limits itself, converts stdin, prints JSON.

Run as `python -m transfer.convert_worker NAME SECONDS MEMORY_MB` with the file on stdin.
"""

import json
import resource
import sys


def main():
    name, seconds, memory_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data = sys.stdin.buffer.read()

    from dataclasses import asdict

    from transfer.converters import convert
    from transfer.source import ImportTextError

    try:
        print(json.dumps(asdict(convert(name, data))))
    except ImportTextError as exc:
        print(json.dumps({"error": str(exc)}))
    except MemoryError:
        print(
            json.dumps(
                {
                    "error": "Reading the file needed more memory than a document "
                    "should, so it was stopped."
                }
            )
        )


if __name__ == "__main__":
    main()
