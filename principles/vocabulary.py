"""The governed theme vocabulary: what editors review (proposals, usage, near-duplicates)
and the one write of approving themes. Merging is services.themes.merge_themes.

Staff propose a theme by typing a new name while tagging (services.tagging.add_theme_to_statement):
it is on the statement at once, but readers see it only once an editor approves it here, or
merges it into a theme that is approved (Theme.objects.visible_to_readers)."""

import difflib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery

from .forms import theme_skeleton
from .history import audited
from .models import IN_FORCE, Theme, ThemeStatus, split_entry_terms

# names this alike (difflib's ratio of the case-folded names) are worth a look
SIMILAR_NAMES = 0.8


def themes_for_review():
    """Every theme with its usage (statements, and statements in force) and who proposed it:
    one query."""
    proposer = (
        Theme.history.filter(id=OuterRef("pk"), history_type="+")
        .order_by("history_id")
        .values("history_user__username")[:1]
    )
    return Theme.objects.annotate(
        statement_count=Count("tagged_statements", distinct=True),
        in_force_count=Count(
            "tagged_statements",
            filter=Q(tagged_statements__content_object__document__status__in=IN_FORCE),
            distinct=True,
        ),
        proposed_by=Subquery(proposer),
    ).order_by("name")


@dataclass
class NearDuplicate:
    theme: Theme
    other: Theme
    reason: str


def near_duplicates(themes):
    """Pairs of themes that may be one: a name another theme lists as an entry term ("Relative
    caregivers" and Kinship), names that look the same in another alphabet, or names spelled
    nearly alike. Proposed themes first; each pair once."""
    themes = list(themes)
    terms = {
        theme.pk: {term.casefold() for term in split_entry_terms(theme.entry_terms)}
        for theme in themes
    }
    skeletons = {theme.pk: theme_skeleton(theme.name) for theme in themes}
    found = []
    for i, theme in enumerate(themes):
        for other in themes[i + 1 :]:
            reason = _why_alike(theme, other, terms, skeletons)
            if reason:
                first, second = (
                    (other, theme) if other.status == ThemeStatus.PROPOSED else (theme, other)
                )
                found.append(NearDuplicate(first, second, reason))
    found.sort(key=lambda d: (d.theme.status != ThemeStatus.PROPOSED, d.theme.name.casefold()))
    return found


def _why_alike(theme, other, terms, skeletons):
    a, b = theme.name.casefold(), other.name.casefold()
    if a in terms[other.pk]:
        return f"“{theme.name}” is an entry term of “{other.name}”"
    if b in terms[theme.pk]:
        return f"“{other.name}” is an entry term of “{theme.name}”"
    if skeletons[theme.pk] == skeletons[other.pk]:
        return "the names look the same (letters from another alphabet)"
    if difflib.SequenceMatcher(a=a, b=b).ratio() >= SIMILAR_NAMES:
        return "the names are spelled nearly alike"
    return ""


@transaction.atomic
def approve_themes(themes, *, user=None):
    """Approve the proposed themes among `themes`, one audited save each (history says who):
    readers see each once a statement in force carries it. Returns the names approved."""
    approved = []
    for theme in Theme.objects.select_for_update().filter(
        pk__in=[theme.pk for theme in themes], status=ThemeStatus.PROPOSED
    ):
        theme.status = ThemeStatus.APPROVED
        audited(theme, user, "Approved for readers").save(update_fields=["status"])
        approved.append(theme.name)
    return sorted(approved, key=str.casefold)
