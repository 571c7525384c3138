"""The key operations at several data sizes, as ratios to a bare view measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_scale_bench \\
        .venv/bin/python benchmarks/scale.py [--people 10000] [--posts 10000,100000] [--full]

For each size of `--posts` (the people stay the same), builds the company with
`manage.py vivier_scale`'s generator (reused when the last build has the same sizes), then
measures through the real request path (django.test.Client: URL resolution, every middleware,
views, templates): a bare baseline view running one indexed query, directory search, "who knows
X", the home feed, a profile page, survey results, opportunity recommendations and the daily
journey computation (when benchmarks/journey.py exists). Prints, per size, median and p95 time,
queries per request and the ratio to the baseline, then how each operation's ratio grows with
the posts. `--markdown FILE` also writes the tables. A report: nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import feed_search as fs  # noqa: E402

DB_PREFIX = "vivier_scale"
FULL_POSTS = "10000,100000,1000000"
FULL_PEOPLE = 100_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people (default 10000)")
    parser.add_argument(
        "--posts", default="10000,100000", help="comma-separated post counts (10000,100000)"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help=f"the full sizes: {FULL_PEOPLE:,} people and {FULL_POSTS} posts (about an hour)",
    )
    parser.add_argument("--requests", type=int, default=60, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per row")
    parser.add_argument("--pool", type=int, default=40, help="distinct signed-in people")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rebuild", action="store_true", help="rebuild even if present")
    parser.add_argument("--no-inference", action="store_true", help="skip inferred skills")
    parser.add_argument("--markdown", default="", help="also write the tables to this file")
    args = parser.parse_args(argv)
    if args.full:
        args.people, args.posts = FULL_PEOPLE, FULL_POSTS
    args.sizes = sorted(int(x) for x in str(args.posts).split(",") if x.strip())
    return args


def database_config() -> dict[str, Any]:
    """The DATABASE_URL's settings; refuse anything but a PostgreSQL vivier_scale* database."""
    import os

    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fs.fail(f"set DATABASE_URL to a PostgreSQL database named {DB_PREFIX}…")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        fs.fail(f"this benchmark needs PostgreSQL; DATABASE_URL points to {config['ENGINE']}.")
    if not str(config["NAME"]).startswith(DB_PREFIX):
        fs.fail(f"the database name must start with {DB_PREFIX!r} (a rebuild empties it).")
    return config


def ensure_dataset(args: argparse.Namespace, posts: int) -> tuple[dict[str, Any], bool]:
    """Build the company at this size unless the last complete build has it; say if built."""
    from vivier.scale.build import SCALE_VERSION, Sizes, build, read_marker

    marker = read_marker()
    wanted = {"version": SCALE_VERSION, "people": args.people, "posts": posts, "seed": args.seed}
    if not args.rebuild and marker and all(marker.get(k) == v for k, v in wanted.items()):
        print(f"Data set of {posts:,} posts built on {marker['built_at']}: reusing it.")
        return marker, False
    build(Sizes(args.people, posts, seed=args.seed, inference=not args.no_inference))
    return read_marker() or {}, True


# The daily journey computation takes seconds, not milliseconds: a few runs, outside the rounds.
JOURNEY_RUNS = 3


def journey_operation() -> fs.Operation:
    """The "daily journey computation" row: today's stage snapshot of every person (issue #9).

    It runs `vivier.journey.engine.snapshot_day`, what `manage.py vivier_journey_snapshot` runs
    each night, over the generated company's activity events. The step is idempotent (it
    replaces the day's snapshots), so it can be repeated. benchmarks/journey.py measures the
    same step at 10,000 and 100,000 people on its own data set, with memory figures.
    """
    from datetime import timedelta

    from django.utils import timezone

    from vivier.journey import engine

    day = timezone.localdate()
    # The day before first, as the nightly run finds it: stages carry over from one day to the next.
    engine.snapshot_day(day - timedelta(days=1))

    def call(_rng: random.Random) -> int:
        engine.snapshot_day(day)
        return 200

    return fs.Operation(f"daily journey computation ({JOURNEY_RUNS} runs)", call)


def make_operations(args: argparse.Namespace, rng: random.Random) -> tuple[list, list[str]]:
    """The report's rows, each a request of the real URL for a random person of the pool."""
    from django.test import Client

    from vivier.accounts.models import Role, User
    from vivier.people.models import ProfileSkill
    from vivier.social.models import Post
    from vivier.voice.models import Survey

    notes: list[str] = []
    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = rng.sample(ids, k=min(args.pool, len(ids)))
    clients = []
    for user in User.objects.filter(pk__in=chosen).order_by("pk"):
        client = Client(HTTP_HOST=fs.HOST)
        client.force_login(user)
        clients.append(client)
    admin = User.objects.filter(groups__name=Role.HR_ADMIN.value).order_by("pk").first()
    hr = Client(HTTP_HOST=fs.HOST)
    hr.force_login(admin)
    survey = Survey.objects.filter(status="closed").order_by("pk").first()
    max_post = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    last_names = list(
        User.objects.filter(pk__in=rng.sample(ids, k=min(200, len(ids)))).values_list(
            "last_name", flat=True
        )
    )
    skills = list(ProfileSkill.objects.values_list("skill__label_fr", flat=True).distinct()[:40])

    def get(client: Any, url: str) -> int:
        return client.get(url, secure=True).status_code

    def op(name: str, call: Callable[[random.Random], int]) -> fs.Operation:
        return fs.Operation(name, call)

    operations = [
        op(
            "baseline: bare view, 1 indexed query",
            lambda r: get(r.choice(clients), f"/__bench__/baseline?id={r.randint(1, max_post)}"),
        ),
        op(
            "directory search /people/?q=<name>",
            lambda r: get(r.choice(clients), f"/people/?q={quote(r.choice(last_names))}"),
        ),
        op(
            "who knows X: /experts/?q=<skill>",
            lambda r: get(r.choice(clients), f"/experts/?q={quote(r.choice(skills))}"),
        ),
        op("home feed /", lambda r: get(r.choice(clients), "/")),
        op(
            "profile page /people/<id>/",
            lambda r: get(r.choice(clients), f"/people/{r.choice(ids)}/"),
        ),
        op(
            "survey results (HR, whole company)",
            lambda r: get(hr, f"/voice/surveys/{survey.pk}/results/"),
        ),
        op(
            "opportunities for me",
            lambda r: get(r.choice(clients), "/opportunities/for-me/"),
        ),
    ]
    return operations, notes


def measure(args: argparse.Namespace) -> tuple[list[fs.Operation], list[str]]:
    """Warm every row up, then measure them round-robin, in a new random order each round."""
    rng = random.Random(args.seed + 1)
    operations, notes = make_operations(args, rng)
    print(f"Measuring {len(operations)} rows x {args.requests} requests...", flush=True)
    for operation in operations:
        for _ in range(args.warmup):
            fs.measure_once(operation, rng, record=False)
    for _round in range(args.requests):
        order = operations[:]
        rng.shuffle(order)
        for operation in order:
            fs.measure_once(operation, rng, record=True)
    journey = journey_operation()
    fs.measure_once(journey, rng, record=False)
    for _run in range(JOURNEY_RUNS):
        fs.measure_once(journey, rng, record=True)
    operations.append(journey)
    return operations, notes


def size_table(posts: int, operations: list[fs.Operation]) -> list[str]:
    """One size's table as markdown lines."""
    base = statistics.median(operations[0].ms)
    lines = [
        f"| {posts:,} posts: operation | median ms | p95 ms | SQL ms | queries med/max "
        "| x base | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in operations:
        median = statistics.median(op.ms)
        errors = ", ".join(f"{k}x{v}" for k, v in sorted(op.errors.items())) or "0"
        lines.append(
            f"| {op.name} | {median:.1f} | {fs.percentile(op.ms, 0.95):.1f} "
            f"| {statistics.median(op.sql_ms):.1f} "
            f"| {statistics.median(op.queries):.0f} / {max(op.queries)} "
            f"| {median / base:.2f} | {errors} |"
        )
    return lines


def growth_table(results: dict[int, list[fs.Operation]]) -> list[str]:
    """How each operation's ratio to the baseline and query count grow with the posts."""
    sizes = sorted(results)
    header = "| operation | " + " | ".join(f"{s:,} posts: x base (queries)" for s in sizes) + " |"
    lines = [header, "|---|" + "---|" * len(sizes)]
    names = [op.name for op in results[sizes[0]]]
    for i, name in enumerate(names):
        cells = []
        for size in sizes:
            ops = results[size]
            base = statistics.median(ops[0].ms)
            op = ops[i]
            cells.append(
                f"{statistics.median(op.ms) / base:.2f} ({statistics.median(op.queries):.0f})"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Build each size, measure it, print the tables (and write them with --markdown)."""
    args = parse_args(argv)
    config = database_config()
    if fs.ensure_database(config):
        print(f"Created database {config['NAME']}.")
    fs.setup_django()
    from django.conf import settings
    from django.test.utils import override_settings

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    results: dict[int, list[fs.Operation]] = {}
    builds: dict[int, dict[str, Any]] = {}
    notes: list[str] = []
    started = time.perf_counter()
    for posts in args.sizes:
        marker, _built = ensure_dataset(args, posts)
        builds[posts] = marker
        with override_settings(ROOT_URLCONF=fs.BENCH_URLCONF, STORAGES=storages):
            results[posts], notes = measure(args)
        print("\n".join(size_table(posts, results[posts])), flush=True)
    lines = [f"{args.people:,} people; {args.requests} requests per row after {args.warmup} "]
    lines[0] += f"warm-up ones, over {args.pool} signed-in people."
    for posts in args.sizes:
        phases = builds[posts].get("phases", [])
        total = dict(phases).get("total", 0.0)
        lines.append("")
        lines.append(
            f"Generation of the {posts:,}-post company: {total:.0f} s ("
            + ", ".join(f"{name} {sec:.0f} s" for name, sec in phases if name != "total")
            + ")."
        )
    for posts in args.sizes:
        lines += ["", *size_table(posts, results[posts])]
    lines += ["", *growth_table(results)]
    lines += ["", *[f"Note: {note}" for note in notes]]
    print()
    fs.print_environment()
    print("\n".join(lines))
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s")
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text("\n".join(lines) + "\n")
        print(f"Tables written to {args.markdown}")


if __name__ == "__main__":
    main()
