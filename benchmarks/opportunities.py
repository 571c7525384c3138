"""Opportunities benchmark: "opportunities for me" and "people for this opportunity" on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_opp_bench \\
        .venv/bin/python benchmarks/opportunities.py [--people 10000 --opportunities 2000]

Creates the database if missing, migrates it, builds the data set unless it is already there at
the asked size (or with --rebuild), then measures, through the real request path
(django.test.Client: URL resolution, middleware, views, templates, API), a bare baseline view
running one indexed query, the two recommendation directions as pages and as API calls, and
prints one table: median, p95, SQL time, queries per request and the ratio to the baseline.
This is a report: nothing here asserts a timing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import feed_search as fs  # noqa: E402
from vivier.scale import generator as gen  # noqa: E402
from vivier.scale.generator_opportunities import (  # noqa: E402
    create_job_map,
    create_opportunities,
    create_preferences,
)

DB_PREFIX = "vivier_opp_bench"
MARKER_TABLE = "vivier_opp_bench_dataset"
# Bump when the generator changes what it builds: older data sets are then rebuilt.
GENERATOR_VERSION = 1
BATCH = 5000
# Recommendation targets: a fixed number of queries, and a median within this many baselines.
TARGET_QUERIES = 20
TARGET_RATIO = 25.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--opportunities", type=int, default=2_000, help="open ones")
    parser.add_argument("--requests", type=int, default=100, help="measured per row")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured per row first")
    parser.add_argument("--pool", type=int, default=50, help="distinct signed-in people")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rebuild", action="store_true", help="rebuild even if present")
    return parser.parse_args(argv)


def database_config() -> dict[str, Any]:
    """The DATABASE_URL's settings; refuse anything but a PostgreSQL vivier_opp_bench* database."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fs.fail(f"set DATABASE_URL to a PostgreSQL database named {DB_PREFIX}…")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        fs.fail(f"this benchmark needs PostgreSQL; DATABASE_URL points to {config['ENGINE']}.")
    if not str(config["NAME"]).startswith(DB_PREFIX):
        fs.fail(
            f"the database name must start with {DB_PREFIX!r} (the benchmark empties it to "
            f"rebuild); got {config['NAME']!r}."
        )
    return config


def read_marker() -> dict[str, Any] | None:
    """What the last complete build recorded, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'")
        found = cursor.fetchone()
    if not found:
        return None
    return found[0] if isinstance(found[0], dict) else json.loads(found[0])


def write_marker(value: dict[str, Any]) -> None:
    """Record a complete build, so the next run can skip it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key text PRIMARY KEY, value jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('dataset', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(value)],
        )


def build_dataset(args: argparse.Namespace) -> gen.Timings:
    """Empty the database and generate people and the marketplace, then ANALYZE."""
    from django.db import connection

    timings = gen.Timings()
    world = gen.World(rng=random.Random(args.seed), now=datetime.now(UTC))
    print(f"Building {args.people:,} people and {args.opportunities:,} open opportunities...")
    started = time.perf_counter()
    gen.wipe_database()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
    gen.create_people(world, args.people, timings)
    role_ids = create_job_map(timings)
    create_preferences(world, role_ids, timings)
    create_opportunities(world, args.opportunities, role_ids, timings)
    with timings.step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings.seconds["total"] = time.perf_counter() - started
    write_marker(
        {
            "version": GENERATOR_VERSION,
            "people": args.people,
            "opportunities": args.opportunities,
            "seed": args.seed,
            "built_at": world.now.isoformat(),
            "steps": [[n, timings.rows.get(n, 0), sec] for n, sec in timings.seconds.items()],
        }
    )
    return timings


def ensure_dataset(args: argparse.Namespace) -> tuple[gen.Timings, dict[str, Any], bool]:
    """Build the data set unless the last complete build matches the options; say if built."""
    marker = read_marker()
    wanted = {
        "version": GENERATOR_VERSION,
        "people": args.people,
        "opportunities": args.opportunities,
        "seed": args.seed,
    }
    if not args.rebuild and marker and all(marker.get(k) == v for k, v in wanted.items()):
        print(f"Data set already built on {marker['built_at']}: reusing it (--rebuild to redo).")
        steps = marker["steps"]
        timings = gen.Timings({n: r for n, r, _s in steps}, {n: s for n, _r, s in steps})
        return timings, marker, False
    timings = build_dataset(args)
    return timings, read_marker() or {}, True


def make_operations(args: argparse.Namespace, rng: random.Random) -> list[fs.Operation]:
    """Baseline, then both recommendation directions as HTML pages and API calls."""
    from django.test import Client

    from vivier.accounts.models import User
    from vivier.opportunities.models import Opportunity

    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    people = []
    for user in User.objects.filter(pk__in=rng.sample(ids, k=min(args.pool, len(ids)))):
        client = Client(HTTP_HOST=fs.HOST)
        client.force_login(user)
        people.append(client)
    offers = list(
        Opportunity.objects.filter(status="open")
        .order_by("?")
        .values_list("pk", "owner_id")[: args.pool]
    )
    owner_clients: dict[int, Any] = {}
    for user in User.objects.filter(pk__in={owner for _pk, owner in offers}):
        client = Client(HTTP_HOST=fs.HOST)
        client.force_login(user)
        owner_clients[user.pk] = client

    def get(client: Any, url: str) -> int:
        return client.get(url, secure=True).status_code

    def baseline(r: random.Random) -> int:
        return get(r.choice(people), f"/__bench__/baseline?id={r.randint(1, 1000)}")

    def for_me_html(r: random.Random) -> int:
        return get(r.choice(people), "/opportunities/for-me/")

    def for_me_api(r: random.Random) -> int:
        return get(r.choice(people), "/api/v1/opportunities/for-me")

    def people_html(r: random.Random) -> int:
        pk, owner = r.choice(offers)
        return get(owner_clients[owner], f"/opportunities/{pk}/people/")

    def people_api(r: random.Random) -> int:
        pk, owner = r.choice(offers)
        return get(owner_clients[owner], f"/api/v1/opportunities/{pk}/people")

    return [
        fs.Operation("baseline: 1 indexed query", baseline),
        fs.Operation("GET /opportunities/for-me/ (HTML)", for_me_html, feed_target=True),
        fs.Operation("GET /api/v1/opportunities/for-me", for_me_api, feed_target=True),
        fs.Operation("GET /opportunities/<id>/people/ (HTML)", people_html, feed_target=True),
        fs.Operation("GET /api/v1/opportunities/<id>/people", people_api, feed_target=True),
    ]


def verdict(op: fs.Operation, base_median: float) -> str:
    """'OK' or 'over (why)' against the recommendation targets."""
    ratio = statistics.median(op.ms) / base_median
    why = []
    if max(op.queries) > TARGET_QUERIES:
        why.append(f"{max(op.queries)} queries > {TARGET_QUERIES}")
    if ratio > TARGET_RATIO:
        why.append(f"{ratio:.1f}x > {TARGET_RATIO:g}x")
    return f"over ({', '.join(why)})" if why else "OK"


def print_report(operations: list[fs.Operation]) -> None:
    """The one results table."""
    base = statistics.median(operations[0].ms)
    header = (
        f"{'operation':<40} {'median ms':>9} {'p95 ms':>8} {'SQL ms':>7} "
        f"{'queries med/max':>15} {'x base':>7}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for op in operations:
        median = statistics.median(op.ms)
        queries = f"{statistics.median(op.queries):g} / {max(op.queries)}"
        target = verdict(op, base) if op.feed_target else ""
        errors = ", ".join(f"{n}x HTTP {s}" for s, n in sorted(op.errors.items()))
        print(
            f"{op.name:<40} {median:9.1f} {fs.percentile(op.ms, 0.95):8.1f} "
            f"{statistics.median(op.sql_ms):7.1f} {queries:>15} {median / base:6.1f}x  "
            f"{target}{'  ERRORS: ' + errors if errors else ''}"
        )
    print(
        f"\nTargets (recommendation rows): <= {TARGET_QUERIES} queries per request whatever the "
        f"data size, and median <= {TARGET_RATIO:g}x the baseline's median. SQL ms: median time "
        "inside the database driver; the rest is Python (scoring, middleware, templates)."
    )


def print_sizes() -> None:
    """Row counts of the tables the recommendations read."""
    from django.db import connection

    tables = [
        "accounts_user",
        "people_profileskill",
        "opportunities_opportunity",
        "opportunities_opportunityskill",
        "opportunities_mobilitypreference",
        "opportunities_mobilitypreference_interests",
        "opportunities_application",
    ]
    counts = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts.append(f"{table.split('_', 1)[1]} {cursor.fetchone()[0]:,}")
        cursor.execute("SELECT COUNT(*) FROM opportunities_opportunity WHERE status = 'open'")
        counts.append(f"open opportunities {cursor.fetchone()[0]:,}")
    print("Data set: " + ", ".join(counts))


def main(argv: Sequence[str] | None = None) -> None:
    """Check the database, build the data set if needed, measure, report."""
    args = parse_args(argv)
    config = database_config()
    if fs.ensure_database(config):
        print(f"Created database {config['NAME']}.")
    fs.setup_django()
    from django.conf import settings
    from django.test.utils import override_settings

    timings, marker, rebuilt = ensure_dataset(args)
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    rng = random.Random(args.seed + 1)
    with override_settings(ROOT_URLCONF=fs.BENCH_URLCONF, STORAGES=storages):
        operations = make_operations(args, rng)
        print(f"Measuring {len(operations)} rows x {args.requests} requests...")
        for operation in operations:
            for _ in range(args.warmup):
                fs.measure_once(operation, rng, record=False)
        for _round in range(args.requests):
            order = operations[:]
            rng.shuffle(order)
            for operation in order:
                fs.measure_once(operation, rng, record=True)
    print()
    fs.print_environment()
    print_sizes()
    fs.print_generation(timings, marker, rebuilt)
    print_report(operations)


if __name__ == "__main__":
    main()
