"""Content versions by scope: what a cached page shows changes only when one of its scopes'
versions changes (versioning.py)."""

from django.db import models


class ScopeVersion(models.Model):
    """One row per scope ("global", "org:virginia", "theme:kinship", "st:42", ...). Database
    triggers on the content tables bump the scopes a write changes, so any write (admin,
    tagging, loaddata, bulk_create, raw SQL) invalidates exactly the pages that show it."""

    scope = models.CharField(max_length=80, primary_key=True)
    version = models.BigIntegerField()
    # PostgreSQL: the transaction (and statement) that last bumped it, so that a bulk write
    # bumps it once
    last_bump = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["scope"]
        verbose_name = "content version"
        verbose_name_plural = "content versions"

    def __str__(self):
        return f"{self.scope} version {self.version}"
