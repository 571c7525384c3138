"""On PostgreSQL, a trigger refuses any parent that would close a cycle of objectives.

The check constraint of 0001 refuses an objective as its own parent on every database; longer
cycles need a recursive query, which SQLite does not allow in triggers, so there the service's
check (under a row lock) is the guard.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION vision_objective_no_cycle() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE up(id, parent_id) AS (
            SELECT id, parent_id FROM vision_objective WHERE id = NEW.parent_id
            UNION
            SELECT o.id, o.parent_id FROM vision_objective o JOIN up ON o.id = up.parent_id
        )
        SELECT 1 FROM up WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'a vision objective would be its own ancestor'
            USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS vision_objective_no_cycle ON vision_objective;
CREATE TRIGGER vision_objective_no_cycle
    BEFORE INSERT OR UPDATE OF parent_id ON vision_objective
    FOR EACH ROW EXECUTE FUNCTION vision_objective_no_cycle();
"""
DROP = """
DROP TRIGGER IF EXISTS vision_objective_no_cycle ON vision_objective;
DROP FUNCTION IF EXISTS vision_objective_no_cycle();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, None)


class Migration(migrations.Migration):
    dependencies = [("vision", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
