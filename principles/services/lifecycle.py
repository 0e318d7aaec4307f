"""A document's lifecycle: publishing, retiring, superseding and new versions (versions.md)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..history import audited
from ..models import Document, DocumentStatus, Revision, RevisionAction, TaggedStatement
from ..slugs import unique_slug


@transaction.atomic
def publish(document, *, user=None, summary=""):
    """Publish a document; if it names the document it supersedes, publish it as its successor.

    `summary` is the editor's account of what changed, kept with the publication."""
    if document.supersedes_id:
        return supersede(document.supersedes, document, user=user, summary=summary)
    document.status = DocumentStatus.PUBLISHED
    audited(document, user, "Published")
    document.save()
    _record_revision(document, RevisionAction.PUBLISHED, user, summary)
    return document


@transaction.atomic
def retire(document, *, user=None, summary=""):
    """Retire a document: readers no longer see it; its permalinks answer 410 Gone."""
    document.status = DocumentStatus.RETIRED
    audited(document, user, "Retired")
    document.save()
    _record_revision(document, RevisionAction.RETIRED, user, summary)
    return document


def _record_revision(document, action, user, summary, superseded=None):
    return Revision.objects.create(
        document=document,
        action=action,
        by=user if user is not None and user.is_authenticated else None,
        summary=summary.strip(),
        superseded=superseded,
    )


@transaction.atomic
def supersede(old, new, *, user=None, summary=""):
    """Publish `new` as the successor of `old`.

    `new` names `old` in `supersedes`, is published and takes `old`'s place in the
    organization's order, just before it. A published `old` becomes superseded: no longer
    in force, so no listing shows it, but readable at its address with a banner that links
    to `new`. A retired or draft `old` keeps its status.
    """
    if old.pk == new.pk:
        raise ValidationError("A document cannot supersede itself.")
    if old.organization_id != new.organization_id:
        raise ValidationError("A document can only supersede one of its own organization's.")
    ancestor = old
    while ancestor is not None:
        if ancestor.pk == new.pk:
            raise ValidationError(f"“{old.title}” already descends from “{new.title}”.")
        ancestor = ancestor.supersedes
    later = (
        Document.objects.filter(organization_id=old.organization_id, position__gte=old.position)
        .exclude(pk=new.pk)
        .order_by("position")
    )
    for document in later:
        document.position += 1
        audited(document, user, f"Moved after its successor “{new.title}”")
        document.save(update_fields=["position"])
    new.supersedes = old
    new.status = DocumentStatus.PUBLISHED
    new.position = old.position
    audited(new, user, f"Published, superseding “{old.title}”")
    new.save()
    if old.status == DocumentStatus.PUBLISHED:
        old.status = DocumentStatus.SUPERSEDED
        audited(old, user, f"Superseded by “{new.title}”")
        old.save(update_fields=["status"])
    _record_revision(new, RevisionAction.PUBLISHED, user, summary, superseded=old)
    return new


@transaction.atomic
def new_version(document, *, user=None):
    """A draft copy of a document (sections, statements and their themes) that supersedes it.

    Each copied statement records the statement it came from (`derived_from`), so once the
    draft is published every old statement knows its successor, or that it was removed.
    Editors revise the draft, then publish it; the original stays as it is until then.
    """
    slug = unique_slug(
        Document.objects.filter(organization_id=document.organization_id),
        f"{document.slug[:70]}-v",
        suffix="{}",
        bare=False,
    )
    sections = list(document.sections.order_by("position"))
    statements = list(document.statements.prefetch_related("tagged_items").order_by("position"))
    reason = f"New version of “{document.title}”"
    copy = Document.objects.get(pk=document.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = slug
    copy.status = DocumentStatus.DRAFT
    copy.supersedes = document
    audited(copy, user, reason)
    copy.save()
    section_copies = {}
    for section in sections:
        old_pk = section.pk
        section.pk, section.document = None, copy
        section._state.adding = True
        audited(section, user, reason)
        section.save()
        section_copies[old_pk] = section
    for statement in statements:
        themes = [tagged.tag_id for tagged in statement.tagged_items.all()]
        statement.derived_from_id = statement.pk
        statement.pk, statement.document = None, copy
        statement.section = section_copies.get(statement.section_id)
        statement._state.adding = True
        audited(statement, user, reason)
        statement.save()
        for theme_id in themes:
            tagged = TaggedStatement(content_object=statement, tag_id=theme_id)
            audited(tagged, user, reason)
            tagged.save()
    return copy
