"""backup then restore into an empty database gives back every table, row for row, ids included."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from organizations.models import Organization
from principles.models import Document, Statement
from principles.services.tagging import add_theme_to_statement
from principles.services.themes import merge_themes
from sheets import services as sheet_services

pytestmark = pytest.mark.django_db(transaction=True)


def every_table():
    """{table: its rows, sorted}: the whole database as data."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        dump = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump[table] = sorted(cursor.fetchall(), key=repr)
    return dump


@pytest.fixture
def edited_database():
    """Content edited with history, a merge, users and a sheet with items."""
    trainer = User.objects.create_user("trainer", password="pw", first_name="Tess")
    organization = Organization.objects.create(
        name="Backup Agency", slug="backup", kind="state_agency", jurisdiction="X"
    )
    document = Document.objects.create(
        organization=organization, slug="d", title="D", kind="policy", status="published"
    )
    statements = [
        Statement.objects.create(document=document, position=n, kind="value", text=f"Value {n}.")
        for n in range(1, 4)
    ]
    statements[0].text = "Value one, edited."
    statements[0]._history_user = trainer
    statements[0].save()
    first = add_theme_to_statement(statements[0], "Backup kinship", user=trainer).theme
    second = add_theme_to_statement(statements[1], "Backup kin", user=trainer).theme
    merge_themes(first, [first, second], user=trainer)
    sheet = sheet_services.create_sheet(owner=trainer, title="Training")
    for statement in statements[:2]:
        sheet_services.add_statement(sheet, statement, user=trainer)
    # and a deletion (of a statement on no sheet: those on sheets are protected)
    Statement.objects.filter(pk=statements[2].pk).delete()
    return trainer


def test_backup_then_restore_into_an_empty_database_keeps_every_row(edited_database, tmp_path):
    before = every_table()
    assert before["sheets_historicalsheetitem"] and before["principles_historicalstatement"]
    path = tmp_path / "practicekb.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 0

    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(path))

    call_command("flush", interactive=False, verbosity=0)
    assert every_table() != before
    call_command("restore", str(path))

    after = every_table()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    assert User.objects.get(username="trainer").check_password("pw")  # people can sign in


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="is not"):
        call_command("restore", str(path), "--force")
