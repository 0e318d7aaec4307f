"""Content versions scoped to what a page shows, kept by the database.

Each cached page depends on a few named scopes (pagecache.page_scopes) and its key holds
their versions; a write bumps only the scopes whose pages it changes:

- `global`: navigation-wide things. Organizations, documents (status, titles), sections and
  themes (names), and statements added, removed, moved or relabelled (neighbours' links,
  "3 of 40"). Every page depends on it; these writes are rare.
- `org:<slug>`: an organization's page, its documents' pages and comparisons that include it.
- `theme:<slug>`: a theme's page.
- `st:<id>`: a statement's page (its text, themes and "Similar elsewhere").
- `sim:<slug>`: the similarities of an organization's statements (comparisons that include it).
- `search`: search results (any statement text or tagging).
- `summary`: home, the organization list and the theme list (theme counts, missions).
- `*`: every content change (current_version(), for caches that follow all content).
- `auth`: who may do what (groups, memberships, permissions): not content, so not part of
  `*`; signed-in pages keep people's permissions under it (pagecache.permissions_of).
- `person:<user id>`: a person's own things that their signed-in pages show (their sheets:
  apps name the tables with add_personal_table); not content either.

An edit of a statement's text bumps its own `st:`, its organization, its themes, the
statements that list it as similar, and `search`; a tagging bumps the statement, its
organization, every theme it carries, `search` and `summary`. Other organizations', themes'
and statements' pages keep their keys. A tagging with a theme readers do not see (a
proposed one: they see approved themes only) bumps the same scopes prefixed with `staff:`,
which only signed-in pages read: staff proposing themes all day leave readers' pages cached.
(A theme's approval writes the theme's row: `global`.)

Triggers rather than Django signals, because content also changes through loaddata's raw
saves, bulk_create (generate_corpus, refresh_similarities) and queryset updates, which send
no signals; and numbers kept in the database (not in the cache) are the same for every
gunicorn worker.

- PostgreSQL: a deferred constraint trigger per table runs at COMMIT and bumps each scope
  once per commit (it records the transaction id and the statement's time), so a bulk
  write of 50,000 rows bumps a scope once. Taking the rows' locks only at commit keeps
  concurrent editors from serializing on them for a whole transaction; the scopes are
  upserted in sorted order, so two commits cannot deadlock on them.
- SQLite: row triggers per table and operation (SQLite has one writer at a time).

A bulk write of a whole table (a full similarity refresh writes 1.25 million rows at 50,000
statements) runs inside `bulk_write()`: the triggers skip its rows (their WHEN clause reads a
transaction-local setting, so no event is even queued) and `global` is bumped once instead.
Per-row scopes would cost minutes of subqueries at COMMIT for a change that touches every
page anyway.

A scope row is created by its first bump with a number taken from the clock, and `global`
is created the same way when it is missing (a flush emptied the table): a number no
earlier run handed out, so no page cached before a flush is served after it.
"""

# ruff: noqa: S608 - SQL built only from constant identifiers (model table and column names)

import time
from contextlib import contextmanager

from django.apps import apps
from django.db import connections, transaction

from principles.models import ThemeStatus

from .models import ScopeVersion

GLOBAL = "global"
EVERYTHING = "*"
SEARCH = "search"
SUMMARY = "summary"
AUTH = "auth"
# Prefix of the scopes of a tagging with a theme readers do not see: signed-in pages read
# both `<scope>` and `staff:<scope>`, readers' pages only the first.
UNSEEN = "staff:"
MISSION = "mission"  # the statement kind that home and the organization list quote

TRIGGER = "performance_scopes_changed"
# the triggers of the single content version (migration 0001), dropped by migration 0002
OLD_TRIGGER = "performance_content_changed"
OLD_FUNCTION = "performance_bump_content_version"

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
# Tables whose every write may change someone's permissions: `auth`. (A user's own
# is_active and is_superuser are read with the user on every request.)
AUTH_MODELS = [
    "auth.Permission",
    "auth.Group_permissions",
    "auth.User_groups",
    "auth.User_user_permissions",
    "contenttypes.ContentType",
]
# label -> SQL of the id of the person whose pages show a row ("{row}" is OLD or NEW).
PERSONAL_TABLES = {}


def add_personal_table(label, owner):
    """A table of people's own things (sheets.apps adds the sheets and their statements):
    each write bumps `person:<owner>`."""
    PERSONAL_TABLES[label] = owner


def person(user_id):
    return f"person:{user_id}"


# Tables whose every write is navigation-wide.
GLOBAL_MODELS = [*CONTENT_MODELS[:3], "principles.Theme"]
# A statement's columns whose change shows on other statements' pages or in navigation.
STRUCTURAL_COLUMNS = ["document_id", "section_id", "position", "label", "derived_from_id"]

# One bump per transaction and statement: at COMMIT every deferred event of a bulk write
# shares both, so 50,000 inserted rows bump a scope once, not 50,000 times.
PG_MARK = "txid_current()::text || ' ' || statement_timestamp()::text"
# The transaction-local setting that bulk_write() turns on and the triggers' WHEN reads.
BULK_SETTING = "practicekb.bulk_write"
PG_START = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
SQLITE_START = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _table(label):
    return apps.get_model(label)._meta.db_table


def content_tables():
    return [_table(label) for label in CONTENT_MODELS]


def auth_tables():
    return [_table(label) for label in AUTH_MODELS]


def _present(tables, existing):
    """`tables` less those not in `existing` (a migrate to an earlier state has not made
    every app's tables); all of them when `existing` is None."""
    return [table for table in tables if existing is None or table in existing]


def _personal_tables(existing=None):
    owners = {_table(label): owner for label, owner in PERSONAL_TABLES.items()}
    return [(table, owners[table]) for table in _present(owners, existing)]


def _version_table():
    return ScopeVersion._meta.db_table


def _names():
    return {
        "version": _version_table(),
        "org": _table("organizations.Organization"),
        "doc": _table("principles.Document"),
        "st": _table("principles.Statement"),
        "tagged": _table("principles.TaggedStatement"),
        "theme": _table("principles.Theme"),
        "sim": _table("compare.StatementSimilarity"),
    }


# Scope queries shared by both databases: `{id}` is the statement's id expression.


def _org_of(statement_id, n):
    return (
        f"SELECT 'org:' || o.slug FROM {n['st']} s JOIN {n['doc']} d ON d.id = s.document_id "
        f"JOIN {n['org']} o ON o.id = d.organization_id WHERE s.id = {statement_id}"
    )


def _sim_org_of(statement_id, n):
    return _org_of(statement_id, n).replace("'org:'", "'sim:'")


def _themes_of(statement_id, n):
    return (
        f"SELECT 'theme:' || t.slug FROM {n['tagged']} ts JOIN {n['theme']} t "
        f"ON t.id = ts.tag_id WHERE ts.content_object_id = {statement_id}"
    )


def _theme(theme_id, n):
    return f"SELECT 'theme:' || t.slug FROM {n['theme']} t WHERE t.id = {theme_id}"


def _listed_as_similar(statement_id, n):
    return f"SELECT 'st:' || x.statement_id FROM {n['sim']} x WHERE x.other_id = {statement_id}"


def _statement_text_scopes(row, n):
    """Scopes of an edit that leaves the statement in place (text, title, kind)."""
    return [
        f"SELECT '{SEARCH}'",
        f"SELECT 'st:' || {row}.id",
        _org_of(f"{row}.id", n),
        _themes_of(f"{row}.id", n),
        _listed_as_similar(f"{row}.id", n),
    ]


def _tagging_scopes(row, n):
    """A tagging's scopes; with a theme readers do not see (not approved), each prefixed with
    UNSEEN: only signed-in pages read those (module docstring)."""
    prefix = (
        f"(SELECT CASE WHEN seen.status = '{ThemeStatus.APPROVED}' THEN '' ELSE '{UNSEEN}' END "
        f"FROM {n['theme']} seen WHERE seen.id = {row}.tag_id) || "
    )
    return [select.replace("SELECT ", f"SELECT {prefix}", 1) for select in _shown(row, n)]


def _shown(row, n):
    """What a tagging changes: the pages that show its statement's themes."""
    return [
        f"SELECT '{SEARCH}'",
        f"SELECT '{SUMMARY}'",
        f"SELECT 'st:' || {row}.content_object_id",
        _org_of(f"{row}.content_object_id", n),
        _themes_of(f"{row}.content_object_id", n),
        _theme(f"{row}.tag_id", n),
    ]


def _similarity_scopes(row, n):
    return [
        f"SELECT 'st:' || {row}.statement_id",
        f"SELECT 'st:' || {row}.other_id",
        _sim_org_of(f"{row}.statement_id", n),
        _sim_org_of(f"{row}.other_id", n),
    ]


# PostgreSQL


def _pg_array(selects):
    return " || ".join(f"ARRAY({select})" for select in selects)


def _pg_old_and_new(scopes):
    """A row trigger's body bumping `scopes(row)` (SQL of a text[]) of the old row and the
    new one, each when there is one."""
    return f"""
            IF TG_OP <> 'INSERT' THEN PERFORM performance_bump({scopes("OLD")}); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM performance_bump({scopes("NEW")}); END IF;"""


def _pg_trigger(table, function, body=None, when=""):
    """The statements that make `function` (from `body`, unless it exists already) run at
    COMMIT for each row written to `table`."""
    made = []
    if body is not None:
        made.append(
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {body}
                RETURN NULL;
            END
            $$
            """
        )
    return [
        *made,
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}",
        f"""
        CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {when}
        EXECUTE FUNCTION {function}()
        """,
    ]


def postgresql_sql(existing=None):
    n = _names()
    structural = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in STRUCTURAL_COLUMNS)
    everything_global = f"ARRAY['{EVERYTHING}', '{GLOBAL}']"
    bodies = {
        "global": f"PERFORM performance_bump({everything_global});",
        n["st"]: f"""
            IF TG_OP <> 'UPDATE' OR {structural} THEN
                PERFORM performance_bump({everything_global});
            ELSE
                PERFORM performance_bump(
                    ARRAY['{EVERYTHING}']
                    || CASE WHEN OLD.kind = '{MISSION}' OR NEW.kind = '{MISSION}'
                       THEN ARRAY['{SUMMARY}'] ELSE ARRAY[]::text[] END
                    || {_pg_array(_statement_text_scopes("NEW", n))});
            END IF;""",
        n["tagged"]: _pg_old_and_new(
            lambda row: f"ARRAY['{EVERYTHING}'] || {_pg_array(_tagging_scopes(row, n))}"
        ),
        n["sim"]: _pg_old_and_new(
            lambda row: f"ARRAY['{EVERYTHING}'] || {_pg_array(_similarity_scopes(row, n))}"
        ),
    }
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION performance_bump(scopes text[]) RETURNS void
        LANGUAGE sql AS $$
            INSERT INTO {n["version"]} AS v (scope, version, last_bump)
            SELECT scope, {PG_START}, {PG_MARK}
            FROM (SELECT DISTINCT scope FROM unnest(scopes) AS scope) AS changed
            WHERE scope IS NOT NULL ORDER BY scope
            ON CONFLICT (scope) DO UPDATE
            SET version = v.version + 1, last_bump = EXCLUDED.last_bump
            WHERE v.last_bump IS DISTINCT FROM EXCLUDED.last_bump
        $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION performance_bump_auth() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM performance_bump(ARRAY['{AUTH}']);
            RETURN NULL;
        END
        $$
        """,
    ]
    for table in content_tables():
        statements += _pg_trigger(
            table,
            f"performance_scopes_{table}",
            bodies.get(table, bodies["global"]),
            when=f"WHEN (current_setting('{BULK_SETTING}', true) IS DISTINCT FROM 'on')",
        )
    # every write, a bulk one too: a permission kept past its revocation is not a stale page
    for table in _present(auth_tables(), existing):
        statements += _pg_trigger(table, "performance_bump_auth")
    for table, owner in _personal_tables(existing):
        statements += _pg_trigger(
            table,
            f"performance_person_{table}",
            _pg_old_and_new(
                lambda row, owner=owner: f"ARRAY['person:' || ({owner.format(row=row)})]"
            ),
        )
    return statements


# SQLite


def _sqlite_upsert(selects, first=EVERYTHING):
    """`first`: a scope always bumped, or None when the first select names its column."""
    # a compound SELECT takes its column's name from its first part
    union = " UNION ".join([f"SELECT '{first}' AS scope", *selects] if first else selects)
    return (
        f"INSERT INTO {_version_table()} (scope, version, last_bump) "
        f"SELECT scope, {SQLITE_START}, '' FROM ({union}) AS changed "
        "WHERE scope IS NOT NULL "
        "ON CONFLICT (scope) DO UPDATE SET version = version + 1;"
    )


def _sqlite_old_and_new(table, scopes, first=EVERYTHING):
    """Row triggers on `table` bumping `scopes(row)` (selects) of the old row, the new one
    or both: (name suffix, event, WHEN, body) as sqlite_sql lists them."""
    old, new = (_sqlite_upsert(scopes(row), first) for row in ("OLD", "NEW"))
    return [
        (f"{table}_insert", f"INSERT ON {table}", "", new),
        (f"{table}_update", f"UPDATE ON {table}", "", old + "\n" + new),
        (f"{table}_delete", f"DELETE ON {table}", "", old),
    ]


def sqlite_sql(existing=None):
    n = _names()
    auth_bump = _sqlite_upsert([], first=AUTH)
    structural = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in STRUCTURAL_COLUMNS)
    everything_global = _sqlite_upsert([f"SELECT '{GLOBAL}'"])
    triggers = []  # (name suffix, timing and event, WHEN or "", body)
    for label in GLOBAL_MODELS:
        table = _table(label)
        for op in ("INSERT", "UPDATE", "DELETE"):
            triggers.append((f"{table}_{op.lower()}", f"{op} ON {table}", "", everything_global))
    st = n["st"]
    mission = (
        f"SELECT CASE WHEN OLD.kind = '{MISSION}' OR NEW.kind = '{MISSION}' THEN '{SUMMARY}' END"
    )
    triggers += [
        (f"{st}_insert", f"INSERT ON {st}", "", everything_global),
        (f"{st}_delete", f"DELETE ON {st}", "", everything_global),
        (f"{st}_move", f"UPDATE ON {st}", f"WHEN {structural}", everything_global),
        (
            f"{st}_update",
            f"UPDATE ON {st}",
            f"WHEN NOT ({structural})",
            _sqlite_upsert([mission, *_statement_text_scopes("NEW", n)]),
        ),
    ]
    for table, scopes in ((n["tagged"], _tagging_scopes), (n["sim"], _similarity_scopes)):
        triggers += _sqlite_old_and_new(table, lambda row, scopes=scopes: scopes(row, n))
    for table in _present(auth_tables(), existing):
        for op in ("INSERT", "UPDATE", "DELETE"):
            triggers.append((f"{table}_{op.lower()}", f"{op} ON {table}", "", auth_bump))
    for table, owner in _personal_tables(existing):
        triggers += _sqlite_old_and_new(
            table,
            lambda row, owner=owner: [f"SELECT 'person:' || ({owner.format(row=row)}) AS scope"],
            first=None,
        )
    statements = []
    for suffix, event, when, body in triggers:
        name = f"{TRIGGER}_{suffix}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW {when} BEGIN {body} END",
        ]
    return statements


def sqlite_trigger_names(using="default"):
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def has_triggers(using="default"):
    """Only PostgreSQL and SQLite get the triggers; elsewhere nothing would ever bump the
    versions, so pages are not cached at all."""
    return connections[using].vendor in ("postgresql", "sqlite")


def install_triggers(using="default"):
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if connection.vendor == "postgresql":
        statements = postgresql_sql(existing)
    elif connection.vendor == "sqlite":
        statements = sqlite_sql(existing)
    else:  # another database: pages are then never cached (see has_triggers)
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers(using="default"):
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in content_tables():
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS performance_scopes_{table}()")
            for table in auth_tables():
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS performance_bump_auth()")
            for table, _owner in _personal_tables():
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS performance_person_{table}()")
            cursor.execute("DROP FUNCTION IF EXISTS performance_bump(text[])")
        elif connection.vendor == "sqlite":
            for name in sqlite_trigger_names(using):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_after_migrate(using="default", plan=None, **kwargs):
    # only once the version table exists (not on a migrate that unapplies this app)
    connection = connections[using]
    if _version_table() in connection.introspection.table_names():
        install_triggers(using)


def versions(scopes, using="default"):
    """The versions of `scopes` (in that order; 0 for a scope never bumped), in one indexed
    read (plain SQL: it runs on every cached page, where the ORM's own work would be a
    tenth of the request). `global` is always read: when a flush has emptied the table it is
    created again from the clock, so no earlier key can come back."""
    wanted = list(dict.fromkeys([GLOBAL, *scopes]))
    placeholders = ", ".join(["%s"] * len(wanted))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT scope, version FROM {_version_table()} WHERE scope IN ({placeholders})",
            wanted,
        )
        found = dict(cursor.fetchall())
    for scope in (GLOBAL, EVERYTHING):
        if scope in wanted and scope not in found:
            found[scope] = (
                ScopeVersion.objects.using(using)
                .get_or_create(scope=scope, defaults={"version": time.time_ns() // 1000})[0]
                .version
            )
    return tuple((scope, found.get(scope, 0)) for scope in wanted)


def current_version(using="default"):
    """A number that changes with any content change at all (for caches that follow all
    content, such as the readers' PDFs)."""
    return dict(versions([EVERYTHING], using))[EVERYTHING]


def bump(scopes, using="default"):
    """Bump these scopes (and `*`) now, for a change that the triggers cannot see: one that
    alters what a page shows without writing a content table (compare's pending refresh
    cleared with the same matches as before)."""
    scopes = sorted(set(scopes) - {EVERYTHING})
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT performance_bump(%s::text[])", [[EVERYTHING, *scopes]])
        elif connection.vendor == "sqlite":  # the triggers' own upsert ('*' included)
            cursor.execute(_sqlite_upsert(["SELECT %s"] * len(scopes)), scopes)


@contextmanager
def bulk_write(using="default"):
    """Write many rows in one transaction without a scope bump per row: every page is
    invalidated once, through `global`, when the block ends (module docstring). On SQLite
    (one writer, small data) the row triggers run as usual."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [BULK_SETTING])
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [BULK_SETTING])
        bump([GLOBAL], using)
