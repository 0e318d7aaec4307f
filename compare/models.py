"""Precomputed similarity between statements of different organizations.

Derived data, rebuilt by compare.services.refresh_similarities: never edited by hand, so it
keeps no history. One row per direction: (statement, other) exists when `other` is among
the MAX_NEIGHBOURS best matches of `statement` in other organizations scoring at least
FLOOR. Pages read it in one query instead of comparing texts per request.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import DocumentStatus, Statement

# The lowest score stored; "Similar elsewhere" and the crosswalk's weakest band start here.
FLOOR = 0.3
# The most matches stored per statement, so near-copies in many organizations stay bounded.
MAX_NEIGHBOURS = 25


class SimilarityBand(models.TextChoices):
    NEARLY_SAME = "nearly-same", "Nearly the same"
    SIMILAR = "similar", "Similar"
    RELATED = "related", "Related"


# A pair is "high similarity" from SIMILAR_SCORE up: the crosswalk lists these in full.
NEARLY_SAME_SCORE = 0.75
SIMILAR_SCORE = 0.5


def band_of(score):
    if score >= NEARLY_SAME_SCORE:
        return SimilarityBand.NEARLY_SAME
    if score >= SIMILAR_SCORE:
        return SimilarityBand.SIMILAR
    return SimilarityBand.RELATED


class Scored:
    """How a `score` reads on a page: its band and a whole percentage."""

    @property
    def band(self):
        return band_of(self.score)

    @property
    def percent(self):
        return int(self.score * 100)  # truncated: 49.95% is not shown as 50%


class StatementSimilarityQuerySet(models.QuerySet):
    def published(self):
        """Pairs whose statements are both in published documents."""
        return self.filter(
            statement__document__status=DocumentStatus.PUBLISHED,
            other__document__status=DocumentStatus.PUBLISHED,
        )

    def involving(self, statement_ids):
        return self.filter(Q(statement_id__in=statement_ids) | Q(other_id__in=statement_ids))


class StatementSimilarity(Scored, models.Model):
    """`other` says the same or nearly the same thing as `statement`, with this score."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="similarities")
    other = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Cosine of the two statements' TF-IDF vectors, 0 to 1.")

    objects = StatementSimilarityQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "-score", "other"]
        verbose_name = "statement similarity"
        verbose_name_plural = "statement similarities"
        constraints = [
            models.UniqueConstraint(fields=["statement", "other"], name="similarity_pair_unique"),
            models.CheckConstraint(
                condition=~Q(statement=F("other")), name="similarity_not_with_itself"
            ),
            models.CheckConstraint(
                condition=Q(score__gt=0) & Q(score__lte=1), name="similarity_score_in_range"
            ),
        ]
        indexes = [
            models.Index(fields=["statement", "-score"], name="similarity_best_first_idx"),
        ]

    def __str__(self):
        return f"{self.statement_id} ~ {self.other_id} ({self.score:.2f})"

    def get_absolute_url(self):
        return self.statement.get_absolute_url()


class PendingRefreshQuerySet(models.QuerySet):
    def mark(self, statement_ids):
        """Record that these statements' matches await the worker (existing ones stay)."""
        now = timezone.now()
        self.bulk_create(
            [PendingRefresh(statement_id=key, since=now) for key in statement_ids],
            batch_size=1000,
        )


class PendingRefresh(models.Model):
    """A statement whose "Similar elsewhere" the worker has yet to recompute.

    Written when an edit commits (compare.signals), deleted by the refresh that takes it
    (compare.tasks); while one exists, the statement's page says its matches are being
    updated. The table is the worker's to-do list: each refresh takes every row there.
    Rows are only ever inserted and deleted (a statement edited twice has two), so marking
    never waits for a refresh under way, and a mark made during one survives it.
    """

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)

    objects = PendingRefreshQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "pending similarity refresh"
        verbose_name_plural = "pending similarity refreshes"

    def __str__(self):
        return f"Similarities of statement {self.statement_id}, pending since {self.since}"

    def get_absolute_url(self):
        return self.statement.get_absolute_url()


class CorpusState(models.Model):
    """One row: how many refreshes have written similarities (the generation).

    A worker that holds the corpus in memory between jobs (compare.services) reuses it only
    while no one else has refreshed since: another worker, or the management command.
    """

    generation = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "similarity corpus state"
        verbose_name_plural = "similarity corpus state"

    def __str__(self):
        return f"Similarity generation {self.generation}"

    def get_absolute_url(self):
        return reverse("compare:compare")


class LinkVerdict(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class CrosswalkLinkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(verdict=LinkVerdict.CONFIRMED)

    def rejected(self):
        return self.filter(verdict=LinkVerdict.REJECTED)

    def published(self):
        """Links whose statements are both in force: all that readers may see."""
        in_force = Statement.objects.published()
        return self.filter(first__in=in_force, second__in=in_force)

    def of_pair(self, a, b):
        first, second = sorted((getattr(a, "pk", a), getattr(b, "pk", b)))
        return self.filter(first_id=first, second_id=second)

    def involving(self, statement_ids):
        return self.filter(Q(first_id__in=statement_ids) | Q(second_id__in=statement_ids))


class CrosswalkLinkManager(models.Manager.from_queryset(CrosswalkLinkQuerySet)):
    def get_by_natural_key(self, *keys):
        first = Statement.objects.get_by_natural_key(*keys[:3])
        second = Statement.objects.get_by_natural_key(*keys[3:])
        return self.get(first=first, second=second)


class CrosswalkLink(models.Model):
    """An editor's judgement of two statements of different organizations: they express the
    same idea (confirmed, whether the score suggested them or the editor linked them), or
    they do not (rejected: never suggested again). Content, unlike the similarity rows: it
    keeps history and travels in exports and backups.

    Stored once per pair, the lower statement id first.
    """

    first = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=10, choices=LinkVerdict.choices)
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why, in a sentence (for example: both name family separation as a last resort).",
    )
    added = models.BooleanField(
        default=False, help_text="Linked by an editor: the automatic score did not suggest it."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = CrosswalkLinkManager()

    class Meta:
        ordering = ["first", "second"]
        verbose_name = "crosswalk link"
        verbose_name_plural = "crosswalk links"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="crosswalk_link_pair_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="crosswalk_link_ordered_pair"
            ),
        ]
        indexes = [models.Index(fields=["second", "verdict"], name="crosswalk_link_second_idx")]

    def __str__(self):
        return f"{self.first_id} {self.get_verdict_display().lower()} with {self.second_id}"

    def get_absolute_url(self):
        return self.first.get_absolute_url()

    def natural_key(self):
        return (*self.first.natural_key(), *self.second.natural_key())

    natural_key.dependencies = ["principles.statement"]

    @property
    def confirmed(self):
        return self.verdict == LinkVerdict.CONFIRMED
