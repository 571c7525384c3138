# The directory matches each word of a search anywhere in `search_text` (LIKE '%word%'). A
# B-tree cannot serve that; on PostgreSQL a trigram GIN index can (decision 22). SQLite has no
# such index: there the migration does nothing and the directory scans, as before.

from django.db import migrations

INDEX = "people_profile_search_trgm"
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_profile USING GIN (search_text gin_trgm_ops)",
]
# The extension stays: other database objects may use it, and it costs nothing unused.
PG_BACKWARD = [f"DROP INDEX IF EXISTS {INDEX}"]


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def trigram_index_create(apps, schema_editor):
    _run(schema_editor, PG_FORWARD)


def trigram_index_drop(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_profile_expert_level")]

    operations = [migrations.RunPython(trigram_index_create, trigram_index_drop)]
