"""The versioned bulk download: all content in force as JSON and as CSV, with a data
dictionary. A release is built by the `build_open_data` task when content changed (see
signals.py) or by `manage.py build_open_data`; each has a number, and the last KEEP are kept.
"""

import csv
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


# Statements read and written per query: a release streams them (50,000 statements read at
# once, each with its document and organization, made the worker 500 MB)
CHUNK = 2000


def snapshot():
    """What a release lists besides its statements, in four queries."""
    documents = list(Document.objects.in_force().select_related("organization"))
    organizations = list(Organization.objects.all())
    themes = list(themes_with_counts())
    return organizations, documents, themes


def statements_in_force(documents):
    """The statements in force, by document and position, with their sections and themes;
    CHUNK at a time (two queries each), sharing the given documents' objects."""
    by_id = {document.pk: document for document in documents}
    ids = list(
        Statement.objects.in_force()
        .order_by("document_id", "position")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        chunk = Statement.objects.filter(pk__in=ids[start : start + CHUNK])
        for statement in statements_for_display(chunk, with_document=False).order_by(
            "document_id", "position"
        ):
            if statement.document_id in by_id:  # else published after `documents` was read
                statement.document = by_id[statement.document_id]
            yield statement


def release_head(organizations, documents, themes, *, number, version):
    """The JSON release's object, its statements aside."""
    return {
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
    }


def statement_json(st):
    return {
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


def statement_row(st):
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
    return [_cell(cell) for cell in row]


class Pieces(list):
    """Text as the pieces written, joined once at the end. io.StringIO keeps its whole
    buffer at the widest character written (2 bytes a character after one curly quote)
    and copies it again when read."""

    write = list.append

    def text(self):
        return "".join(self)


def render_json(head, statements):
    """(the JSON release, its statement count). ASCII only (\\u escapes: the same data once
    parsed), so the text is held at a byte a character."""
    out = Pieces()
    out.write(json.dumps(head)[:-1] + ', "statements": [')  # the head, open for its last member
    count = 0
    for statement in statements:
        out.write((", " if count else "") + json.dumps(statement_json(statement)))
        count += 1
    out.write("]}")
    return out.text(), count


def render_csv(statements):
    out = Pieces()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in STATEMENT_COLUMNS])
    writer.writerows(statement_row(statement) for statement in statements)
    return out.text()


def build_release(force=False):
    """A new release unless the latest was built from the current content version (or
    `force`). Returns the release built, or None when nothing changed."""
    with transaction.atomic():
        version = versioning.current_version()
        latest = DataRelease.objects.defer("json_data", "csv_data").first()
        if latest is not None and latest.content_version == version and not force:
            return None
        organizations, documents, themes = snapshot()
        number = (DataRelease.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        head = release_head(organizations, documents, themes, number=number, version=version)
        # one format at a time, each from its own read of the statements and in its own
        # write: both at once, with the query psycopg2 builds of them, made the worker 415 MB
        # at 50,000 statements
        json_data, count = render_json(head, statements_in_force(documents))
        release = DataRelease.objects.create(
            number=number, content_version=version, statement_count=count, json_data=json_data
        )
        del json_data
        release.csv_data = render_csv(statements_in_force(documents))
        release.save(update_fields=["csv_data"])
        stale = DataRelease.objects.order_by("-number").values_list("pk", flat=True)[KEEP:]
        DataRelease.objects.filter(pk__in=list(stale)).delete()
    return release
