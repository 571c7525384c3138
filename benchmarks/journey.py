"""Adoption journey benchmark: the daily stage computation on PostgreSQL, 10k → 100k people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_journey_bench \\
        .venv/bin/python benchmarks/journey.py [--sizes 10000:1000000,100000:10000000 --repeat 3]

For each size (people:events) it empties the database, loads people and 12 months of activity
events with COPY (events go through an unlogged staging table of integers, then one INSERT …
SELECT turns them into `core_activityevent` rows), then measures:

- `snapshot`: one day's stage computation (`vivier.journey.engine.snapshot_day`, the single
  INSERT … SELECT), median and p95 over --repeat runs (it is idempotent: each run replaces the
  day);
- `entrants`: the query that finds who changed stage since the previous snapshot day;
- `playbooks`: running the playbooks for those entrants (tips, tasks, e-mails to the locmem
  backend), once.

For each it prints the wall time, the number of SQL queries, the peak Python memory
(tracemalloc), the growth of the process's peak RSS (VmHWM, reset before each measurement), and
for the snapshot PostgreSQL's side: the temporary files written (pg_stat_database.temp_bytes)
and the largest memory a plan node used (EXPLAIN ANALYZE), with the server's work_mem. Then the
growth ratios between the first and the last size. `run(sizes)` returns the rows as dicts for
`make bench`. This is a report: nothing asserts a timing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DB_PREFIX = "vivier_journey_bench"
DEFAULT_SIZES = [(10_000, 1_000_000), (100_000, 10_000_000)]
SEED = 2026
CHUNK = 500_000

# Personas: share of people, events per person relative to the mean, active part of the year,
# and the mix of verbs (signin, view, like, follow, post, comment, invite).
PERSONAS = [
    # name, share, weight, active (from, to) in days ago, verb mix
    ("never", 0.08, 0.0, (0, 365), (0, 0, 0, 0, 0, 0, 0)),
    ("viewer", 0.20, 0.4, (0, 365), (0.3, 0.7, 0, 0, 0, 0, 0)),
    ("participant", 0.30, 1.0, (0, 365), (0.15, 0.5, 0.25, 0.1, 0, 0, 0)),
    ("contributor", 0.25, 1.6, (0, 365), (0.1, 0.45, 0.2, 0.05, 0.08, 0.12, 0)),
    ("churner", 0.12, 1.2, (180, 365), (0.15, 0.5, 0.2, 0.05, 0.04, 0.06, 0)),
    ("promoter", 0.05, 3.0, (0, 365), (0.08, 0.4, 0.2, 0.05, 0.1, 0.15, 0.02)),
]
VERBS = [
    ("signin", "accounts.user"),
    ("view", "social.post"),
    ("like", "social.post"),
    ("follow", "accounts.user"),
    ("create", "social.post"),
    ("create", "social.comment"),
    ("invite", "journey.invitation"),
]


def fail(message: str) -> None:
    print(f"journey benchmark: {message}", file=sys.stderr)
    raise SystemExit(2)


def database_config() -> dict[str, Any]:
    """The DATABASE_URL's settings; refuse anything but a PostgreSQL vivier_journey_bench* one."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fail(f"set DATABASE_URL to postgres://…/{DB_PREFIX}")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        fail("this benchmark needs PostgreSQL.")
    if not str(config["NAME"]).startswith(DB_PREFIX):
        fail(f"the database name must start with {DB_PREFIX!r}: the benchmark empties it.")
    return config


def ensure_database(config: dict[str, Any]) -> None:
    """Create the database through the 'postgres' maintenance database if missing."""
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as maintenance:
        if not maintenance.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone():
            maintenance.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
            )


def setup_django() -> None:
    """Load the settings (DATABASE_URL applies), send e-mails nowhere, migrate quietly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vivier.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", interactive=False, verbosity=0)


def _copy(cursor: Any, statement: str, lines: list[str]) -> None:
    with cursor.copy(statement) as copy:
        copy.write("".join(lines))


def load(people: int, events: int, day: date) -> dict[str, float]:
    """Empty the tables and load `people` users and about `events` events ending on `day`."""
    import numpy as np
    from django.db import connection

    timings: dict[str, float] = {}
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_user RESTART IDENTITY CASCADE")
        cursor.execute("TRUNCATE core_activityevent RESTART IDENTITY")
    timings["truncate_s"] = time.perf_counter() - started

    shares = np.array([p[1] for p in PERSONAS])
    persona = rng.choice(len(PERSONAS), size=people, p=shares / shares.sum())
    weight = np.array([p[2] for p in PERSONAS])[persona] * rng.lognormal(0, 0.8, size=people)
    per_person = np.floor(weight / weight.sum() * events).astype(np.int64)
    # Half of the "never" people had an account for months; the others joined during the year.
    joined_days = rng.integers(30, 730, size=people)
    signed_before = (persona != 0) & (rng.random(people) < 0.3)

    started = time.perf_counter()
    raw = connection.connection
    with raw.cursor() as cursor:
        lines = []
        for index in range(people):
            last_login = (
                f"{(day - timedelta(days=int(joined_days[index]) // 2)).isoformat()} 09:00:00+00"
                if signed_before[index]
                else "\\N"
            )
            joined = (day - timedelta(days=int(joined_days[index]))).isoformat()
            lines.append(
                f"!\t{last_login}\tf\tp{index}@bench.vivier.test\tPrénom{index}\tNom{index}"
                f"\tfr\tf\tt\t{joined} 08:00:00+00\n"
            )
        _copy(
            cursor,
            "COPY accounts_user (password, last_login, is_superuser, email, first_name, "
            "last_name, language, is_staff, is_active, date_joined) FROM STDIN",
            lines,
        )
        cursor.execute("SELECT min(id) FROM accounts_user")
        first_id = cursor.fetchone()[0]
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS journey_bench_stage "
            "(actor int, verb smallint, target int, ago int)"
        )
        cursor.execute("TRUNCATE journey_bench_stage")
        actors = np.repeat(np.arange(people), per_person)
        total = len(actors)
        mixes = np.array([p[4] for p in PERSONAS], dtype=float)
        mixes = np.cumsum(mixes / np.maximum(mixes.sum(axis=1, keepdims=True), 1e-9), axis=1)
        lows = np.array([p[3][0] for p in PERSONAS]) * 86400
        highs = np.array([p[3][1] for p in PERSONAS]) * 86400
        for start in range(0, total, CHUNK):
            who = actors[start : start + CHUNK]
            kind = persona[who]
            verb = (rng.random(len(who))[:, None] > mixes[kind]).sum(axis=1)
            verb = np.minimum(verb, len(VERBS) - 1)
            ago = rng.integers(lows[kind], highs[kind])
            # Engagement goes to a few popular people (a power law over everyone).
            target = np.floor(people * rng.power(0.3, size=len(who))).astype(np.int64)
            with_target = np.isin(verb, [2, 3, 5])
            lines = [
                f"{a + first_id}\t{v}\t{(t + first_id) if w else chr(92) + 'N'}\t{s}\n"
                for a, v, t, w, s in zip(
                    who.tolist(),
                    verb.tolist(),
                    target.tolist(),
                    with_target.tolist(),
                    ago.tolist(),
                    strict=True,
                )
            ]
            _copy(cursor, "COPY journey_bench_stage (actor, verb, target, ago) FROM STDIN", lines)
    raw.commit()
    timings["copy_s"] = time.perf_counter() - started

    started = time.perf_counter()
    cases = " ".join(f"WHEN {code} THEN '{verb}'" for code, (verb, _otype) in enumerate(VERBS))
    types = " ".join(f"WHEN {code} THEN '{otype}'" for code, (_verb, otype) in enumerate(VERBS))
    end = f"{(day + timedelta(days=1)).isoformat()} 00:00:00+00"
    with connection.cursor() as cursor:
        # Generated rows are consistent by construction: skip the per-row foreign-key triggers
        # (deferred to commit, they would dominate a 10M-row load).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "INSERT INTO core_activityevent "
            "(actor_id, verb, object_type, object_id, target_user_id, data, occurred_at) "
            f"SELECT actor, CASE verb {cases} END, CASE verb {types} END, 1, target, '{{}}', "
            f"%s::timestamptz - make_interval(secs => ago + 1) FROM journey_bench_stage",
            [end],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("DROP TABLE journey_bench_stage")
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE core_activityevent")
        cursor.execute("SELECT count(*) FROM core_activityevent")
        timings["events"] = cursor.fetchone()[0]
    timings["insert_s"] = time.perf_counter() - started
    return timings


def _reset_peak_rss() -> None:
    # Writing 5 resets the process's peak RSS (VmHWM), Linux only.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def measure(function: Any, repeat: int) -> dict[str, Any]:
    """Median and p95 wall time, query count, peak Python and RSS memory of `function()`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            function()
        times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    _reset_peak_rss()
    before = _rss_kib("VmRSS")
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times_sorted = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times_sorted[min(len(times) - 1, int(0.95 * len(times)))], 1),
        "queries": queries,
        "python_peak_mib": round(peak / 2**20, 2),
        "rss_growth_mib": round(max(_rss_kib("VmHWM") - before, 0) / 1024, 1),
    }


def pg_side(day: date) -> dict[str, Any]:
    """PostgreSQL's memory and temporary files for one snapshot statement (EXPLAIN ANALYZE)."""
    from django.db import connection, transaction

    from vivier.journey import engine
    from vivier.journey.models import JourneySettings, JourneySnapshot, VerbRule

    cfg = JourneySettings.current()
    kind_sql, params = engine.kind_case_sql(
        list(VerbRule.objects.values_list("verb", "object_type", "kind"))
    )
    bounds = engine.day_bounds(day, cfg)
    params.update(
        baseline_start=bounds.baseline_start,
        window_start=bounds.window_start,
        end=bounds.end,
        prev=day - timedelta(days=1),
        day=day,
        others_min=cfg.promotion_others,
        baseline_days=cfg.baseline_days,
        baseline_percent=cfg.baseline_percent,
        active_days=cfg.active_days,
        true=True,
    )
    peaks: list[float] = []
    temp_blocks = 0

    def walk(node: dict[str, Any]) -> None:
        nonlocal temp_blocks
        for key in ("Peak Memory Usage", "Sort Space Used"):
            if key in node:
                peaks.append(float(node[key]))
        temp_blocks += int(node.get("Temp Written Blocks", 0))
        for child in node.get("Plans", []):
            walk(child)

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
        temp_before = cursor.fetchone()[0]
        with transaction.atomic():
            # Rolled back below: the day's rows are only removed for the analysed INSERT.
            JourneySnapshot.objects.filter(date=day).delete()
            cursor.execute(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                + engine.SNAPSHOT_SQL.format(kind=kind_sql),
                params,
            )
            plan = cursor.fetchone()[0]
            transaction.set_rollback(True)
        if isinstance(plan, str):
            plan = json.loads(plan)
        walk(plan[0]["Plan"])
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
        temp_after = cursor.fetchone()[0]
    return {
        "work_mem": work_mem,
        "pg_node_peak_kib": max(peaks) if peaks else 0,
        "pg_temp_written_mib": round(temp_blocks * 8 / 1024, 1),
        "pg_temp_bytes_delta_mib": round((temp_after - temp_before) / 2**20, 1),
    }


def _loaded(people: int) -> dict[str, float] | None:
    """The data set already in the database if it has `people` people (for --reuse)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
        if cursor.fetchone()[0] != people:
            return None
        cursor.execute("SELECT count(*) FROM core_activityevent")
        return {"events": cursor.fetchone()[0], "copy_s": 0.0, "insert_s": 0.0}


def run(
    sizes: list[tuple[int, int]] | None = None,
    *,
    repeat: int = 3,
    verbose: bool = False,
    reuse: bool = False,
) -> list[dict[str, Any]]:
    """Load each size and measure the daily computation; one dict per (size, operation)."""
    from django.utils import timezone

    from vivier.journey import engine, services
    from vivier.journey.models import PlaybookRun

    rows: list[dict[str, Any]] = []
    day = timezone.localdate()
    for people, events in sizes or DEFAULT_SIZES:
        load_timings = (_loaded(people) if reuse else None) or load(people, events, day)
        # A reused data set may carry the playbook runs (tips, tasks) of an earlier measurement.
        PlaybookRun.objects.filter(date=day).delete()
        if verbose:
            print(
                f"  loaded {people:,} people and {load_timings['events']:,} events: COPY "
                f"{load_timings['copy_s']:.1f} s, INSERT … SELECT {load_timings['insert_s']:.1f} s",
                flush=True,
            )
        # The day before, so that `entrants` and the playbooks have something to compare with.
        engine.snapshot_day(day - timedelta(days=1))
        base = {"people": people, "events": load_timings["events"]}
        snap = measure(lambda: engine.snapshot_day(day), repeat)
        rows.append({"operation": "snapshot", **base, **snap, **pg_side(day)})
        entrants: list[tuple[int, str]] = []

        def find(entrants: list[tuple[int, str]] = entrants) -> None:
            entrants[:] = engine.entrants(day)

        rows.append({"operation": "entrants", **base, **measure(find, repeat)})
        from django.db import transaction

        with transaction.atomic():
            # Warm-up on a few entrants, rolled back: loads templates and translation catalogues,
            # which would otherwise be counted in the first size's figure.
            services.playbooks_run(day=day, entered=entrants[:5])
            transaction.set_rollback(True)

        def playbooks(entrants: list[tuple[int, str]] = entrants) -> None:
            # Only the first call does work: later ones find the day's runs already stored.
            services.playbooks_run(day=day, entered=entrants)

        result = measure(playbooks, 1)
        rows.append({"operation": "playbooks", **base, **result, "entrants": len(entrants)})
        if verbose:
            for row in rows[-3:]:
                print("  ", row, flush=True)
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    """Print the table and the growth from the smallest to the largest size."""
    print(
        f"{'operation':<10} {'people':>8} {'events':>11} {'median ms':>10} {'p95 ms':>9} "
        f"{'queries':>8} {'py MiB':>7} {'RSS+ MiB':>9} {'PG node KiB':>12} {'PG temp MiB':>12}"
    )
    for row in rows:
        print(
            f"{row['operation']:<10} {row['people']:>8,} {row['events']:>11,} "
            f"{row['median_ms']:>10,.1f} {row['p95_ms']:>9,.1f} {row['queries']:>8} "
            f"{row['python_peak_mib']:>7.2f} {row['rss_growth_mib']:>9.1f} "
            f"{row.get('pg_node_peak_kib', 0):>12,.0f} {row.get('pg_temp_written_mib', 0):>12.1f}"
        )
    sizes = sorted({(r["people"], r["events"]) for r in rows})
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(
            f"Growth from {small[0]:,} to {large[0]:,} people "
            f"(x{large[0] / small[0]:.0f} people, x{large[1] / max(small[1], 1):.1f} events):"
        )
        for operation in ("snapshot", "entrants", "playbooks"):
            a = next(
                r
                for r in rows
                if r["operation"] == operation and (r["people"], r["events"]) == small
            )
            b = next(
                r
                for r in rows
                if r["operation"] == operation and (r["people"], r["events"]) == large
            )
            print(
                f"  {operation:<10} time x{b['median_ms'] / max(a['median_ms'], 0.001):.1f}, "
                f"Python peak x{b['python_peak_mib'] / max(a['python_peak_mib'], 0.001):.1f}"
                + (
                    f", PG node peak x{b['pg_node_peak_kib'] / max(a['pg_node_peak_kib'], 1):.1f}"
                    if operation == "snapshot"
                    else ""
                )
            )
    if rows and "work_mem" in rows[0]:
        print(f"PostgreSQL work_mem: {rows[0]['work_mem']}")


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """'10000:1000000,100000:10000000' → [(10000, 1000000), (100000, 10000000)]."""
    sizes = []
    for part in text.split(","):
        people, events = part.split(":")
        sizes.append((int(people), int(events)))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000:1000000,100000:10000000",
        help="people:events pairs, comma-separated (quick run: 1000:100000)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the data set already loaded when it has the asked number of people",
    )
    args = parser.parse_args()
    config = database_config()
    ensure_database(config)
    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"Python {platform.python_version()}, PostgreSQL {version}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    rows = run(parse_sizes(args.sizes), repeat=args.repeat, verbose=True, reuse=args.reuse)
    report(rows)


if __name__ == "__main__":
    main()
