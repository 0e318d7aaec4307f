"""One sentence-embedding vector per statement and model, with the hash of the text it read."""

import hashlib

from django.db import models

from principles.models import Statement

# float32, little-endian, as stored in `vector` (a NumPy dtype string: models load at every
# start-up, NumPy only where vectors are read)
DTYPE = "<f4"


def statement_text(statement):
    """What the model reads of a statement: its title, then its text."""
    return ". ".join(part for part in (statement.title.strip(), statement.text.strip()) if part)


def text_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StatementEmbeddingQuerySet(models.QuerySet):
    def for_model(self, model_name):
        return self.filter(model_name=model_name)


class StatementEmbedding(models.Model):
    """A statement's vector under one model; stale when `text_hash` no longer matches."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="embeddings")
    model_name = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64, help_text="sha256 of the text the model read.")
    vector = models.BinaryField(help_text="L2-normalised float32 vector, little-endian.")
    computed_at = models.DateTimeField(auto_now=True)

    objects = StatementEmbeddingQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "model_name"]
        verbose_name = "statement embedding"
        verbose_name_plural = "statement embeddings"
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "model_name"], name="embedding_unique_per_statement_model"
            )
        ]
        indexes = [models.Index(fields=["model_name", "computed_at"], name="embedding_model_idx")]

    def __str__(self):
        return f"{self.model_name} vector of statement {self.statement_id}"

    def get_absolute_url(self):
        return self.statement.get_absolute_url()

    def as_array(self):
        import numpy as np

        return np.frombuffer(bytes(self.vector), dtype=DTYPE)
