"""'Who knows X?' benchmark: the expertise ranking on a large PostgreSQL data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_bench \\
        .venv/bin/python benchmarks/experts.py [--requests 200] [--explain]

Reuses feed_search.py's data set (10,000 people, 200,000 posts), adds questions, answers,
endorsements, skill aliases and Expert labels to it (once: a stage with its own version in the
build record), indexes everything again, then measures the bare full-text query that
experts_rank() starts from, experts_rank() itself, /api/v1/experts and /experts/, and prints one
table with the ratios to the bare query. A report: nothing here asserts a timing. See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import feed_search as fs  # noqa: E402
from vivier.scale import generator as gen  # noqa: E402
from vivier.scale import vocabulary as voc  # noqa: E402
from vivier.scale.generator_expertise import (  # noqa: E402
    create_aliases,
    create_endorsements,
    create_labels,
    create_questions_and_answers,
    load_people,
    load_topics,
)

# Short, skill-like queries: skills, tags, head nouns of the generated texts, and a few that
# people type and that no skill is named after.
SHORT_QUERIES = [
    "kubernetes",
    "gestion de projet",
    "sécurité réseau",
    "python",
    "sécurité",
    "Power BI",
    "terraform",
    "recrutement",
    "data science",
    "machine learning",
    "accessibilité",
    "RGPD",
    "négociation fournisseur",
    "comptabilité",
    "facturation",
    "django postgresql",
    "devops",
    "expérience utilisateur",
    "numérique responsable",
    "product management",
]

# Bump when the expertise stage changes what it builds: the stage is then redone.
EXPERTISE_VERSION = 1
EXPERTISE_KEY = "expertise"
TARGET_RATIO = 2.0
CHECK_QUERIES = 50  # queries on which a candidate must give the very same ranking
PAIRS = 100  # (person, query) pairs per group of rows, each with its captured bare query

# --------------------------------------------------------------------------------------------
# Command line.
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options (feed_search.py's, plus the expertise stage's sizes)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people (default 10000)")
    parser.add_argument("--posts", type=int, default=200_000, help="posts (default 200000)")
    parser.add_argument("--questions", type=int, default=10_000, help="questions (10000)")
    parser.add_argument("--answers", type=int, default=30_000, help="answers, about (30000)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per row")
    parser.add_argument("--pool", type=int, default=100, help="distinct signed-in users")
    parser.add_argument("--seed", type=int, default=42, help="random seed of data and requests")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the whole data set")
    parser.add_argument(
        "--rebuild-expertise", action="store_true", help="redo the expertise stage only"
    )
    parser.add_argument(
        "--ranking",
        default="",
        help=f"JSON file: save experts_rank's results on {CHECK_QUERIES} pairs, or compare",
    )
    parser.add_argument(
        "--also-selectors",
        default="",
        help="another selectors.py (e.g. main's checkout): its experts_rank as one more row",
    )
    parser.add_argument("--build-only", action="store_true", help="build, do not measure")
    parser.add_argument(
        "--explain", action="store_true", help="plans of the bare query, profile of the ranking"
    )
    args = parser.parse_args(argv)
    if args.people < 50 or args.posts < 100 or args.requests < 1 or args.pool < 1:
        parser.error("use at least 50 people, 100 posts, 1 request and a pool of 1")
    return args


# --------------------------------------------------------------------------------------------
# The expertise stage: questions, answers, endorsements, aliases, labels; then the index.
# --------------------------------------------------------------------------------------------


def read_stage_marker() -> dict[str, Any] | None:
    """What the last complete expertise stage recorded, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [gen.MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {gen.MARKER_TABLE} WHERE key = %s", [EXPERTISE_KEY])
        found = cursor.fetchone()
    if not found:
        return None
    return found[0] if isinstance(found[0], dict) else json.loads(found[0])


def write_stage_marker(value: dict[str, Any]) -> None:
    """Record a complete expertise stage (feed_search's wipe drops it with the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {gen.MARKER_TABLE} (key text PRIMARY KEY, value jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {gen.MARKER_TABLE} (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [EXPERTISE_KEY, json.dumps(value)],
        )


def wipe_stage() -> None:
    """Remove what an earlier expertise stage wrote, so that it can be redone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {gen.MARKER_TABLE} WHERE key = %s", [EXPERTISE_KEY])
        cursor.execute(
            "TRUNCATE expertise_answervote, expertise_answer, expertise_expertlabel, "
            "expertise_questionrouting, people_endorsement, people_skillalias"
        )
        cursor.execute(
            "DELETE FROM social_post_tags WHERE post_id IN "
            "(SELECT id FROM social_post WHERE kind = 'question')"
        )
        cursor.execute("DELETE FROM social_post WHERE kind = 'question'")


def build_stage(args: argparse.Namespace, base_built_at: str) -> gen.Timings:
    """Add the expertise data to the feed data set, then index everything again and ANALYZE."""
    from django.db import connection

    from vivier.search.services import search_rebuild

    timings = gen.Timings()
    rng = random.Random(args.seed + 100)
    now = datetime.now(UTC)
    print(f"Adding {args.questions:,} questions and about {args.answers:,} answers...")
    started = time.perf_counter()
    wipe_stage()
    create_aliases(timings)
    topics = load_topics()
    people = load_people(rng, topics)
    credits = create_questions_and_answers(
        rng, now, topics, people, args.questions, args.answers, timings
    )
    create_endorsements(rng, now, people, timings)
    create_labels(rng, now, topics, people, credits, timings)
    with timings.step("search_rebuild()"):
        counts = search_rebuild()
        timings.rows["search_rebuild()"] = sum(counts.values())
        print(f"    index: {counts}")
    with timings.step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings.seconds["total"] = time.perf_counter() - started
    write_stage_marker(
        {
            "version": EXPERTISE_VERSION,
            "questions": args.questions,
            "answers": args.answers,
            "seed": args.seed,
            "base_built_at": base_built_at,
            "built_at": now.isoformat(),
            "steps": [[n, timings.rows.get(n, 0), sec] for n, sec in timings.seconds.items()],
        }
    )
    return timings


def ensure_stage(args: argparse.Namespace, base: dict[str, Any]) -> tuple[gen.Timings, dict, bool]:
    """Run the expertise stage unless the recorded one matches the options and the base build."""
    marker = read_stage_marker()
    wanted = {
        "version": EXPERTISE_VERSION,
        "questions": args.questions,
        "answers": args.answers,
        "seed": args.seed,
        "base_built_at": base.get("built_at", ""),
    }
    redo = args.rebuild_expertise or not marker
    if not redo and all(marker.get(k) == v for k, v in wanted.items()):
        print(f"Expertise stage already built on {marker['built_at']}: reusing it.")
        steps = marker["steps"]
        timings = gen.Timings({n: r for n, r, _s in steps}, {n: s for n, _r, s in steps})
        return timings, marker, False
    timings = build_stage(args, wanted["base_built_at"])
    return timings, read_stage_marker() or {}, True


# --------------------------------------------------------------------------------------------
# Measurement.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """One request's input: who asks, what, and the bare query experts_rank sends for it."""

    user: Any  # a feed_search.BenchUser
    q: str
    sql: str
    params: tuple[Any, ...]


class StatementRecorder:
    """An execute_wrapper keeping each statement's SQL, parameters and milliseconds."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, float]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, params, (time.perf_counter() - start) * 1000))


def recorded(run: Callable[[], Any]) -> tuple[Any, list[tuple[str, Any, float]]]:
    """What `run` returns, and the statements it sent (SQL with placeholders, parameters, ms)."""
    from django.db import connection

    recorder = StatementRecorder()
    with connection.execute_wrapper(recorder):
        result = run()
    return result, recorder.statements


def is_bare(sql: str) -> bool:
    """Whether `sql` is experts_rank's step 1: the ranked full-text query over the entries."""
    return "ts_rank(" in sql and "ORDER BY" in sql and "ts_headline" not in sql


def capture_bare(user: Any, q: str, now: datetime) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of experts_rank's step 1 for `user` and `q`, as Django sent them."""
    from vivier.expertise.selectors import experts_rank

    _result, statements = recorded(lambda: experts_rank(viewer=user, q=q, limit=10, now=now))
    for sql, params, _ms in statements:
        if is_bare(sql):
            return sql, tuple(params)
    raise RuntimeError(f"experts_rank sent no full-text query for {q!r}")


def run_bare(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The bare query, run as experts_rank runs it: inside backend().reading(), all rows read."""
    from django.db import connection

    from vivier.search.backends import backend

    with backend().reading(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def short_queries(rng: random.Random) -> list[str]:
    """1-3 word, skill-like queries: skills, tag names and head nouns of the generated texts."""
    words = voc.search_words()
    return list(
        dict.fromkeys(SHORT_QUERIES + rng.sample(voc.TAG_BASES, 10) + rng.sample(words, 10))
    )


def long_queries(rng: random.Random, count: int = 30) -> list[str]:
    """Question-like queries: generated questions' titles and bodies, as routing sends them."""
    from vivier.social.models import Post

    # In id order: a sample of an unordered list would change with the table's physical order.
    ids = list(Post.objects.filter(kind="question").order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(ids, k=min(count, len(ids)))
    rows = Post.objects.filter(pk__in=chosen).order_by("pk").values_list("title", "body")
    return [f"{title}\n\n{body}" for title, body in rows]


def make_pairs(
    users: list[Any], queries: list[str], rng: random.Random, count: int, now: datetime
) -> list[Pair]:
    """`count` random (person, query) pairs, each with its captured bare query."""
    pairs = []
    for _ in range(count):
        user, q = rng.choice(users), rng.choice(queries)
        sql, params = capture_bare(user.user, q, now)
        pairs.append(Pair(user, q, sql, params))
    return pairs


@dataclass
class Group:
    """Rows measured on the same (person, query) pairs: the first row is the bare query."""

    name: str
    operations: list[fs.Operation]


def other_experts_rank(path: str) -> Callable[..., Any]:
    """experts_rank from another copy of vivier/expertise/selectors.py (a before/after row)."""
    spec = importlib.util.spec_from_file_location("other_selectors", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.experts_rank


def make_groups(
    users: list[Any],
    pairs: dict[str, list[Pair]],
    notes: list[str],
    now: datetime,
    also_selectors: str = "",
) -> list[Group]:
    """For each kind of query: bare FTS, experts_rank(), the API and the page if mounted."""
    from django.test import Client

    from vivier.expertise.selectors import experts_rank

    other = other_experts_rank(also_selectors) if also_selectors else None

    api = Client(HTTP_HOST=fs.HOST)
    has_api = fs.route_exists("/api/v1/experts")
    has_page = fs.route_exists("/experts/")
    if not has_api:
        notes.append("/api/v1/experts does not resolve: no API row.")
    if not has_page:
        notes.append("/experts/ does not resolve: no HTML row.")
    groups = []
    for name, chosen in pairs.items():

        def bare(rng: random.Random, chosen: list[Pair] = chosen) -> int:
            pair = rng.choice(chosen)
            run_bare(pair.sql, pair.params)
            return 200

        def rank(rng: random.Random, chosen: list[Pair] = chosen) -> int:
            pair = rng.choice(chosen)
            experts_rank(viewer=pair.user.user, q=pair.q, limit=10, now=now)
            return 200

        def api_experts(rng: random.Random, chosen: list[Pair] = chosen) -> int:
            pair = rng.choice(chosen)
            url = f"/api/v1/experts?q={quote(pair.q)}&limit=10"
            headers = {"Authorization": pair.user.bearer}
            return api.get(url, secure=True, headers=headers).status_code

        def page(rng: random.Random, chosen: list[Pair] = chosen) -> int:
            pair = rng.choice(chosen)
            return pair.user.client.get(f"/experts/?q={quote(pair.q)}", secure=True).status_code

        def rank_other(rng: random.Random, chosen: list[Pair] = chosen) -> int:
            pair = rng.choice(chosen)
            other(viewer=pair.user.user, q=pair.q, limit=10, now=now)
            return 200

        operations = [
            fs.Operation("bare FTS (step 1 of experts_rank)", bare),
            fs.Operation("experts_rank(limit=10, evidence)", rank, feed_target=True),
        ]
        if other is not None:
            operations.append(fs.Operation("experts_rank, --also-selectors", rank_other))
        if has_api:
            operations.append(
                fs.Operation("GET /api/v1/experts?q=&limit=10", api_experts, feed_target=True)
            )
        if has_page:
            operations.append(fs.Operation("GET /experts/?q= (HTML)", page))
        groups.append(Group(name, operations))
    return groups


def run_groups(args: argparse.Namespace, users: list[Any], groups: list[Group]) -> None:
    """Warm every row up, then measure all rows round-robin, in a shuffled order each round,
    every row of a round on the same (person, query) pair: paired draws."""
    rng = random.Random(args.seed + 3)
    operations = [op for group in groups for op in group.operations]
    print(f"Measuring {len(operations)} rows x {args.requests} requests ({len(users)} users)...")
    for operation in operations:
        for _ in range(args.warmup):
            fs.measure_once(operation, rng, record=False)
    primed = 0.0
    for _round in range(args.requests):
        if time.monotonic() - primed > fs.TOKEN_PRIME_SECONDS:
            fs.prime_tokens(users)
            primed = time.monotonic()
        order = operations[:]
        rng.shuffle(order)
        # Each row draws its pair from a generator seeded alike: the rows of a round run the
        # same pair. Independent draws gave each row its own sample of pairs, and the bare
        # query's times are bimodal (most 10-20 ms, some 170 ms): its median then moved by
        # 15% between runs, and every ratio with it.
        seed = rng.getrandbits(64)
        for operation in order:
            fs.measure_once(operation, random.Random(seed), record=True)


def verdict(op: fs.Operation, bare_median: float) -> str:
    """'OK' or 'over (why)' against the 2x target."""
    ratio = statistics.median(op.ms) / bare_median
    return "OK" if ratio <= TARGET_RATIO else f"over ({ratio:.1f}x > {TARGET_RATIO:g}x)"


def print_groups(groups: list[Group], pairs: dict[str, list[Pair]]) -> None:
    """One table: each group's rows with their ratio to the group's bare query."""
    header = (
        f"{'operation':<38} {'median ms':>9} {'p95 ms':>8} {'SQL ms':>7} "
        f"{'queries med/max':>15} {'x bare':>7} {'per pair':>8}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for group in groups:
        chosen = pairs[group.name]
        print(
            f"{group.name} ({len(chosen)} person/query pairs, "
            f"{len({p.q for p in chosen})} distinct queries)"
        )
        bare = statistics.median(group.operations[0].ms)
        bare_times = group.operations[0].ms
        for op in group.operations:
            median = statistics.median(op.ms)
            # The rows of a round ran the same pair (run_groups): the median of the ratios.
            per_pair = statistics.median(t / b for t, b in zip(op.ms, bare_times, strict=True))
            queries = f"{statistics.median(op.queries):g} / {max(op.queries)}"
            target = verdict(op, bare) if op.feed_target else ""
            errors = ", ".join(f"{n}x HTTP {s}" for s, n in sorted(op.errors.items()))
            print(
                f"  {op.name:<36} {median:9.1f} {fs.percentile(op.ms, 0.95):8.1f} "
                f"{statistics.median(op.sql_ms):7.1f} {queries:>15} {median / bare:6.2f}x "
                f"{per_pair:7.2f}x  "
                f"{target}{'  ERRORS: ' + errors if errors else ''}"
            )
    print(
        f"\nTarget: experts_rank and the API at most {TARGET_RATIO:g}x the median of the bare "
        "full-text query they start from (same pairs, same run). Per pair: the median of each "
        "round's ratio to the bare query, every row of a round running the same pair. SQL ms: "
        "median time inside the database driver."
    )


def print_stage_sizes() -> None:
    """Row counts of the expertise stage's tables and of the index by kind."""
    from django.db import connection

    tables = [
        "expertise_answer",
        "expertise_expertlabel",
        "people_endorsement",
        "people_skillalias",
    ]
    counts = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM social_post WHERE kind = 'question'")
        counts.append(f"questions {cursor.fetchone()[0]:,}")
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts.append(f"{table.split('_', 1)[1]} {cursor.fetchone()[0]:,}")
        cursor.execute("SELECT COUNT(*) FROM expertise_answer WHERE accepted_at IS NOT NULL")
        counts.append(f"accepted {cursor.fetchone()[0]:,}")
        cursor.execute("SELECT kind, COUNT(*) FROM search_searchentry GROUP BY kind ORDER BY kind")
        index = ", ".join(f"{kind} {n:,}" for kind, n in cursor.fetchall())
    print("Expertise stage: " + ", ".join(counts))
    print(f"Index entries: {index}")


# --------------------------------------------------------------------------------------------
# Same ranking: order, scores and evidence on CHECK_QUERIES pairs, against a saved file.
# --------------------------------------------------------------------------------------------


def ranking_signature(pairs: list[Pair], now: datetime) -> list[list[Any]]:
    """What experts_rank returns for each pair: people, scores, counts and evidence."""
    from vivier.expertise.selectors import experts_rank

    signature = []
    for pair in pairs:
        results = experts_rank(viewer=pair.user.user, q=pair.q, limit=10, now=now)
        signature.append(
            [
                pair.user.user.pk,
                pair.q,
                [
                    [
                        r.user.pk,
                        r.score,
                        r.documents,
                        r.recent_answers,
                        [[e.kind, e.object_id, e.snippet_html, e.accepted] for e in r.evidence],
                        [[d.skill.pk, d.level, d.endorsements] for d in r.declared],
                        [s.pk for s in r.labels],
                    ]
                    for r in results
                ],
            ]
        )
    return signature


def check_ranking(path: Path, pairs: list[Pair], now: datetime) -> str:
    """Compare with the ranking saved in `path` (write it if missing); one line of report."""
    signature = ranking_signature(pairs, now)
    if not path.exists():
        path.write_text(json.dumps(signature, ensure_ascii=False))
        return f"Ranking of {len(pairs)} queries saved to {path} (compare a later run with it)."
    saved = json.loads(path.read_text())
    if [s[:2] for s in saved] != [s[:2] for s in signature]:
        return f"Ranking against {path}: not the same (person, query) pairs, nothing compared."
    same_order = sum(
        [r[0] for r in a[2]] == [r[0] for r in b[2]] for a, b in zip(saved, signature, strict=False)
    )
    same_scores = sum(
        [r[:4] for r in a[2]] == [r[:4] for r in b[2]]
        for a, b in zip(saved, signature, strict=False)
    )
    same_all = sum(a == b for a, b in zip(saved, signature, strict=False))
    return (
        f"Ranking against {path}: same order {same_order}/{len(saved)}, same scores "
        f"{same_scores}/{len(saved)}, same evidence and all {same_all}/{len(saved)}."
    )


# --------------------------------------------------------------------------------------------
# --explain: plans of the bare query, where experts_rank's time goes.
# --------------------------------------------------------------------------------------------

STEP_MARKERS = [
    ("1 bare full-text query", is_bare),
    ("3-6 skills, holders, labels, candidates", lambda s: "expertise_answercount" in s),
    ("7 evidence: entries, accepted, snippets", lambda s: "ts_headline" in s),
    ("6 prior of a replay (answers after now)", lambda s: "expertise_answer" in s),
    ("  users with profiles", lambda s: "accounts_user" in s),
    ("  other", lambda s: True),
]


def step_of(sql: str) -> str:
    """The name of experts_rank's step that sent `sql`."""
    return next(name for name, match in STEP_MARKERS if match(sql))


def explain_bare(pair: Pair) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the bare query, inside reading() as experts_rank runs it."""
    from django.db import connection

    from vivier.search.backends import backend

    with backend().reading(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {pair.sql}", pair.params)
        return [row[0] for row in cursor.fetchall()]


def matches(pair: Pair) -> int:
    """How many entries the bare query ranks before keeping 500 (its WHERE, counted)."""
    from django.db import connection

    from vivier.search.backends import backend

    sql = pair.sql
    start = sql.index(" FROM ")
    end = sql.index(" ORDER BY ")
    # The SELECT list's parameters come first: drop them with the columns.
    select_params = sql[:start].count("%s")
    with backend().reading(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {sql[start:end]}", pair.params[select_params:])
        return cursor.fetchone()[0]


def breakdown(pairs: list[Pair], now: datetime) -> None:
    """Per step of experts_rank: SQL ms (median over pairs), and the Python left."""
    from vivier.expertise.selectors import experts_rank

    per_step: dict[str, list[float]] = defaultdict(list)
    totals, sql_totals, counts = [], [], []
    for pair in pairs:
        start = time.perf_counter()
        results, statements = recorded(
            lambda pair=pair: experts_rank(viewer=pair.user.user, q=pair.q, limit=10, now=now)
        )
        totals.append((time.perf_counter() - start) * 1000)
        sql_totals.append(sum(ms for _s, _p, ms in statements))
        counts.append(len(statements))
        steps: dict[str, float] = dict.fromkeys((n for n, _m in STEP_MARKERS), 0.0)
        for sql, _params, ms in statements:
            steps[step_of(sql)] += ms
        for name, ms in steps.items():
            per_step[name].append(ms)
        del results
    print(
        f"  total {statistics.median(totals):.1f} ms median ({len(pairs)} calls), SQL "
        f"{statistics.median(sql_totals):.1f} ms, {statistics.median(counts):g} statements; "
        "median ms per step:"
    )
    for name, values in per_step.items():
        if max(values) > 0:
            print(
                f"    {name:<38} {statistics.median(values):7.2f}  (p95 "
                f"{fs.percentile(values, 0.95):.2f})"
            )
    python = [t - s for t, s in zip(totals, sql_totals, strict=True)]
    print(f"    {'Python (total - SQL)':<38} {statistics.median(python):7.2f}")


def snippet_cost(pairs: list[Pair], now: datetime) -> None:
    """ts_headline's time by the number of entries it highlights, and the rest of step 7."""
    from vivier.expertise.selectors import experts_rank

    rows = []
    for pair in pairs:
        results, statements = recorded(
            lambda pair=pair: experts_rank(viewer=pair.user.user, q=pair.q, limit=10, now=now)
        )
        # The evidence's entries come with their ts_headline in one statement: its time, for
        # the entries shown.
        for sql, _params, ms in statements:
            if "ts_headline" in sql:
                rows.append((sum(len(r.evidence) for r in results), ms))
    if rows:
        entries = statistics.median(n for n, _ms in rows)
        ms = statistics.median(m for _n, m in rows)
        print(
            f"  entries + ts_headline: {entries:g} entries per call (median), {ms:.1f} ms median, "
            f"{fs.percentile([m for _n, m in rows], 0.95):.1f} ms p95, "
            f"{ms / max(entries, 1):.2f} ms per entry"
        )


def profile(pairs: list[Pair], now: datetime, top: int = 25) -> None:
    """cProfile of experts_rank over the pairs: the top functions by cumulative time."""
    from vivier.expertise.selectors import experts_rank

    profiler = cProfile.Profile()
    profiler.enable()
    for pair in pairs:
        experts_rank(viewer=pair.user.user, q=pair.q, limit=10, now=now)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    print("\n".join("  " + line for line in lines[start - 1 :]))


def run_explain(pairs: dict[str, list[Pair]], now: datetime) -> None:
    """Plans of the bare query (a short and a long query), then experts_rank's steps timed."""
    for name, chosen in pairs.items():
        counts = sorted(((matches(p), p) for p in chosen[:20]), key=lambda x: x[0])
        typical = counts[len(counts) // 2]
        pair = typical[1]
        explain_bare(pair)  # warm
        print(
            f"\nEXPLAIN (ANALYZE, BUFFERS) of the bare query, {name}, q={pair.q[:80]!r} "
            f"(median match count of 20 pairs: {typical[0]:,} entries; range "
            f"{counts[0][0]:,}-{counts[-1][0]:,}):"
        )
        print("\n".join("  " + line for line in explain_bare(pair)))
    for name, chosen in pairs.items():
        sample = chosen[:40]
        print(f"\nWhere experts_rank's time goes, {name}:")
        breakdown(sample, now)
        snippet_cost(sample, now)
        print(f"\ncProfile of experts_rank, {name} ({len(sample)} calls), by cumulative time:")
        profile(sample, now)


def measure_and_report(
    args: argparse.Namespace,
    base: tuple[gen.Timings, dict[str, Any], bool],
    stage: tuple[gen.Timings, dict[str, Any], bool],
) -> None:
    """Pairs, rows, the table; the ranking check; --explain."""
    from django.conf import settings
    from django.test.utils import override_settings

    now = datetime.fromisoformat(stage[1]["built_at"])
    notes: list[str] = []
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    rng = random.Random(args.seed + 1)
    with override_settings(ROOT_URLCONF=fs.BENCH_URLCONF, STORAGES=storages):
        users = fs.make_users(args, rng)
        pairs = {
            "short queries (1-3 words)": make_pairs(users, short_queries(rng), rng, PAIRS, now),
            "long queries (a question's title and body)": make_pairs(
                users, long_queries(rng), rng, PAIRS, now
            ),
        }
        groups = make_groups(users, pairs, notes, now, args.also_selectors)
        run_groups(args, users, groups)
        check_pairs = random.Random(args.seed + 4).sample(
            [p for chosen in pairs.values() for p in chosen], CHECK_QUERIES
        )
        ranking = check_ranking(Path(args.ranking), check_pairs, now) if args.ranking else ""
        print()
        fs.print_environment()
        fs.print_sizes()
        print_stage_sizes()
        fs.print_generation(*base)
        print_stage_generation(stage)
        print_groups(groups, pairs)
        print(
            f"experts_rank runs with now={now.isoformat()} (the expertise stage's build time), "
            "so that scores compare across runs."
        )
        for note in notes:
            print(f"Note: {note}")
        if ranking:
            print(ranking)
        if args.explain:
            run_explain(pairs, now)


def print_stage_generation(stage: tuple[gen.Timings, dict[str, Any], bool]) -> None:
    """Rows and seconds of the expertise stage."""
    timings, marker, rebuilt = stage
    when = "this run" if rebuilt else "recorded build of " + marker.get("built_at", "?")
    print(f"\nExpertise stage ({when}):")
    for name, seconds in timings.seconds.items():
        if name != "total":
            print(f"  {name:<24} {timings.rows.get(name, 0):>9,} rows {seconds:8.1f} s")
    print(f"  {'total':<24} {'':>14} {timings.seconds.get('total', 0.0):8.1f} s")


def main(argv: Sequence[str] | None = None) -> None:
    """Check the database, build what is missing, measure, report."""
    args = parse_args(argv)
    config = fs.database_config()
    if fs.ensure_database(config):
        print(f"Created database {config['NAME']}.")
    fs.setup_django()  # migrates
    base_timings, base, base_rebuilt = fs.ensure_dataset(args)
    stage_timings, stage, stage_rebuilt = ensure_stage(args, base)
    if args.build_only:
        return
    measure_and_report(
        args, (base_timings, base, base_rebuilt), (stage_timings, stage, stage_rebuilt)
    )


if __name__ == "__main__":
    main()
