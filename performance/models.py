"""The content version: one number that changes whenever any content a page shows changes."""

from django.db import models


class ContentVersion(models.Model):
    """A single row (id 1). Database triggers on every content table bump `version`, so any
    write (admin, tagging, loaddata, bulk_create, raw SQL) invalidates the cached pages."""

    version = models.BigIntegerField()
    # PostgreSQL: the transaction (and statement) that last bumped it, so that a bulk write
    # bumps it once
    last_bump = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        verbose_name = "content version"
        verbose_name_plural = "content version"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="content_version_single_row"),
        ]

    def __str__(self):
        return f"Content version {self.version}"
