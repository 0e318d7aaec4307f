"""Curated crosswalk links: editors confirm or reject a suggested pair, or link two
statements the score missed (compare.models.CrosswalkLink).

Who may: one rule, may_review (the pages, the API and admin's model permission agree).
Each write is one row saved or deleted on its own, so its history records who and when,
and (compare.signals, also for admin's saves and loaddata) bumps the page-cache scopes of
the pages that show the pair: both statements' pages and both organizations' comparisons.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from principles.history import audited
from principles.models import Statement

from .models import CrosswalkLink, LinkVerdict

REVIEW_PERMISSION = "compare.add_crosswalklink"
NOTE_MAX = 300


class LinkRefused(Exception):
    """The link cannot be made; the message says why in plain words."""


def may_review(user):
    return bool(user and user.is_authenticated and user.has_perm(REVIEW_PERMISSION))


def _statements(user, first_id, second_id):
    """The two statements (any status: editors may link drafts; readers never see them)."""
    if first_id == second_id:
        raise LinkRefused("A statement cannot be linked with itself.")
    found = {
        statement.pk: statement
        for statement in Statement.objects.visible_to(user)
        .filter(pk__in=[first_id, second_id])
        .select_related("document__organization")
    }
    if len(found) != 2:
        raise LinkRefused("One of the two statements does not exist (or was deleted).")
    first, second = found[min(found)], found[max(found)]
    if first.document.organization_id == second.document.organization_id:
        raise LinkRefused("Both statements are of one organization: the crosswalk links two.")
    return first, second


def _locked_link(first, second):
    """The pair's link, its row locked (of=self, unordered: a lock through the default
    ordering would also lock the statements it joins, and deadlock against an editor's save)."""
    return (
        CrosswalkLink.objects.select_for_update(of=("self",))
        .filter(first=first, second=second)
        .order_by()
        .first()
    )


@transaction.atomic
def review(user, first_id, second_id, verdict, note="", added=False):
    """Record `user`'s verdict on the pair (creating or changing its one link)."""
    if verdict not in LinkVerdict.values:
        raise LinkRefused("Choose to confirm or to reject the link.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise LinkRefused(f"The note is too long: at most {NOTE_MAX} characters.")
    first, second = _statements(user, first_id, second_id)

    def record(link):
        link.first, link.second = first, second
        link.verdict, link.note = verdict, note
        link.author = user if user.is_authenticated else None
        link.reviewed_at = timezone.now()
        audited(link, user, f"Crosswalk link {verdict}").save()
        return link

    link = _locked_link(first, second)
    if link is not None:
        return record(link)
    try:
        with transaction.atomic():
            return record(CrosswalkLink(first=first, second=second, added=added))
    except IntegrityError:
        # another reviewer linked the pair meanwhile: the later verdict stands, as on a change
        return record(_locked_link(first, second))


@transaction.atomic
def withdraw(user, first_id, second_id):
    """Forget the verdict on the pair: it is a suggestion again (if the score suggests it).
    Returns whether there was one."""
    first, second = _statements(user, first_id, second_id)
    link = _locked_link(first, second)
    if link is None:
        return False
    link.first, link.second = first, second
    audited(link, user, "Crosswalk link withdrawn").delete()
    return True
