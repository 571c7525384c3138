"""Directory search and "opportunities for me": their selectors before and after, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_scale_bench \\
        .venv/bin/python benchmarks/pages.py [--requests 60] [--pool 40]

Measures on the company that `make bench` (benchmarks/scale.py) built in that database; builds
nothing. First checks, for 20 searches and 20 people, that the former selectors (kept verbatim
in the tests that prove both give the same results: vivier/people/tests/test_directory_
equivalence.py, vivier/opportunities/tests/test_recommendations_equivalence.py) and the current
ones return the same. Then two phases, each with the bare baseline view of `make bench`: the
former selectors, inside a transaction that drops the indexes added with them and is rolled back
(they ran without them); the current selectors and the two pages through the real request path
(django.test.Client). Each round runs both phases in random order, each phase's rows shuffled.
Prints median and p95 time, queries and the ratio to the phase's baseline. A report: nothing asserts a timing.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import feed_search as fs  # noqa: E402
from benchmarks.scale import database_config  # noqa: E402


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="measured calls per row")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured calls per row")
    parser.add_argument("--pool", type=int, default=40, help="distinct signed-in people")
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


# The indexes this rework added (decision 22): the former selectors are measured without them,
# as they ran, since with them PostgreSQL plans the former directory query differently.
NEW_INDEXES = ["people_profile_search_trgm", "user_name_order"]


def make_operations(args: argparse.Namespace, rng: random.Random) -> dict[str, list[fs.Operation]]:
    """Per phase, the rows: the baseline, then the former selectors or the current pages and
    selectors."""
    from django.test import Client

    from vivier.accounts.models import User
    from vivier.core.pagination import BoundedPaginator
    from vivier.opportunities.selectors import opportunities_for
    from vivier.opportunities.tests.test_recommendations_equivalence import (
        former_opportunities_for,
    )
    from vivier.people.selectors import person_list
    from vivier.people.tests.test_directory_equivalence import former_person_list
    from vivier.people.views import DIRECTORY_COUNT_LIMIT, DIRECTORY_PAGE_SIZE
    from vivier.social.models import Post

    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    people = list(User.objects.filter(pk__in=rng.sample(ids, k=min(args.pool, len(ids)))))
    clients = []
    for user in people:
        client = Client(HTTP_HOST=fs.HOST)
        client.force_login(user)
        clients.append(client)
    max_post = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    last_names = list(
        User.objects.filter(pk__in=rng.sample(ids, k=min(200, len(ids)))).values_list(
            "last_name", flat=True
        )
    )
    viewer = people[0]

    def get(client: Any, url: str) -> int:
        return client.get(url, secure=True).status_code

    def directory_former(q: str) -> tuple[int, list[int]]:
        found = former_person_list(viewer=viewer, q=q)
        return found.count(), [p.pk for p in found[:DIRECTORY_PAGE_SIZE]]

    def directory_current(q: str) -> tuple[int, list[int]]:
        found = person_list(viewer=viewer, q=q)
        paginator = BoundedPaginator(found, DIRECTORY_PAGE_SIZE, limit=DIRECTORY_COUNT_LIMIT)
        page = paginator.get_page(1)
        return paginator.count, [p.pk for p in page.object_list]

    def rows(found: list[Any]) -> list[tuple[int, Any]]:
        return [(m.opportunity.pk, m.match) for m in found]

    for q in last_names[:20]:
        former, current = directory_former(q), directory_current(q)
        if former[1] != current[1] or min(former[0], DIRECTORY_COUNT_LIMIT + 1) != current[0]:
            fs.fail(f"the directory's former and current results differ for {q!r}")
    for user in people[:20]:
        if rows(former_opportunities_for(viewer=user)) != rows(opportunities_for(viewer=user)):
            fs.fail(f"the former and current recommendations differ for user {user.pk}")

    def call(fn: Any) -> int:
        fn()
        return 200

    def baseline() -> fs.Operation:
        return fs.Operation(
            "baseline: bare view, 1 indexed query",
            lambda r: get(r.choice(clients), f"/__bench__/baseline?id={r.randint(1, max_post)}"),
        )

    return {
        "former (without the new indexes)": [
            baseline(),
            fs.Operation(
                "directory selector: count + first page",
                lambda r: call(lambda: directory_former(r.choice(last_names))),
            ),
            fs.Operation(
                "opportunities_for",
                lambda r: call(lambda: former_opportunities_for(viewer=r.choice(people))),
            ),
        ],
        "current": [
            baseline(),
            fs.Operation(
                "directory selector: first page (+ bounded count)",
                lambda r: call(lambda: directory_current(r.choice(last_names))),
            ),
            fs.Operation(
                "opportunities_for",
                lambda r: call(lambda: opportunities_for(viewer=r.choice(people))),
            ),
            fs.Operation(
                "page: directory search /people/?q=<name>",
                lambda r: get(r.choice(clients), f"/people/?q={quote(r.choice(last_names))}"),
            ),
            fs.Operation(
                "page: opportunities for me",
                lambda r: get(r.choice(clients), "/opportunities/for-me/"),
            ),
        ],
    }


def without_new_indexes(run: Any) -> None:
    """Call `run` in a transaction that drops the new indexes, then roll it back."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            for index in NEW_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
        run()
        transaction.set_rollback(True)


def measure(
    args: argparse.Namespace, rng: random.Random, phases: dict[str, list[fs.Operation]]
) -> None:
    """Warm up, then each round: both phases in random order, each phase's rows shuffled; the
    former phase runs without the new indexes (dropped in a transaction, rolled back)."""
    (_former_title, former), (_current_title, current) = phases.items()

    def run(operations: list[fs.Operation], record: bool) -> None:
        order = operations[:]
        rng.shuffle(order)
        for operation in order:
            fs.measure_once(operation, rng, record=record)

    def run_former(record: bool) -> None:
        without_new_indexes(lambda: run(former, record))

    for _ in range(args.warmup):
        run_former(False)
        run(current, False)
    for _round in range(args.requests):
        blocks = [lambda: run_former(True), lambda: run(current, True)]
        rng.shuffle(blocks)
        for block in blocks:
            block()


def table(title: str, operations: list[fs.Operation]) -> list[str]:
    """One phase's rows as markdown lines, ratios to that phase's baseline."""
    base = statistics.median(operations[0].ms)
    lines = [
        f"| {title}: operation | median ms | p95 ms | queries med/max | x base | errors |",
        "|---|---|---|---|---|---|",
    ]
    for op in operations:
        median = statistics.median(op.ms)
        errors = ", ".join(f"{k}x{v}" for k, v in sorted(op.errors.items())) or "0"
        lines.append(
            f"| {op.name} | {median:.1f} | {fs.percentile(op.ms, 0.95):.1f} "
            f"| {statistics.median(op.queries):.0f} / {max(op.queries)} "
            f"| {median / base:.2f} | {errors} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Check former and current agree, measure both phases, print the tables."""
    args = parse_args(argv)
    database_config()
    fs.setup_django()
    from django.conf import settings
    from django.test.utils import override_settings

    from vivier.accounts.models import User

    if not User.objects.exists():
        fs.fail("the database holds no company: run make bench (benchmarks/scale.py) first.")
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    rng = random.Random(args.seed)
    with override_settings(
        ROOT_URLCONF=fs.BENCH_URLCONF, STORAGES={**settings.STORAGES, "staticfiles": static}
    ):
        phases = make_operations(args, rng)
        print("Former and current results agree. Measuring...", flush=True)
        measure(args, rng, phases)
    people = User.objects.filter(is_active=True).count()
    print(f"\n{people:,} people, {args.requests} calls per row after {args.warmup} warm-up ones")
    for title, operations in phases.items():
        print()
        print("\n".join(table(title, operations)))
    fs.print_environment()


if __name__ == "__main__":
    main()
