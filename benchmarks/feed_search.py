"""Feed and search benchmark on a large PostgreSQL data set, through the real request path.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_bench \\
        .venv/bin/python benchmarks/feed_search.py [--people 10000 --posts 200000 --requests 200]

Creates the database if missing, migrates it, builds the data set unless it is already there at
the asked size (or with --rebuild), then measures a bare baseline view, the home feed (HTML and
API, first and second page) and search with django.test.Client, and prints one table. This is a
report: nothing here asserts a timing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The generator lives in vivier.scale, shared with manage.py vivier_scale and the other
# benchmarks.
from vivier.scale.generator import (  # noqa: E402
    MARKER_TABLE,
    Timings,
    World,
    create_communities,
    create_follows,
    create_notifications,
    create_people,
    create_posts,
    create_tags,
    update_counters,
    wipe_database,
)
from vivier.scale.vocabulary import (  # noqa: E402
    TAG_BASES,
    search_words,
)

# Bump when the generator changes what it builds: older data sets are then rebuilt.
GENERATOR_VERSION = 2
BENCH_URLCONF = "benchmarks.urls"
HOST = "localhost"
DB_PREFIX = "vivier_bench"
FEED_TARGET_QUERIES = 10
FEED_TARGET_RATIO = 3.0
# API tokens record their last use once a minute: re-authenticate them more often than that.
TOKEN_PRIME_SECONDS = 30


# --------------------------------------------------------------------------------------------
# Command line, database checks and Django set-up.
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people (default 10000)")
    parser.add_argument("--posts", type=int, default=200_000, help="posts (default 200000)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per row")
    parser.add_argument("--pool", type=int, default=100, help="distinct signed-in users")
    parser.add_argument(
        "--cold-pool",
        action="store_true",
        help="do not open each person's feeds once before measuring (most requests are then "
        "a person's first visit, with cards nobody has opened yet)",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed of data and requests")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set anyway")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the feed query, try rewrites"
    )
    args = parser.parse_args(argv)
    if args.people < 50 or args.posts < 100 or args.requests < 1 or args.pool < 1:
        parser.error("use at least 50 people, 100 posts, 1 request and a pool of 1")
    return args


def fail(message: str) -> NoReturn:
    """Print `message` and stop with an error status."""
    print(f"feed_search: {message}", file=sys.stderr)
    raise SystemExit(2)


def database_config() -> dict[str, Any]:
    """The DATABASE_URL's settings; refuse anything but a PostgreSQL vivier_bench* database."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fail(
            "set DATABASE_URL to a PostgreSQL database, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_bench "
            ".venv/bin/python benchmarks/feed_search.py"
        )
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        fail(f"this benchmark needs PostgreSQL; DATABASE_URL points to {config['ENGINE']}.")
    if not str(config["NAME"]).startswith(DB_PREFIX):
        fail(
            f"the database name must start with {DB_PREFIX!r} (the benchmark empties it to "
            f"rebuild); got {config['NAME']!r}."
        )
    return config


def ensure_database(config: dict[str, Any]) -> bool:
    """Create the database through the 'postgres' maintenance database if missing."""
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        maintenance = psycopg.connect(dbname="postgres", autocommit=True, **params)
    except psycopg.OperationalError as exc:
        fail(f"cannot reach PostgreSQL: {exc}")
    with maintenance:
        exists = maintenance.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if exists:
            return False
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


def setup_django() -> None:
    """Load Vivier's production settings (DATABASE_URL applies) and migrate quietly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vivier.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


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


def build_dataset(args: argparse.Namespace) -> Timings:
    """Empty the database and generate the whole data set, then index it and ANALYZE."""
    from django.db import connection

    from vivier.search.services import search_rebuild

    timings = Timings()
    world = World(rng=random.Random(args.seed), now=datetime.now(UTC))
    print(f"Building {args.people:,} people and {args.posts:,} posts (seed {args.seed})...")
    started = time.perf_counter()
    wipe_database()
    create_people(world, args.people, timings)
    create_communities(world, timings)
    create_tags(world, timings)
    user_follows = create_follows(world, timings)
    mentions = create_posts(world, args.posts, timings)
    create_notifications(world, user_follows, mentions, timings)
    update_counters(timings)
    with timings.step("search_rebuild()"):
        counts = search_rebuild()
        timings.rows["search_rebuild()"] = sum(counts.values())
    with timings.step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings.seconds["total"] = time.perf_counter() - started
    write_marker(
        {
            "version": GENERATOR_VERSION,
            "people": args.people,
            "posts": args.posts,
            "seed": args.seed,
            "built_at": world.now.isoformat(),
            # A list: jsonb does not keep the order of an object's keys.
            "steps": [[n, timings.rows.get(n, 0), sec] for n, sec in timings.seconds.items()],
        }
    )
    return timings


def ensure_dataset(args: argparse.Namespace) -> tuple[Timings, dict[str, Any], bool]:
    """Build the data set unless the last complete build matches the options; say if built."""
    marker = read_marker()
    wanted = {"version": GENERATOR_VERSION, "people": args.people, "posts": args.posts}
    wanted["seed"] = args.seed
    if not args.rebuild and marker and all(marker.get(k) == v for k, v in wanted.items()):
        print(f"Data set already built on {marker['built_at']}: reusing it (--rebuild to redo).")
        steps = marker["steps"]
        timings = Timings({n: rows for n, rows, _s in steps}, {n: sec for n, _r, sec in steps})
        return timings, marker, False
    timings = build_dataset(args)
    return timings, read_marker() or {}, True


# --------------------------------------------------------------------------------------------
# Measurement.
# --------------------------------------------------------------------------------------------


@dataclass
class BenchUser:
    """A signed-in person: a session client, an API token, and the cursor of feed page 2."""

    user: Any
    client: Any
    bearer: str
    cursor: str | None


@dataclass
class Operation:
    """One row of the report: a request to make for a random user."""

    name: str
    call: Callable[[random.Random], int]
    feed_target: bool = False
    # Run before each request, outside the timing (e.g. empty the cards cache). Such rows are
    # measured in a second phase, with their own baseline, so that they leave the first alone.
    prepare: Callable[[], None] | None = None
    baseline: bool = False
    ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    largest: list[str] = field(default_factory=list)  # the SQL of the request with most queries


class SqlTimer:
    """An execute_wrapper that adds up the time spent in the database driver."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def measure_once(operation: Operation, rng: random.Random, *, record: bool) -> None:
    """Run one request of `operation`; record its time, SQL time and query count."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    if operation.prepare is not None:
        operation.prepare()
    timer = SqlTimer()
    # CaptureQueriesContext counts by slicing connection.queries_log, a deque capped at 9000;
    # it also stops request_started from resetting it: start each request with an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        start = time.perf_counter()
        status = operation.call(rng)
        elapsed = time.perf_counter() - start
    if not record:
        return
    operation.ms.append(elapsed * 1000)
    operation.sql_ms.append(timer.seconds * 1000)
    operation.queries.append(len(captured.captured_queries))
    if len(captured.captured_queries) > len(operation.largest):
        operation.largest = [query["sql"] for query in captured.captured_queries]
    if status != 200:
        operation.errors[status] = operation.errors.get(status, 0) + 1


def route_exists(path: str) -> bool:
    """Whether `path` resolves in the benchmark's URLconf."""
    from django.urls import Resolver404, resolve

    try:
        resolve(path, urlconf=BENCH_URLCONF)
    except Resolver404:
        return False
    return True


def make_users(args: argparse.Namespace, rng: random.Random) -> list[BenchUser]:
    """Sign in a pool of random people (session and API token) and find their page-2 cursors."""
    from django.test import Client

    from vivier.accounts.models import User
    from vivier.accounts.services import api_token_create
    from vivier.social.selectors import feed_home

    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = rng.sample(ids, k=min(args.pool, len(ids)))
    users = []
    for user in User.objects.filter(pk__in=chosen).order_by("pk"):
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        _token, secret = api_token_create(user=user, name="benchmark")
        cursor = feed_home(viewer=user, limit=20).next_cursor
        users.append(BenchUser(user, client, f"Bearer {secret}", cursor))
    return users


def make_operations(users: list[BenchUser], notes: list[str]) -> list[Operation]:
    """The report's rows: baseline, feeds, and search over HTTP or, if unmounted, directly."""
    from django.core.cache import caches
    from django.test import Client

    from vivier.search import selectors as search_selectors
    from vivier.social.models import Post

    max_post = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    api = Client(HTTP_HOST=HOST)
    paged = [u for u in users if u.cursor] or users
    words = search_words() + TAG_BASES[::3]
    words += list({u.user.last_name.split()[0].lower() for u in users})[:20]

    def get(client: Any, url: str, headers: dict[str, str] | None = None) -> int:
        return client.get(url, secure=True, headers=headers).status_code

    def baseline(rng: random.Random) -> int:
        return get(rng.choice(users).client, f"/__bench__/baseline?id={rng.randint(1, max_post)}")

    def home(rng: random.Random) -> int:
        return get(rng.choice(users).client, "/")

    def home_more(rng: random.Random) -> int:
        who = rng.choice(paged)
        return get(who.client, f"/?cursor={quote(who.cursor or '')}", {"HX-Request": "true"})

    def api_feed(rng: random.Random) -> int:
        return get(api, "/api/v1/feed?limit=20", {"Authorization": rng.choice(users).bearer})

    def api_feed_more(rng: random.Random) -> int:
        who = rng.choice(paged)
        url = f"/api/v1/feed?limit=20&cursor={quote(who.cursor or '')}"
        return get(api, url, {"Authorization": who.bearer})

    def empty_cards() -> None:
        caches["cards"].clear()

    operations = [
        Operation("baseline: 1 indexed query", baseline, baseline=True),
        Operation("GET / (home feed, HTML)", home, feed_target=True),
        Operation("GET /?cursor= (page 2, htmx)", home_more, feed_target=True),
        Operation("GET /api/v1/feed?limit=20", api_feed, feed_target=True),
        Operation("GET /api/v1/feed (page 2)", api_feed_more, feed_target=True),
        # The worst case: no card in the cache (a new process, or posts nobody has seen yet).
        Operation("GET / (no card cached)", home, prepare=empty_cards),
        Operation("GET /api/v1/feed (no item cached)", api_feed, prepare=empty_cards),
    ]
    if route_exists("/api/v1/search"):

        def api_search(rng: random.Random) -> int:
            url = f"/api/v1/search?q={quote(rng.choice(words))}"
            return get(api, url, {"Authorization": rng.choice(users).bearer})

        operations.append(Operation("GET /api/v1/search?q=<word>", api_search))
    if route_exists("/search/"):

        def html_search(rng: random.Random) -> int:
            return get(rng.choice(users).client, f"/search/?q={quote(rng.choice(words))}")

        operations.append(Operation("GET /search/?q=<word> (HTML)", html_search))
    if len(operations) == 7:
        notes.append(
            "Search is not mounted (no /search/ nor /api/v1/search in vivier/urls.py and "
            "vivier/api.py): the search row calls vivier.search.selectors.search() directly, "
            "without middleware, view or template."
        )

        def direct_search(rng: random.Random) -> int:
            search_selectors.search(viewer=rng.choice(users).user, q=rng.choice(words), limit=20)
            return 200

        operations.append(Operation("search() selector, direct call", direct_search))
    return operations


def prime_tokens(users: list[BenchUser]) -> None:
    """Mark the pool's tokens as just used: their once-a-minute last-use write stays unmeasured."""
    from django.utils import timezone

    from vivier.accounts.models import ApiToken
    from vivier.accounts.services import token_hash

    hashes = [token_hash(u.bearer.removeprefix("Bearer ")) for u in users]
    ApiToken.objects.filter(key_hash__in=hashes).update(last_used_at=timezone.now())


def visit_once(users: list[BenchUser]) -> None:
    """Each person opens their home, its page 2 and the API feed once, as on any working day:
    the cards cache then holds what the pool reads, as it does between visits in production."""
    for who in users:
        who.client.get("/", secure=True)
        if who.cursor:
            headers = {"HX-Request": "true"}
            who.client.get(f"/?cursor={quote(who.cursor)}", secure=True, headers=headers)
        auth = {"Authorization": who.bearer}
        who.client.get("/api/v1/feed?limit=20", secure=True, headers=auth)
        if who.cursor:
            url = f"/api/v1/feed?limit=20&cursor={quote(who.cursor)}"
            who.client.get(url, secure=True, headers=auth)


def run_benchmark(args: argparse.Namespace, notes: list[str]) -> list[Operation]:
    """Warm every row up, then measure them round-robin (shuffled order each round)."""
    rng = random.Random(args.seed + 1)
    users = make_users(args, rng)
    operations = make_operations(users, notes)
    if args.cold_pool:
        notes.append("--cold-pool: the pool's feeds were not opened before measuring.")
    else:
        visit_once(users)
        notes.append(
            "Before measuring, each person of the pool opened home, page 2 and the API feed "
            "once (steady state); the rows marked 'no card cached' show the other extreme."
        )
    print(f"Measuring {len(operations)} rows x {args.requests} requests ({len(users)} users)...")
    first = [op for op in operations if op.prepare is None]
    second = [op for op in operations if op.prepare is not None]
    if second:
        second.insert(0, Operation("baseline (second phase)", operations[0].call, baseline=True))
    for phase in (first, second):
        for operation in phase:
            for _ in range(args.warmup):
                measure_once(operation, rng, record=False)
        primed = 0.0
        for _round in range(args.requests if phase else 0):
            if time.monotonic() - primed > TOKEN_PRIME_SECONDS:
                prime_tokens(users)
                primed = time.monotonic()
            order = phase[:]
            rng.shuffle(order)
            for operation in order:
                measure_once(operation, rng, record=True)
    return first + second


# --------------------------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def feed_verdict(op: Operation, base_median: float) -> str:
    """'OK' or 'over (why)' against the home feed targets."""
    ratio = statistics.median(op.ms) / base_median
    why = []
    if max(op.queries) > FEED_TARGET_QUERIES:
        why.append(f"{max(op.queries)} queries > {FEED_TARGET_QUERIES}")
    if ratio > FEED_TARGET_RATIO:
        why.append(f"{ratio:.1f}x > {FEED_TARGET_RATIO:g}x")
    return f"over ({', '.join(why)})" if why else "OK"


def print_report(operations: list[Operation]) -> None:
    """The one results table, with the home feed targets."""
    base = statistics.median(operations[0].ms)
    header = (
        f"{'operation':<34} {'median ms':>9} {'p95 ms':>8} {'SQL ms':>7} "
        f"{'queries med/max':>15} {'x base':>7}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for op in operations:
        median = statistics.median(op.ms)
        if op.baseline:
            base = median  # each phase is compared with its own baseline
        queries = f"{statistics.median(op.queries):g} / {max(op.queries)}"
        target = feed_verdict(op, base) if op.feed_target else ""
        errors = ", ".join(f"{n}x HTTP {s}" for s, n in sorted(op.errors.items()))
        print(
            f"{op.name:<34} {median:9.1f} {percentile(op.ms, 0.95):8.1f} "
            f"{statistics.median(op.sql_ms):7.1f} {queries:>15} {median / base:6.1f}x  "
            f"{target}{'  ERRORS: ' + errors if errors else ''}"
        )
    print(
        f"\nTargets (feed rows): <= {FEED_TARGET_QUERIES} queries per request and median <= "
        f"{FEED_TARGET_RATIO:g}x the baseline's median. SQL ms: median time inside the database "
        "driver; the rest is Python (middleware, view, serialisation, templates)."
    )


def print_environment() -> None:
    """The machine, Python, Django and PostgreSQL versions and key settings."""
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.get_version()}"
    )
    print(f"Database: {version}, {size}; " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average (1, 5, 15 min) after measuring: {load}")


def print_sizes() -> None:
    """Row counts of the data set's tables."""
    from django.db import connection

    tables = [
        "accounts_user",
        "people_profile",
        "people_profileskill",
        "social_community",
        "social_membership",
        "social_tag",
        "social_follow",
        "social_post",
        "social_post_tags",
        "social_post_mentions",
        "social_comment",
        "social_reaction",
        "social_notification",
        "search_searchentry",
    ]
    counts = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts.append(f"{table.split('_', 1)[1]} {cursor.fetchone()[0]:,}")
    print("Data set: " + ", ".join(counts))


def print_generation(timings: Timings, marker: dict[str, Any], rebuilt: bool) -> None:
    """Rows and seconds per generated table (from this run, or from the recorded build)."""
    print(f"\nGeneration ({'this run' if rebuilt else 'recorded build of ' + marker['built_at']}):")
    for name, seconds in timings.seconds.items():
        if name != "total":
            rows = timings.rows.get(name, 0)
            print(f"  {name:<24} {rows:>9,} rows {seconds:8.1f} s")
    print(f"  {'total':<24} {'':>14} {timings.seconds.get('total', 0.0):8.1f} s")


# --------------------------------------------------------------------------------------------
# Investigation: the feed query's plan, and candidate rewrites timed side by side.
# --------------------------------------------------------------------------------------------


def captured_sql(run: Callable[[], Any], marker: str) -> str:
    """The SQL of the first query `run` sends that contains `marker`, as Django sent it."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # see measure_once
    with CaptureQueriesContext(connection) as captured:
        run()
    for query in captured.captured_queries:
        if marker in query["sql"]:
            return query["sql"]
    raise RuntimeError(f"no query with {marker!r}")


def feed_sql(user: Any, cursor: str | None = None) -> str:
    """The SQL of feed_home's main query (the posts page) for `user`."""
    from vivier.social.selectors import feed_home

    return captured_sql(lambda: feed_home(viewer=user, cursor=cursor, limit=20), "ORDER BY")


def unread_count_sql(user: Any) -> str:
    """The SQL of the unread notification count that every page's header shows."""
    from vivier.social.selectors import notification_unread_count

    return captured_sql(lambda: notification_unread_count(viewer=user), "social_notification")


def explain(sql: str, params: Sequence[Any] = ()) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of `sql`."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def explain_times(sql: str, params: Sequence[Any] = ()) -> tuple[float, float]:
    """Execution and planning milliseconds of `sql`, from EXPLAIN ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
    return plan["Execution Time"], plan["Planning Time"]


def candidate_feed(viewer: Any, cursor: str | None = None) -> Any:
    """feed_home's page with the proposed changes (not in Vivier): see README, "Findings".

    1. Followed tags: a scalar subquery (LIMIT 1) instead of EXISTS. PostgreSQL hashes an
       EXISTS that sits in an OR, i.e. collects every post of every followed tag before the scan
       starts; a scalar subquery is probed per scanned row on the (post_id, tag_id) index.
    2. Page 2+: `created_at <= cursor` as well, so the cursor becomes an index bound.
    """
    from django.db.models import Exists, OuterRef, Q, Subquery

    from vivier.social.models import Follow, Post
    from vivier.social.selectors import (
        decode_cursor,
        member_community_ids,
        readable_posts_filter,
        with_post_details,
    )

    follows = Follow.objects.filter(follower=viewer)
    followed_tag = Subquery(
        Post.tags.through.objects.filter(
            post_id=OuterRef("pk"), tag_id__in=follows.filter(tag__isnull=False).values("tag_id")
        ).values("post_id")[:1]
    )
    wanted = (
        Q(author=viewer)
        | Q(author_id__in=follows.filter(user__isnull=False).values("user_id"))
        | Q(community_id__in=member_community_ids(viewer))
        | Q(community_id__in=follows.filter(community__isnull=False).values("community_id"))
        | Q(followed_tag__isnull=False)
        | Q(Exists(Post.mentions.through.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk)))
    )
    posts = (
        Post.objects.alias(followed_tag=followed_tag)
        .filter(readable_posts_filter(viewer))
        .filter(wanted)
    )
    after = decode_cursor(cursor)
    if after is not None:
        when, pk = after
        posts = posts.filter(created_at__lte=when).filter(
            Q(created_at__lt=when) | Q(created_at=when, id__lt=pk)
        )
    return with_post_details(posts.order_by("-created_at", "-id"), viewer=viewer)[:21]


def candidate_unread(viewer: Any) -> Any:
    """The unread notifications with the proposed change: a per-row EXISTS on the post's id.

    `post_id IN (readable posts)` sits in an OR, so PostgreSQL hashes every readable post (a
    sequential scan of social_post) on every page view; the EXISTS probes the post's primary key.
    """
    from django.db.models import Exists, OuterRef, Q

    from vivier.social.models import Notification, Post
    from vivier.social.selectors import readable_posts_filter

    readable = Post.objects.filter(readable_posts_filter(viewer), pk=OuterRef("post_id"))
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).filter(
        Q(post__isnull=True) | Exists(readable)
    )


@dataclass
class Comparison:
    """Current and candidate query times over many users, and whether their results agree."""

    name: str
    current: list[tuple[float, float]] = field(default_factory=list)
    candidate: list[tuple[float, float]] = field(default_factory=list)
    same: int = 0

    def line(self) -> str:
        """One report line: execution / planning ms, median and p95, for both."""

        def stats(times: list[tuple[float, float]]) -> str:
            run, plan = [t[0] for t in times], [t[1] for t in times]
            return (
                f"{statistics.median(run):6.1f} /{statistics.median(plan):5.1f} | "
                f"{percentile(run, 0.95):6.1f} /{percentile(plan, 0.95):5.1f}"
            )

        return (
            f"  {self.name:<14} current {stats(self.current)}   candidate "
            f"{stats(self.candidate)}   same result {self.same}/{len(self.current)}"
        )


def compare_candidates(users: Sequence[Any]) -> list[Comparison]:
    """Time the current queries (as Vivier sends them) against the candidates, user by user."""
    from vivier.social.selectors import feed_home, notification_unread_count

    page1, page2, unread = (
        Comparison("feed page 1"),
        Comparison("feed page 2"),
        Comparison("unread count"),
    )
    for user in users:
        first = feed_home(viewer=user, limit=20)
        candidate = candidate_feed(user)
        page1.current.append(explain_times(feed_sql(user)))
        page1.candidate.append(explain_times(*candidate.query.sql_with_params()))
        page1.same += [p.pk for p in first.posts] == [p.pk for p in candidate][:20]
        if first.next_cursor:
            second = feed_home(viewer=user, cursor=first.next_cursor, limit=20)
            candidate = candidate_feed(user, first.next_cursor)
            page2.current.append(explain_times(feed_sql(user, first.next_cursor)))
            page2.candidate.append(explain_times(*candidate.query.sql_with_params()))
            page2.same += [p.pk for p in second.posts] == [p.pk for p in candidate][:20]
        count = candidate_unread(user)
        unread.current.append(explain_times(unread_count_sql(user)))
        sql, params = count.query.sql_with_params()
        unread.candidate.append(explain_times(f"SELECT COUNT(*) FROM ({sql}) AS n", params))
        unread.same += notification_unread_count(viewer=user) == count.count()
    return [page1, page2, unread]


def typical_user(users: Sequence[Any]) -> Any:
    """The user with the median number of follows among `users`."""
    from django.db.models import Count

    from vivier.accounts.models import User

    ranked = list(
        User.objects.filter(pk__in=[u.pk for u in users])
        .annotate(n=Count("follows"))
        .order_by("n", "pk")
    )
    return ranked[len(ranked) // 2]


def where_clause(sql: str) -> str:
    """The WHERE clause onwards of a long SELECT, for printing."""
    return sql[sql.index(" WHERE ") + 1 :] if " WHERE " in sql else sql


def print_largest(operations: list[Operation]) -> None:
    """The queries of each row's largest request, when it ran more than the median."""
    for op in operations:
        if max(op.queries) > statistics.median(op.queries):
            print(f"\nLargest request of {op.name} ({len(op.largest)} queries):")
            print("\n".join(f"  {sql[:150]}" for sql in op.largest))


def run_explain(args: argparse.Namespace) -> None:
    """Plans of the feed query (pages 1 and 2) and of the unread count; candidates timed."""
    from vivier.accounts.models import User
    from vivier.social.models import Follow, Membership
    from vivier.social.selectors import feed_home

    rng = random.Random(args.seed + 2)
    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    sample = list(User.objects.filter(pk__in=rng.sample(ids, k=min(args.pool, len(ids)))))
    user = typical_user(sample)
    follows = Follow.objects.filter(follower=user)
    print(
        f"\nTypical user {user.pk} (median follows of {len(sample)} random people): "
        f"{follows.filter(user__isnull=False).count()} people, "
        f"{follows.filter(tag__isnull=False).count()} tags, "
        f"{follows.filter(community__isnull=False).count()} communities followed; member of "
        f"{Membership.objects.filter(user=user, status='active').count()} communities."
    )
    cursor = feed_home(viewer=user, limit=20).next_cursor
    for label, sql in (("page 1", feed_sql(user)), ("page 2", feed_sql(user, cursor))):
        explain(sql)  # the second run is the one printed: caches warm, as in the benchmark
        print(
            f"\nEXPLAIN ANALYZE, feed_home's posts query, {label}:\n"
            f"  SELECT ... {where_clause(sql)}"
        )
        print("\n".join("  " + line for line in explain(sql)))
    slowest = max(sample[:20], key=lambda u: explain_times(feed_sql(u))[0])
    sql = feed_sql(slowest)
    print(
        f"\nEXPLAIN ANALYZE, feed_home's posts query, page 1, user {slowest.pk} "
        "(the slowest of 20):"
    )
    print("\n".join("  " + line for line in explain(sql)))
    slowest = max(sample[:20], key=lambda u: explain_times(unread_count_sql(u))[0])
    sql = unread_count_sql(slowest)
    print(
        f"\nEXPLAIN ANALYZE, notification_unread_count() (every page's header), user "
        f"{slowest.pk} (the slowest of 20):\n  {sql}"
    )
    print("\n".join("  " + line for line in explain(sql)))
    print(
        f"\nCandidate rewrites over {len(sample)} random users (EXPLAIN ANALYZE ms, "
        "execution / planning, median | p95); candidates are candidate_feed() and "
        "candidate_unread() in this script:"
    )
    for comparison in compare_candidates(sample):
        print(comparison.line())


def main(argv: Sequence[str] | None = None) -> None:
    """Check the database, build the data set if needed, measure, report."""
    args = parse_args(argv)
    config = database_config()
    if ensure_database(config):
        print(f"Created database {config['NAME']}.")
    setup_django()
    from django.conf import settings
    from django.test.utils import override_settings

    timings, marker, rebuilt = ensure_dataset(args)
    notes: list[str] = []
    # Production serves hashed names from collectstatic's manifest; there is none here.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    with override_settings(ROOT_URLCONF=BENCH_URLCONF, STORAGES=storages):
        operations = run_benchmark(args, notes)
    print()
    print_environment()
    print_sizes()
    print_generation(timings, marker, rebuilt)
    print_report(operations)
    for note in notes:
        print(f"Note: {note}")
    base = statistics.median(operations[0].ms)
    over = [op for op in operations if op.feed_target and feed_verdict(op, base) != "OK"]
    if args.explain:
        print_largest(operations)
        run_explain(args)
    elif over:
        print("The feed is over target: run with --explain for the query plans.")


if __name__ == "__main__":
    main()
