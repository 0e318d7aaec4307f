"""The versioned bulk download: all content in force as JSON and as CSV, with a data
dictionary. A release is built by the `build_open_data` task when content changed (see
signals.py) or by `manage.py build_open_data`; each has a number, and the last KEEP are kept.
"""

import csv
import io
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from organizations.models import Organization
from performance import versioning
from principles.models import Document, Statement
from principles.selectors import statements_for_display, themes_with_counts

from .models import DataRelease

KEEP = 10
FORMAT_VERSION = 1

STATEMENT_COLUMNS = [
    ("statement_id", "Integer. The statement's id, as in its permalink /statements/<id>/."),
    ("permalink", "URL path of the statement's page on practicekb."),
    ("organization_slug", "The organization's slug, as in /organizations/<slug>/."),
    ("organization_name", "The organization's full name (the author in citations)."),
    ("document_id", "Integer. The document's id in the API."),
    ("document_slug", "The document's slug within its organization."),
    ("document_title", "The document's title as the source gives it."),
    (
        "document_kind",
        "practice_model, policy, code_of_ethics, strategic_roadmap or mission_statement.",
    ),
    ("effective_date", "ISO date the document took effect, or empty when not recorded."),
    ("section_heading", "The heading the statement sits under, or empty."),
    ("position", "Integer. Order of the statement within its document, from 1."),
    (
        "kind",
        "mission, vision, value, guiding_principle, ethical_standard, priority, "
        "commitment or narrative.",
    ),
    ("label", 'The number or label the source gives it ("3.", "Priority One"), or empty.'),
    ("title", "The statement's title, or empty."),
    ("text", "The statement, verbatim from the source."),
    ("themes", 'The slugs of its themes, separated by "|".'),
    ("derived_from", "Integer id of the earlier version's statement it was copied from, or empty."),
]

DATA_DICTIONARY = {
    "title": "practicekb open data",
    "format_version": FORMAT_VERSION,
    "description": "Every statement of every document in force (published and not "
    "superseded), with its organization, document, section and themes. Drafts, superseded "
    "and retired versions are not included.",
    "files": {
        "json": {
            "description": "One object with `organizations`, `documents`, `themes` and "
            "`statements` lists; the fields of each are those of the API's list endpoints "
            "(see /api/v1/schema/), statements referring to documents by id.",
        },
        "csv": {
            "description": "One row per statement, UTF-8, comma-separated, header row first. "
            "Cells starting like a spreadsheet formula are prefixed with an apostrophe.",
            "columns": dict(STATEMENT_COLUMNS),
        },
    },
    "licence_note": "The texts are the organizations' own; cite them with the statement's "
    "permalink.",
}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_START) else value


def snapshot():
    """The content in force, read in five queries (statements with their themes in two)."""
    documents = list(Document.objects.in_force().select_related("organization"))
    statements = list(
        statements_for_display(Statement.objects.in_force()).order_by("document_id", "position")
    )
    organizations = list(Organization.objects.all())
    themes = list(themes_with_counts())
    return organizations, documents, themes, statements


def render_json(organizations, documents, themes, statements, *, number, version):
    data = {
        "release": number,
        "content_version": version,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "organizations": [
            {
                "slug": o.slug,
                "name": o.name,
                "short_name": o.short_name,
                "kind": o.kind,
                "jurisdiction": o.jurisdiction,
                "website": o.website,
                "summary": o.summary,
            }
            for o in organizations
        ],
        "documents": [
            {
                "id": d.pk,
                "organization": d.organization.slug,
                "slug": d.slug,
                "title": d.title,
                "kind": d.kind,
                "status": d.status,
                "source_citation": d.source_citation,
                "source_url": d.source_url,
                "policy_number": d.policy_number,
                "approved_by": d.approved_by,
                "effective_date": d.effective_date.isoformat() if d.effective_date else None,
                "supersedes": d.supersedes_id,
                "attribution": d.attribution,
            }
            for d in documents
        ],
        "themes": [
            {
                "slug": t.slug,
                "name": t.name,
                "description": t.description,
                "entry_terms": t.entry_term_list,
                "statement_count": t.statement_count,
            }
            for t in themes
        ],
        "statements": [
            {
                "id": st.pk,
                "document": st.document_id,
                "section": st.section.heading if st.section else None,
                "position": st.position,
                "kind": st.kind,
                "label": st.label,
                "title": st.title,
                "text": st.text,
                "themes": [tag.slug for tag in st.themes],
                "derived_from": st.derived_from_id,
            }
            for st in statements
        ],
    }
    return json.dumps(data, ensure_ascii=False)


def render_csv(statements):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in STATEMENT_COLUMNS])
    for st in statements:
        document = st.document
        row = [
            st.pk,
            st.get_absolute_url(),
            document.organization.slug,
            document.organization.name,
            document.pk,
            document.slug,
            document.title,
            document.kind,
            document.effective_date.isoformat() if document.effective_date else "",
            st.section.heading if st.section else "",
            st.position,
            st.kind,
            st.label,
            st.title,
            st.text,
            "|".join(tag.slug for tag in st.themes),
            st.derived_from_id or "",
        ]
        writer.writerow([_cell(cell) for cell in row])
    return out.getvalue()


def build_release(force=False):
    """A new release unless the latest was built from the current content version (or
    `force`). Returns the release built, or None when nothing changed."""
    with transaction.atomic():
        version = versioning.current_version()
        latest = DataRelease.objects.defer("json_data", "csv_data").first()
        if latest is not None and latest.content_version == version and not force:
            return None
        organizations, documents, themes, statements = snapshot()
        number = (DataRelease.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        release = DataRelease.objects.create(
            number=number,
            content_version=version,
            statement_count=len(statements),
            json_data=render_json(
                organizations, documents, themes, statements, number=number, version=version
            ),
            csv_data=render_csv(statements),
        )
        stale = DataRelease.objects.order_by("-number").values_list("pk", flat=True)[KEEP:]
        DataRelease.objects.filter(pk__in=list(stale)).delete()
    return release
