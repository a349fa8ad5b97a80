"""Index types the project's models share."""

from django.db import models


class NullsOrderedIndex(models.Index):
    """An index on expressions with ``nulls_first``/``nulls_last`` ordering, e.g. a list that puts "never" first.

    SQLite (the test database) cannot order NULLs in an index: there it is created on the bare columns.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(*(getattr(e, "expression", e) for e in self.expressions), name=self.name)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)
