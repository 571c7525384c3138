"""Who knows X? People ranked by the evidence of what they wrote and declared (docs/expertise.md).

One function, `experts_rank`, serves the "who knows" page, `/api/v1/experts`, the experts
suggested while a question is written, routing, and the evaluation command.
"""

import heapq
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError
from vivier.core.prepared import prepared_cursor
from vivier.core.rows import field_converter, id_list, id_rows, id_value_rows, text_list
from vivier.core.text import normalize
from vivier.expertise.models import (
    ANSWER_MASS_HALF_LIFE_DAYS,
    Answer,
    AnswerCount,
    AnswerVote,
    ExpertLabel,
    InferredSkill,
    QuestionRouting,
    mass_factor,
)
from vivier.people.models import Endorsement, OrgUnit, Profile, ProfileSkill, Skill, SkillAlias
from vivier.people.selectors import users_with_profiles
from vivier.search.analysis import query_terms
from vivier.search.backends import backend
from vivier.search.models import SearchEntry
from vivier.search.text import clean_text, snippet_html
from vivier.social import selectors as social_selectors
from vivier.social.models import Community, Membership, Post, Tag
from vivier.social.selectors import member_community_ids

Kind = SearchEntry.Kind

# The texts ranked for a query, best first, before they are credited to their authors. Enough
# to reach past the few most-matching texts to everyone who wrote on the topic, and a bound on
# the work per query.
DOCUMENTS = 500
# Evidence fades: a text written HALF_LIFE_DAYS ago counts half as much as one written today;
# answers weigh in the activity prior alike (the triggers keeping AnswerCount.mass hold it too).
HALF_LIFE_DAYS = ANSWER_MASS_HALF_LIFE_DAYS
# A declared skill named by the query, at the top level (4), weighs as much as this many
# strong answers; endorsements add to it logarithmically.
DECLARED_WEIGHT = 1.0
ENDORSEMENT_FACTOR = 0.5
# An active Expert label on a skill the query names multiplies the person's score.
LABEL_BOOST = 1.5
# The holders' cut reads the sure scores of this many authors per result, those with the best
# texts (see _declared_and_candidates).
FLOOR_AUTHORS_PER_RESULT = 4
# Texts shown as the reasons for each person.
EVIDENCE_PER_PERSON = 3
MAX_LIMIT = 50
MAX_QUERY_LENGTH = 5000  # a question's text, at most
EVIDENCE_KINDS = (Kind.POST, Kind.ANSWER, Kind.COMMENT)

QUERY_EMPTY = _("Say what you are looking for: a few words, a skill, a question.")


@dataclass(frozen=True)
class EvidenceItem:
    """One text of the person that matches the query."""

    kind: str  # post, answer or comment
    object_id: int
    title: str
    snippet_html: str  # escaped text with <mark> around the matching words
    url: str
    created_at: datetime
    accepted: bool  # an accepted answer


@dataclass(frozen=True)
class DeclaredSkill:
    """A skill the person declared that the query names."""

    skill: Skill
    level: int
    endorsements: int


@dataclass
class ExpertResult:
    """A person who may know, how sure we are, and why."""

    user: User
    score: float
    documents: int = 0  # matching texts credited to the person
    evidence: list[EvidenceItem] = field(default_factory=list)
    declared: list[DeclaredSkill] = field(default_factory=list)
    labels: list[Skill] = field(default_factory=list)
    recent_answers: float = 0.0  # answers, fading with age (the activity prior)


@dataclass(frozen=True)
class ExpertFilters:
    """Who may be ranked: filters of the page and the API."""

    org_unit: OrgUnit | None = None  # the unit and the units below it
    location_id: int | None = None
    language: str = ""  # a language the person speaks (profile)
    available_only: bool = False  # status "available"


def evidence_decay(created_at: datetime, now: datetime) -> float:
    """The weight of evidence written at `created_at`, seen at `now`: 1 today, 1/2 a half-life ago."""
    age_days = max((now - created_at).total_seconds(), 0.0) / 86400.0
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


# Stands for the viewer's id in member_community_ids' SQL compiled once (no user has it).
_ANYONE = -7_331_000_001


@cache
def _member_of_sql() -> tuple[str, tuple[Any, ...]]:
    """member_community_ids' SQL and parameters for a stand-in viewer, compiled once per
    process (0.25 ms each time otherwise): the viewer's id is the only value that changes."""
    sql, params = member_community_ids(User(pk=_ANYONE)).query.sql_with_params()
    if _ANYONE not in params:  # the rule changed shape: the stand-in would match nobody
        raise RuntimeError("member_community_ids no longer takes the viewer's id as a value")
    return sql, tuple(params)


def _matching_texts(
    viewer: User, terms: list[str], now: datetime
) -> list[tuple[int, int, str, datetime, float, float]]:
    """(entry, author, kind, created_at, evidence weight, relevance) of the DOCUMENTS texts
    that match any of `terms` best, among those the viewer may read (by the audience stored
    with them), written by someone, by `now`: the full-text query the ranking starts from.

    Written by hand: building it with the ORM took a millisecond per query (decision 27).
    """
    engine = backend()
    table = SearchEntry._meta.db_table
    fts = engine.any_term_sql(terms)
    member_of, template = _member_of_sql()
    member_params = [viewer.pk if value == _ANYONE else value for value in template]
    kinds = ", ".join(["%s"] * len(EVIDENCE_KINDS))
    sql = (
        f"SELECT {table}.id, {table}.author_id, {table}.kind, {table}.created_at, "
        f"{table}.evidence, {fts.relevance} AS relevance FROM {table}{fts.tables} "
        f"WHERE ({table}.visibility IN (%s, %s) OR {table}.community_id IN ({member_of})) "
        f"AND {table}.author_id IS NOT NULL AND {table}.created_at <= %s "
        f"AND {table}.evidence > 0 AND {table}.kind IN ({kinds}) AND {fts.match} "
        f"ORDER BY 6 DESC, 1 DESC LIMIT {DOCUMENTS}"
    )
    params = [
        *fts.relevance_params,
        SearchEntry.Visibility.PUBLIC,
        SearchEntry.Visibility.OPEN,
        *member_params,
        connection.ops.adapt_datetimefield_value(now),
        *EVIDENCE_KINDS,
        *fts.match_params,
    ]
    moment = field_converter(SearchEntry, "created_at", table, connection.alias)
    with engine.reading(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (pk, author, kind, moment(created_at), weight, relevance)
            for pk, author, kind, created_at, weight, relevance in cursor.fetchall()
        ]


def _query_grams(text: str) -> list[str]:
    """Every run of one to four of the query's words, folded: what a skill's alias may be."""
    folded = normalize(text).split()[:200]
    grams = {" ".join(folded[i : i + n]) for n in range(1, 5) for i in range(len(folded))}
    grams.discard("")
    return sorted(grams)


# The Skill columns loaded with the holders, as JSON (the timestamps stay deferred: nothing
# here reads them, and in JSON they would be text to parse).
_SKILL_FIELDS = ("id", "slug", "label_fr", "label_en", "kind", "parent_id", "description")


@dataclass
class _Declared:
    """What people declared about the query's skills, and who among the scored may be ranked."""

    skills: dict[int, Skill] = field(default_factory=dict)
    # (person, skill, level, endorsements) for every holder of a named skill who may be ranked
    # (and may reach the floor, see _declared_and_candidates).
    holders: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (person, skill) for every Expert label on a named skill active at `now`.
    labels: list[tuple[int, int]] = field(default_factory=list)
    # Everyone who may be ranked, with AnswerCount.mass (0 without answers; None when `now` is
    # before their latest answer: a replayed ranking, whose prior is summed from the answers).
    masses: dict[int, float | None] = field(default_factory=dict)


def _unfiltered(filters: ExpertFilters, audience: Community | None) -> bool:
    """Whether every active person may be ranked: no filter, no audience to read a question."""
    return filters == ExpertFilters() and (
        audience is None or audience.visibility == Community.Visibility.OPEN
    )


def _filtered_people(filters: ExpertFilters, audience: Community | None) -> tuple[str, list]:
    """The SQL selecting the ids of the people the filters keep (see _candidate_filter), and
    its parameters; ("", []) without filters, when all active people may be ranked."""
    if _unfiltered(filters, audience):
        return "", []
    allowed = User.objects.filter(_candidate_filter(filters, audience)).order_by().values("pk")
    sql, params = allowed.query.sql_with_params()
    return sql, list(params)


def _declared_and_candidates(
    text: str,
    now: datetime,
    authors: Mapping[int, float],
    filters: ExpertFilters,
    audience: Community | None,
    limit: int = 0,
) -> _Declared:
    """In one statement: the skills the query names (a run of one to four of its words is one
    of their aliases), their holders who may be ranked with their endorsements, the Expert
    labels on them active at `now`, and which of `authors` may be ranked; with the answers'
    mass (AnswerCount) of everyone who may be.

    `authors` maps each author to their texts' score. With a `limit`, when the query names one
    skill, its holders who are not among `authors` and whose score (theirs alone: they wrote
    nothing that matched) stays below the `limit`-th best score the authors who may be ranked
    are sure to reach are left out: those authors fill the ranking without them."""
    grams = _query_grams(text)
    declared = _Declared()
    if not grams and not authors:
        return declared
    aliases = SkillAlias._meta.db_table
    skill = Skill._meta.db_table
    held = ProfileSkill._meta.db_table
    vouched = Endorsement._meta.db_table
    labelled = ExpertLabel._meta.db_table
    users = User._meta.db_table
    counts = AnswerCount._meta.db_table
    inactive = f"SELECT id FROM {users} WHERE NOT is_active"
    moment = connection.ops.adapt_datetimefield_value(now)
    factor = mass_factor(now)

    def mass(alias: str) -> str:
        """The mass of AnswerCount row `alias` as it stands, None if the person answered after
        `now` (a replay), 0 without a row."""
        return f"CASE WHEN {alias}.newest > %s THEN NULL ELSE COALESCE({alias}.mass, 0.0) END"

    def prior(alias: str) -> str:
        """The activity prior of AnswerCount row `alias` at `now` as experts_rank computes it;
        0 for a replay (whose prior, summed from the answers, is at least that)."""
        return (
            f"CASE WHEN {alias}.newest > %s THEN 0.0 WHEN {alias}.mass > 0 "
            f"THEN {alias}.mass * %s ELSE 0.0 END"
        )

    kept, kept_params = _filtered_people(filters, audience)

    def may_be_ranked(column: str) -> str:
        """SQL keeping the rows whose person `column` may be ranked (with kept_params when
        filtered). Without filters, a check against the few inactive people (an index of
        them), not a probe of the users table for each row: a popular skill has thousands."""
        return f"{column} IN ({kept})" if kept else f"{column} NOT IN ({inactive})"

    # The authors as a table (one parameter), for the holders' cut and the authors kept: a
    # hash of them, not a scan of an array per row.
    wrote, wrote_params = id_rows(list(authors), connection, "a")
    params: list[Any] = []
    # Rows of four kinds, told apart by the first column: 0 a skill (its columns as one JSON
    # array, so that the thousands of holder rows carry one empty column, not six), 1 a
    # holder, 2 a label, 3 an author. One round trip, not four.
    parts: list[str] = []
    if grams:
        # The grams as one parameter: the statement's text is the same whatever the query, so
        # that its prepared plan serves every query (below).
        among_grams, grams_params = text_list(grams, connection)
        named = f"SELECT skill_id FROM {aliases} WHERE normalized {among_grams}"
        columns = ", ".join(f"s.{name}" for name in _SKILL_FIELDS[1:])
        if connection.vendor == "postgresql":
            as_json = f"json_build_array({columns})::text"  # text: psycopg would parse json
            # One index scan of the holders per named skill. With several grams PostgreSQL
            # expects a skill for each, thousands of holders, and scanned the whole table:
            # 6-7 ms for "Power BI" instead of 3 (decision 28). OFFSET 0 keeps the subquery
            # from being flattened back into that join. The masses are joined inside it, where
            # the planner knows the holders' ids are distinct: outside, it expected repeats
            # and cached each probe, 9 ms for the 3,000 holders of "python" against 5.
            holders = (
                f"(SELECT DISTINCT skill_id FROM ({named}) n) k "
                "CROSS JOIN LATERAL (SELECT h0.user_id, h0.skill_id, h0.level, c.mass, c.newest "
                f"FROM {held} h0 LEFT JOIN {counts} c ON c.user_id = h0.user_id "
                "WHERE h0.skill_id = k.skill_id OFFSET 0) h"
            )
            mass_alias = "h"
        else:
            as_json = f"json_array({columns})"
            holders = (
                f"(SELECT * FROM {held} WHERE skill_id IN ({named})) h "
                f"LEFT JOIN {counts} c ON c.user_id = h.user_id"
            )
            mass_alias = "c"
        # A holder's whole score, when the query names one skill and they wrote nothing that
        # matched: what experts_rank computes, from the same constants.
        vouched_factor = "LN(CAST(1 + COALESCE(e.n, 0) AS DOUBLE PRECISION)) / LN(2.0)"
        alone = (
            "%s * CAST(h.level AS DOUBLE PRECISION) / 4.0 * (1.0 + %s * "
            f"{vouched_factor}) * CASE WHEN lb.user_id IS NULL THEN 1.0 ELSE %s END "
            f"* (1.0 + LN(1.0 + {prior(mass_alias)}))"
        )
        alone_params = [DECLARED_WEIGHT, ENDORSEMENT_FACTOR, LABEL_BOOST, moment, factor]
        # The floor: the `limit`-th best of the sure scores of the authors with the best texts
        # who may be ranked. An author's score is at least their texts' score times their
        # prior's factor (what declarations add and labels multiply by is never below 0 or 1),
        # so `limit` people reach it. The best texts' authors have nearly always the best sure
        # scores: a few times `limit` of them, not the hundreds who wrote.
        best = heapq.nlargest(FLOOR_AUTHORS_PER_RESULT * limit, authors.items(), key=itemgetter(1))
        top, top_params = id_value_rows(dict(best), connection, "t")
        floor = (
            f"(SELECT t.value * (1.0 + LN(1.0 + {prior('c2')})) FROM {top} "
            f"LEFT JOIN {counts} c2 ON c2.user_id = t.id WHERE {may_be_ranked('t.id')} "
            "ORDER BY 1 DESC LIMIT 1 OFFSET %s)"
        )
        floor_params = [moment, factor, *top_params, *kept_params, max(limit - 1, 0)]
        # Every holder without a limit or a floor (fewer authors than the limit), when the
        # query names several skills (a person's score then adds theirs), who wrote (their
        # texts add to it) or answered after `now` (their prior is summed later, not known
        # here); the 1e-9 covers rounding.
        reaches = (
            f"(%s = 0 OR (SELECT COUNT(DISTINCT skill_id) FROM ({named}) n2) > 1 "
            f"OR h.user_id IN (SELECT a.id FROM {wrote}) OR {mass_alias}.newest > %s "
            f"OR {alone} * (1.0 + 1e-9) >= COALESCE({floor}, 0.0))"
        )
        reaches_params = [
            1 if limit > 0 else 0,
            *grams_params,
            *wrote_params,
            moment,
            *alone_params,
            *floor_params,
        ]
        active = (
            "l.revoked_at IS NULL AND l.granted_at <= %s "
            "AND (l.expires_at IS NULL OR l.expires_at > %s)"
        )
        # Holders: a grouped join on the endorsements, not a count per holder (a popular
        # skill has thousands of holders and few endorsements).
        parts += [
            f"SELECT 0, s.id, 0, 0, 0, 0, {as_json} FROM {skill} s WHERE s.id IN ({named})",
            f"SELECT 1, h.skill_id, h.user_id, h.level, COALESCE(e.n, 0), {mass(mass_alias)}, "
            f"NULL FROM {holders} "
            f"LEFT JOIN (SELECT endorsee_id, skill_id, COUNT(*) AS n FROM {vouched} "
            f"WHERE skill_id IN ({named}) GROUP BY endorsee_id, skill_id) e "
            "ON e.endorsee_id = h.user_id AND e.skill_id = h.skill_id "
            f"LEFT JOIN (SELECT DISTINCT l.user_id FROM {labelled} l "
            f"WHERE l.skill_id IN ({named}) AND {active}) lb ON lb.user_id = h.user_id "
            f"WHERE {may_be_ranked('h.user_id')} AND {reaches}",
            f"SELECT 2, l.skill_id, l.user_id, 0, 0, 0, NULL FROM {labelled} l "
            f"WHERE l.skill_id IN ({named}) AND {active}",
        ]
        # The named skills' grams; the holders' mass's moment; the grams of the holders, the
        # endorsements and the labels (with the labels' moments); the people kept, the cut's;
        # the labels' grams and moments.
        params += [*grams_params, moment, *grams_params * 2, *grams_params, moment, moment]
        params += [*kept_params, *reaches_params, *grams_params, moment, moment]
    if authors and kept:
        among, among_params = id_list(list(authors), connection)
        parts.append(
            f"SELECT 3, 0, u.id, 0, 0, {mass('c')}, NULL FROM {users} u "
            f"LEFT JOIN {counts} c ON c.user_id = u.id WHERE u.id {among} AND u.is_active "
            f"AND u.id IN ({kept})"
        )
        params += [moment, *among_params, *kept_params]
    elif authors:
        # The authors less the inactive: no probe of the users table for each.
        parts.append(
            f"SELECT 3, 0, a.id, 0, 0, {mass('c')}, NULL FROM {wrote} "
            f"LEFT JOIN {counts} c ON c.user_id = a.id WHERE {may_be_ranked('a.id')}"
        )
        params += [moment, *wrote_params]
    # Prepared, its generic plan is faster than planning it each time (2.3 ms against 3.3,
    # decision 28), as the holders are read per named skill whatever the estimates; not with
    # filters, whose conditions (a unit's path prefix) need their values to be planned well.
    with connection.cursor() if kept else prepared_cursor(connection) as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for part, skill_id, user_id, level, n, mass_value, fields in cursor.fetchall():
            if part == 1:
                declared.holders.append((user_id, skill_id, level, n))
                declared.masses[user_id] = mass_value
            elif part == 2:
                declared.labels.append((user_id, skill_id))
            elif part == 3:
                declared.masses[user_id] = mass_value
            else:
                values = (skill_id, *json.loads(fields))
                declared.skills[skill_id] = Skill.from_db(connection.alias, _SKILL_FIELDS, values)
    return declared


def _recent_answers(people: list[int], now: datetime) -> dict[int, float]:
    """Each person's live answers written by `now`, each fading by half every HALF_LIFE_DAYS
    before it (1 at `now`): the activity prior summed from the answers; people without any are
    missing. What AnswerCount.mass gives, for a ranking replayed before someone's latest answer."""
    if connection.vendor == "postgresql":
        # EXTRACT returns numeric, and POWER on numeric is slow: float8 from here on.
        age = "EXTRACT(EPOCH FROM (%s::timestamptz - created_at))::float8 / 86400.0"
    else:
        age = "(julianday(%s) - julianday(created_at))"
    among, among_params = id_list(people, connection)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT author_id, SUM(POWER(%s, ({age}) / %s)) FROM {Answer._meta.db_table} "
        f"WHERE author_id {among} AND deleted_at IS NULL AND created_at <= %s GROUP BY author_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [0.5, adapt(now), HALF_LIFE_DAYS, *among_params, adapt(now)])
        return {author_id: float(weight or 0.0) for author_id, weight in cursor.fetchall()}


def _activity_priors(masses: dict[int, float | None], now: datetime) -> dict[int, float]:
    """The activity prior at `now` of each of `masses`' people: their mass (AnswerCount) times
    one factor, or their answers summed where the mass is None (answers after `now`)."""
    factor = mass_factor(now)
    replayed = [pk for pk, mass in masses.items() if mass is None]
    recent = _recent_answers(replayed, now) if replayed else {}
    return {
        # A sum of positive terms kept by additions and subtractions: never let rounding
        # leave it below zero.
        pk: recent.get(pk, 0.0) if mass is None else max(mass, 0.0) * factor
        for pk, mass in masses.items()
    }


def _candidate_filter(filters: ExpertFilters, audience: Community | None) -> Q:
    """The condition on users for the filters, and for reading a question in `audience`."""
    condition = Q(is_active=True)
    if filters.org_unit is not None:
        condition &= Q(profile__org_unit__path__startswith=filters.org_unit.path)
    if filters.location_id is not None:
        condition &= Q(profile__location_id=filters.location_id)
    if filters.language:
        condition &= Q(profile__languages_text__contains=f",{filters.language.lower()},")
    if filters.available_only:
        condition &= Q(profile__availability_status=Profile.Status.AVAILABLE)
    if audience is not None and audience.visibility != Community.Visibility.OPEN:
        members = Membership.objects.filter(
            community=audience, status=Membership.Status.ACTIVE
        ).values("user_id")
        condition &= Q(pk__in=members)
    return condition


def experts_rank(
    *,
    viewer: User,
    q: object,
    limit: int = 10,
    filters: ExpertFilters | None = None,
    exclude: Iterable[int] = (),
    audience: Community | None = None,
    now: datetime | None = None,
    with_evidence: bool = True,
) -> list[ExpertResult]:
    """People who know about `q`, best first, with their evidence; raises on an empty query.

    Only texts the viewer may read count, so a secret community's content never shows, nor
    raises anyone. `audience` keeps the people who may read a question posted there; `now` is
    the moment the ranking is for (the evaluation replays the past).
    """
    text = clean_text(q)[:MAX_QUERY_LENGTH]
    terms = query_terms(text)
    if not terms:
        raise ApplicationError("query_empty", QUERY_EMPTY, field="q")
    limit = max(1, min(int(limit), MAX_LIMIT))
    filters = filters or ExpertFilters()
    now = now or timezone.now()
    excluded = set(exclude)

    # 1. The texts that match, best first (the full-text query this ranking starts from).
    rows = _matching_texts(viewer, terms, now)

    # 2. Each text's relevance, relative to the best one, credited to its author with the
    # text's association weight and its age (Balog et al.'s document model with time decay).
    scores: dict[int, float] = defaultdict(float)
    documents: dict[int, list[tuple[float, int, str]]] = defaultdict(list)
    top = max((row[5] for row in rows), default=0.0) or 1.0
    for entry_id, author_id, kind, created_at, weight, relevance in rows:
        if author_id in excluded:
            continue
        contribution = (max(relevance, 0.0) / top) * weight * evidence_decay(created_at, now)
        scores[author_id] += contribution
        documents[author_id].append((contribution, entry_id, kind))

    # 3. What people declared: skills the query names, at their level, with endorsements;
    # the Expert labels on those skills, which raise their holders (step 5); and who may be
    # ranked (active, matching the filters, able to read the question) with their answers'
    # mass (kept by triggers, see AnswerCount).
    # Every author's final score is at least their texts' score times their prior's factor: a
    # holder who wrote nothing and whose own score stays below the `limit`-th best of those
    # cannot enter the ranking. "python" has 3,000 holders; a few hundred may.
    found = _declared_and_candidates(text, now, scores, filters, audience, limit)
    masses = found.masses
    # One pass over the holders (thousands for a popular skill); what they declared is only
    # gathered for the people shown (_attach_evidence).
    for user_id, _skill_id, level, vouched in found.holders:
        if user_id in excluded:
            continue
        if vouched:
            strength = (level / 4.0) * (1.0 + ENDORSEMENT_FACTOR * math.log2(1 + vouched))
        else:
            strength = level / 4.0  # the same value: log2(1) is 0
        scores[user_id] += DECLARED_WEIGHT * strength

    # 4. Only the people who may be ranked; 5. labels on the skills the query names raise
    # their holders; 6. the activity prior: people who answered lately answer again, read with
    # the candidates (AnswerCount.mass) for every one of them ("python" has 3,000).
    labelled = {user_id for user_id, _skill_id in found.labels}
    recent = _activity_priors({pk: masses[pk] for pk in scores if pk in masses}, now)
    if not recent:
        return []
    # Best first, then the lower id: the top `limit` of thousands, by plain tuple comparison.
    ranked = []
    for pk, prior in recent.items():
        score = scores[pk] * LABEL_BOOST if pk in labelled else scores[pk]
        ranked.append((-score * (1.0 + math.log1p(prior)), pk))
    best = [(pk, -negated) for negated, pk in heapq.nsmallest(limit, ranked)]
    users_by_id = users_with_profiles([pk for pk, _score in best], card=True)
    results = [
        ExpertResult(
            user=users_by_id[pk],
            score=round(score, 6),
            documents=len(documents.get(pk, ())),
            recent_answers=round(recent[pk], 3),
        )
        for pk, score in best
        if pk in users_by_id
    ]
    if with_evidence:
        _attach_evidence(results, documents, found, terms)
    return results


# The columns of an entry that its reason shows (EvidenceItem).
_EVIDENCE_FIELDS = ("kind", "object_id", "title", "url", "created_at")


def _attach_evidence(
    results: list[ExpertResult],
    documents: dict[int, list[tuple[float, int, str]]],
    found: _Declared,
    terms: list[str],
) -> None:
    """Fill each result's reasons: its best texts with snippets, declared skills, labels."""
    shown = {result.user.pk for result in results}
    declared: dict[int, list[tuple[int, int]]] = defaultdict(list)
    endorsements: dict[tuple[int, int], int] = {}
    for user_id, skill_id, level, vouched in found.holders:
        if user_id in shown:
            declared[user_id].append((skill_id, level))
            endorsements[(user_id, skill_id)] = vouched
    labels: dict[int, list[int]] = defaultdict(list)
    for user_id, skill_id in found.labels:
        if user_id in shown:
            labels[user_id].append(skill_id)
    skills = found.skills
    wanted: dict[int, list[int]] = {}
    for result in results:
        best = sorted(documents.get(result.user.pk, ()), reverse=True)[:EVIDENCE_PER_PERSON]
        wanted[result.user.pk] = [entry_id for _c, entry_id, _k in best]
    entry_ids = [entry_id for ids in wanted.values() for entry_id in ids]
    if not entry_ids:
        entries, snippets, accepted_ids = {}, {}, set()
    else:
        # object_id is an answer's id only for answer entries: `accepted` means nothing elsewhere.
        table = SearchEntry._meta.db_table
        accepted = (
            f"EXISTS (SELECT 1 FROM {Answer._meta.db_table} a WHERE a.id = "
            f"{table}.object_id AND a.accepted_at IS NOT NULL)"
        )
        # What the reasons show, not whole rows: the bodies travel only as their excerpts and
        # the first words that stand for a missing title.
        entries = backend().any_term_entries(
            entry_ids,
            terms,
            {"accepted": (accepted, []), "head": (f"SUBSTR({table}.body, 1, 80)", [])},
            fields=_EVIDENCE_FIELDS,
        )
        snippets = {pk: entry.snippet for pk, entry in entries.items()}
        accepted_ids = {
            e.object_id for e in entries.values() if e.kind == Kind.ANSWER and e.accepted
        }
    for result in results:
        pk = result.user.pk
        for entry_id in wanted[pk]:
            entry = entries.get(entry_id)
            if entry is None:
                continue
            result.evidence.append(
                EvidenceItem(
                    kind=entry.kind,
                    object_id=entry.object_id,
                    title=entry.title or entry.head,
                    snippet_html=snippet_html(snippets.get(entry_id)),
                    url=entry.url,
                    created_at=entry.created_at,
                    accepted=entry.kind == Kind.ANSWER and entry.object_id in accepted_ids,
                )
            )
        result.declared = [
            DeclaredSkill(skill=skills[s], level=level, endorsements=endorsements.get((pk, s), 0))
            for s, level in sorted(declared.get(pk, ()), key=lambda d: -d[1])
            if s in skills
        ]
        result.labels = [skills[s] for s in labels.get(pk, ()) if s in skills]


def inferred_skill_suggestions(user: User) -> list[InferredSkill]:
    """The skills the person's writing shows and that they have neither declared nor hidden."""
    declared = ProfileSkill.objects.filter(user=user).values("skill_id")
    return list(
        InferredSkill.objects.filter(user=user, status=InferredSkill.Status.SUGGESTED)
        .exclude(skill_id__in=declared)
        .select_related("skill")
    )


def questions_readable(
    *,
    viewer: User,
    tag: Tag | None = None,
    community: Community | None = None,
    unanswered: bool = False,
) -> QuerySet[Post]:
    """Questions the viewer may read, newest first, with `has_accepted` annotated."""
    posts = social_selectors.post_list(viewer=viewer, community=community, tag=tag).filter(
        kind=Post.Kind.QUESTION
    )
    if unanswered:
        posts = posts.filter(answer_count=0)
    accepted = Answer.objects.filter(
        question_id=OuterRef("pk"), accepted_at__isnull=False, deleted_at__isnull=True
    )
    return posts.annotate(has_accepted=Exists(accepted))


def question_answers(*, question: Post, viewer: User) -> list[Answer]:
    """A question's answers: accepted first, then by score, then oldest; `my_vote` annotated."""
    my_vote = AnswerVote.objects.filter(answer_id=OuterRef("pk"), user_id=viewer.pk)
    return list(
        Answer.objects.filter(question=question, deleted_at__isnull=True)
        .select_related("author", "author__profile")
        .annotate(my_vote=Subquery(my_vote.values("value")[:1]))
        # NULLs sort first in a descending PostgreSQL order: the accepted answer must lead.
        .order_by(F("accepted_at").desc(nulls_last=True), "-score", "created_at", "id")
    )


def question_routings(*, question: Post) -> list[QuestionRouting]:
    """The experts a question was routed to, best first."""
    return list(
        QuestionRouting.objects.filter(question=question)
        .select_related("expert", "expert__profile", "expert__profile__org_unit")
        .order_by("-score", "expert_id")
    )


def suggestion_text(*, title: str, body: str, tags: list[str]) -> str:
    """The text experts are matched against, as routing reads a question."""
    return f"{title} {' '.join(tags)} {body}"[:MAX_QUERY_LENGTH]
