"""Backup and restore of the whole database, ids, history, users and sessions included.

SQLite: Python's sqlite3 online backup API, a consistent copy while the site runs.
PostgreSQL: pg_dump / pg_restore in their custom format, with the client tools on PATH.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.management.base import CommandError
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"

# Tables that `migrate` itself fills: a database holding only these counts as empty.
FILLED_BY_MIGRATE = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",  # the role groups (data migrations)
    "auth_group_permissions",
    # the page cache's content versions (performance/versioning.py): bookkeeping that the
    # first page read or write creates, not content
    "performance_scopeversion",
}


def _connection(alias):
    connection = connections[alias]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise CommandError(f"Backup supports SQLite and PostgreSQL, not {connection.vendor}.")
    return connection


def _pg_args(connection):
    settings = connection.settings_dict
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} is not on PATH. Install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) of the server's major version."
        )
    return path


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def backup(path, alias="default"):
    """Write the whole database to `path`."""
    connection = _connection(alias)
    path = Path(path)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return
    args, env = _pg_args(connection)
    name = connection.settings_dict["NAME"]
    _run([_tool("pg_dump"), "--format=custom", "--file", str(path), *args, name], env)


def non_empty_tables(alias="default"):
    """The models' tables that hold rows, other than those `migrate` fills by itself (a
    search index's own bookkeeping tables do not count)."""
    connection = _connection(alias)
    models = apps.get_models(include_auto_created=True)
    wanted = {model._meta.db_table for model in models} - FILLED_BY_MIGRATE
    filled = []
    with connection.cursor() as cursor:
        for table in sorted(wanted & set(connection.introspection.table_names(cursor))):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(table)
    return filled


def check_file(path, vendor):
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"There is no backup file at {path}.")
    with path.open("rb") as file:
        head = file.read(16)
    expected, kind = (SQLITE_MAGIC, "an SQLite") if vendor == "sqlite" else (PG_MAGIC, "a pg_dump")
    if not head.startswith(expected):
        raise CommandError(
            f"{path} is not {kind} backup, so it cannot be restored into this {vendor} database."
        )


def restore(path, alias="default"):
    """Replace the database's whole content with the backup at `path`."""
    connection = _connection(alias)
    check_file(path, connection.vendor)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops and recreates tables: hold no locks on them
    args, env = _pg_args(connection)
    name = connection.settings_dict["NAME"]
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            *args,
            str(path),
        ],
        env,
    )
