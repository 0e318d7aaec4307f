"""Print how the automatic crosswalk scores against the reference set (compare.evaluation)."""

from django.core.management.base import BaseCommand, CommandError

from compare.evaluation import ReferenceError, evaluate, load_reference
from compare.services import refresh_similarities
from meaning.conf import meaning_enabled


class Command(BaseCommand):
    help = (
        "Precision and recall per band, and recall@5 of 'Similar elsewhere', of the stored "
        "automatic similarities against the reference set of judged pairs (curated links "
        "are not counted). Both halves of the set are reported, then the whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reference", help="A reference file (default: the project's).")
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Recompute every similarity first (as refresh_similarities does).",
        )

    def handle(self, *args, reference, refresh, **options):
        try:
            pairs = load_reference(reference)
        except (OSError, ValueError, KeyError, ReferenceError) as error:
            raise CommandError(f"Cannot read the reference set: {error}") from error
        if refresh:
            refresh_similarities()
        scoring = "words, meaning and themes" if meaning_enabled() else "words alone"
        self.stdout.write(f"Score: {scoring}. Reference: {len(pairs)} judged pairs.")
        for half, title in (("a", "Half a"), ("b", "Half b"), (None, "All")):
            result = evaluate(pairs, half)
            self.stdout.write(f"\n{title} ({result.pairs} pairs)")
            for band in result.bands:
                self.stdout.write(
                    f"  {band.name:16} >= {band.threshold:.2f}: precision {band.precision:.2f}"
                    f" (strict {band.strict_precision:.2f}, {band.unjudged} unjudged pairs),"
                    f" recall {band.recall:.2f} ({band.same} of {band.wanted})"
                )
            self.stdout.write(f"  Similar elsewhere recall@5: {result.recall_at_5:.2f}")
