"""Vision map benchmark: the map, an objective's page, coverage and my part as links grow.

    .venv/bin/python benchmarks/vision.py [--people 5000 --posts 50000 --links 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_vision_bench .venv/bin/python \\
        benchmarks/vision.py

Builds a data set (bulk inserts) in a fresh SQLite file (default, under /tmp) or in a PostgreSQL
database whose name starts with `vivier_vision` (emptied first), then measures through the real
request path (django.test.Client: URL resolution, middleware, views, templates, API) a bare
baseline view running one indexed query, and each vision page and endpoint, and prints median,
p95, SQL time, queries per request and the ratio to the baseline, all in the same run. A report:
nothing here asserts a timing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 5000
WORDS = [
    "application",
    "mobile",
    "client",
    "parcours",
    "données",
    "qualité",
    "cloud",
    "migration",
    "sécurité",
    "accès",
    "mentorat",
    "expertise",
    "mobilité",
    "carbone",
    "vélo",
    "inclusion",
    "accessibilité",
    "formation",
    "équipe",
    "projet",
    "tableau",
    "bord",
    "modèle",
    "production",
    "incident",
    "astreinte",
    "réunion",
    "café",
    "vendredi",
    "livraison",
]


def parse_args() -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--links", type=int, default=10_000, help="links of posts")
    parser.add_argument("--objectives", type=int, default=40)
    parser.add_argument("--requests", type=int, default=30, help="measured per row")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args()


def setup() -> None:
    """Point Django at the benchmark database, refuse any other, and migrate."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = Path(tempfile.gettempdir()) / "vivier_vision_bench.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif not url.rsplit("/", 1)[-1].startswith("vivier_vision"):
        sys.exit("DATABASE_URL must name a database starting with vivier_vision (it is emptied)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vivier.settings")
    os.environ.setdefault("SECRET_KEY", "vision-benchmark")
    os.environ.setdefault("DEBUG", "1")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ROOT_URLCONF = "benchmarks.urls"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["*"]
    call_command("flush", interactive=False, verbosity=0) if "postgres" in url else None
    call_command("migrate", interactive=False, verbosity=0)


def build(args: argparse.Namespace) -> dict[str, Any]:
    """The data set: people in a three-level org chart, communities, posts, objectives, links."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from vivier.accounts.models import Role, User
    from vivier.accounts.services import user_set_roles
    from vivier.opportunities.models import Opportunity
    from vivier.people.models import OrgUnit, Profile
    from vivier.social.models import Community, Membership, Post
    from vivier.vision.models import Axis, Indicator, Objective, ObjectiveLink, Vision

    rng = random.Random(args.seed)
    started = time.perf_counter()
    now = timezone.now()
    root = OrgUnit.objects.create(name="Direction générale", code="DG", path="/", depth=0)
    root.path = f"/{root.pk}/"
    root.save()
    units = []
    for d in range(6):
        direction = OrgUnit.objects.create(
            name=f"Direction {d}", code=f"D{d}", parent=root, depth=1
        )
        direction.path = f"{root.path}{direction.pk}/"
        direction.save()
        for t in range(4):
            team = OrgUnit.objects.create(
                name=f"Équipe {d}.{t}", code=f"D{d}T{t}", parent=direction, depth=2
            )
            team.path = f"{direction.path}{team.pk}/"
            team.save()
            units.append(team)
    password = make_password("vivier-bench-2026")
    users = User.objects.bulk_create(
        [
            User(
                email=f"p{i}@bench.vivier.test",
                first_name="Prénom",
                last_name=f"Nom{i}",
                password=password,
            )
            for i in range(args.people)
        ],
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        [Profile(user=u, org_unit=rng.choice(units)) for u in users], batch_size=BATCH
    )
    hr = users[0]
    user_set_roles(user=hr, roles=[Role.HR_ADMIN])
    communities = [
        Community.objects.create(
            name=f"Communauté {c}",
            slug=f"communaute-{c}",
            description=" ".join(rng.sample(WORDS, 6)),
            visibility="secret" if c < 2 else "open",
            created_by=users[c + 1],
        )
        for c in range(10)
    ]
    Membership.objects.bulk_create(
        [
            Membership(community=c, user=u, role="owner" if u == users[i + 1] else "member")
            for i, c in enumerate(communities)
            for u in {users[i + 1], *rng.sample(users, 200)}
        ],
        batch_size=BATCH,
    )
    posts = Post.objects.bulk_create(
        [
            Post(
                author=rng.choice(users),
                body=" ".join(rng.choices(WORDS, k=12)),
                community=rng.choice(communities) if rng.random() < 0.3 else None,
                kind="question" if rng.random() < 0.05 else "update",
            )
            for _ in range(args.posts)
        ],
        batch_size=BATCH,
    )
    # Spread over the last year, as the chart counts by month.
    for post in posts:
        post.created_at = now - timedelta(days=rng.random() * 365)
    Post.objects.bulk_update(posts, ["created_at"], batch_size=BATCH)
    opportunities = Opportunity.objects.bulk_create(
        [
            Opportunity(
                kind="project",
                title=" ".join(rng.sample(WORDS, 4)),
                description=" ".join(rng.sample(WORDS, 10)),
                time_share_percent=20,
                start_date=date.today(),
                owner=rng.choice(users),
                status="open",
                published_at=now,
            )
            for _ in range(300)
        ]
    )
    Vision.objects.create(title_fr="Cap 2030", statement_fr="La confiance numérique.")
    axes = [Axis.objects.create(title_fr=f"Axe {a}", position=a) for a in range(4)]
    objectives: list[Objective] = []
    for n in range(args.objectives):
        parent = objectives[n - 5] if n % 5 == 4 and n >= 5 else None
        objective = Objective.objects.create(
            axis=parent.axis if parent else axes[n % 4],
            parent=parent,
            title_fr=" ".join(rng.sample(WORDS, 4)),
            description_fr=" ".join(rng.sample(WORDS, 12)),
            owner=rng.choice(users),
            period_start=date(2026, 1, 1),
            period_end=date(2027, 12, 31),
            position=n,
        )
        Indicator.objects.create(objective=objective, name_fr="Taux", unit="%", target_value=100)
        objectives.append(objective)
    # A power law over objectives: a few carry most of the work.
    weights = [1 / (i + 1) for i in range(len(objectives))]
    seen: set[tuple[int, int]] = set()
    links = []
    for post in rng.sample(posts, min(args.links, len(posts))):
        objective = rng.choices(objectives, weights)[0]
        if (objective.pk, post.pk) not in seen:
            seen.add((objective.pk, post.pk))
            links.append(
                ObjectiveLink(objective=objective, post=post, created_by_id=post.author_id)
            )
    links += [ObjectiveLink(objective=rng.choice(objectives), opportunity=o) for o in opportunities]
    links += [ObjectiveLink(objective=rng.choice(objectives), community=c) for c in communities]
    ObjectiveLink.objects.bulk_create(links, batch_size=BATCH)
    return {
        "hr": hr,
        "users": users,
        "busiest": objectives[0],
        "post": posts[0],
        "seconds": time.perf_counter() - started,
        "links": len(links),
    }


def main() -> None:
    """Build, measure and print the report."""
    args = parse_args()
    setup()
    from django.db import connection
    from django.test import Client

    from benchmarks import feed_search as fs
    from benchmarks.urls import BASELINE_PATH

    data = build(args)
    rng = random.Random(args.seed + 1)
    hr_client = Client(HTTP_HOST="localhost")
    hr_client.force_login(data["hr"])
    people = []
    for user in rng.sample(data["users"][1:], 10):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        people.append(client)
    busiest = data["busiest"].pk
    post = data["post"]

    def get(client_of: Any, path: str) -> Any:
        return lambda r: client_of(r).get(path).status_code

    anyone = lambda r: r.choice(people)  # noqa: E731
    operations = [
        fs.Operation("baseline (one indexed query)", get(anyone, f"/{BASELINE_PATH}")),
        fs.Operation("map page", get(anyone, "/vision/")),
        fs.Operation("map API", get(anyone, "/api/v1/vision/map")),
        fs.Operation("busiest objective page", get(anyone, f"/vision/objectives/{busiest}/")),
        fs.Operation(
            "busiest objective items API", get(anyone, f"/api/v1/vision/objectives/{busiest}/items")
        ),
        fs.Operation("my part page", get(anyone, "/vision/me/")),
        fs.Operation(
            "suggestions API (author)",
            lambda r: (
                _author_client(post)
                .get("/api/v1/vision/suggestions", {"kind": "post", "object_id": post.pk})
                .status_code
            ),
        ),
        fs.Operation(
            "coverage page (HR, whole company)", get(lambda r: hr_client, "/vision/coverage/")
        ),
    ]
    for operation in operations:
        for _ in range(args.warmup):
            fs.measure_once(operation, rng, record=False)
        for _ in range(args.requests):
            fs.measure_once(operation, rng, record=True)
    base = sorted(operations[0].ms)[len(operations[0].ms) // 2]
    print(
        f"Vision benchmark on {connection.vendor}: {args.people} people, {args.posts} posts, "
        f"{data['links']} links, {args.objectives} objectives (built in {data['seconds']:.1f} s); "
        f"{args.requests} requests per row."
    )
    print(
        f"{'request':<38} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>8} {'queries':>8} {'x base':>7}"
    )
    for op in operations:
        median = sorted(op.ms)[len(op.ms) // 2]
        sql = sorted(op.sql_ms)[len(op.sql_ms) // 2]
        errors = f"  errors {op.errors}" if op.errors else ""
        print(
            f"{op.name:<38} {median:>10.1f} {fs.percentile(op.ms, 0.95):>8.1f} {sql:>8.1f} "
            f"{max(op.queries):>8} {median / base:>7.1f}{errors}"
        )


_AUTHOR_CLIENTS: dict[int, Any] = {}


def _author_client(post: Any) -> Any:
    from django.test import Client

    if post.author_id not in _AUTHOR_CLIENTS:
        client = Client(HTTP_HOST="localhost")
        client.force_login(post.author)
        _AUTHOR_CLIENTS[post.author_id] = client
    return _AUTHOR_CLIENTS[post.author_id]


if __name__ == "__main__":
    main()
