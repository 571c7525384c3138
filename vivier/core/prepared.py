"""Cursors for the hand-written statements every page runs, planned once per connection.

PostgreSQL spends longer planning the home feed's statement or the home page's facts than
running them (0.75 ms of planning for 0.6 ms of execution; 0.6 ms for 0.1 ms). A prepared
statement is planned once per connection and its plan kept (`plan_cache_mode` is set to
`force_generic_plan` on Vivier's connections, which only prepared statements read: the ORM's
queries are sent with client-side binding and always planned with their values). Only fixed
shape statements whose generic plan was checked on the benchmark's data go through
`prepared_cursor` (decision 0028); everything else keeps the plain cursor. Not all gain: the
expert ranking's activity prior ran 12 times slower with a generic plan (its best plan depends
on how many people it reads), and its full-text step twice as slow (it depends on the words).

Behind a connection pooler in transaction mode (PgBouncer before 1.21), prepared statements
break: `VIVIER_DB_PREPARED=0` turns them off, and `prepared_cursor` is then the plain cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


def prepared_statements_enabled(database: BaseDatabaseWrapper) -> bool:
    """Whether `database` prepares the statements sent through prepared_cursor."""
    return (
        database.vendor == "postgresql"
        and getattr(settings, "VIVIER_DB_PREPARED", False)
        # Django's default, None, turns psycopg's prepared statements off on the connection.
        and database.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    )


def prepared_cursor(database: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor on `database` whose statements are prepared on the server and then reused (on
    PostgreSQL when enabled); the plain cursor otherwise. Use it as `with … as cursor:`."""
    if not prepared_statements_enabled(database):
        return database.cursor()
    database.validate_thread_sharing()
    database.ensure_connection()
    with database.wrap_database_errors:
        raw = _preparing_cursor_class()(database.connection)
    # The same wrapper Django puts around its own cursors: execute wrappers, query logging
    # (assertNumQueries counts these statements) and error translation all apply.
    if database.queries_logged:
        raw.log_as = database.ops.compose_sql
        return database.make_debug_cursor(raw)
    return database.make_cursor(raw)


class _LoggedQuery(NamedTuple):
    """What Django's query log reads of a psycopg cursor's last query (`query`, in bytes)."""

    query: bytes
    params: Any


_PREPARING_CURSOR: type | None = None


def _preparing_cursor_class() -> type:
    """Django's server-side-binding cursor for psycopg, asking psycopg to prepare every
    statement (imported on first use: psycopg is only there with PostgreSQL)."""
    global _PREPARING_CURSOR
    if _PREPARING_CURSOR is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            """Sends each statement as a named prepared statement, kept by psycopg per query
            text and parameter types (at most `prepared_max` per connection, least recent
            dropped)."""

            # When queries are logged: how to write a statement with its values, for the log.
            log_as: Callable[[str, Any], str] | None = None

            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                kwargs.setdefault("prepare", True)
                result = super().execute(query, params, **kwargs)
                if self.log_as is not None and self._query is None:
                    # psycopg keeps no query text for a prepared execution, and Django's log
                    # reads it there: the statement as Django logs it with server-side binding.
                    self._query = _LoggedQuery(self.log_as(query, params).encode(), params)
                return result

        _PREPARING_CURSOR = PreparingCursor
    return _PREPARING_CURSOR
