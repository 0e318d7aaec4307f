"""Hand-picked principle sheets that trainers build, share by link and print."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import READABLE, DocumentStatus, Statement, related_or_none


class Layout(models.TextChoices):
    STANDARD = "standard", "Standard"
    DISCUSSION = "discussion", "Discussion (room for notes under each statement)"


class Paper(models.TextChoices):
    LETTER = "letter", "US Letter"
    A4 = "a4", "A4"


class SheetQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def with_counts(self):
        """`printed`: statements the sheet prints (the same count its page gives);
        `changed`: statements a newer version replaced or retired since they were added."""
        return self.annotate(
            printed=models.Count(
                "items", filter=models.Q(items__statement__document__status__in=READABLE)
            ),
            changed=models.Count(
                "items",
                filter=models.Q(
                    items__statement__document__status__in=[
                        DocumentStatus.SUPERSEDED,
                        DocumentStatus.RETIRED,
                    ]
                ),
            ),
        )


class Sheet(models.Model):
    """A named selection of statements. The random public id makes it shareable by link
    without making every sheet guessable."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sheets"
    )
    title = models.CharField(max_length=120)
    subtitle = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=4000, help_text="Printed under the title.")
    layout = models.CharField(max_length=20, choices=Layout.choices, default=Layout.STANDARD)
    paper = models.CharField(max_length=10, choices=Paper.choices, default=Paper.LETTER)
    statements = models.ManyToManyField(Statement, through="SheetItem", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # who changed the title, notes and options; items keep their own history
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SheetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "sheet"
        verbose_name_plural = "sheets"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(layout__in=Layout.values), name="sheet_layout_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(paper__in=Paper.values), name="sheet_paper_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sheets:detail", kwargs={"public_id": self.public_id})

    def can_change(self, user):
        return user.is_authenticated and (
            self.owner_id == user.pk or user.has_perm("sheets.change_sheet")
        )


class SheetItem(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="items")
    # PROTECT: a statement on a sheet cannot be deleted from under its owner (the admin says
    # which sheets hold it); retire its document instead, and the owner is told.
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="sheet_items")
    position = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "position"]
        verbose_name = "sheet item"
        verbose_name_plural = "sheet items"
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "statement"], name="sheet_statement_once_per_sheet"
            ),
        ]

    def __str__(self):
        sheet = related_or_none(self, "sheet")  # deleted, in an old version
        return f"{sheet or f'Sheet {self.sheet_id}'}: {self.statement_id} at {self.position}"


class PreparedPdfState(models.TextChoices):
    PREPARING = "preparing", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class PreparedPdf(models.Model):
    """A reader's sheet PDF for one address and content version, prepared by the worker.

    The key (sheets.pdfcache.pdf_key) names the database, content version, code and full
    address, so a row is never served for other content. The row that the first request
    inserts is also the lock: concurrent requests for the same PDF find it and enqueue
    nothing. Derived data: kept for PRACTICEKB_PAGE_CACHE_SECONDS, then pruned.
    """

    key = models.CharField(max_length=64, primary_key=True)
    state = models.CharField(
        max_length=10, choices=PreparedPdfState.choices, default=PreparedPdfState.PREPARING
    )
    body = models.BinaryField(blank=True, default=b"")
    disposition = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "prepared PDF"
        verbose_name_plural = "prepared PDFs"

    def __str__(self):
        return f"PDF {self.key[:12]} ({self.get_state_display().lower()})"

    def get_absolute_url(self):
        return reverse("sheets:list")
