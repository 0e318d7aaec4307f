"""Personal API tokens and the open-data releases the API serves."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

TOKEN_PREFIX = "pkb"  # noqa: S105 - a label, not a secret
# the part of a token kept in clear, to find its row; the rest is only stored hashed
LOOKUP_LENGTH = 12


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def of(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal token for scripts: it acts as its user, with the user's permissions.

    The token is shown once, when it is made: `pkb_<lookup>_<secret>`. Only the lookup part
    and a SHA-256 digest of the whole token are stored; a leaked database gives no usable
    token. A revoked token is kept (its name and dates) but authenticates nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text="What the token is for, in your words.")
    lookup = models.CharField(max_length=LOOKUP_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        verbose_name_plural = "API tokens"
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} ({self.user})"

    def get_absolute_url(self):
        return reverse("api:tokens")

    @property
    def is_active(self):
        return self.revoked_at is None

    @classmethod
    def issue(cls, user, name):
        """A new token for `user`: (the row, the token in clear, to be shown once)."""
        lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
        token = f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
        row = cls.objects.create(user=user, name=name, lookup=lookup, digest=hash_secret(token))
        return row, token

    def matches(self, token):
        """Constant-time comparison of the digests."""
        return hmac.compare_digest(self.digest, hash_secret(token))


class DataRelease(models.Model):
    """One versioned bulk download of all content in force (JSON and CSV), built by a task
    when content changes. `content_version` is the content version it was built from."""

    number = models.PositiveIntegerField(unique=True)
    content_version = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    statement_count = models.PositiveIntegerField(default=0)
    json_data = models.TextField()
    csv_data = models.TextField()

    class Meta:
        ordering = ["-number"]
        verbose_name = "open-data release"
        verbose_name_plural = "open-data releases"

    def __str__(self):
        return f"Release {self.number} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("api:release-json", kwargs={"number": self.number})
