"""AnswerCount.mass and .newest: each person's answers summed with their age, kept by triggers.

The activity prior of the expert ranking is the person's live answers, each fading by half
every 180 days before the ranking's moment. `mass` is the sum of 2 ** ((created_at -
2020-01-01) / 180 days) over those answers: it needs no moment to be kept, and one factor turns
it into the prior at any moment after `newest` (models.mass_factor). So the ranking reads every
candidate's prior with the candidates, instead of summing answers per person at query time
(decision 0029). The epoch and the half-life here are models.ANSWER_MASS_EPOCH and
ANSWER_MASS_HALF_LIFE_DAYS: a test compares the kept sums with sums computed from them.

The triggers of migration 0005 are replaced by ones that keep `live`, `mass` and `newest`
together: an update counts only the answers whose author, date or deletion changed, so that a
vote (which rewrites the score) adds nothing, not even rounding. On SQLite the triggers call
POWER, which Django provides on its connections where SQLite lacks it.
"""

from importlib import import_module

from django.db import migrations, models

# 2020-01-01 00:00 UTC; 180 days in seconds (PostgreSQL) and Julian days (SQLite).
PG_TERM = (
    "power(2.0::float8, EXTRACT(EPOCH FROM ({0} - TIMESTAMPTZ '2020-01-01 00:00:00+00'))::float8"
    " / 15552000.0)"
)
SQLITE_TERM = "POWER(2.0, (julianday({0}) - 2458849.5) / 180.0)"

# The end of the insert and update functions: per author, what their rows add to the counter.
ADD_TO_COUNT = """ON CONFLICT (user_id) DO UPDATE SET
            live = expertise_answercount.live + EXCLUDED.live,
            mass = expertise_answercount.mass + EXCLUDED.mass,
            newest = GREATEST(expertise_answercount.newest, EXCLUDED.newest);
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;"""

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION expertise_answer_mass(timestamptz) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {PG_TERM.format("$1")} $$;
    """,
    f"""
    CREATE OR REPLACE FUNCTION expertise_answer_count_insert() RETURNS trigger AS $$
    BEGIN
        INSERT INTO expertise_answercount (user_id, live, mass, newest)
        SELECT author_id, COUNT(*), SUM(expertise_answer_mass(created_at)), MAX(created_at)
        FROM answers_new WHERE deleted_at IS NULL
        GROUP BY author_id ORDER BY author_id
        {ADD_TO_COUNT}
    """,
    """
    CREATE OR REPLACE FUNCTION expertise_answer_count_delete() RETURNS trigger AS $$
    BEGIN
        UPDATE expertise_answercount c SET live = c.live - d.n, mass = c.mass - d.m
        FROM (SELECT author_id, COUNT(*) AS n, SUM(expertise_answer_mass(created_at)) AS m
              FROM answers_old WHERE deleted_at IS NULL GROUP BY author_id) d
        WHERE c.user_id = d.author_id;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    # Only the answers whose author, date or deletion changed: the live rows after, added, and
    # the live rows before, taken away.
    f"""
    CREATE OR REPLACE FUNCTION expertise_answer_count_update() RETURNS trigger AS $$
    BEGIN
        INSERT INTO expertise_answercount (user_id, live, mass, newest)
        SELECT author_id, SUM(n), SUM(m), MAX(newest) FROM (
            SELECT a.author_id, 1 AS n, expertise_answer_mass(a.created_at) AS m,
                   a.created_at AS newest
            FROM answers_new a JOIN answers_old b ON b.id = a.id
            WHERE a.deleted_at IS NULL AND (b.deleted_at IS NOT NULL
                OR a.author_id <> b.author_id OR a.created_at <> b.created_at)
            UNION ALL
            SELECT b.author_id, -1, -expertise_answer_mass(b.created_at), NULL
            FROM answers_old b JOIN answers_new a ON a.id = b.id
            WHERE b.deleted_at IS NULL AND (a.deleted_at IS NOT NULL
                OR a.author_id <> b.author_id OR a.created_at <> b.created_at)
        ) d
        GROUP BY author_id ORDER BY author_id
        {ADD_TO_COUNT}
    """,
    # The backfill, with writers kept out until the migration commits.
    "LOCK TABLE expertise_answer IN SHARE MODE;",
]
# Migration 0005's functions and triggers, which keep `live` only (its first three statements
# are the insert, delete and update functions; CREATE OR REPLACE puts them back).
_previous = import_module("vivier.expertise.migrations.0005_answer_count")
POSTGRES_REVERSE = [
    *_previous.POSTGRES[:3],
    "DROP FUNCTION IF EXISTS expertise_answer_mass(timestamptz);",
]
SQLITE_OLD = _previous.SQLITE

# SQLite refuses to rebuild expertise_answercount (AddField, RemoveField) while triggers on
# expertise_answer name it: they are dropped around the rebuild and created after it.
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS expertise_answer_count_insert;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_delete;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_update;",
]
_NEW, _OLD = SQLITE_TERM.format("NEW.created_at"), SQLITE_TERM.format("OLD.created_at")
# Row-level; INSERT OR IGNORE then UPDATE creates the person's row on their first answer.
SQLITE = [
    f"""
    CREATE TRIGGER expertise_answer_count_insert AFTER INSERT ON expertise_answer
    WHEN NEW.deleted_at IS NULL
    BEGIN
        INSERT OR IGNORE INTO expertise_answercount (user_id, live, mass, newest)
        VALUES (NEW.author_id, 0, 0.0, NULL);
        UPDATE expertise_answercount SET live = live + 1, mass = mass + {_NEW},
            newest = MAX(COALESCE(newest, NEW.created_at), NEW.created_at)
        WHERE user_id = NEW.author_id;
    END;
    """,
    f"""
    CREATE TRIGGER expertise_answer_count_delete AFTER DELETE ON expertise_answer
    WHEN OLD.deleted_at IS NULL
    BEGIN
        UPDATE expertise_answercount SET live = live - 1, mass = mass - {_OLD}
        WHERE user_id = OLD.author_id;
    END;
    """,
    f"""
    CREATE TRIGGER expertise_answer_count_update
    AFTER UPDATE OF deleted_at, author_id, created_at ON expertise_answer
    WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.author_id <> NEW.author_id
        OR OLD.created_at <> NEW.created_at
    BEGIN
        UPDATE expertise_answercount SET live = live - 1, mass = mass - {_OLD}
        WHERE user_id = OLD.author_id AND OLD.deleted_at IS NULL;
        INSERT OR IGNORE INTO expertise_answercount (user_id, live, mass, newest)
        SELECT NEW.author_id, 0, 0.0, NULL WHERE NEW.deleted_at IS NULL;
        UPDATE expertise_answercount SET live = live + 1, mass = mass + {_NEW},
            newest = MAX(COALESCE(newest, NEW.created_at), NEW.created_at)
        WHERE user_id = NEW.author_id AND NEW.deleted_at IS NULL;
    END;
    """,
]
BACKFILL = {
    "postgresql": """
        UPDATE expertise_answercount c SET mass = d.m, newest = d.newest
        FROM (SELECT author_id, SUM(expertise_answer_mass(created_at)) AS m,
                     MAX(created_at) AS newest
              FROM expertise_answer WHERE deleted_at IS NULL GROUP BY author_id) d
        WHERE c.user_id = d.author_id
    """,
    "sqlite": f"""
        UPDATE expertise_answercount SET
            mass = COALESCE((SELECT SUM({SQLITE_TERM.format("a.created_at")})
                             FROM expertise_answer a WHERE a.author_id = expertise_answercount.user_id
                             AND a.deleted_at IS NULL), 0.0),
            newest = (SELECT MAX(a.created_at) FROM expertise_answer a
                      WHERE a.author_id = expertise_answercount.user_id AND a.deleted_at IS NULL)
    """,
}


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, None)


def before_rebuild(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP})


def after_unbuild(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_OLD})


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES, "sqlite": SQLITE})
    vendor = schema_editor.connection.vendor
    if vendor in BACKFILL:
        schema_editor.execute(BACKFILL[vendor], None)


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("expertise", "0005_answer_count"),
    ]

    operations = [
        migrations.RunPython(before_rebuild, after_unbuild),
        migrations.AddField(
            model_name="answercount",
            name="mass",
            field=models.FloatField(default=0.0),
        ),
        migrations.AddField(
            model_name="answercount",
            name="newest",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
