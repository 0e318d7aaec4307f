"""The content of a practice model: documents, their sections and statements, and themes.

Fixtures address every row by a natural key (organization slug, document slug, position)
so loading them twice updates rows in place instead of duplicating them.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from organizations.models import Organization

from .addresses import reverse_cached


class DocumentKind(models.TextChoices):
    PRACTICE_MODEL = "practice_model", "Practice model"
    POLICY = "policy", "Policy"
    CODE_OF_ETHICS = "code_of_ethics", "Code of ethics"
    STRATEGIC_ROADMAP = "strategic_roadmap", "Strategic roadmap"
    MISSION_STATEMENT = "mission_statement", "Mission, vision and values"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    # replaced by a newer published version: readable at its address, listed nowhere
    SUPERSEDED = "superseded", "Superseded"
    RETIRED = "retired", "Retired"


# The one rule for "in force": a document is in force while it is published and no newer
# version has superseded it. Readers may still open a superseded document at its address.
IN_FORCE = (DocumentStatus.PUBLISHED,)
READABLE = (DocumentStatus.PUBLISHED, DocumentStatus.SUPERSEDED)


class StatementKind(models.TextChoices):
    MISSION = "mission", "Mission"
    VISION = "vision", "Vision"
    VALUE = "value", "Value"
    GUIDING_PRINCIPLE = "guiding_principle", "Guiding principle"
    ETHICAL_STANDARD = "ethical_standard", "Ethical standard"
    PRIORITY = "priority", "Priority"
    COMMITMENT = "commitment", "Commitment"
    # readers see "Context" (introductions, closing notes); the stored value stays "narrative"
    NARRATIVE = "narrative", "Context"


# {kind: its name}: get_kind_display() rebuilds the choices' dict on every call, which
# listings of hundreds of statements feel
KIND_NAMES = {kind.value: str(kind.label) for kind in StatementKind}


def section_anchor(document_slug, position):
    """A section's id on its document's page (Section.anchor), for a caller holding the
    document but not the section's own reference to it (a query)."""
    return f"section-{document_slug}-{position}"


def related_or_none(obj, name):
    """obj.<name>, or None if that row has been deleted (as in an old version in history)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def long_date(day):
    return f"{day:%B} {day.day}, {day.year}"


def can_see_unpublished(user):
    """Editors (anyone who may change documents) also read drafts and retired documents."""
    return user.has_perm("principles.change_document")


class DocumentQuerySet(models.QuerySet):
    def get_by_natural_key(self, organization_slug, slug):
        return self.get(organization__slug=organization_slug, slug=slug)

    def in_force(self):
        """What the organization has in force: every listing, count and sheet reads this."""
        return self.filter(status__in=IN_FORCE)

    published = in_force  # the older name, kept for code written before "in force" had one

    def readable(self):
        """What a reader may open at its own address: in force, or superseded (with a banner)."""
        return self.filter(status__in=READABLE)

    def visible_to(self, user):
        """Readers open readable documents; editors also drafts and retired ones."""
        if can_see_unpublished(user):
            return self.all()
        return self.readable()


class Document(models.Model):
    """One source document of an organization, with where it came from."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="documents"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    status = models.CharField(
        max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    position = models.PositiveIntegerField(
        default=1, help_text="Order among the organization's documents."
    )

    # Provenance: where the text comes from and what authority it carries.
    source_citation = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    policy_number = models.CharField(max_length=40, blank=True)
    chapter = models.CharField(max_length=200, blank=True)
    approved_by = models.CharField(max_length=200, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The earlier document in practicekb that this one replaces.",
    )
    supersedes_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="An earlier version not held here, as the source names it.",
    )
    supersedes_date = models.DateField(null=True, blank=True)
    reposted_on = models.DateField(
        null=True, blank=True, help_text="Date of the copy this text was taken from."
    )
    attribution = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "position", "title"]
        verbose_name = "document"
        verbose_name_plural = "documents"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="document_slug_unique_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="document_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values),
                name="document_status_valid",
            ),
        ]

    def __str__(self):
        # a history page may name a version whose organization has since been deleted
        organization = related_or_none(self, "organization")
        return f"{organization.display_name}: {self.title}" if organization else self.title

    def get_absolute_url(self):
        return reverse_cached("organizations:document", self.organization.slug, self.slug)

    def natural_key(self):
        return (*self.organization.natural_key(), self.slug)

    natural_key.dependencies = ["organizations.organization"]

    @property
    def is_in_force(self):
        return self.status in IN_FORCE


class SectionQuerySet(models.QuerySet):
    def get_by_natural_key(self, organization_slug, document_slug, position):
        return self.get(
            document__organization__slug=organization_slug,
            document__slug=document_slug,
            position=position,
        )


class Section(models.Model):
    """An ordered heading inside a document, with optional introductory text."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    heading = models.CharField(max_length=500)
    intro = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position"]
        verbose_name = "section"
        verbose_name_plural = "sections"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="section_position_unique_per_document"
            ),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return f"{self.document.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return section_anchor(self.document.slug, self.position)

    def natural_key(self):
        return (*self.document.natural_key(), self.position)

    natural_key.dependencies = ["principles.document"]


def split_entry_terms(text):
    return [term.strip() for term in (text or "").replace("\n", ",").split(",") if term.strip()]


class ThemeStatus(models.TextChoices):
    # staff may propose a theme while tagging: usable on statements at once, shown to readers
    # once an editor approves it (or merges it into an approved theme)
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"


class ThemeQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def approved(self):
        return self.filter(status=ThemeStatus.APPROVED)

    def proposed(self):
        return self.filter(status=ThemeStatus.PROPOSED)

    def visible_to_readers(self):
        """The one rule for what readers see of the vocabulary: a theme an editor approved
        that is on at least one statement in force. Every public list, page, facet, filter,
        sheet and API answer reads themes through this (or visible_to)."""
        first_in_force = (
            TaggedStatement.objects.filter(
                tag=models.OuterRef("pk"), content_object__document__status__in=IN_FORCE
            )
            .order_by()
            .values("pk")[:1]
        )
        # "its first tagging in force is not null" rather than EXISTS: PostgreSQL plans
        # EXISTS as a semi-join that hashes every tagging of each theme (0.7 s at 230,000
        # taggings, in every search and theme list); a subquery with LIMIT 1 stops at the
        # first tagging it finds (0.5 ms)
        return (
            self.approved()
            .alias(first_in_force=models.Subquery(first_in_force))
            .filter(first_in_force__isnull=False)
        )

    def visible_to(self, user):
        """Readers see visible_to_readers(); editors and staff who tag see every theme."""
        if user is not None and may_see_proposed_themes(user):
            return self.all()
        return self.visible_to_readers()


def may_see_proposed_themes(user):
    """Who sees proposed and empty themes: editors, and staff who tag (their own proposals)."""
    return can_see_unpublished(user) or user.has_perm("principles.add_taggedstatement")


class Theme(TagBase):
    """A theme from the governed vocabulary that statements are tagged with."""

    description = models.TextField(blank=True)
    curated = models.BooleanField(
        default=False, help_text="Part of the governed starter vocabulary."
    )
    # Staff's own words for the theme; search treats a query naming one as naming the theme.
    entry_terms = models.TextField(
        blank=True,
        help_text="Words and phrases staff use for this theme, separated by commas "
        "(for Kinship: relatives, kin, grandparents, relative caregivers).",
    )
    status = models.CharField(
        max_length=20,
        choices=ThemeStatus.choices,
        default=ThemeStatus.PROPOSED,
        help_text="Readers see a theme once an editor approves it, and only while a statement "
        "in force carries it.",
    )

    history = HistoricalRecords()
    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "theme"
        verbose_name_plural = "themes"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="theme_name_unique_ignoring_case"),
            models.CheckConstraint(
                condition=models.Q(status__in=ThemeStatus.values), name="theme_status_valid"
            ),
        ]

    def get_absolute_url(self):
        return reverse_cached("principles:theme", self.slug)

    @property
    def entry_term_list(self):
        """The entry terms, trimmed, without empty ones."""
        return split_entry_terms(self.entry_terms)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_approved(self):
        return self.status == ThemeStatus.APPROVED


class StatementQuerySet(models.QuerySet):
    def get_by_natural_key(self, organization_slug, document_slug, position):
        return self.get(
            document__organization__slug=organization_slug,
            document__slug=document_slug,
            position=position,
        )

    def in_force(self):
        """Statements of documents in force (see IN_FORCE): the one rule for listings."""
        return self.filter(document__status__in=IN_FORCE)

    published = in_force  # the older name, kept for code written before "in force" had one

    def readable(self):
        return self.filter(document__status__in=READABLE)

    def visible_to(self, user):
        if can_see_unpublished(user):
            return self.all()
        return self.readable()

    def for_organization(self, organization):
        return self.filter(document__organization=organization)

    # The themes of fetched statements (`Statement.themes`), in one query when the rows are
    # fetched, also inside a prefetch: (user, all_themes) for attach_themes, or None.
    _with_themes = None

    def with_themes(self, user=None, *, all_themes=False):
        """These statements with the themes `user` may see (attach_themes)."""
        clone = self._chain()
        clone._with_themes = (user, all_themes)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._with_themes = self._with_themes
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._with_themes and self._iterable_class is models.query.ModelIterable:
            user, all_themes = self._with_themes
            attach_themes(self._result_cache, user, all_themes=all_themes)


class TaggedStatementManager(models.Manager):
    def get_by_natural_key(self, organization_slug, document_slug, position, theme_slug):
        return self.get(
            content_object__document__organization__slug=organization_slug,
            content_object__document__slug=document_slug,
            content_object__position=position,
            tag__slug=theme_slug,
        )


class TaggedStatement(TaggedItemBase):
    """One theme on one statement. Its history is the audit trail of tagging."""

    content_object = models.ForeignKey(
        "Statement", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tagged_statements")

    history = HistoricalRecords()
    objects = TaggedStatementManager()

    class Meta:
        ordering = ["content_object", "tag__name"]
        verbose_name = "statement theme"
        verbose_name_plural = "statement themes"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="statement_theme_unique"
            ),
        ]

    def __str__(self):
        tag = related_or_none(self, "tag")  # merged away, in an old version
        return f"{tag or f'theme {self.tag_id}'} on statement {self.content_object_id}"

    def natural_key(self):
        return (*self.content_object.natural_key(), self.tag.slug)

    natural_key.dependencies = ["principles.statement", "principles.theme"]


class Statement(models.Model):
    """The unit people read, tag, cite, compare and print: one verbatim passage."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="statements")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
    )
    position = models.PositiveIntegerField(help_text="Order within the document.")
    kind = models.CharField(max_length=30, choices=StatementKind.choices)
    label = models.CharField(
        max_length=60, blank=True, help_text='As the source numbers it: "3.", "Priority One".'
    )
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(help_text="Verbatim from the source.")
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derivatives",
        help_text="The statement of the earlier version this one was copied from.",
    )

    tags = TaggableManager(through=TaggedStatement, blank=True, verbose_name="themes")

    history = HistoricalRecords()
    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position"]
        verbose_name = "statement"
        verbose_name_plural = "statements"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="statement_position_unique_per_document"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=StatementKind.values), name="statement_kind_valid"
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="statement_text_not_empty"),
        ]
        indexes = [models.Index(fields=["kind"], name="statement_kind_idx")]

    def __str__(self):
        prefix = " ".join(part for part in (self.label, self.title) if part)
        text = self.text if len(self.text) <= 80 else f"{self.text[:77]}..."
        return f"{prefix} {text}" if prefix else text

    def get_absolute_url(self):
        return reverse_cached("principles:statement", self.pk)

    @property
    def themes(self):
        """The statement's themes by name: the list attach_themes() set (no query), else
        one query for those readers may see."""
        if hasattr(self, "prefetched_themes"):
            return list(self.prefetched_themes)
        return list(
            Theme.objects.visible_to_readers()
            .filter(tagged_statements__content_object=self)
            .order_by("name")
        )

    def natural_key(self):
        return (*self.document.natural_key(), self.position)

    natural_key.dependencies = ["principles.document", "principles.section"]

    @property
    def designation(self):
        """How the statement is named in a citation: "Guiding principle 3", "Priority One: ..."."""
        number = self.label.rstrip(".:")
        if not number:
            name = KIND_NAMES.get(self.kind, self.kind)
        elif number.isdigit():
            name = f"{KIND_NAMES.get(self.kind, self.kind)} {number}"
        else:
            name = number
        return f"{name}: {self.title}" if self.title else name

    def citation(self, permalink, retrieved=None):
        """The APA 7 citation (see principles.citations for the other styles)."""
        from .citations import cite  # citations reads these models

        siblings = Statement.objects.filter(document_id=self.document_id)
        return cite(
            self,
            permalink=permalink,
            retrieved=retrieved or timezone.localdate(),
            ordinal=siblings.filter(position__lt=self.position).count() + 1,
            total=siblings.count(),
        ).apa

    def clean(self):
        if self.section_id and self.document_id and self.section.document_id != self.document_id:
            raise ValidationError({"section": "The section belongs to another document."})


class RevisionAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class RevisionQuerySet(models.QuerySet):
    def for_report(self):
        return self.select_related("document__organization", "superseded__organization", "by")


class Revision(models.Model):
    """One publication or retirement of a document: when, by whom, and the editor's summary
    of what changed. The "Revised documents" report lists them; the permalinks of earlier
    versions read from them when each version was in force."""

    Action = RevisionAction

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(max_length=20, choices=RevisionAction.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(blank=True, help_text="What changed, in the editor's words.")
    superseded = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier version this publication replaced.",
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "revision"
        verbose_name_plural = "revisions"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=RevisionAction.values), name="revision_action_valid"
            ),
        ]
        indexes = [models.Index(fields=["document", "at"], name="revision_document_at_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.document.title} on {self.at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("principles:revisions") + f"#revision-{self.pk}"


def attach_themes(statements, user=None, *, all_themes=False):
    """Set each statement's themes by name (`Statement.themes`): those `user` may see
    (Theme.objects.visible_to: without a user, what readers see), or all of them.

    One query of plain rows, one Theme per theme: prefetching the taggings built a tagging
    and a theme for each of a page's few hundred taggings, and pointed each back at its
    statement (a reference cycle the garbage collector pauses for): 8 ms of an organization
    page's CPU rather than 2."""
    if not statements:
        return
    taggings = TaggedStatement.objects.filter(content_object_id__in={s.pk for s in statements})
    if not all_themes:
        taggings = taggings.filter(tag__in=Theme.objects.visible_to(user))
    fields = [field.attname for field in Theme._meta.concrete_fields]
    rows = taggings.order_by("tag__name", "tag_id").values_list(
        "content_object_id", *(f"tag__{name}" for name in fields)
    )
    pk_index = fields.index(Theme._meta.pk.attname)
    themes, by_statement = {}, {s.pk: [] for s in statements}
    for statement_id, *values in rows:
        theme = themes.get(values[pk_index])
        if theme is None:
            theme = themes[values[pk_index]] = Theme.from_db(taggings.db, fields, values)
        by_statement[statement_id].append(theme)
    for statement in statements:
        statement.prefetched_themes = by_statement[statement.pk]
