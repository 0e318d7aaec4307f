"""Optimistic concurrency for edit forms: a save based on a stale read is refused, not applied.

A form carries the version of what it showed, in a hidden field: for each history table that
records a change to it (the object itself, and the rows edited inline with it), the highest
history id when the form was drawn. On save, under a row lock on the object, any newer history
row means someone saved after the user opened the form: the save is refused, the user's input
is kept, and the form says who saved, when, and how their version differs from the user's.

Every writer of a watched row holds the lock of the object it belongs to while it writes
(an UPDATE locks the row; the admin locks the parent document too), so history ids for one
object grow in commit order and a version never skips a change that was not yet committed.

The word diff is the core's one (principles.words.word_diff), which compare's crosswalk
uses too.
"""

from dataclasses import dataclass, field
from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max

from . import words

VERSION_FIELD = "loaded_version"


def version_of(watches):
    """The version of what `watches` (history querysets) record: their highest ids, "12.0.7"."""
    return ".".join(
        str(history.aggregate(top=Max("history_id"))["top"] or 0) for history in watches
    )


def _parse(version, count):
    try:
        numbers = [int(part) for part in str(version).split(".")]
    except ValueError:
        return None
    return numbers if len(numbers) == count else None


@dataclass
class Conflict:
    """What was saved after the user opened the form."""

    changes: list  # history rows, oldest first
    version: str  # the version now, for the form the user sends back
    diffs: list = field(default_factory=list)  # (field label, HTML)

    @property
    def latest(self):
        return self.changes[-1] if self.changes else None

    def message(self, what):
        if self.latest is None:
            return (
                f"This form does not say which version of {what} it shows, so it was not "
                "saved. Your input is kept below; check it against the saved version and save "
                "again."
            )
        user = self.latest.history_user
        who = (user.get_full_name() or user.get_username()) if user else "someone"
        when = moment_text(self.latest.history_date)
        others = len(self.changes) - 1
        more = f" (and {others} earlier change{'s' if others > 1 else ''})" if others else ""
        return (
            f"Not saved: {who} saved {what} on {when}{more}, after you opened this form. "
            "Your input is kept below. Compare it with their version, merge what you need "
            "and save again."
        )


def moment_text(moment):
    """ "November 29, 2026 at 19:05:02 UTC": when a change was saved, to the second."""
    moment = moment.astimezone(UTC)
    return f"{moment:%B} {moment.day}, {moment:%Y at %H:%M:%S} UTC"


def changes_since(watches, version):
    """The Conflict if anything `watches` records is newer than `version`, else None."""
    watches = list(watches)
    now = version_of(watches)
    since = _parse(version, len(watches))
    if since is None:
        return Conflict(changes=[], version=now)
    changes = []
    for history, number in zip(watches, since, strict=True):
        changes.extend(history.filter(history_id__gt=number).select_related("history_user"))
    if not changes:
        return None
    return Conflict(changes=sorted(changes, key=lambda row: row.history_date), version=now)


def word_diff(saved, yours):
    """HTML: the user's text with what only the saved version has in <del>, theirs in <ins>."""
    saved, yours = "" if saved is None else str(saved), "" if yours is None else str(yours)
    return words.word_diff(saved, yours, "the saved version", "your version")


def field_diffs(form, stored):
    """(label, diff) for each field whose saved value differs from what the user sent."""
    diffs = []
    for name, value in form.cleaned_data.items():
        if name not in stored or name in (VERSION_FIELD, "change_reason", "DELETE", "order"):
            continue
        saved = stored[name]
        if _comparable(saved) != _comparable(value):
            label = form.fields[name].label or name
            diffs.append((str(label), word_diff(_text(saved), _text(value))))
    return diffs


def _comparable(value):
    return getattr(value, "pk", value)


def _text(value):
    return "" if value is None else str(value)


class VersionedFormMixin:
    """A form that refuses to save over changes made after it was drawn.

    Give it `watches` (history querysets) and `lock` (a callable taking the row locks) when
    it is built; `clean()` then checks the version under the lock, inside the caller's
    transaction. On a conflict the form is invalid, `conflict` says why, and the version it
    will send back is the current one, so a second save goes through.
    """

    conflict_what = "this"

    def setup_version(self, watches, lock=None):
        self.watches, self.lock = list(watches), lock
        self.conflict = None
        if VERSION_FIELD not in self.fields:
            self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial[VERSION_FIELD] = version_of(self.watches)

    def check_version(self):
        if self.lock is not None:
            self.lock()
        sent = self.data.get(self.add_prefix(VERSION_FIELD))
        if sent is None:
            return  # not drawn by a form of ours (a script's post): nothing to compare with
        conflict = changes_since(self.watches, sent)
        if conflict is None:
            return
        self.conflict = conflict
        self.data = self.data.copy()  # a request's QueryDict is immutable
        self.data[self.add_prefix(VERSION_FIELD)] = conflict.version
        raise ValidationError(conflict.message(self.conflict_what), code="stale")
