"""Loading the seed organizations from fixtures/, with a history entry for every row."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from organizations.models import Organization

from ..models import Document, Section, Statement, TaggedStatement, Theme

THEMES_FIXTURE = "themes"


def fixtures_dir() -> Path:
    return Path(settings.FIXTURE_DIRS[0])


def seed_slugs():
    """The organizations that have a fixture: fixtures/<slug>.json beside its source text."""
    return sorted(path.stem for path in (fixtures_dir() / "sources").glob("*.txt"))


@dataclass
class LoadReport:
    loaded: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


@transaction.atomic
def load_seed_organizations(slugs, *, replace=False):
    """Load each organization's fixture unless it is already present (or replace is set).

    loaddata saves raw rows and so writes no history; each row loaded gets a history entry
    here instead, so every statement's history starts with where it came from. Its raw saves
    still announce the statements (principles.signals), once the load commits.
    """
    report = LoadReport()
    themes_path = fixtures_dir() / f"{THEMES_FIXTURE}.json"
    for slug in slugs:
        present = Organization.objects.filter(slug=slug).exists()
        if present and not replace:
            report.skipped.append(slug)
            continue
        fixture_files = [fixtures_dir() / f"{slug}.json"]
        if themes_path.exists():
            fixture_files.insert(0, themes_path)
        call_command("loaddata", *fixture_files, verbosity=0)
        _record_history(slug, update=present)
        report.loaded.append(slug)
    return report


def _record_history(slug, *, update):
    reason = f"{'Reloaded' if update else 'Loaded'} from fixtures/{slug}.json"
    rows = [
        (Organization, Organization.objects.filter(slug=slug)),
        (Document, Document.objects.filter(organization__slug=slug)),
        (Section, Section.objects.filter(document__organization__slug=slug)),
        (Statement, Statement.objects.filter(document__organization__slug=slug)),
        (
            TaggedStatement,
            TaggedStatement.objects.filter(content_object__document__organization__slug=slug),
        ),
        (Theme, Theme.objects.all()),
    ]
    for model, queryset in rows:
        if not update or model is Theme:
            recorded = model.history.filter(id__in=queryset.values("pk")).values("id")
            queryset = queryset.exclude(pk__in=recorded)
        objs = list(queryset)
        if objs:
            model.history.bulk_history_create(
                objs, update=update and model is not Theme, default_change_reason=reason
            )
