"""The content version, kept by the database: triggers on every content table bump it.

Triggers rather than Django signals, because content also changes through loaddata's raw
saves, bulk_create (generate_corpus, refresh_similarities) and queryset updates, which send
no signals; and a number kept in the database (not in the cache) is the same for every
gunicorn worker, which a per-process locmem cache could not share.

- PostgreSQL: a deferred constraint trigger per table runs at COMMIT and bumps the row once
  per commit (it records the transaction id and the statement's time). Taking the row's
  lock only at commit keeps concurrent editors from serializing on it, or deadlocking, for
  a whole transaction.
  A reader that reads the new number then also reads the committed content.
- SQLite: a row trigger per table and operation (SQLite has one writer at a time).
"""

# ruff: noqa: S608 - SQL built only from constant identifiers (model table names)

import time

from django.apps import apps
from django.db import connections

from .models import ContentVersion

# Everything an anonymous page shows comes from these models' tables.
CONTENT_MODELS = [
    "organizations.Organization",
    "principles.Document",
    "principles.Section",
    "principles.Statement",
    "principles.TaggedStatement",
    "principles.Theme",
    "compare.StatementSimilarity",
]
TRIGGER = "performance_content_changed"
# One bump per transaction and statement: at COMMIT every deferred event of a bulk write
# shares both, so 50,000 inserted rows bump the version once, not 50,000 times.
BUMP_MARK = "txid_current()::text || ' ' || statement_timestamp()::text"


def content_tables():
    return [apps.get_model(label)._meta.db_table for label in CONTENT_MODELS]


def _version_table():
    return ContentVersion._meta.db_table


def postgresql_sql():
    table = _version_table()
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION performance_bump_content_version() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {table} SET version = version + 1, last_bump = {BUMP_MARK}
            WHERE id = 1 AND last_bump IS DISTINCT FROM {BUMP_MARK};
            RETURN NULL;
        END
        $$
        """
    ]
    for content in content_tables():
        statements += [
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {content}",
            f"""
            CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {content}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            EXECUTE FUNCTION performance_bump_content_version()
            """,
        ]
    return statements


def sqlite_sql():
    table = _version_table()
    return [
        f"""
        CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{content}_{operation.lower()}
        AFTER {operation} ON {content}
        BEGIN
            UPDATE {table} SET version = version + 1 WHERE id = 1;
        END
        """
        for content in content_tables()
        for operation in ("INSERT", "UPDATE", "DELETE")
    ]


def has_triggers(using="default"):
    """Only PostgreSQL and SQLite get the triggers; elsewhere nothing would ever bump the
    version, so pages are not cached at all."""
    return connections[using].vendor in ("postgresql", "sqlite")


def install_triggers(using="default"):
    connection = connections[using]
    if connection.vendor == "postgresql":
        statements = postgresql_sql()
    elif connection.vendor == "sqlite":
        statements = sqlite_sql()
    else:  # another database: pages are then never cached (see current_version)
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_after_migrate(using="default", plan=None, **kwargs):
    # only once the version table exists (not on a migrate that unapplies this app)
    connection = connections[using]
    if _version_table() in connection.introspection.table_names():
        install_triggers(using)


def current_version(using="default"):
    """The content version: one indexed read of a one-row table (plain SQL: it runs on every
    cached page, where the ORM's own work would be a tenth of the request)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_version_table()} WHERE id = 1")
        row = cursor.fetchone()
    version = row[0] if row else None
    if version is None:
        # The row is gone (a flush emptied the table): start again from a number that no
        # earlier run handed out, so no page cached before can be served again.
        version = (
            ContentVersion.objects.using(using)
            .get_or_create(pk=1, defaults={"version": time.time_ns() // 1000})[0]
            .version
        )
    return version
