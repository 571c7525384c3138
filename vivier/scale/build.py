"""The whole company data set, phase by phase: what `manage.py vivier_scale` runs."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vivier.scale import generator as gen
from vivier.scale import generator_expertise as gex
from vivier.scale import generator_more as gmore
from vivier.scale import generator_opportunities as gopp

SCALE_MARKER = "vivier_scale_dataset"
# Bump when the build changes what it writes: benchmarks then rebuild their data set.
SCALE_VERSION = 1


@dataclass
class Sizes:
    """What to build; zero or negative derived sizes are computed from people and posts."""

    people: int
    posts: int
    events: int = -1
    questions: int = -1
    opportunities: int = -1
    seed: int = 42
    inference: bool = True

    def resolved(self) -> Sizes:
        """The sizes with the derived ones filled in."""
        questions = self.questions if self.questions >= 0 else max(10, self.posts // 20)
        opportunities = (
            self.opportunities if self.opportunities >= 0 else max(20, self.people // 50)
        )
        events = self.events if self.events >= 0 else 3 * self.posts
        return Sizes(
            self.people, self.posts, events, questions, opportunities, self.seed, self.inference
        )


@dataclass
class Report:
    """Seconds per phase and the detailed timings of each table."""

    phases: list[tuple[str, float]] = field(default_factory=list)
    timings: gen.Timings = field(default_factory=gen.Timings)
    admin_email: str = ""

    def phase(self, name: str, started: float) -> None:
        """Record that phase `name` began at `started` and is over now."""
        elapsed = time.perf_counter() - started
        self.phases.append((name, elapsed))
        print(f"== {name}: {elapsed:.1f} s", flush=True)


def has_data() -> bool:
    """Whether the database already holds people."""
    from vivier.accounts.models import User

    return User.objects.exists()


def build(sizes: Sizes) -> Report:
    """Empty the database, then generate every phase and the derived tables; return timings."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from vivier.accounts.models import Role, User
    from vivier.expertise.inference import infer_skills
    from vivier.search.services import search_rebuild

    sizes = sizes.resolved()
    report = Report()
    timings = report.timings
    world = gen.World(rng=random.Random(sizes.seed), now=datetime.now(UTC))
    print(
        f"Building {sizes.people:,} people, {sizes.posts:,} posts, {sizes.questions:,} questions,"
        f" {sizes.opportunities:,} opportunities, {sizes.events:,} events (seed {sizes.seed}) "
        f"on {connection.vendor}...",
        flush=True,
    )
    started_all = time.perf_counter()

    started = time.perf_counter()
    gen.wipe_database()
    drop_marker()
    report.phase("wipe", started)

    started = time.perf_counter()
    places = gmore.create_org_chart(sizes.people, timings)
    users = gen.create_users(world, sizes.people, timings)
    gen.create_profiles(world, users, places, timings)
    gen.create_skills(world, timings)
    gen.rank_people(world)
    gmore.assign_managers(world, timings)
    admin = users[0]
    for role in (Role.HR_ADMIN, Role.IT_ADMIN):
        Group.objects.get_or_create(name=role.value)[0].user_set.add(admin)
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    report.admin_email = admin.email
    del users
    report.phase("people, org chart, skills", started)

    started = time.perf_counter()
    gen.create_communities(world, timings)
    gen.create_tags(world, timings)
    user_follows = gen.create_follows(world, timings)
    mentions = gen.create_posts(world, sizes.posts, timings)
    gen.create_notifications(world, user_follows, mentions, timings)
    gen.update_counters(timings)
    del user_follows, mentions
    world.posts.clear()  # the largest structure in memory: later phases read the database
    report.phase("social: communities, follows, posts, comments, reactions", started)

    started = time.perf_counter()
    rng = random.Random(sizes.seed + 100)
    gex.create_aliases(timings)
    topics = gex.load_topics()
    people = gex.load_people(rng, topics)
    credits = gex.create_questions_and_answers(
        rng, world.now, topics, people, sizes.questions, 3 * sizes.questions, timings
    )
    gex.create_endorsements(rng, world.now, people, timings)
    gex.create_labels(rng, world.now, topics, people, credits, timings)
    del people, credits
    report.phase("expertise: questions, answers, endorsements, labels", started)

    started = time.perf_counter()
    role_ids = gopp.create_job_map(timings)
    gopp.create_preferences(world, role_ids, timings)
    gopp.create_opportunities(world, sizes.opportunities, role_ids, timings)
    report.phase("opportunities", started)

    started = time.perf_counter()
    gmore.create_surveys(world, timings)
    report.phase("voice: surveys and answers", started)

    started = time.perf_counter()
    gmore.create_events(world, sizes.events, timings)
    report.phase("activity events", started)

    started = time.perf_counter()
    with timings.step("search_rebuild()"):
        counts = search_rebuild()
        timings.rows["search_rebuild()"] = sum(counts.values())
    report.phase("search index", started)

    if sizes.inference:
        started = time.perf_counter()
        with timings.step("infer_skills()"):
            stats = infer_skills()
            timings.rows["infer_skills()"] = stats.created
        report.phase("inferred skills", started)

    started = time.perf_counter()
    with timings.step("VACUUM ANALYZE"):
        gen.analyze()
    report.phase("statistics", started)

    report.phases.append(("total", time.perf_counter() - started_all))
    write_marker(
        {
            "version": SCALE_VERSION,
            "people": sizes.people,
            "posts": sizes.posts,
            "events": sizes.events,
            "questions": sizes.questions,
            "opportunities": sizes.opportunities,
            "seed": sizes.seed,
            "admin": report.admin_email,
            "built_at": world.now.isoformat(),
            "phases": report.phases,
        }
    )
    return report


def drop_marker() -> None:
    """Forget the recorded build (the data is about to change)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCALE_MARKER}")


def write_marker(value: dict[str, Any]) -> None:
    """Record a complete build, so that a benchmark can reuse it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {SCALE_MARKER} (key text PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {SCALE_MARKER} WHERE key = 'dataset'")
        cursor.execute(
            f"INSERT INTO {SCALE_MARKER} (key, value) VALUES ('dataset', %s)", [json.dumps(value)]
        )


def read_marker() -> dict[str, Any] | None:
    """What the last complete build recorded, or None."""
    from django.db import connection

    tables = connection.introspection.table_names()
    if SCALE_MARKER not in tables:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {SCALE_MARKER} WHERE key = 'dataset'")
        found = cursor.fetchone()
    return json.loads(found[0]) if found else None
