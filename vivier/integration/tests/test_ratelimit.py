"""Rate limits in the database: one statement per event, per window, old windows purged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vivier.integration import ratelimit
from vivier.integration.models import RateCount


def test_hits_count_per_window_in_one_statement(db, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    with CaptureQueriesContext(connection) as ctx:
        states = [ratelimit.hit("api", "token-a", limit=2, window=60) for _ in range(3)]
    assert len(ctx.captured_queries) == 3
    assert [s.count for s in states] == [1, 2, 3]
    assert [s.exceeded for s in states] == [False, False, True]
    assert ratelimit.hit("api", "token-b", limit=2, window=60).count == 1
    assert ratelimit.peek("api", "token-a", limit=2, window=60).count == 3
    now[0] += 60  # the next window starts from zero
    assert ratelimit.hit("api", "token-a", limit=2, window=60).count == 1
    assert ratelimit.peek("api", "token-a", limit=2, window=60).count == 1


def test_windows_that_are_over_are_purged_by_the_retention_run(db, monkeypatch):
    from datetime import UTC, datetime

    from vivier.privacy.services import retention_apply

    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    ratelimit.hit("api", "old", limit=5, window=60)
    now[0] += 3600
    ratelimit.hit("api", "new", limit=5, window=60)
    report = retention_apply(now=datetime.fromtimestamp(now[0], tz=UTC))
    assert report.counts["rate_limit_windows"] == 1
    assert list(RateCount.objects.values_list("count", flat=True)) == [1]
    assert RateCount.objects.get().key.endswith(str(int(now[0]) - int(now[0]) % 60))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="UNLOGGED tables: PostgreSQL")
def test_counts_live_in_an_unlogged_table_on_postgresql(db):
    """Counting a request waits for no WAL flush there (migration 0004, decision 0025)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s", [RateCount._meta.db_table]
        )
        assert cursor.fetchone() == ("u",)
