"""prepared_cursor: statements prepared on PostgreSQL, counted and logged like any other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from vivier.core.prepared import prepared_cursor, prepared_statements_enabled

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT COUNT(*) FROM accounts_user WHERE id > %s AND is_active = %s"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_gives_the_same_rows_and_is_counted(alice, bob):
    with CaptureQueriesContext(connection) as queries, prepared_cursor(connection) as cursor:
        cursor.execute(STATEMENT, [0, True])
        first = cursor.fetchone()[0]
        cursor.execute(STATEMENT, [alice.pk, True])
        second = cursor.fetchone()[0]
    assert first == 2
    assert second == (1 if bob.pk > alice.pk else 0)
    assert len(queries) == 2
    # The log shows each statement with its values, prepared or not.
    assert queries[1]["sql"].startswith(f"SELECT COUNT(*) FROM accounts_user WHERE id > {alice.pk}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_on_postgresql_the_statement_is_prepared_once_and_its_plan_kept(alice):
    assert prepared_statements_enabled(connection)
    for _ in range(3):
        with prepared_cursor(connection) as cursor:
            cursor.execute(STATEMENT, [alice.pk, True])
            cursor.fetchone()
    # psycopg numbers the parameters: one prepared statement for the three executions.
    wanted = STATEMENT.replace("%s", "$1", 1).replace("%s", "$2", 1)
    assert _prepared_statements().count(wanted) == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_the_orm_and_the_plain_cursor_prepare_nothing(alice):
    from vivier.accounts.models import User

    list(User.objects.filter(pk=alice.pk))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_user WHERE id = %s", [alice.pk])
    assert not [s for s in _prepared_statements() if "accounts_user" in s]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_turned_off_it_is_the_plain_cursor(alice):
    with override_settings(VIVIER_DB_PREPARED=False):
        assert not prepared_statements_enabled(connection)
        with prepared_cursor(connection) as cursor:
            cursor.execute(STATEMENT, [alice.pk, True])
            assert cursor.fetchone()[0] == 0
    assert STATEMENT.replace("%s", "$1", 1).replace("%s", "$2", 1) not in _prepared_statements()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its own statement cache")
def test_on_sqlite_nothing_is_prepared_on_the_server():
    assert not prepared_statements_enabled(connection)
