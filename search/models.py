"""A read-only view of SQLite's FTS5 index, so that the ORM can join it with statements.

Not managed by Django (managed = False): search.schema creates the table on SQLite only and
triggers fill it. PostgreSQL's search_entry table is read with SQL in search.backends.
"""

from django.db import models
from django.db.models import Lookup

from principles.models import Statement

from .schema import FTS_TABLE


class FtsIndexField(models.TextField):
    """FTS5's hidden column named after its table: the left-hand side of MATCH."""


@FtsIndexField.register_lookup
class Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class StatementText(models.Model):
    """SQLite: the FTS5 table, whose rowid is the statement's id. Used in joins only."""

    statement = models.OneToOneField(
        Statement,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="fts",
    )
    title = models.TextField()
    text = models.TextField()
    index = FtsIndexField(db_column=FTS_TABLE)
    # FTS5's hidden rank column: bm25(), lower is a better match.
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = FTS_TABLE
        ordering = ["statement"]
        verbose_name = "statement text index"
        verbose_name_plural = "statement text index"

    def __str__(self):
        return f"Text index for statement {self.statement_id}"
