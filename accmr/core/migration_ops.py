"""Migration operations shared by the apps."""

from django.db import migrations


def trigram_index(table: str, name: str, column: str = "search_text") -> migrations.RunPython:
    """A pg_trgm GIN index on `table.column` for the `contains` lookups of search.

    PostgreSQL only: on SQLite the operation does nothing and search scans, which is fine
    at the sizes an embedded database serves. pg_trgm is a trusted extension, so the
    database owner may create it.
    """

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin ("{column}" gin_trgm_ops)'
            )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forward, backward)
