"""Each person's count of live answers, kept exact by triggers on expertise_answer.

The expert ranking bounds the activity prior by this count to skip most candidates
(docs/expertise.md, decision 0025). Triggers, not services, keep it: answers are also written
by the Stack Exchange import's bulk inserts and by the scale generators' COPY, and a count
that is too low would silently drop a person from the ranking.

PostgreSQL: statement-level triggers with transition tables (one grouped write per statement,
so a COPY of millions of answers does not pay one upsert per row), and a TRUNCATE trigger.
SQLite: row-level triggers. On SQLite, a later migration that rebuilds expertise_answer
(Django remakes the table to alter it) drops these triggers: recreate them there; the
counter's tests fail if they are missing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION expertise_answer_count_insert() RETURNS trigger AS $$
    BEGIN
        INSERT INTO expertise_answercount (user_id, live)
        SELECT author_id, COUNT(*) FROM answers_new WHERE deleted_at IS NULL
        GROUP BY author_id ORDER BY author_id
        ON CONFLICT (user_id) DO UPDATE SET live = expertise_answercount.live + EXCLUDED.live;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION expertise_answer_count_delete() RETURNS trigger AS $$
    BEGIN
        UPDATE expertise_answercount c SET live = c.live - d.n
        FROM (SELECT author_id, COUNT(*) AS n FROM answers_old WHERE deleted_at IS NULL
              GROUP BY author_id) d
        WHERE c.user_id = d.author_id;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    # An update may soft-delete, undelete or move answers to another author: the difference,
    # per author, between the live rows after and before.
    """
    CREATE OR REPLACE FUNCTION expertise_answer_count_update() RETURNS trigger AS $$
    BEGIN
        INSERT INTO expertise_answercount (user_id, live)
        SELECT author_id, SUM(n) FROM (
            SELECT author_id, 1 AS n FROM answers_new WHERE deleted_at IS NULL
            UNION ALL
            SELECT author_id, -1 AS n FROM answers_old WHERE deleted_at IS NULL
        ) d
        GROUP BY author_id HAVING SUM(n) <> 0 ORDER BY author_id
        ON CONFLICT (user_id) DO UPDATE SET live = expertise_answercount.live + EXCLUDED.live;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION expertise_answer_count_truncate() RETURNS trigger AS $$
    BEGIN
        DELETE FROM expertise_answercount;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER expertise_answer_count_insert AFTER INSERT ON expertise_answer
    REFERENCING NEW TABLE AS answers_new
    FOR EACH STATEMENT EXECUTE FUNCTION expertise_answer_count_insert();
    """,
    """
    CREATE TRIGGER expertise_answer_count_delete AFTER DELETE ON expertise_answer
    REFERENCING OLD TABLE AS answers_old
    FOR EACH STATEMENT EXECUTE FUNCTION expertise_answer_count_delete();
    """,
    """
    CREATE TRIGGER expertise_answer_count_update AFTER UPDATE ON expertise_answer
    REFERENCING OLD TABLE AS answers_old NEW TABLE AS answers_new
    FOR EACH STATEMENT EXECUTE FUNCTION expertise_answer_count_update();
    """,
    """
    CREATE TRIGGER expertise_answer_count_truncate AFTER TRUNCATE ON expertise_answer
    FOR EACH STATEMENT EXECUTE FUNCTION expertise_answer_count_truncate();
    """,
    # The backfill, with writers kept out until the migration commits.
    "LOCK TABLE expertise_answer IN SHARE MODE;",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS expertise_answer_count_insert ON expertise_answer;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_delete ON expertise_answer;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_update ON expertise_answer;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_truncate ON expertise_answer;",
    "DROP FUNCTION IF EXISTS expertise_answer_count_insert();",
    "DROP FUNCTION IF EXISTS expertise_answer_count_delete();",
    "DROP FUNCTION IF EXISTS expertise_answer_count_update();",
    "DROP FUNCTION IF EXISTS expertise_answer_count_truncate();",
]

# Row-level; INSERT OR IGNORE then UPDATE creates the person's row on their first answer.
SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS expertise_answer_count_insert AFTER INSERT ON expertise_answer
    WHEN NEW.deleted_at IS NULL
    BEGIN
        INSERT OR IGNORE INTO expertise_answercount (user_id, live) VALUES (NEW.author_id, 0);
        UPDATE expertise_answercount SET live = live + 1 WHERE user_id = NEW.author_id;
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS expertise_answer_count_delete AFTER DELETE ON expertise_answer
    WHEN OLD.deleted_at IS NULL
    BEGIN
        UPDATE expertise_answercount SET live = live - 1 WHERE user_id = OLD.author_id;
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS expertise_answer_count_update
    AFTER UPDATE OF deleted_at, author_id ON expertise_answer
    WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.author_id <> NEW.author_id
    BEGIN
        UPDATE expertise_answercount SET live = live - 1
        WHERE user_id = OLD.author_id AND OLD.deleted_at IS NULL;
        INSERT OR IGNORE INTO expertise_answercount (user_id, live)
        SELECT NEW.author_id, 0 WHERE NEW.deleted_at IS NULL;
        UPDATE expertise_answercount SET live = live + 1
        WHERE user_id = NEW.author_id AND NEW.deleted_at IS NULL;
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS expertise_answer_count_insert;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_delete;",
    "DROP TRIGGER IF EXISTS expertise_answer_count_update;",
]

BACKFILL = """
INSERT INTO expertise_answercount (user_id, live)
SELECT author_id, COUNT(*) FROM expertise_answer WHERE deleted_at IS NULL GROUP BY author_id
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(sql, None)
    schema_editor.execute(BACKFILL, None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_name_order"),
        ("expertise", "0004_answer_author_live_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnswerCount",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="answer_count",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("live", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
