"""Bulk generation of a large, realistic data set: people, org chart, communities, posts.

Shared by `manage.py vivier_scale` and the benchmarks (benchmarks/feed_search.py, experts.py,
opportunities.py). Big tables go through PostgreSQL's COPY; on SQLite the same rows go through
executemany (slower, for tests and small sizes).
"""

from __future__ import annotations

import html
import itertools
import math
import random
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from unidecode import unidecode

from vivier.scale.vocabulary import (
    COMMUNITIES,
    ENGLISH,
    FRENCH,
    LOCATIONS,
    ORG_UNITS,
    REACTION_KINDS,
    SKILLS,
    TAG_BASES,
    TAG_SUFFIXES,
    TITLES,
    Language,
)

BATCH = 5000
BENCH_PASSWORD = "vivier-bench-2026"
MARKER_TABLE = "vivier_bench_dataset"

# --------------------------------------------------------------------------------------------
# Data set generation.
# --------------------------------------------------------------------------------------------


@dataclass
class Timings:
    """Rows written and seconds spent, per table or step."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str, what: str = "") -> Iterator[None]:
        """Time one step of a table (its seconds add up); the step sets its row count."""
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
        print(f"  {name + (f' ({what})' if what else ''):<36} {elapsed:7.1f} s", flush=True)


@dataclass
class PostRow:
    """What later steps need to know about a generated post."""

    id: int
    created_at: datetime
    author_id: int
    community_id: int | None
    deleted: bool
    comments: int = 0
    reactions: int = 0


@dataclass
class World:
    """The generated ids and relations that later steps draw from."""

    rng: random.Random
    now: datetime
    user_ids: list[int] = field(default_factory=list)
    user_language: dict[int, str] = field(default_factory=dict)
    handles: dict[int, str] = field(default_factory=dict)
    author_cum: list[float] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)
    popular_cum: list[float] = field(default_factory=list)
    popular_ids: list[int] = field(default_factory=list)
    community_ids: list[int] = field(default_factory=list)
    community_visibility: dict[int, str] = field(default_factory=dict)
    community_weight: dict[int, float] = field(default_factory=dict)
    active_communities: dict[int, list[int]] = field(default_factory=dict)
    tag_ids: list[int] = field(default_factory=list)
    tag_cum: list[float] = field(default_factory=list)
    tag_names: dict[int, str] = field(default_factory=dict)
    followees: dict[int, list[int]] = field(default_factory=dict)
    posts: list[PostRow] = field(default_factory=list)


# social_post's columns, in the order the generators write them with COPY.
POST_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "author_id",
    "kind",
    "title",
    "body",
    "body_html",
    "toc",
    "language",
    "community_id",
    "shared_from_id",
    "edited_at",
    "deleted_at",
    "deleted_by_id",
    "comment_count",
    "reaction_count",
    "answer_count",
]


def zipf_cum_weights(n: int, exponent: float, offset: float = 1.0) -> list[float]:
    """Cumulative power-law weights over ranks 0..n-1, rank 0 the most likely."""
    return list(itertools.accumulate((rank + offset) ** -exponent for rank in range(n)))


def pick_distinct(
    rng: random.Random, population: Sequence[int], cum: Sequence[float], k: int, exclude: int = 0
) -> list[int]:
    """Up to k distinct weighted picks from population, never `exclude`."""
    chosen: dict[int, None] = {}
    for _attempt in range(4):
        for value in rng.choices(population, cum_weights=cum, k=k * 2):
            if value != exclude:
                chosen.setdefault(value, None)
            if len(chosen) >= k:
                return list(chosen)
    return list(chosen)


def random_moment(rng: random.Random, now: datetime, days: float) -> datetime:
    """A moment in the last `days` days."""
    return now - timedelta(seconds=rng.random() * days * 86400)


def is_postgres() -> bool:
    """Whether the default database is PostgreSQL (COPY) rather than SQLite (executemany)."""
    from django.db import connection

    return connection.vendor == "postgresql"


def _sqlite_value(value: Any) -> Any:
    """A value as Django would store it in SQLite (naive UTC datetimes, ISO text)."""
    from django.db import connection

    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into `table` (executemany in batches on SQLite); return how many were written."""
    from django.db import connection

    count = 0
    if not is_postgres():
        statement = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[list[Any]] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append([_sqlite_value(v) for v in row])
                if len(batch) >= BATCH:
                    cursor.executemany(statement, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(statement, batch)
                count += len(batch)
        return count
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequence(table: str) -> None:
    """Move the id sequence of `table` past the ids written explicitly (SQLite does it itself)."""
    from django.db import connection

    if not is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
            [table],
        )


def analyze() -> None:
    """Refresh the planner's statistics (and the visibility map on PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if is_postgres() else "ANALYZE")


def wipe_database() -> None:
    """Empty every Vivier table (keeping migrations, content types, permissions, groups)."""
    from django.db import connection

    keep = {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
    }
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - keep)
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def handle_of(first: str, last: str, index: int) -> str:
    """An e-mail local part that @mentions can use: ascii, lower case, unique."""
    folded = unidecode(f"{first}.{last}").lower()
    return re.sub(r"[^a-z0-9.]+", "-", folded).strip("-.") + str(index)


def create_places(timings: Timings) -> tuple[list[Any], list[Any]]:
    """A flat org chart under one root, and a few sites."""
    from vivier.people.models import Location, OrgUnit

    with timings.step("people_orgunit+location"):
        root = OrgUnit.objects.create(name=ORG_UNITS[0], code="ROOT", path="/", depth=0)
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        units = OrgUnit.objects.bulk_create(
            OrgUnit(name=name, code=f"U{i:02d}", parent=root, path="/", depth=1)
            for i, name in enumerate(ORG_UNITS[1:], start=1)
        )
        for unit in units:
            unit.path = f"{root.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(units, ["path"])
        locations = Location.objects.bulk_create(Location(name=n, city=n) for n in LOCATIONS)
        timings.rows["people_orgunit+location"] = len(units) + 1 + len(locations)
    return units, locations


def create_users(world: World, count: int, timings: Timings) -> list[Any]:
    """Users with French or English names (bulk_create) and one shared password hash."""
    from django.contrib.auth.hashers import make_password
    from faker import Faker

    from vivier.accounts.models import User

    rng = world.rng
    with timings.step("accounts_user"):
        password = make_password(BENCH_PASSWORD)  # one hash for everyone: fast and usable
        fakers = {"fr": Faker("fr_FR"), "en": Faker("en_GB")}
        for offset, faker in enumerate(fakers.values()):
            faker.seed_instance(rng.randrange(1 << 30) + offset)
        users = []
        for i in range(count):
            language = "fr" if rng.random() < 0.75 else "en"
            first, last = fakers[language].first_name(), fakers[language].last_name()
            users.append(
                User(
                    email=f"{handle_of(first, last, i)}@bench.vivier.test",
                    first_name=first,
                    last_name=last,
                    language=language,
                    password=password,
                    date_joined=random_moment(rng, world.now, 3 * 365),
                )
            )
        users = User.objects.bulk_create(users, batch_size=BATCH)
        for user in users:
            world.user_ids.append(user.pk)
            world.user_language[user.pk] = user.language
            world.handles[user.pk] = user.email.split("@")[0]
        timings.rows["accounts_user"] = len(users)
    return users


def create_profiles(
    world: World, users: list[Any], places: tuple[list[Any], list[Any]], timings: Timings
) -> None:
    """One profile per user (bulk_create): title, org unit, site, languages."""
    from vivier.core.text import normalize
    from vivier.people.models import Profile

    rng = world.rng
    units, locations = places
    with timings.step("people_profile"):
        profiles = []
        for user in users:
            title = rng.choice(TITLES)
            spoken = ["fr", "en"] if rng.random() < 0.6 else [user.language]
            text = f"{user.first_name} {user.last_name} {user.email} {title}"
            profiles.append(
                Profile(
                    user=user,
                    title=title,
                    org_unit=rng.choice(units),
                    location=rng.choice(locations),
                    languages=spoken,
                    languages_text="," + ",".join(spoken) + ",",
                    availability_percent=rng.choice([0, 0, 10, 20, 50]),
                    search_text=normalize(text)[:600],
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=BATCH)
        timings.rows["people_profile"] = len(profiles)


def create_skills(world: World, timings: Timings) -> None:
    """~40 skills and 0-6 declared skills per person (bulk_create)."""
    from vivier.people.models import ProfileSkill, Skill

    rng = world.rng
    with timings.step("people_profileskill"):
        skills = Skill.objects.bulk_create(
            Skill(slug=slug, label_fr=fr, label_en=en) for slug, fr, en in SKILLS
        )
        skill_cum = zipf_cum_weights(len(skills), 0.8, 2)
        skill_ids = [s.pk for s in skills]
        rows = []
        for user_id in world.user_ids:
            for skill_id in pick_distinct(rng, skill_ids, skill_cum, rng.randint(0, 6)):
                rows.append(
                    ProfileSkill(user_id=user_id, skill_id=skill_id, level=rng.randint(1, 4))
                )
        ProfileSkill.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["people_profileskill"] = len(rows) + len(skills)


def rank_people(world: World) -> None:
    """Who posts (40% never do) and who gets followed: two loosely correlated power laws."""
    rng = world.rng
    order = world.user_ids[:]
    rng.shuffle(order)
    posters = order[: int(len(order) * 0.6)]
    world.author_ids = posters
    world.author_cum = zipf_cum_weights(len(posters), 1.2, 20)
    rank = {user_id: i for i, user_id in enumerate(order)}
    world.popular_ids = sorted(
        world.user_ids, key=lambda u: (rank[u] + 1) * rng.lognormvariate(0, 1.0)
    )
    world.popular_cum = zipf_cum_weights(len(world.popular_ids), 1.0, 5)


def create_people(world: World, count: int, timings: Timings) -> None:
    """People: org chart and sites, users, profiles, declared skills; then their ranks."""
    places = create_places(timings)
    users = create_users(world, count, timings)
    create_profiles(world, users, places, timings)
    create_skills(world, timings)
    rank_people(world)


def create_communities(world: World, timings: Timings) -> None:
    """~30 communities (mostly open, some closed, 3 secret) and 1-4 memberships per person."""
    from django.utils.text import slugify

    from vivier.social.models import Community

    rng = world.rng
    with timings.step("social_community"):
        communities = Community.objects.bulk_create(
            Community(
                name=name,
                slug=slugify(name),
                description=f"La communauté {name} : échanges, questions et partages.",
                visibility=visibility,
                created_by_id=rng.choice(world.user_ids),
            )
            for name, visibility, _weight in COMMUNITIES
        )
        for community, (_name, visibility, weight) in zip(communities, COMMUNITIES, strict=True):
            world.community_ids.append(community.pk)
            world.community_visibility[community.pk] = visibility
            world.community_weight[community.pk] = weight
        timings.rows["social_community"] = len(communities)

    with timings.step("social_membership"):
        cum = list(itertools.accumulate(world.community_weight[c] for c in world.community_ids))
        owners = {c.pk: c.created_by_id for c in communities}
        rows: list[tuple[Any, ...]] = []
        members: dict[int, set[int]] = {c: set() for c in world.community_ids}
        for user_id in world.user_ids:
            k = rng.choices([1, 2, 3, 4], weights=[40, 30, 20, 10])[0]
            for community_id in pick_distinct(rng, world.community_ids, cum, k):
                members[community_id].add(user_id)
        for community_id, owner in owners.items():
            members[community_id].add(owner)
        for community_id, people in members.items():
            closed = world.community_visibility[community_id] == "closed"
            for user_id in sorted(people):
                pending = closed and user_id != owners[community_id] and rng.random() < 0.15
                role = "owner" if user_id == owners[community_id] else "member"
                if role == "member" and rng.random() < 0.02:
                    role = "animator"
                when = random_moment(rng, world.now, 2 * 365)
                rows.append(
                    (
                        when,
                        when,
                        community_id,
                        user_id,
                        role,
                        "pending" if pending else "active",
                    )
                )
                if not pending:
                    world.active_communities.setdefault(user_id, []).append(community_id)
        columns = ["created_at", "updated_at", "community_id", "user_id", "role", "status"]
        timings.rows["social_membership"] = copy_rows("social_membership", columns, rows)


def create_tags(world: World, timings: Timings) -> None:
    """~300 hashtags, linked to the skill of the same name when there is one."""
    from vivier.core.text import normalize
    from vivier.people.models import Skill
    from vivier.social.models import Tag

    with timings.step("social_tag"):
        skills = dict(Skill.objects.values_list("slug", "pk"))
        names = [base + suffix for suffix in TAG_SUFFIXES for base in TAG_BASES][:300]
        tags = Tag.objects.bulk_create(
            Tag(name=name, normalized=normalize(name), skill_id=skills.get(name)) for name in names
        )
        world.rng.shuffle(tags)  # popularity is not alphabetical
        world.tag_ids = [t.pk for t in tags]
        world.tag_names = {t.pk: t.name for t in tags}
        world.tag_cum = zipf_cum_weights(len(tags), 1.0, 3)
        timings.rows["social_tag"] = len(tags)


def create_follows(world: World, timings: Timings) -> list[tuple[int, int, datetime]]:
    """~20 people (power law on who), ~3 tags and ~2 communities followed per person."""
    rng = world.rng
    user_follows: list[tuple[int, int, datetime]] = []
    with timings.step("social_follow"):
        rows: list[tuple[Any, ...]] = []
        visible = [c for c in world.community_ids if world.community_visibility[c] != "secret"]
        visible_cum = list(itertools.accumulate(world.community_weight[c] for c in visible))
        for follower in world.user_ids:
            k = 0 if rng.random() < 0.05 else min(300, int(rng.lognormvariate(math.log(16), 0.7)))
            people = pick_distinct(rng, world.popular_ids, world.popular_cum, k, exclude=follower)
            world.followees[follower] = people
            for user_id in people:
                when = random_moment(rng, world.now, 365)
                rows.append((follower, user_id, None, None, when))
                user_follows.append((follower, user_id, when))
            for tag_id in pick_distinct(rng, world.tag_ids, world.tag_cum, rng.randint(0, 6)):
                rows.append((follower, None, tag_id, None, random_moment(rng, world.now, 365)))
            mine = set(world.active_communities.get(follower, []))
            for community_id in pick_distinct(rng, visible, visible_cum, rng.randint(0, 4)):
                if community_id not in mine:
                    when = random_moment(rng, world.now, 365)
                    rows.append((follower, None, None, community_id, when))
        columns = ["follower_id", "user_id", "tag_id", "community_id", "created_at"]
        timings.rows["social_follow"] = copy_rows("social_follow", columns, rows)
    return user_follows


def sentence(rng: random.Random, lang: Language) -> str:
    """One short sentence."""
    noun = rng.choice(lang.nouns)
    adjective = f" {rng.choice(lang.adjectives)}" if rng.random() < 0.4 else ""
    return (
        f"{rng.choice(lang.subjects)} {rng.choice(lang.verbs)} {noun}{adjective} "
        f"{rng.choice(lang.complements)}."
    )


def link(href: str, css: str, text: str) -> str:
    """A link as the post renderer writes it."""
    return f'<a href="{href}" class="{css}" rel="noopener noreferrer nofollow">{text}</a>'


def post_text(
    rng: random.Random, lang: Language, *, article: bool, tags: list[str], mentions: list[str]
) -> tuple[str, str, str]:
    """Title, markdown body and HTML of a post (an update of 1-3 sentences, or an article)."""
    title = ""
    paragraphs: list[str] = []
    if article:
        title = rng.choice(lang.titles).format(n=rng.choice(lang.nouns))
        for _ in range(rng.randint(3, 5)):
            paragraphs.append(" ".join(sentence(rng, lang) for _ in range(rng.randint(3, 6))))
    else:
        parts = [sentence(rng, lang) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(lang.openers))
        if rng.random() < 0.4:
            parts.append(rng.choice(lang.closers))
        paragraphs.append(" ".join(parts))
    body_paragraphs = paragraphs[:]
    html_paragraphs = [html.escape(p, quote=False) for p in paragraphs]
    if mentions:
        mention_text = " ".join(f"@{m}" for m in mentions)
        mention_html = " ".join(link("/people/0/", "mention", f"@{m}") for m in mentions)
        body_paragraphs.append(lang.thanks.format(m=mention_text))
        html_paragraphs.append(html.escape(lang.thanks).format(m=mention_html))
    if tags:
        body_paragraphs[-1] += " " + " ".join(f"#{t}" for t in tags)
        html_paragraphs[-1] += " " + " ".join(link(f"/tags/{t}/", "hashtag", f"#{t}") for t in tags)
    body = "\n\n".join(body_paragraphs)
    body_html = "\n".join(f"<p>{p}</p>" for p in html_paragraphs)
    return title, body, body_html


def create_posts(world: World, count: int, timings: Timings) -> list[tuple[int, int]]:
    """Posts over 12 months (COPY): power-law authors, 20% in communities, tags and mentions."""
    rng = world.rng
    post_tags: list[tuple[int, int]] = []
    mentions: list[tuple[int, int]] = []
    with timings.step("social_post", "text"):
        stamps = sorted(random_moment(rng, world.now, 365) for _ in range(count))
        authors = rng.choices(world.author_ids, cum_weights=world.author_cum, k=count)
        public_ids: list[int] = []
        rows: list[tuple[Any, ...]] = []
        for index, (created_at, author_id) in enumerate(zip(stamps, authors, strict=True)):
            post_id = index + 1
            lang = FRENCH if world.user_language[author_id] == "fr" else ENGLISH
            if rng.random() < 0.15:
                lang = ENGLISH if lang is FRENCH else FRENCH
            mine = world.active_communities.get(author_id)
            community_id = rng.choice(mine) if mine and rng.random() < 0.2 else None
            tag_ids: list[int] = []
            if rng.random() < 0.4:
                k = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
                tag_ids = pick_distinct(rng, world.tag_ids, world.tag_cum, k)
            mentioned: list[int] = []
            if rng.random() < 0.06:
                pool = world.followees.get(author_id) or world.user_ids
                mentioned = list({rng.choice(pool) for _ in range(rng.randint(1, 2))})
            shared_from = None
            if public_ids and community_id is None and rng.random() < 0.01:
                shared_from = rng.choice(public_ids[-5000:])
            article = rng.random() < 0.05
            title, body, body_html = post_text(
                rng,
                lang,
                article=article,
                tags=[world.tag_names[t] for t in tag_ids],
                mentions=[world.handles[m] for m in mentioned],
            )
            deleted = rng.random() < 0.003
            world.posts.append(PostRow(post_id, created_at, author_id, community_id, deleted))
            post_tags.extend((post_id, t) for t in tag_ids)
            mentions.extend((post_id, m) for m in mentioned)
            if community_id is None and not deleted:
                public_ids.append(post_id)
            rows.append(
                [
                    post_id,
                    created_at,
                    created_at,
                    author_id,
                    "article" if article else "update",
                    title,
                    body,
                    body_html,
                    "[]",
                    lang.code,
                    community_id,
                    shared_from,
                    None,
                    created_at + timedelta(hours=1) if deleted else None,
                    author_id if deleted else None,
                ]
            )
    return _finish_posts(world, rows, post_tags, mentions, timings)


def _finish_posts(
    world: World,
    rows: list[list[Any]],
    post_tags: list[tuple[int, int]],
    mentions: list[tuple[int, int]],
    timings: Timings,
) -> list[tuple[int, int]]:
    """Plan comments and reactions (for the posts' counters), then COPY posts and their m2m."""
    comments = plan_comments(world, timings)
    reactions = plan_reactions(world, timings)
    with timings.step("social_post", "COPY"):
        columns = POST_COLUMNS
        counted = (
            [*row, post.comments, post.reactions, 0]
            for row, post in zip(rows, world.posts, strict=True)
        )
        timings.rows["social_post"] = copy_rows("social_post", columns, counted)
        reset_sequence("social_post")
    with timings.step("social_post_tags"):
        timings.rows["social_post_tags"] = copy_rows(
            "social_post_tags", ["post_id", "tag_id"], post_tags
        )
    with timings.step("social_post_mentions"):
        timings.rows["social_post_mentions"] = copy_rows(
            "social_post_mentions", ["post_id", "user_id"], mentions
        )
    with timings.step("social_comment", "COPY"):
        columns = ["id", "created_at", "updated_at", "post_id", "author_id", "parent_id"]
        columns += ["body", "body_html", "edited_at", "deleted_at"]
        timings.rows["social_comment"] = copy_rows("social_comment", columns, comments)
        reset_sequence("social_comment")
    with timings.step("social_reaction", "COPY"):
        columns = ["post_id", "user_id", "kind", "created_at"]
        timings.rows["social_reaction"] = copy_rows("social_reaction", columns, reactions)
    return mentions


def later(rng: random.Random, start: datetime, now: datetime, days: float) -> datetime:
    """A moment up to `days` after `start`, never in the future."""
    return min(now, start + timedelta(seconds=rng.random() * days * 86400))


def plan_comments(world: World, timings: Timings) -> list[tuple[Any, ...]]:
    """Comments on ~12% of the posts, 20% of them replies; counted on their posts."""
    rng = world.rng
    rows: list[tuple[Any, ...]] = []
    with timings.step("social_comment", "text"):
        for post in world.posts:
            if post.deleted or rng.random() >= 0.12:
                continue
            lang = FRENCH if world.user_language[post.author_id] == "fr" else ENGLISH
            top: list[int] = []
            for _ in range(min(12, 1 + int(rng.expovariate(1 / 1.5)))):
                comment_id = len(rows) + 1
                parent = rng.choice(top) if top and rng.random() < 0.2 else None
                text = rng.choice(lang.comments)
                if rng.random() < 0.5:
                    text += " " + sentence(rng, lang)
                when = later(rng, post.created_at, world.now, 3)
                author = rng.choice(world.user_ids)
                body_html = f"<p>{html.escape(text, quote=False)}</p>"
                rows.append(
                    (comment_id, when, when, post.id, author, parent, text, body_html, None, None)
                )
                if parent is None:
                    top.append(comment_id)
                post.comments += 1
    return rows


def plan_reactions(world: World, timings: Timings) -> list[tuple[Any, ...]]:
    """Reactions on ~45% of the posts (one per person and post); counted on their posts."""
    rng = world.rng
    rows: list[tuple[Any, ...]] = []
    with timings.step("social_reaction", "plan"):
        for post in world.posts:
            if post.deleted or rng.random() >= 0.45:
                continue
            k = min(40, 1 + int(rng.expovariate(1 / 1.4)))
            for user_id in {rng.choice(world.user_ids) for _ in range(k)}:
                when = later(rng, post.created_at, world.now, 5)
                rows.append((post.id, user_id, rng.choice(REACTION_KINDS), when))
                post.reactions += 1
    return rows


def create_notifications(
    world: World,
    user_follows: list[tuple[int, int, datetime]],
    mentions: list[tuple[int, int]],
    timings: Timings,
) -> None:
    """Notifications for comments, mentions, half the reactions and follows; old ones read."""
    from django.db import connection

    rng = world.rng
    posts = {p.id: p for p in world.posts}
    week_ago = world.now - timedelta(days=7)

    def row(
        recipient: int, kind: str, actor: int, post: int | None, comment: int | None, when: Any
    ) -> tuple[Any, ...] | None:
        if recipient == actor:
            return None
        read = rng.random() < (0.9 if when < week_ago else 0.4)
        read_at = later(rng, when, world.now, 3) if read else None
        return (recipient, kind, actor, post, comment, None, when, read_at, read_at, "", "")

    # Read first: during the COPY the connection is busy.
    with timings.step("social_notification", "read"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.post_id, c.author_id, c.created_at, p.author_id, pc.author_id "
            "FROM social_comment c JOIN social_post p ON p.id = c.post_id "
            "LEFT JOIN social_comment pc ON pc.id = c.parent_id"
        )
        comments = cursor.fetchall()
        cursor.execute("SELECT post_id, user_id, created_at FROM social_reaction")
        reactions = cursor.fetchall()
    if not is_postgres():
        # SQLite's raw rows hold naive UTC datetimes.
        comments = [(*c[:3], c[3].replace(tzinfo=UTC), *c[4:]) for c in comments]
        reactions = [(p, u, w.replace(tzinfo=UTC)) for p, u, w in reactions]

    def rows() -> Iterator[tuple[Any, ...] | None]:
        for comment_id, post_id, author, when, post_author, parent_author in comments:
            if parent_author is not None:
                yield row(parent_author, "reply", author, post_id, comment_id, when)
            else:
                yield row(post_author, "comment", author, post_id, comment_id, when)
        for post_id, user_id in mentions:
            post = posts[post_id]
            yield row(user_id, "mention", post.author_id, post_id, None, post.created_at)
        for post_id, user_id, when in reactions:
            if rng.random() < 0.5:
                yield row(posts[post_id].author_id, "reaction", user_id, post_id, None, when)
        for follower, user_id, when in user_follows:
            yield row(user_id, "follow", follower, None, None, when)

    with timings.step("social_notification", "COPY"):
        columns = ["recipient_id", "type", "actor_id", "post_id", "comment_id", "community_id"]
        columns += ["created_at", "read_at", "emailed_at", "text", "url"]
        timings.rows["social_notification"] = copy_rows(
            "social_notification", columns, (r for r in rows() if r is not None)
        )


def update_counters(timings: Timings) -> None:
    """Community member and post counters, as the services keep them."""
    from django.db import connection

    with timings.step("community counters"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE social_community SET "
            "member_count = (SELECT COUNT(*) FROM social_membership m "
            "WHERE m.community_id = social_community.id AND m.status = 'active'), "
            "post_count = (SELECT COUNT(*) FROM social_post p "
            "WHERE p.community_id = social_community.id AND p.deleted_at IS NULL)"
        )
        timings.rows["community counters"] = cursor.rowcount
