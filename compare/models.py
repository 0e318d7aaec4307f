"""Precomputed similarity between statements of different organizations.

Derived data, rebuilt by compare.services.refresh_similarities: never edited by hand, so it
keeps no history. One row per direction: (statement, other) exists when `other` is among
the MAX_NEIGHBOURS best matches of `statement` in other organizations scoring at least
FLOOR. Pages read it in one query instead of comparing texts per request.
"""

from django.db import models
from django.db.models import F, Q

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
