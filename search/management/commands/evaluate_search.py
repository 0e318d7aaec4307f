"""Print recall@10 and nDCG@10 of search over the judged staff questions, per mode.

Run it on a database holding the seed content (`make load`), on SQLite or PostgreSQL: the
figures are for the backend of the current DATABASE_URL. Reads only.
"""

from django.core.management.base import BaseCommand, CommandError

from meaning import conf
from search.backends import get_backend
from search.evaluation import EVALUATION_SET, MODES, evaluate, load_questions


class Command(BaseCommand):
    help = "Print recall@10 and nDCG@10 of search over the judged staff questions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--mode",
            action="append",
            choices=MODES,
            help="A search mode to measure (repeatable; default: every mode).",
        )
        parser.add_argument("--set", default=str(EVALUATION_SET), help="The judged set (JSON).")
        parser.add_argument(
            "--per-question", action="store_true", help="Also print each question's figures."
        )

    def handle(self, *args, **options):
        try:
            questions = load_questions(options["set"])
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the judged set: {error}") from error
        backend = get_backend().name
        self.stdout.write(
            f"{len(questions)} questions, backend {backend}, meaning {conf.mode()} "
            "(hybrid is ranked, and meaning finds nothing, when the model does not answer)"
        )
        self.stdout.write(f"{'mode':<10} {'recall@10':>9} {'nDCG@10':>8} {'empty':>6}")
        for mode in options["mode"] or MODES:
            figures = evaluate(mode, questions)
            self.stdout.write(
                f"{mode:<10} {figures.recall:>9.2f} {figures.ndcg:>8.2f} {figures.empty:>6}"
            )
            if options["per_question"]:
                for text, recall, ndcg, found in figures.rows:
                    self.stdout.write(f"    {recall:4.2f} {ndcg:4.2f} {found:>3}  {text}")
