"""Bulk generation of expertise: skill aliases, questions and answers, endorsements, labels."""

from __future__ import annotations

import html
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from vivier.scale.generator import (
    BATCH,
    POST_COLUMNS,
    Timings,
    copy_rows,
    later,
    random_moment,
    reset_sequence,
    sentence,
    zipf_cum_weights,
)
from vivier.scale.vocabulary import ENGLISH, FRENCH, TAG_SUFFIXES, _phrases

# Question and answer texts: a topic (a skill of the data set) fills in {label} and {noun}.
FR_QUESTION_TITLES = """Comment gérer {noun} avec {label} ?
|Quelqu'un a de l'expérience en {label} pour {noun} ?|{label} : quelle approche pour {noun} ?
|Des conseils sur {noun} côté {label} ?|Quel outil de {label} pour {noun} ?
|Comment démarrer {noun} en {label} ?"""
FR_QUESTION_BODIES = """Nous travaillons sur {noun} {complement} et nous bloquons sur {label}.
|Notre équipe débute en {label} : {noun} devient {adjective} mais lent.
|Tout fonctionnait jusqu'à la mise à jour, et depuis {noun} pose problème côté {label}.
|Je cherche un retour d'expérience sur {label} appliqué à {noun}."""
FR_ANSWERS = """Pour {noun}, nous utilisons {label} depuis deux ans : commencez petit.
|Je conseille de découper {noun} par étapes, {label} s'y prête bien.
|Attention : {label} demande une bonne documentation de {noun} avant tout.
|Nous avons eu le même souci avec {noun} ; la solution en {label} tient en trois points.
|Regardez la configuration de {label}, {noun} en dépend directement.
|Un atelier {label} sur {noun} a réglé la question chez nous."""
EN_QUESTION_TITLES = """How do you handle {noun} with {label}?
|Anyone experienced in {label} for {noun}?|{label}: which approach for {noun}?
|Any advice on {noun} on the {label} side?|Which {label} tool for {noun}?
|How to get started with {noun} in {label}?"""
EN_QUESTION_BODIES = """We are working on {noun} {complement} and we are stuck on {label}.
|Our team is new to {label}: {noun} became {adjective} but slow.
|Everything worked until the upgrade, and since then {noun} breaks on the {label} side.
|I am looking for feedback on {label} applied to {noun}."""
EN_ANSWERS = """For {noun}, we have used {label} for two years: start small.
|I would split {noun} into steps, {label} suits that well.
|Careful: {label} needs good documentation of {noun} first.
|We had the same issue with {noun}; the {label} fix comes down to three points.
|Look at the {label} configuration, {noun} depends on it directly.
|A {label} workshop on {noun} settled it for us."""


@dataclass(frozen=True)
class Topic:
    """A subject of questions: one skill, its tags, and a few noun phrases per language."""

    skill_id: int
    slug: str
    labels: dict[str, str]
    tag_ids: list[int]
    nouns: dict[str, list[str]]


def create_aliases(timings: Timings) -> None:
    """The skills' labels as aliases, as skill_taxonomy_load writes them: what queries name."""
    from vivier.people.models import Skill, SkillAlias
    from vivier.people.services import _alias_rows

    with timings.step("people_skillalias"):
        rows = [row for skill in Skill.objects.all() for row in _alias_rows(skill, [])]
        SkillAlias.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["people_skillalias"] = len(rows)


def load_topics() -> list[Topic]:
    """One topic per skill, with the hashtags named after it and three noun phrases each."""
    from vivier.people.models import Skill
    from vivier.social.models import Tag

    tags = dict(Tag.objects.values_list("name", "pk"))
    topics = []
    skills = Skill.objects.order_by("pk")
    for i, skill in enumerate(skills):
        tag_ids = [tags[skill.slug + s] for s in TAG_SUFFIXES if skill.slug + s in tags]
        nouns = {
            "fr": [FRENCH.nouns[(i * 3 + k) % len(FRENCH.nouns)] for k in range(3)],
            "en": [ENGLISH.nouns[(i * 3 + k) % len(ENGLISH.nouns)] for k in range(3)],
        }
        labels = {"fr": skill.label_fr, "en": skill.label_en}
        topics.append(Topic(skill.pk, skill.slug, labels, tag_ids, nouns))
    return topics


def fill(rng: random.Random, template: str, topic: Topic, language: str) -> str:
    """A template with the topic's label and one of its nouns, in `language`."""
    lang = FRENCH if language == "fr" else ENGLISH
    text = template.format(
        label=topic.labels[language],
        noun=rng.choice(topic.nouns[language]),
        complement=rng.choice(lang.complements),
        adjective=rng.choice(lang.adjectives),
    )
    return text[0].upper() + text[1:]


@dataclass
class People:
    """Who is who, for the expertise stage."""

    ids: list[int]
    language: dict[int, str]
    communities: dict[int, list[int]]
    declared: dict[int, list[int]]  # skill ids
    home: dict[int, int] = field(default_factory=dict)  # topic index


def load_people(rng: random.Random, topics: list[Topic]) -> People:
    """Users, their languages, communities and declared skills; a home topic for each."""
    from vivier.accounts.models import User
    from vivier.people.models import ProfileSkill
    from vivier.social.models import Membership

    ids, language = [], {}
    for pk, lang in User.objects.order_by("pk").values_list("pk", "language"):
        ids.append(pk)
        language[pk] = lang if lang in ("fr", "en") else "fr"
    communities: dict[int, list[int]] = defaultdict(list)
    active = Membership.objects.filter(status="active").values_list("user_id", "community_id")
    for user_id, community_id in active.order_by("user_id", "community_id"):
        communities[user_id].append(community_id)
    declared: dict[int, list[int]] = defaultdict(list)
    for user_id, skill_id in ProfileSkill.objects.order_by("pk").values_list("user_id", "skill_id"):
        declared[user_id].append(skill_id)
    people = People(ids, language, communities, declared)
    index = {t.skill_id: i for i, t in enumerate(topics)}
    cum = zipf_cum_weights(len(topics), 0.8, 2)
    for pk in ids:
        # What people write about mostly follows what they declared, when they declared anything.
        mine = [index[s] for s in declared.get(pk, ()) if s in index]
        if mine and rng.random() < 0.8:
            people.home[pk] = rng.choice(mine)
        else:
            people.home[pk] = rng.choices(range(len(topics)), cum_weights=cum)[0]
    return people


def create_questions_and_answers(
    rng: random.Random,
    now: datetime,
    topics: list[Topic],
    people: People,
    questions: int,
    answers_wanted: int,
    timings: Timings,
) -> list[tuple[int, int, int, bool]]:
    """Questions (posts of kind question, with tags) and answers (COPY); return the answers'
    (author, topic, score, accepted) for the labels."""
    from django.db import connection

    answers_per_question = [0, 1, 2, 3, 4, 5, 6, 8]
    weights = [8, 15, 20, 20, 15, 10, 7, 5]  # mean 3.07
    scale = answers_wanted / (max(1, questions) * 3.07)
    # Answerers: a power law over half of the people; per topic, those whose home it is.
    order = people.ids[:]
    rng.shuffle(order)
    answerers = order[: len(order) // 2]
    cum = zipf_cum_weights(len(answerers), 1.1, 10)
    by_topic: dict[int, list[int]] = defaultdict(list)
    for pk in answerers:
        by_topic[people.home[pk]].append(pk)
    topic_cum = {t: zipf_cum_weights(len(ids), 1.1, 3) for t, ids in by_topic.items()}
    topic_weights = zipf_cum_weights(len(topics), 0.8, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM social_post")
        next_post = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM expertise_answer")
        next_answer = cursor.fetchone()[0] + 1
    posts, post_tags, answers, credits = [], [], [], []
    with timings.step("questions+answers", "text"):
        stamps = sorted(random_moment(rng, now, 365) for _ in range(questions))
        for created_at in stamps:
            post_id = next_post
            next_post += 1
            t = rng.choices(range(len(topics)), cum_weights=topic_weights)[0]
            topic = topics[t]
            asker = rng.choice(people.ids)
            language = people.language[asker]
            lang = "en" if language == "en" else "fr"
            titles, bodies = (
                (FR_QUESTION_TITLES, FR_QUESTION_BODIES)
                if lang == "fr"
                else (EN_QUESTION_TITLES, EN_QUESTION_BODIES)
            )
            title = fill(rng, rng.choice(_phrases(titles)), topic, lang)
            body = fill(rng, rng.choice(_phrases(bodies)), topic, lang)
            if rng.random() < 0.5:
                body += " " + sentence(rng, FRENCH if lang == "fr" else ENGLISH)
            mine = people.communities.get(asker)
            community_id = rng.choice(mine) if mine and rng.random() < 0.1 else None
            tags = list(dict.fromkeys(rng.sample(topic.tag_ids, k=min(len(topic.tag_ids), 1))))
            if rng.random() < 0.3:
                other = topics[rng.randrange(len(topics))]
                tags += [x for x in other.tag_ids[:1] if x not in tags]
            post_tags += [(post_id, tag_id) for tag_id in tags]
            k = int(rng.choices(answers_per_question, weights=weights)[0] * scale + rng.random())
            mine_answers = []
            for _ in range(k):
                if by_topic.get(t) and rng.random() < 0.6:
                    author = rng.choices(by_topic[t], cum_weights=topic_cum[t])[0]
                else:
                    author = rng.choices(answerers, cum_weights=cum)[0]
                if author == asker:
                    continue
                expert = people.home[author] == t
                score = min(20, int(rng.expovariate(1 / (4.0 if expert else 1.5))))
                when = later(rng, created_at, now, 10)
                a_lang = people.language[author]
                a_lang = "en" if a_lang == "en" else "fr"
                text = fill(
                    rng,
                    rng.choice(_phrases(FR_ANSWERS if a_lang == "fr" else EN_ANSWERS)),
                    topic,
                    a_lang,
                )
                text += " " + sentence(rng, FRENCH if a_lang == "fr" else ENGLISH)
                mine_answers.append([next_answer, when, author, text, a_lang, score, expert])
                next_answer += 1
            accepted_id = None
            if mine_answers and rng.random() < 0.4:
                best = max(mine_answers, key=lambda a: (a[6], a[5], -a[0]))
                accepted_id = best[0]
            for a_id, when, author, text, a_lang, score, _expert in mine_answers:
                accepted_at = later(rng, when, now, 2) if a_id == accepted_id else None
                answers.append(
                    (
                        a_id,
                        when,
                        when,
                        post_id,
                        author,
                        text,
                        f"<p>{html.escape(text, quote=False)}</p>",
                        a_lang,
                        score,
                        accepted_at,
                        None,
                        None,
                    )
                )
                credits.append((author, t, score, a_id == accepted_id))
            posts.append(
                [
                    post_id,
                    created_at,
                    created_at,
                    asker,
                    "question",
                    title,
                    body,
                    f"<p>{html.escape(body, quote=False)}</p>",
                    "[]",
                    lang,
                    community_id,
                    None,
                    None,
                    None,
                    None,
                    0,
                    0,
                    len(mine_answers),
                ]
            )
    with timings.step("questions+answers", "COPY"):
        timings.rows["questions+answers"] = copy_rows("social_post", POST_COLUMNS, posts)
        reset_sequence("social_post")
        copy_rows("social_post_tags", ["post_id", "tag_id"], post_tags)
        columns = ["id", "created_at", "updated_at", "question_id", "author_id", "body"]
        columns += ["body_html", "language", "score", "accepted_at", "edited_at", "deleted_at"]
        timings.rows["questions+answers"] += copy_rows("expertise_answer", columns, answers)
        reset_sequence("expertise_answer")
    return credits


def create_endorsements(
    rng: random.Random, now: datetime, people: People, timings: Timings
) -> None:
    """About 5% of the people with declared skills get 1-15 endorsements on one or two."""
    with timings.step("people_endorsement"):
        rows, seen = [], set()
        for pk in people.ids:
            skills = people.declared.get(pk)
            if not skills or rng.random() >= 0.05:
                continue
            for skill_id in rng.sample(skills, k=min(len(skills), rng.randint(1, 2))):
                for endorser in {
                    rng.choice(people.ids) for _ in range(1 + int(rng.expovariate(1 / 3)))
                }:
                    if endorser != pk and (endorser, pk, skill_id) not in seen:
                        seen.add((endorser, pk, skill_id))
                        when = random_moment(rng, now, 365)
                        rows.append((when, when, endorser, pk, skill_id))
        columns = ["created_at", "updated_at", "endorser_id", "endorsee_id", "skill_id"]
        timings.rows["people_endorsement"] = copy_rows("people_endorsement", columns, rows)


def create_labels(
    rng: random.Random,
    now: datetime,
    topics: list[Topic],
    people: People,
    credits: list[tuple[int, int, int, bool]],
    timings: Timings,
) -> None:
    """Expert labels for the best answerers of each topic: mostly active, some expired, revoked."""
    with timings.step("expertise_expertlabel"):
        merit: dict[int, Counter[int]] = defaultdict(Counter)
        for author, t, score, accepted in credits:
            merit[t][author] += 1 + score / 5 + 3 * accepted
        rows = []
        for t, counter in sorted(merit.items()):
            for author, _merit in counter.most_common(8):
                granted = random_moment(rng, now, 365)
                roll = rng.random()
                expires = None if roll < 0.5 else granted + timedelta(days=365)
                if 0.85 <= roll < 0.95:
                    expires = now - timedelta(days=rng.randint(1, 60))
                revoked = now - timedelta(days=1) if roll >= 0.95 else None
                granted_by = rng.choice(people.ids)
                skill_id = topics[t].skill_id
                rows.append(
                    (granted, granted, author, skill_id, granted_by, granted, expires, revoked, "")
                )
        columns = ["created_at", "updated_at", "user_id", "skill_id", "granted_by_id"]
        columns += ["granted_at", "expires_at", "revoked_at", "level"]
        timings.rows["expertise_expertlabel"] = copy_rows("expertise_expertlabel", columns, rows)
        from vivier.expertise.services import expert_levels_refresh

        expert_levels_refresh(now=now)  # the badge shown next to names
