"""A revised seed document: the Vermont policy's new version, one statement changed, one
removed, one added, published with a summary of changes."""

from dataclasses import dataclass

import pytest

from principles.models import Document, Statement
from principles.services.lifecycle import new_version, publish

CHANGED_BEFORE = "Everyone is capable of growth and change with support and adequate resources."
CHANGED_AFTER = (
    "Everyone is capable of growth and change with time, support and adequate resources."
)
REMOVED = "Responsibility should be shared and use of authority limited."
UNCHANGED = "All children have the right to be safe."
ADDED = "Young people speak for themselves in every plan made about them."
SUMMARY = "Guiding principle on growth now names time; shared responsibility moved to policy 12."


@dataclass
class Revision:
    old: Document
    new: Document
    changed: tuple  # (old statement, new statement)
    removed: Statement
    unchanged: tuple
    added: Statement


def revise(user=None):
    old = Document.objects.get(organization__slug="vermont-fsd")
    new = new_version(old, user=user)
    changed = new.statements.get(text=CHANGED_BEFORE)
    changed.text = CHANGED_AFTER
    changed.save()
    new.statements.get(text=REMOVED).delete()
    top = new.statements.order_by("-position").first()
    added = Statement.objects.create(
        document=new, section=top.section, position=top.position + 1, kind=top.kind, text=ADDED
    )
    publish(new, user=user, summary=SUMMARY)
    old.refresh_from_db()
    new.refresh_from_db()
    return Revision(
        old=old,
        new=new,
        changed=(old.statements.get(text=CHANGED_BEFORE), changed),
        removed=old.statements.get(text=REMOVED),
        unchanged=(old.statements.get(text=UNCHANGED), new.statements.get(text=UNCHANGED)),
        added=added,
    )


@pytest.fixture
def revision(editor):
    return revise(user=editor)
