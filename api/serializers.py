"""The shapes the API answers with. Ids are the database ids the site's permalinks use
(/statements/<id>/); every object also carries its `permalink` on the site."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compare.models import band_of
from organizations.models import OrganizationKind
from principles.models import DocumentKind, DocumentStatus, StatementKind

# A link between statements: suggested by the score, or confirmed by an editor.
LINK_KINDS = [("suggested", "Suggested"), ("confirmed", "Confirmed")]


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def represent(serializer_class, instance, **kwargs):
    """What `serializer_class(instance, **kwargs).data` holds, as plain dicts and lists.

    `.data` keeps the serializer, and a serializer and its fields (a list serializer and its
    child) refer to each other: the rows it read would wait on that cycle for the garbage
    collector's next full pass, whose pauses (50-90 ms with a list of 200) made the p95."""
    return serializer_class(**kwargs).to_representation(instance)


class PermalinkField(serializers.Field):
    """The object's address on the site, absolute."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return absolute(self.context.get("request"), value.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(PermalinkField)


class OrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    jurisdiction = serializers.CharField()
    website = serializers.CharField()
    summary = serializers.CharField()
    permalink = PermalinkField()


class OrganizationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()

    def to_representation(self, organization):
        return {"slug": organization.slug, "name": organization.name}


class DocumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=DocumentStatus.choices)

    def to_representation(self, document):
        return {
            "id": document.pk,
            "slug": document.slug,
            "title": document.title,
            "status": document.status,
        }


class ProvenanceSerializer(serializers.Serializer):
    source_citation = serializers.CharField()
    source_url = serializers.CharField()
    policy_number = serializers.CharField()
    chapter = serializers.CharField()
    approved_by = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    supersedes_note = serializers.CharField()
    supersedes_date = serializers.DateField(allow_null=True)
    reposted_on = serializers.DateField(allow_null=True)
    attribution = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    organization = OrganizationRefSerializer()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    in_force = serializers.BooleanField(source="is_in_force")
    position = serializers.IntegerField()
    provenance = ProvenanceSerializer(source="*")
    supersedes = serializers.SerializerMethodField(
        help_text="The earlier version this one replaced, when readable to you."
    )
    permalink = PermalinkField()

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_supersedes(self, document):
        earlier = getattr(document, "supersedes_shown", None)
        return DocumentRefSerializer(earlier).data if earlier is not None else None


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id")
    position = serializers.IntegerField()
    heading = serializers.CharField()
    intro = serializers.CharField()
    anchor = serializers.CharField()
    permalink = PermalinkField()


class ThemeRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()

    def to_representation(self, theme):
        return {"slug": theme.slug, "name": theme.name}


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id in the statement's permalink.")
    organization = OrganizationRefSerializer(source="document.organization")
    document = DocumentRefSerializer()
    section = serializers.SerializerMethodField()
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=StatementKind.choices)
    label = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="Verbatim from the source.")
    designation = serializers.CharField()
    derived_from = serializers.IntegerField(
        source="derived_from_id",
        allow_null=True,
        help_text="The statement of the earlier version this one was copied from.",
    )
    themes = ThemeRefSerializer(many=True)
    permalink = PermalinkField()

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "heading": {"type": "string"}},
        }
    )
    def get_section(self, statement):
        section = statement.section
        return {"id": section.pk, "heading": section.heading} if section else None

    def to_representation(self, statement):
        """The fields above, written out: DRF's field-by-field machinery costs about
        0.7 ms a statement, a list of 200 statements 140 ms (manage.py bench_api)."""
        document = statement.document
        organization = document.organization
        section = statement.section
        return {
            "id": statement.pk,
            "organization": {"slug": organization.slug, "name": organization.name},
            "document": {
                "id": document.pk,
                "slug": document.slug,
                "title": document.title,
                "status": document.status,
            },
            "section": {"id": section.pk, "heading": section.heading} if section else None,
            "position": statement.position,
            "kind": statement.kind,
            "label": statement.label,
            "title": statement.title,
            "text": statement.text,
            "designation": statement.designation,
            "derived_from": statement.derived_from_id,
            "themes": [{"slug": tag.slug, "name": tag.name} for tag in statement.themes],
            "permalink": absolute(self.context.get("request"), statement.get_absolute_url()),
        }


class CitationSerializer(serializers.Serializer):
    apa = serializers.CharField()
    chicago = serializers.CharField()
    as_of = serializers.CharField()
    ris = serializers.CharField()
    csl_json = serializers.CharField()


class LineageSerializer(serializers.Serializer):
    current = serializers.IntegerField(
        allow_null=True, help_text="The statement in force now with this wording's successor."
    )
    document = DocumentRefSerializer(allow_null=True)
    removed = serializers.BooleanField()


class StatementDetailSerializer(StatementSerializer):
    citations = serializers.SerializerMethodField()
    lineage = serializers.SerializerMethodField(
        help_text="For a statement of an earlier version: where its wording went."
    )
    similar = serializers.SerializerMethodField()

    @extend_schema_field(CitationSerializer)
    def get_citations(self, statement):
        citation = self.context["citation"]
        return {
            "apa": citation.apa,
            "chicago": citation.chicago,
            "as_of": citation.as_of,
            "ris": citation.ris,
            "csl_json": citation.csl(f"practicekb-statement-{statement.pk}"),
        }

    @extend_schema_field(LineageSerializer(allow_null=True))
    def get_lineage(self, statement):
        found = self.context.get("lineage")
        if found is None:
            return None
        return {
            "current": found.current.pk if found.current else None,
            "document": DocumentRefSerializer(found.document).data if found.document else None,
            "removed": found.removed,
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_similar(self, statement):
        from django.urls import reverse

        return absolute(
            self.context.get("request"), reverse("api:statement-similar", args=[statement.pk])
        )

    def to_representation(self, statement):
        data = super().to_representation(statement)
        data["citations"] = self.get_citations(statement)
        data["lineage"] = self.get_lineage(statement)
        data["similar"] = self.get_similar(statement)
        return data


class DocumentDetailSerializer(DocumentSerializer):
    superseded_by = DocumentRefSerializer(source="successors", many=True)
    sections = SectionSerializer(source="sections.all", many=True)
    statements = StatementSerializer(source="statement_list", many=True)


class ThemeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    curated = serializers.BooleanField()
    entry_terms = serializers.ListField(
        child=serializers.CharField(),
        source="entry_term_list",
        help_text="Staff's own words for the theme; search reads them as the theme.",
    )
    statement_count = serializers.IntegerField(help_text="Statements in force with the theme.")
    permalink = PermalinkField()


class LinkSerializer(serializers.Serializer):
    """A link between two statements of different organizations: confirmed by an editor
    (kind "confirmed", with the editor's note; listed first), or a suggestion of the
    automatic score (kind "suggested"). A score of 0 on a confirmed link: the score did
    not suggest it."""

    kind = serializers.ChoiceField(choices=LINK_KINDS)
    confirmed = serializers.BooleanField()
    score = serializers.FloatField()
    band = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    statement = StatementSerializer()


def link_marks(score, link):
    """The fields that say how a pair is known: kind, confirmed, score, band, note."""
    return {
        "kind": "confirmed" if link else "suggested",
        "confirmed": bool(link),
        "score": round(score, 4),
        "band": str(band_of(score)),
        "note": link.note if link else "",
    }


def suggested(score, statement, link=None):
    return {**link_marks(score, link), "statement": statement}


class CrosswalkPairSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LINK_KINDS)
    confirmed = serializers.BooleanField()
    score = serializers.FloatField()
    band = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    first = StatementSerializer()
    second = StatementSerializer()


class ReviewLinkSerializer(serializers.Serializer):
    """An editor's verdict on a pair: confirm (the same idea), reject (never suggested
    again) or withdraw (forget the verdict)."""

    first = serializers.IntegerField(min_value=1, help_text="A statement's id.")
    second = serializers.IntegerField(min_value=1, help_text="Another organization's statement.")
    action = serializers.ChoiceField(choices=["confirm", "reject", "withdraw"])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReviewedLinkSerializer(serializers.Serializer):
    first = serializers.IntegerField(source="first_id")
    second = serializers.IntegerField(source="second_id")
    verdict = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    added = serializers.BooleanField()
    reviewed_at = serializers.DateTimeField()


class CrosswalkSerializer(serializers.Serializer):
    organizations = OrganizationRefSerializer(many=True)
    count = serializers.IntegerField()
    pairs = CrosswalkPairSerializer(many=True)


class SearchHitSerializer(StatementSerializer):
    text_html = serializers.CharField(help_text="The text with matched words in <mark>.")

    def to_representation(self, statement):
        data = super().to_representation(statement)
        data["text_html"] = str(statement.text_html)
        return data


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    capped = serializers.BooleanField(help_text="More matches than are counted exactly.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    suggestion = serializers.CharField(allow_null=True)
    themes_named = ThemeRefSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
    results = SearchHitSerializer(many=True)


class SheetItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    statement = StatementSerializer()


class SheetSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    subtitle = serializers.CharField()
    notes = serializers.CharField()
    layout = serializers.CharField()
    paper = serializers.CharField()
    statements = StatementSerializer(many=True, source="statement_list")
    permalink = PermalinkField()


class SheetCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    subtitle = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def validate_title(self, value):
        title = " ".join(value.split())
        if not title:
            raise serializers.ValidationError("Give the sheet a title.")
        return title


class SheetAddSerializer(serializers.Serializer):
    statement = serializers.IntegerField(min_value=1, max_value=2**53)


class AddThemeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TaggingResultSerializer(serializers.Serializer):
    theme = ThemeRefSerializer()
    added = serializers.BooleanField()
    theme_created = serializers.BooleanField()


class ReleaseSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    statement_count = serializers.IntegerField()
    json = serializers.URLField()
    csv = serializers.URLField()
