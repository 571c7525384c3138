"""Bulk generation at company scale: a deep org chart, survey answers and activity events."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from vivier.scale.generator import (
    BATCH,
    Timings,
    World,
    copy_rows,
    is_postgres,
    random_moment,
    zipf_cum_weights,
)
from vivier.scale.vocabulary import LOCATIONS, ORG_UNITS

DEPARTMENTS = [
    "Études",
    "Projets",
    "Opérations",
    "Pilotage",
    "Support",
    "Qualité",
    "Innovation",
    "Clients",
]
TEAM_LETTERS = "ABCDEFGHIJKLMNOP"


def create_org_chart(people: int, timings: Timings) -> tuple[list[Any], list[Any]]:
    """A three-level org chart (directions, departments, teams of ~30) and the sites.

    Returns the teams (where people are placed) and the locations, as create_places does.
    """
    from vivier.people.models import Location, OrgUnit

    with timings.step("people_orgunit+location"):
        root = OrgUnit.objects.create(name="Vivier SA", code="ROOT", path="/", depth=0)
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        teams_wanted = max(1, people // 30)
        directions_n = len(ORG_UNITS)
        departments_n = max(1, min(len(DEPARTMENTS), round((teams_wanted / directions_n) ** 0.5)))
        teams_n = max(1, -(-teams_wanted // (directions_n * departments_n)))
        directions = OrgUnit.objects.bulk_create(
            OrgUnit(name=name, code=f"D{i:02d}", parent=root, path="/", depth=1)
            for i, name in enumerate(ORG_UNITS)
        )
        for unit in directions:
            unit.path = f"{root.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(directions, ["path"])
        departments = OrgUnit.objects.bulk_create(
            OrgUnit(
                name=f"{direction.name} · {DEPARTMENTS[j]}",
                code=f"{direction.code}-{j}",
                parent=direction,
                path="/",
                depth=2,
            )
            for direction in directions
            for j in range(departments_n)
        )
        for unit in departments:
            unit.path = f"{unit.parent.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(departments, ["path"], batch_size=BATCH)
        teams = OrgUnit.objects.bulk_create(
            (
                OrgUnit(
                    name=f"{department.name} · Équipe {TEAM_LETTERS[k % 16]}{k // 16 or ''}",
                    code=f"{department.code}-{k}",
                    parent=department,
                    path="/",
                    depth=3,
                )
                for department in departments
                for k in range(teams_n)
            ),
            batch_size=BATCH,
        )
        for unit in teams:
            unit.path = f"{unit.parent.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(teams, ["path"], batch_size=BATCH)
        locations = Location.objects.bulk_create(Location(name=n, city=n) for n in LOCATIONS)
        timings.rows["people_orgunit+location"] = (
            1 + len(directions) + len(departments) + len(teams) + len(locations)
        )
    return teams, locations


def assign_managers(world: World, timings: Timings) -> None:
    """Each team's first member manages the others; team managers report up to a director."""
    from django.db import connection

    from vivier.people.models import Profile

    with timings.step("people_profile.manager"):
        first: dict[int, int] = {}
        rows = Profile.objects.order_by("user_id").values_list("user_id", "org_unit_id")
        updates: list[tuple[int, int]] = []
        for user_id, unit_id in rows:
            if unit_id not in first:
                first[unit_id] = user_id
            else:
                updates.append((first[unit_id], user_id))
        # Team heads report to the head of the first team of their direction.
        parents = dict(
            Profile.objects.filter(user_id__in=first.values()).values_list(
                "user_id", "org_unit__parent__parent_id"
            )
        )
        director: dict[int, int] = {}
        for head in sorted(first.values()):
            direction = parents.get(head)
            if direction in director:
                updates.append((director[direction], head))
            else:
                director[direction] = head
        with connection.cursor() as cursor:
            for start in range(0, len(updates), BATCH):
                cursor.executemany(
                    "UPDATE people_profile SET manager_id = %s WHERE user_id = %s",
                    updates[start : start + BATCH],
                )
        timings.rows["people_profile.manager"] = len(updates)


def _uuid(value: uuid.UUID) -> Any:
    """A UUID as the backend stores it (SQLite: 32 hex characters)."""
    return value if is_postgres() else value.hex


SURVEYS = [
    # title, template codes, share of the audience who answered, recurrence days
    (
        "Baromètre annuel 2026",
        ["vision_contribution", "enps", "recognition", "workload", "manager_support"],
        0.62,
        0,
    ),
    ("Pulse trimestriel", ["vision_contribution", "enps", "wellbeing"], 0.41, 90),
]


def create_surveys(world: World, timings: Timings) -> int:
    """Two closed surveys answered by 40-60% of the people (anonymous rows, as the service
    writes them), and an open pulse wave: what the results pages read. Returns the answers."""
    from django.utils import timezone

    from vivier.people.models import Profile
    from vivier.voice.models import Question, Survey, Wave
    from vivier.voice.question_bank import QUESTION_TEMPLATES, TEMPLATES_BY_CODE
    from vivier.voice.services import org_tree_snapshot

    rng = world.rng
    unit_of = dict(Profile.objects.values_list("user_id", "org_unit_id"))
    tree = org_tree_snapshot()
    written = 0
    with timings.step("voice_survey+answers"):
        codes_known = [t.code for t in QUESTION_TEMPLATES]
        for title, codes, share, recurrence in SURVEYS:
            codes = [c for c in codes if c in TEMPLATES_BY_CODE] or codes_known[:3]
            launched = world.now - timedelta(days=rng.randint(40, 120))
            survey = Survey.objects.create(
                title=title,
                description="Vos réponses sont anonymes.",
                status=Survey.Status.OPEN if recurrence else Survey.Status.CLOSED,
                recurrence_days=recurrence,
                wave_days=14,
                launched_at=launched,
                created_by_id=world.user_ids[0],
            )
            questions = Question.objects.bulk_create(
                Question(
                    survey=survey,
                    position=i,
                    kind=TEMPLATES_BY_CODE[code].kind,
                    text_fr=TEMPLATES_BY_CODE[code].text_fr,
                    text_en=TEMPLATES_BY_CODE[code].text_en,
                    choices=TEMPLATES_BY_CODE[code].choices,
                    theme=TEMPLATES_BY_CODE[code].theme,
                    template_code=code,
                )
                for i, code in enumerate(codes)
            )
            opens = timezone.localdate(launched)
            wave = Wave.objects.create(
                survey=survey,
                number=1,
                opens_on=opens,
                closes_on=opens + timedelta(days=13),
                status=Wave.Status.CLOSED,
                org_tree=tree,
            )
            written += _answers(rng, wave, questions, unit_of, share)
            if recurrence:
                today = timezone.localdate(world.now)
                Wave.objects.create(
                    survey=survey,
                    number=2,
                    opens_on=today - timedelta(days=3),
                    closes_on=today + timedelta(days=10),
                )
        timings.rows["voice_survey+answers"] = written
    return written


def _answers(
    rng: random.Random, wave: Any, questions: list[Any], unit_of: dict[int, int], share: float
) -> int:
    """Participations, submissions and answers of one wave: teams differ in mood."""
    mood = {unit: rng.gauss(0, 0.7) for unit in set(unit_of.values())}
    participations, submissions, answers = [], [], []
    for user_id, unit_id in unit_of.items():
        if rng.random() >= share:
            continue
        day = wave.opens_on + timedelta(days=min(13, int(rng.expovariate(1 / 3))))
        participations.append((_uuid(uuid.uuid4()), wave.pk, user_id))
        submissions.append((_uuid(uuid.uuid4()), wave.pk, unit_id, day))
        bias = mood.get(unit_id, 0.0)
        for question in questions:
            value, choices, text = None, "[]", ""
            if question.kind == "likert":
                value = max(1, min(5, round(rng.gauss(3.6 + bias, 1.0))))
            elif question.kind == "enps":
                value = max(0, min(10, round(rng.gauss(7.2 + 1.5 * bias, 2.0))))
            elif question.kind == "single":
                value = rng.randrange(max(1, len(question.choices)))
            elif question.kind == "multiple":
                n = len(question.choices) or 1
                choices = str(sorted(set(rng.sample(range(n), k=rng.randint(1, min(3, n))))))
            else:
                if rng.random() > 0.2:
                    continue
                text = rng.choice(FREE_TEXTS)
            answers.append(
                (_uuid(uuid.uuid4()), wave.pk, question.pk, unit_id, day, value, choices, text)
            )
    rng.shuffle(submissions)
    rng.shuffle(answers)
    copy_rows("voice_participation", ["id", "wave_id", "user_id"], participations)
    copy_rows("voice_submission", ["id", "wave_id", "org_unit_id", "submitted_on"], submissions)
    columns = ["id", "wave_id", "question_id", "org_unit_id", "answered_on", "value"]
    return copy_rows("voice_answer", [*columns, "choices", "text"], answers)


FREE_TEXTS = [
    "Plus de visibilité sur les projets des autres équipes.",
    "La charge de travail est trop forte en fin de trimestre.",
    "Merci pour les formations proposées cette année.",
    "Nous manquons d'outils pour travailler à distance.",
    "Plus de reconnaissance pour le travail de l'équipe support.",
]

# Derived events: what the services record when people post, react, comment and answer.
DERIVED_EVENTS = [
    (
        "create",
        "social.post",
        "SELECT author_id, id, CAST(NULL AS BIGINT), created_at FROM social_post WHERE kind <> 'question'",
    ),
    (
        "create",
        "expertise.answer",
        "SELECT author_id, id, CAST(NULL AS BIGINT), created_at FROM expertise_answer",
    ),
    (
        "create",
        "social.comment",
        "SELECT author_id, id, CAST(NULL AS BIGINT), created_at FROM social_comment",
    ),
    (
        "like",
        "social.post",
        "SELECT user_id, post_id, CAST(NULL AS BIGINT), created_at FROM social_reaction",
    ),
    (
        "follow",
        "accounts.user",
        "SELECT follower_id, user_id, user_id, created_at FROM social_follow "
        "WHERE user_id IS NOT NULL",
    ),
]


def create_events(world: World, total: int, timings: Timings) -> int:
    """Activity events: those the generated posts, answers, comments, reactions and follows
    imply, then page views (power law over who looks, 70% posts, 30% profiles) up to `total`."""
    from django.db import connection

    rng = world.rng
    written = 0
    with timings.step("core_activityevent", "derived"), connection.cursor() as cursor:
        for verb, object_type, select in DERIVED_EVENTS:
            cursor.execute(
                "INSERT INTO core_activityevent "
                "(actor_id, object_id, target_user_id, occurred_at, verb, object_type, data) "
                f"SELECT q.*, %s, %s, %s FROM ({select}) q",
                [verb, object_type, "{}"],
            )
            written += cursor.rowcount
        cursor.execute("SELECT MAX(id) FROM social_post")
        max_post = cursor.fetchone()[0] or 1
    views = max(0, total - written)
    viewers = world.user_ids[:]
    rng.shuffle(viewers)
    cum = zipf_cum_weights(len(viewers), 0.9, 50)

    def rows() -> Iterator[tuple[Any, ...]]:
        chunk = 10_000
        for start in range(0, views, chunk):
            n = min(chunk, views - start)
            actors = rng.choices(viewers, cum_weights=cum, k=n)
            for actor in actors:
                when = random_moment(rng, world.now, 365)
                if rng.random() < 0.7:
                    yield (actor, "view", "social.post", rng.randint(1, max_post), None, "{}", when)
                else:
                    other = rng.choice(world.user_ids)
                    yield (actor, "view", "accounts.user", other, other, "{}", when)

    with timings.step("core_activityevent", "views"):
        columns = ["actor_id", "verb", "object_type", "object_id", "target_user_id", "data"]
        written += copy_rows("core_activityevent", [*columns, "occurred_at"], rows())
    timings.rows["core_activityevent"] = written
    return written
