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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import feed_search as fs  # noqa: E402

DB_PREFIX = "vivier_opp_bench"
MARKER_TABLE = "vivier_opp_bench_dataset"
# Bump when the generator changes what it builds: older data sets are then rebuilt.
GENERATOR_VERSION = 1
BATCH = 5000
# Recommendation targets: a fixed number of queries, and a median within this many baselines.
TARGET_QUERIES = 20
TARGET_RATIO = 25.0

FAMILIES = {
    "data": ("Data", ["Data analyst", "Data scientist", "Data engineer", "Responsable data"]),
    "tech": ("Technologie", ["Développeur", "Architecte cloud", "Ingénieur sécurité", "DevOps"]),
    "rh": ("Ressources humaines", ["Chargée de recrutement", "Responsable formation"]),
    "finance": ("Finance", ["Contrôleur de gestion", "Acheteur", "Analyste financier"]),
    "produit": ("Produit", ["Product owner", "Designer UX", "Chef de projet"]),
}
KINDS = ["project"] * 4 + ["gig"] * 3 + ["job"] * 2 + ["shadowing"]
SHARES = {"project": [20, 30, 40, 50], "gig": [5, 10, 20], "job": [100], "shadowing": [5]}
TITLES = {
    "project": "Projet {n} : {skill}",
    "gig": "Mission courte {n} : {skill}",
    "job": "Poste interne {n} : {skill}",
    "shadowing": "Vis ma vie {n} : {skill}",
}


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


def create_job_map(timings: fs.Timings) -> list[int]:
    """A small job map: families and roles."""
    from vivier.people.models import JobFamily, JobRole

    with timings.step("people_jobrole"):
        roles = []
        for code, (name, titles) in FAMILIES.items():
            family = JobFamily.objects.create(code=code, name_fr=name, name_en=name)
            for i, title in enumerate(titles):
                roles.append(
                    JobRole(family=family, code=f"{code}-{i}", title_fr=title, title_en=title)
                )
        roles = JobRole.objects.bulk_create(roles)
        timings.rows["people_jobrole"] = len(roles)
    return [r.pk for r in roles]


def create_preferences(world: fs.World, role_ids: list[int], timings: fs.Timings) -> None:
    """Half the people state mobility preferences; 70% of those may be suggested."""
    from vivier.opportunities.models import MobilityPreference
    from vivier.people.models import Location, Skill

    rng = world.rng
    skill_ids = list(Skill.objects.values_list("pk", flat=True))
    location_ids = list(Location.objects.values_list("pk", flat=True))
    with timings.step("opportunities_mobilitypreference"):
        chosen = [u for u in world.user_ids if rng.random() < 0.5]
        prefs = MobilityPreference.objects.bulk_create(
            (
                MobilityPreference(
                    user_id=u, open_to_move=rng.random() < 0.4, suggestible=rng.random() < 0.7
                )
                for u in chosen
            ),
            batch_size=BATCH,
        )
        interests, roles, places = [], [], []
        through = MobilityPreference
        for pref in prefs:
            for s in rng.sample(skill_ids, k=rng.randint(0, 3)):
                interests.append(
                    through.interests.through(mobilitypreference_id=pref.pk, skill_id=s)
                )
            for r in rng.sample(role_ids, k=rng.randint(0, 2)):
                roles.append(
                    through.desired_roles.through(mobilitypreference_id=pref.pk, jobrole_id=r)
                )
            for loc in rng.sample(location_ids, k=rng.randint(0, 2)):
                places.append(
                    through.locations.through(mobilitypreference_id=pref.pk, location_id=loc)
                )
        for rows in (interests, roles, places):
            rows[0].__class__.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["opportunities_mobilitypreference"] = (
            len(prefs) + len(interests) + len(roles) + len(places)
        )


def create_opportunities(
    world: fs.World, count: int, role_ids: list[int], timings: fs.Timings
) -> None:
    """`count` open opportunities (plus 10% closed and 5% drafts) with 1-5 skills each."""
    from vivier.opportunities.models import Application, Opportunity, OpportunitySkill
    from vivier.people.models import Location, OrgUnit, Skill

    rng = world.rng
    skills = list(Skill.objects.order_by("pk"))
    skill_cum = fs.zipf_cum_weights(len(skills), 0.8, 2)
    units = list(OrgUnit.objects.filter(depth=1).values_list("pk", flat=True))
    location_ids = list(Location.objects.values_list("pk", flat=True))
    owners = rng.sample(world.user_ids, k=max(1, len(world.user_ids) // 20))
    with timings.step("opportunities_opportunity"):
        rows = []
        total = count + count // 10 + count // 20
        for n in range(total):
            status = "open" if n < count else ("closed" if n < count + count // 10 else "draft")
            kind = rng.choice(KINDS)
            start = date(2027, 1, 1) + timedelta(days=rng.randint(0, 200))
            published = (
                None if status == "draft" else world.now - timedelta(days=rng.randint(1, 120))
            )
            first = skills[rng.choices(range(len(skills)), cum_weights=skill_cum)[0]]
            rows.append(
                Opportunity(
                    kind=kind,
                    strategic=kind == "project" and rng.random() < 0.2,
                    title=TITLES[kind].format(n=n, skill=first.label_fr),
                    description="Une mission pour l'équipe, avec des collègues de plusieurs sites.",
                    description_html="<p>Une mission pour l'équipe.</p>",
                    time_share_percent=rng.choice(SHARES[kind]),
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(1, 300)),
                    location_id=rng.choice(location_ids),
                    remote=rng.random() < 0.4,
                    owner_id=rng.choice(owners),
                    job_role_id=rng.choice(role_ids) if kind in {"job", "shadowing"} else None,
                    visibility="units" if rng.random() < 0.15 else "everyone",
                    status=status,
                    published_at=published,
                    closed_at=world.now if status == "closed" else None,
                )
            )
            rows[-1].first_skill = first.pk
        created = Opportunity.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["opportunities_opportunity"] = len(created)
    with timings.step("opportunities_opportunityskill"):
        needs, visible = [], []
        for opportunity, row in zip(created, rows, strict=True):
            ids = {row.first_skill} | set(
                fs.pick_distinct(rng, [s.pk for s in skills], skill_cum, rng.randint(0, 4))
            )
            for i, skill_id in enumerate(sorted(ids)):
                needs.append(
                    OpportunitySkill(
                        opportunity_id=opportunity.pk,
                        skill_id=skill_id,
                        level=rng.randint(1, 4),
                        required=skill_id == row.first_skill or rng.random() < 0.5 or i == 0,
                    )
                )
            if opportunity.visibility == "units":
                for unit in rng.sample(units, k=min(len(units), rng.randint(1, 3))):
                    visible.append(
                        Opportunity.visible_units.through(
                            opportunity_id=opportunity.pk, orgunit_id=unit
                        )
                    )
        OpportunitySkill.objects.bulk_create(needs, batch_size=BATCH)
        Opportunity.visible_units.through.objects.bulk_create(visible, batch_size=BATCH)
        timings.rows["opportunities_opportunityskill"] = len(needs) + len(visible)
    with timings.step("opportunities_application"):
        open_ids = [o.pk for o in created if o.status == "open"]
        applications = []
        for user_id in world.user_ids:
            for opportunity_id in rng.sample(open_ids, k=rng.choice([0, 0, 0, 1, 2])):
                applications.append(
                    Application(opportunity_id=opportunity_id, applicant_id=user_id, message="Oui")
                )
        Application.objects.bulk_create(applications, batch_size=BATCH, ignore_conflicts=True)
        timings.rows["opportunities_application"] = len(applications)


def build_dataset(args: argparse.Namespace) -> fs.Timings:
    """Empty the database and generate people and the marketplace, then ANALYZE."""
    from django.db import connection

    timings = fs.Timings()
    world = fs.World(rng=random.Random(args.seed), now=datetime.now(UTC))
    print(f"Building {args.people:,} people and {args.opportunities:,} open opportunities...")
    started = time.perf_counter()
    fs.wipe_database()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
    fs.create_people(world, args.people, timings)
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


def ensure_dataset(args: argparse.Namespace) -> tuple[fs.Timings, dict[str, Any], bool]:
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
        timings = fs.Timings({n: r for n, r, _s in steps}, {n: s for n, _r, s in steps})
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
