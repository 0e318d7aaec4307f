"""Build a large synthetic corpus of practice models for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from bench import corpus


class Command(BaseCommand):
    help = (
        "Generate synthetic organizations (slugs starting 'corpus-') with a published practice "
        "model of realistic child-welfare statements, sections and themes. Idempotent: "
        "organizations already present are kept; --clear rebuilds them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=50)
        parser.add_argument("--statements-per-organization", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same corpus.")
        parser.add_argument(
            "--clear", action="store_true", help="Delete every corpus organization first."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created; write nothing."
        )

    def handle(self, *args, **options):
        organizations = options["organizations"]
        per_organization = options["statements_per_organization"]
        if not 0 < organizations <= 100_000:
            raise CommandError("--organizations must be between 1 and 100000.")
        if not 3 <= per_organization <= 10_000:
            raise CommandError("--statements-per-organization must be between 3 and 10000.")
        if options["dry_run"]:
            present = set() if options["clear"] else corpus.existing_numbers()
            missing = [n for n in range(organizations) if n not in present]
            self.stdout.write(
                f"Would create {len(missing)} organization(s) with {per_organization} "
                f"statements each ({len(missing) * per_organization} statements)"
                + (", after deleting the existing corpus." if options["clear"] else ".")
            )
            return
        report = corpus.generate(
            organizations, per_organization, seed=options["seed"], clear=options["clear"]
        )
        if report.deleted:
            self.stdout.write(f"Deleted {report.deleted} corpus organization(s).")
        if report.skipped:
            self.stdout.write(f"Kept {len(report.skipped)} corpus organization(s) already present.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.organizations} organization(s), {report.documents} document(s), "
                f"{report.sections} section(s), {report.statements} statement(s) and "
                f"{report.taggings} theme tagging(s)."
            )
        )
