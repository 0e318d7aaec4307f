"""Score the importer on documents whose structure an editor has written down."""

import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import scoring
from ...converters import FORMATS, parse_file
from ...parser import ImportTextError


class Command(BaseCommand):
    help = (
        "Import each FILE (or every file in a folder) that has FILE.expected.json beside it, "
        "as `import_document` would, and print per-document and overall scores: statements "
        "found verbatim (F1), boundaries (F1), kinds, titles and labels, headings (F1), "
        "document titles, metadata and noise. --corpus builds the project's own corpus "
        "(tests/transfer/corpus) in every format first. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders to score.")
        parser.add_argument("--corpus", action="store_true", help="Score the built-in corpus.")
        parser.add_argument(
            "--format", action="append", default=[], help="Only files of this format (repeat)."
        )
        parser.add_argument("--details", action="store_true", help="Show each mismatch.")

    def handle(self, *args, paths, corpus, format, details, **options):
        with tempfile.TemporaryDirectory() as scratch:
            files = []
            if corpus:
                from ...corpus import FORMATS as CORPUS_FORMATS
                from ...corpus import build

                files += build(scratch, formats=format or CORPUS_FORMATS)
            for path in map(Path, paths):
                if path.is_dir():
                    files += sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS)
                elif path.is_file():
                    files.append(path)
                else:
                    raise CommandError(f"No file or folder at {path}.")
            files = [
                f
                for f in files
                if Path(f"{f}.expected.json").is_file()
                and (not format or FORMATS[f.suffix.lower()] in format)
            ]
            if not files:
                raise CommandError("No files with an .expected.json beside them.")
            self.score(files, details)

    def score(self, files, details):
        total, by_format = {}, {}
        header = f"{'document':44} " + " ".join(f"{m[:8]:>8}" for m in scoring.METRICS)
        self.stdout.write(header)
        for path in files:
            expected = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))
            try:
                parsed = parse_file(path.name, path.read_bytes())
                found = scoring.found_from_parsed(parsed)
            except ImportTextError as exc:
                self.stdout.write(f"{path.name:44} refused: {exc}")
                found = {"title": "", "metadata": {}, "sections": [], "statements": []}
            counts = scoring.score(expected, found)
            scoring.add(total, counts)
            scoring.add(by_format.setdefault(FORMATS[path.suffix.lower()], {}), counts)
            self.stdout.write(self.line(path.name, counts))
            if details:
                self.details(expected, found)
        self.stdout.write("")
        for name, counts in sorted(by_format.items()):
            self.stdout.write(self.line(f"all .{name}", counts))
        self.stdout.write(self.line("overall", total))
        targets = ", ".join(f"{k} >= {v}" for k, v in scoring.TARGETS.items())
        self.stdout.write(f"targets: {targets}, noise <= {scoring.MAX_NOISE} per document")

    def line(self, name, counts):
        rates = scoring.rates(counts)
        return f"{name[:44]:44} " + " ".join(f"{rates[m]:8.2f}" for m in scoring.METRICS)

    def details(self, expected, found):
        norm = scoring.norm
        got = {norm(s["text"]): s for s in found["statements"]}
        for statement in expected["statements"]:
            match = got.pop(norm(statement["text"]), None)
            want = (statement["kind"], statement["label"], statement["title"])
            if match is None:
                self.stdout.write(f"    missing: {want} {statement['text'][:60]}")
            elif (match["kind"], match["label"], match["title"]) != want:
                have = (match["kind"], match["label"], match["title"])
                self.stdout.write(f"    wrong: {have} != {want} {statement['text'][:50]}")
        for text in got:
            self.stdout.write(f"    extra: {text[:70]}")
        if [norm(h) for h in expected["sections"]] != [norm(h) for h in found["sections"]]:
            self.stdout.write(f"    sections: {found['sections']} != {expected['sections']}")
        if norm(expected["title"]) != norm(found["title"]):
            self.stdout.write(f"    title: {found['title']!r} != {expected['title']!r}")
        for key, value in expected["metadata"].items():
            if norm(found["metadata"].get(key)) != norm(value):
                self.stdout.write(f"    {key}: {found['metadata'].get(key)!r} != {value!r}")
