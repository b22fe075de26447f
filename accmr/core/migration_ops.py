"""Migration operations shared by the apps."""

from django.db import migrations


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Run these statements on PostgreSQL and nothing elsewhere: for indexes SQLite does
    not need (or cannot express) at the sizes an embedded database serves."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward))


def trigram_index(table: str, name: str, column: str = "search_text") -> migrations.RunPython:
    """A pg_trgm GIN index on `table.column` for the `contains` lookups of search.

    pg_trgm is a trusted extension, so the database owner may create it.
    """
    return postgresql_only(
        [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)',
        ],
        [f'DROP INDEX IF EXISTS "{name}"'],
    )
