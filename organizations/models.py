from django.db import models
from simple_history.models import HistoricalRecords

from principles.addresses import reverse_cached


class OrganizationQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class OrganizationKind(models.TextChoices):
    STATE_AGENCY = "state_agency", "State agency"
    DIVISION = "division", "Division of a state agency"
    COUNTY_AGENCY = "county_agency", "County agency"
    ASSOCIATION = "association", "Association"
    SYSTEM = "system", "Multi-agency system"
    NONPROFIT = "nonprofit", "Nonprofit provider"


class Organization(models.Model):
    """An agency, division or association whose practice model practicekb holds."""

    Kind = OrganizationKind

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    jurisdiction = models.CharField(
        max_length=120, help_text="State or area served, e.g. Virginia."
    )
    website = models.URLField(blank=True)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organization"
        verbose_name_plural = "organizations"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values),
                name="organization_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_cached("organizations:detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        return self.short_name or self.name
