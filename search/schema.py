"""The search index, kept in sync with the statements by the database itself.

Triggers (rather than Django signals) keep it right whatever writes the rows: the admin,
loaddata's raw saves, bulk_create in generate_corpus or another app's import.

- PostgreSQL: search_entry, one row per statement with a weighted English tsvector (title A,
  text B) and, copied in, what the filters and facets need (organization, kind, published,
  theme ids), so a search and all its facets read one table through one GIN index, without
  joins. Triggers on statements, documents and statement themes keep it in sync.
- SQLite: search_statement_fts, an FTS5 table (porter stemmer) whose rowid is the
  statement's id. Organization and status are joined at query time, so only the
  statements table needs triggers. A SQLite built without FTS5 is refused at migrate.

The principles app's tables and migrations are untouched: the index lives in its own table.
"""

# ruff: noqa: S608 - SQL built only from constant identifiers (table names, the status value)

import sqlite3
from functools import cache

from django.core.exceptions import ImproperlyConfigured

# The value of principles.models.DocumentStatus.PUBLISHED, written into SQL below.
PUBLISHED = "published"

# The statement trigger's function as 0001 installs it (0002 replaces it; undoing 0002 puts
# this back).
SYNC_STATEMENT_V1 = f"""search_entry_sync_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            DELETE FROM search_entry WHERE statement_id = OLD.id;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        INSERT INTO search_entry
            (statement_id, document_id, organization_id, kind, published, theme_ids, vector)
        SELECT NEW.id, d.id, d.organization_id, NEW.kind, d.status = '{PUBLISHED}',
               search_statement_theme_ids(NEW.id), search_statement_vector(NEW.title, NEW.text)
        FROM principles_document d WHERE d.id = NEW.document_id
        ON CONFLICT (statement_id) DO UPDATE SET
            document_id = EXCLUDED.document_id, organization_id = EXCLUDED.organization_id,
            kind = EXCLUDED.kind, published = EXCLUDED.published,
            theme_ids = EXCLUDED.theme_ids, vector = EXCLUDED.vector;
        RETURN NEW;
    END
    $$
    """

POSTGRES_INSTALL = [
    """
    CREATE TABLE search_entry (
        statement_id bigint PRIMARY KEY,
        document_id bigint NOT NULL,
        organization_id bigint NOT NULL,
        kind varchar(30) NOT NULL,
        published boolean NOT NULL,
        theme_ids bigint[] NOT NULL DEFAULT '{}',
        vector tsvector NOT NULL
    )
    """,
    "CREATE INDEX search_entry_vector_idx ON search_entry USING gin (vector)",
    "CREATE INDEX search_entry_document_idx ON search_entry (document_id)",
    """
    CREATE FUNCTION search_statement_vector(title text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
    $$
    """,
    """
    CREATE FUNCTION search_statement_theme_ids(statement bigint) RETURNS bigint[]
    LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(tag_id ORDER BY tag_id), '{}')
        FROM principles_taggedstatement WHERE content_object_id = statement
    $$
    """,
    f"CREATE FUNCTION {SYNC_STATEMENT_V1}",
    """
    CREATE TRIGGER search_entry_statement_write
    AFTER INSERT OR DELETE ON principles_statement
    FOR EACH ROW EXECUTE FUNCTION search_entry_sync_statement()
    """,
    """
    CREATE TRIGGER search_entry_statement_update
    AFTER UPDATE ON principles_statement
    FOR EACH ROW WHEN (
        OLD.id IS DISTINCT FROM NEW.id OR OLD.document_id IS DISTINCT FROM NEW.document_id
        OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.title IS DISTINCT FROM NEW.title
        OR OLD.text IS DISTINCT FROM NEW.text
    )
    EXECUTE FUNCTION search_entry_sync_statement()
    """,
    f"""
    CREATE FUNCTION search_entry_sync_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_entry
        SET organization_id = NEW.organization_id, published = NEW.status = '{PUBLISHED}'
        WHERE document_id = NEW.id;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER search_entry_document_update
    AFTER UPDATE ON principles_document
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.organization_id IS DISTINCT FROM NEW.organization_id
    )
    EXECUTE FUNCTION search_entry_sync_document()
    """,
    """
    CREATE FUNCTION search_entry_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_entry;
        RETURN NULL;
    END
    $$
    """,
    # Django's flush (between transactional tests) truncates the statements table.
    """
    CREATE TRIGGER search_entry_statement_truncate
    AFTER TRUNCATE ON principles_statement
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_truncate()
    """,
    # Themes: statement-level triggers with transition tables, so a bulk_create of
    # thousands of taggings updates each statement's theme_ids once, in one UPDATE.
    """
    CREATE FUNCTION search_entry_sync_themes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_entry SET theme_ids = search_statement_theme_ids(statement_id)
        WHERE statement_id IN (SELECT content_object_id FROM changed_taggings);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION search_entry_sync_themes_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_entry SET theme_ids = search_statement_theme_ids(statement_id)
        WHERE statement_id IN (
            SELECT content_object_id FROM old_taggings
            UNION SELECT content_object_id FROM new_taggings
        );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER search_entry_tagging_insert AFTER INSERT ON principles_taggedstatement
    REFERENCING NEW TABLE AS changed_taggings
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_sync_themes()
    """,
    """
    CREATE TRIGGER search_entry_tagging_delete AFTER DELETE ON principles_taggedstatement
    REFERENCING OLD TABLE AS changed_taggings
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_sync_themes()
    """,
    """
    CREATE TRIGGER search_entry_tagging_update AFTER UPDATE ON principles_taggedstatement
    REFERENCING OLD TABLE AS old_taggings NEW TABLE AS new_taggings
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_sync_themes_update()
    """,
    """
    CREATE FUNCTION search_entry_clear_themes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_entry SET theme_ids = '{}' WHERE theme_ids <> '{}';
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER search_entry_tagging_truncate AFTER TRUNCATE ON principles_taggedstatement
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_clear_themes()
    """,
    f"""
    INSERT INTO search_entry
        (statement_id, document_id, organization_id, kind, published, theme_ids, vector)
    SELECT s.id, d.id, d.organization_id, s.kind, d.status = '{PUBLISHED}',
           search_statement_theme_ids(s.id), search_statement_vector(s.title, s.text)
    FROM principles_statement s JOIN principles_document d ON d.id = s.document_id
    """,
    "ANALYZE search_entry",
]

POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_entry_tagging_truncate ON principles_taggedstatement",
    "DROP TRIGGER IF EXISTS search_entry_tagging_update ON principles_taggedstatement",
    "DROP TRIGGER IF EXISTS search_entry_tagging_delete ON principles_taggedstatement",
    "DROP TRIGGER IF EXISTS search_entry_tagging_insert ON principles_taggedstatement",
    "DROP FUNCTION IF EXISTS search_entry_clear_themes()",
    "DROP FUNCTION IF EXISTS search_entry_sync_themes_update()",
    "DROP FUNCTION IF EXISTS search_entry_sync_themes()",
    "DROP TRIGGER IF EXISTS search_entry_statement_truncate ON principles_statement",
    "DROP TRIGGER IF EXISTS search_entry_document_update ON principles_document",
    "DROP TRIGGER IF EXISTS search_entry_statement_update ON principles_statement",
    "DROP TRIGGER IF EXISTS search_entry_statement_write ON principles_statement",
    "DROP FUNCTION IF EXISTS search_entry_truncate()",
    "DROP FUNCTION IF EXISTS search_entry_sync_document()",
    "DROP FUNCTION IF EXISTS search_entry_sync_statement()",
    "DROP FUNCTION IF EXISTS search_statement_vector(text, text)",
    "DROP FUNCTION IF EXISTS search_statement_theme_ids(bigint)",
    "DROP TABLE IF EXISTS search_entry",
    "DROP FUNCTION IF EXISTS search_statement_prior(tsvector)",
    "DROP FUNCTION IF EXISTS search_entry_facets(bigint, text, bigint[])",
]

# Version 2 (migration 0002): bounded reads for broad searches (see PostgresBackend).
# - prior: 1 / log2(1 + the statement's word count), the length factor by which ts_rank
#   (normalization 1) divides, indexed among published rows: a search matching more than
#   COUNT_LIMIT statements ranks the BEST_LIMIT with the highest prior instead of all.
# - facets: a generated tsvector of the row's filter values ('o<organization id>',
#   'k<kind>', 't<theme id>' for each theme), indexed with the text vector in one GIN index,
#   so that a filtered search intersects the two inside the index and reads only the rows
#   that pass every filter, whatever the filters (the GIN index on vector alone is dropped).
# The statement trigger now also writes prior; facets follow organization_id, kind and
# theme_ids, which the triggers keep in sync.
POSTGRES_V2_INSTALL = [
    """
    CREATE FUNCTION search_statement_prior(vector tsvector) RETURNS real
    LANGUAGE sql IMMUTABLE AS $$
        SELECT (1 / log(2.0, greatest(2, 1 + coalesce(
            (SELECT sum(coalesce(array_length(positions, 1), 1)) FROM unnest(vector)), 0
        ))))::real
    $$
    """,
    "ALTER TABLE search_entry ADD COLUMN prior real NOT NULL DEFAULT 0",
    "UPDATE search_entry SET prior = search_statement_prior(vector)",
    f"""
    CREATE OR REPLACE FUNCTION search_entry_sync_statement() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            DELETE FROM search_entry WHERE statement_id = OLD.id;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        INSERT INTO search_entry (statement_id, document_id, organization_id, kind,
                                  published, theme_ids, vector, prior)
        SELECT NEW.id, d.id, d.organization_id, NEW.kind, d.status = '{PUBLISHED}',
               search_statement_theme_ids(NEW.id), v.vector, search_statement_prior(v.vector)
        FROM principles_document d,
             LATERAL (SELECT search_statement_vector(NEW.title, NEW.text) AS vector) v
        WHERE d.id = NEW.document_id
        ON CONFLICT (statement_id) DO UPDATE SET
            document_id = EXCLUDED.document_id, organization_id = EXCLUDED.organization_id,
            kind = EXCLUDED.kind, published = EXCLUDED.published,
            theme_ids = EXCLUDED.theme_ids, vector = EXCLUDED.vector, prior = EXCLUDED.prior;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE FUNCTION search_entry_facets(organization bigint, kind text, themes bigint[])
    RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
        SELECT array_to_tsvector(ARRAY['o' || organization, 'k' || kind]
            || ARRAY(SELECT 't' || theme FROM unnest(themes) AS theme))
    $$
    """,
    "ALTER TABLE search_entry ADD COLUMN facets tsvector GENERATED ALWAYS AS "
    "(search_entry_facets(organization_id, kind, theme_ids)) STORED",
    "CREATE INDEX search_entry_match_idx ON search_entry USING gin (vector, facets)",
    "DROP INDEX search_entry_vector_idx",
    "CREATE INDEX search_entry_prior_idx ON search_entry (prior DESC, statement_id) "
    "WHERE published",
    "ANALYZE search_entry",
]

POSTGRES_V2_UNINSTALL = [
    "DROP INDEX IF EXISTS search_entry_prior_idx",
    "CREATE INDEX IF NOT EXISTS search_entry_vector_idx ON search_entry USING gin (vector)",
    "DROP INDEX IF EXISTS search_entry_match_idx",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS facets",
    "DROP FUNCTION IF EXISTS search_entry_facets(bigint, text, bigint[])",
    f"CREATE OR REPLACE FUNCTION {SYNC_STATEMENT_V1}",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS prior",
    "DROP FUNCTION IF EXISTS search_statement_prior(tsvector)",
]

FTS_TABLE = "search_statement_fts"

SQLITE_TABLE = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}
USING fts5(title, text, tokenize = 'porter unicode61 remove_diacritics 2')
"""

SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON principles_statement
        BEGIN
            INSERT INTO {FTS_TABLE} (rowid, title, text) VALUES (new.id, new.title, new.text);
        END
    """,
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON principles_statement
        BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        END
    """,
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
        AFTER UPDATE OF id, title, text ON principles_statement
        BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
            INSERT INTO {FTS_TABLE} (rowid, title, text) VALUES (new.id, new.title, new.text);
        END
    """,
}

SQLITE_REFILL = [
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE} (rowid, title, text) "
    "SELECT id, title, text FROM principles_statement",
]

SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] + [
    f"DROP TABLE IF EXISTS {FTS_TABLE}"
]


NO_FTS5 = (
    "Search needs SQLite's FTS5 extension, which this SQLite library was built without: "
    "use Python's own SQLite (it has FTS5) or PostgreSQL (DATABASE_URL)."
)


@cache
def sqlite_has_fts5():
    """Whether the SQLite library Python links against was built with FTS5."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(body, tokenize = 'porter')")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def install(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRES_INSTALL
    elif vendor == "sqlite" and sqlite_has_fts5():
        statements = [SQLITE_TABLE, *SQLITE_TRIGGERS.values(), *SQLITE_REFILL]
    elif vendor == "sqlite":
        raise ImproperlyConfigured(NO_FTS5)
    else:
        return  # another database: no search index
    for sql in statements:
        schema_editor.execute(sql, params=None)


def _on_postgresql(schema_editor, statements):
    """Later versions change only PostgreSQL's index (SQLite's FTS5 needs nothing more)."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)


def install_v2(schema_editor):
    _on_postgresql(schema_editor, POSTGRES_V2_INSTALL)


def uninstall_v2(schema_editor):
    _on_postgresql(schema_editor, POSTGRES_V2_UNINSTALL)


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_UNINSTALL, "sqlite": SQLITE_UNINSTALL}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def repair_after_migrate(sender=None, using="default", **kwargs):
    """Recreate the SQLite triggers if a table rebuild dropped them, and refill the index."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite" or not sqlite_has_fts5():
        return
    recorder = MigrationRecorder(connection)
    if not recorder.has_table() or ("search", "0001_initial") not in recorder.applied_migrations():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{FTS_TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        if FTS_TABLE in present and not missing:
            return
        for sql in [SQLITE_TABLE, *(SQLITE_TRIGGERS[name] for name in missing), *SQLITE_REFILL]:
            cursor.execute(sql)


# Version 3 (migration 0003): the words of every statement, for "Did you mean ...?" on
# PostgreSQL: search_word, one row per lower-case word, with a pg_trgm index for similarity.
# A trigger adds the words of each written statement; words are never removed (a suggestion
# is only made after counting what it finds among published statements, see
# search.spelling), so drafts' words and words since deleted are never suggested.
POSTGRES_V3_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_word (word text PRIMARY KEY)",
    "CREATE INDEX search_word_trgm_idx ON search_word USING gin (word gin_trgm_ops)",
    """
    CREATE FUNCTION search_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_word (word)
        SELECT DISTINCT w FROM regexp_split_to_table(
            lower(coalesce(NEW.title, '') || ' ' || coalesce(NEW.text, '')), '[^[:alnum:]]+'
        ) AS w
        WHERE length(w) BETWEEN 3 AND 40
        ON CONFLICT (word) DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER search_word_statement_write
    AFTER INSERT OR UPDATE OF title, text ON principles_statement
    FOR EACH ROW EXECUTE FUNCTION search_word_add()
    """,
    """
    INSERT INTO search_word (word)
    SELECT DISTINCT w FROM principles_statement s,
        regexp_split_to_table(lower(s.title || ' ' || s.text), '[^[:alnum:]]+') AS w
    WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT (word) DO NOTHING
    """,
]

POSTGRES_V3_UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_word_statement_write ON principles_statement",
    "DROP FUNCTION IF EXISTS search_word_add()",
    "DROP TABLE IF EXISTS search_word",
]


def install_v3(schema_editor):
    _on_postgresql(schema_editor, POSTGRES_V3_INSTALL)


def uninstall_v3(schema_editor):
    _on_postgresql(schema_editor, POSTGRES_V3_UNINSTALL)
