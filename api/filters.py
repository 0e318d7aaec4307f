"""Query parameters of the list endpoints, validated with plain-language messages."""

from rest_framework import serializers

from organizations.models import Organization
from principles.models import IN_FORCE, READABLE, DocumentKind, DocumentStatus, StatementKind
from principles.models import Theme as ThemeModel

from .permissions import is_editor

READER_STATUSES = [status for status in DocumentStatus.values if status in READABLE]


class ListFilters(serializers.Serializer):
    organization = serializers.SlugField(
        required=False, max_length=80, help_text="An organization's slug, e.g. virginia."
    )
    status = serializers.ChoiceField(
        choices=DocumentStatus.choices,
        required=False,
        help_text="The document's status. Default: published (in force). Readers may ask "
        "for published or superseded; editors also for draft and retired.",
    )

    def validate_organization(self, slug):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise serializers.ValidationError(f"There is no organization “{slug}”.")
        return organization

    def validate_status(self, status):
        user = self.context["request"].user
        if status not in READER_STATUSES and not is_editor(user):
            raise serializers.ValidationError(
                "Only editors can list draft or retired content; use published or superseded."
            )
        return status

    def statuses(self):
        status = self.validated_data.get("status")
        return [status] if status else list(IN_FORCE)


class DocumentFilters(ListFilters):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)


class StatementFilters(ListFilters):
    kind = serializers.ChoiceField(choices=StatementKind.choices, required=False)
    theme = serializers.SlugField(
        required=False, max_length=100, help_text="A theme's slug, e.g. kinship."
    )
    document = serializers.IntegerField(required=False, min_value=1, max_value=2**53)

    def validate_theme(self, slug):
        theme = ThemeModel.objects.visible_to_readers().filter(slug=slug).first()
        if theme is None:
            raise serializers.ValidationError(f"There is no theme “{slug}”.")
        return theme


class SectionFilters(serializers.Serializer):
    document = serializers.IntegerField(required=False, min_value=1, max_value=2**53)
    organization = serializers.SlugField(required=False, max_length=80)


class SearchParameters(serializers.Serializer):
    """The search page's parameters under the API's names (the page says org)."""

    q = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    organization = serializers.CharField(required=False, max_length=200)
    kind = serializers.CharField(required=False, max_length=200)
    theme = serializers.CharField(required=False, max_length=200)
    earlier = serializers.BooleanField(required=False, default=False)
    page = serializers.IntegerField(required=False, min_value=1)


class CrosswalkParameters(serializers.Serializer):
    organization = serializers.ListField(
        child=serializers.CharField(max_length=100), help_text="Two to five organization slugs."
    )
    kind = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    theme = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
