"""Match scores with reasons, and cohort assignment (optimal and greedy), on plain data.

Nothing here touches the database: selectors build `MentorSide` / `MenteeSide` values, and the
benchmark and the property tests use the same functions on generated cohorts.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

# The largest score `pair_score` can give; the per-match bonus of the cohort assignment is built
# on it so that one more matched mentee always outweighs any gain in score.
MAX_SCORE = 100.0
SKILL_POINTS = 40.0
DIRECTION_POINTS = 10.0
LANGUAGE_POINTS = 10.0
PLACE_POINTS = 10.0
TIMEZONE_POINTS = 5.0
FORMAT_POINTS = 5.0
AVAILABILITY_POINTS = 5.0
CAPACITY_POINTS = 5.0
DEFAULT_OTHER_DEPARTMENT_POINTS = 10.0


@dataclass(frozen=True)
class Person:
    """What matching needs to know about someone."""

    id: int
    manager_id: int | None = None
    unit_manager_id: int | None = None
    department: str = ""
    location_id: int | None = None
    timezone: str = ""
    seniority: int = 1
    availability: int = 0


@dataclass(frozen=True)
class MentorSide:
    """A mentor offer: skills offered at the mentor's declared level, capacity and load."""

    person: Person
    skills: Mapping[int, int]
    capacity: int
    load: int = 0
    formats: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    reverse: bool = False

    @property
    def capacity_left(self) -> int:
        return max(self.capacity - self.load, 0)


@dataclass(frozen=True)
class MenteeSide:
    """A mentee request: goals (skill id -> target level) and preferences."""

    person: Person
    goals: Mapping[int, int]
    formats: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    reverse: bool = False
    prefer_other_department: bool = True


@dataclass(frozen=True)
class Reason:
    """One reason for or against a pairing: a stable code and the values its sentence needs."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass
class Match:
    """A possible pairing: its score out of 100, what speaks for it and what is missing."""

    score: float
    reasons: list[Reason] = field(default_factory=list)
    gaps: list[Reason] = field(default_factory=list)


# Why a pairing is impossible; stable codes shared by the API and the explanations.
REFUSE_SELF = "self"
REFUSE_MANAGER = "manager"
REFUSE_CAPACITY = "no_capacity"
REFUSE_SKILL = "no_skill"
REFUSE_REVERSE = "reverse_mismatch"
REFUSE_LANGUAGE = "no_language"


def is_manager_link(a: Person, b: Person) -> bool:
    """Whether one of the two manages the other, as line manager or as manager of their unit."""
    return (
        a.manager_id == b.id
        or b.manager_id == a.id
        or (a.unit_manager_id == b.id and a.id != b.id)
        or (b.unit_manager_id == a.id and a.id != b.id)
    )


def refusal(mentor: MentorSide, mentee: MenteeSide, *, check_capacity: bool = True) -> str | None:
    """The code of the rule that forbids this pairing, or None when it is allowed."""
    if mentor.person.id == mentee.person.id:
        return REFUSE_SELF
    if is_manager_link(mentor.person, mentee.person):
        return REFUSE_MANAGER
    if check_capacity and mentor.capacity_left <= 0:
        return REFUSE_CAPACITY
    if mentee.reverse and not (
        mentor.reverse and mentor.person.seniority < mentee.person.seniority
    ):
        return REFUSE_REVERSE
    if mentor.languages and mentee.languages and not (mentor.languages & mentee.languages):
        return REFUSE_LANGUAGE
    if not any(mentor.skills.get(skill, 0) >= target for skill, target in mentee.goals.items()):
        return REFUSE_SKILL
    return None


def pair_score(
    mentor: MentorSide,
    mentee: MenteeSide,
    *,
    other_department_points: float = DEFAULT_OTHER_DEPARTMENT_POINTS,
    check_capacity: bool = True,
) -> Match | None:
    """The score of a pairing with its reasons and gaps, or None when a rule forbids it."""
    if refusal(mentor, mentee, check_capacity=check_capacity) is not None:
        return None
    score = 0.0
    reasons: list[Reason] = []
    gaps: list[Reason] = []
    goals = mentee.goals
    for skill, target in sorted(goals.items()):
        level = mentor.skills.get(skill, 0)
        if level >= target:
            # Meeting the target earns most of the share; a margin above it earns the rest.
            margin = min(level - target, 2)
            score += SKILL_POINTS / len(goals) * (0.7 + 0.15 * margin)
            reasons.append(
                Reason("skill_fit", (("skill", skill), ("level", level), ("target", target)))
            )
        else:
            gaps.append(Reason("skill_gap", (("skill", skill), ("target", target))))
    if mentee.reverse:
        score += DIRECTION_POINTS
        reasons.append(Reason("reverse_eligible"))
    elif mentor.person.seniority >= mentee.person.seniority:
        score += DIRECTION_POINTS
        reasons.append(Reason("more_experienced"))
    other_department = mentor.person.department != mentee.person.department
    points = min(max(other_department_points, 0.0), 15.0)
    if mentee.prefer_other_department:
        if other_department:
            score += points
            reasons.append(Reason("other_department"))
        else:
            gaps.append(Reason("same_department"))
    if mentor.languages & mentee.languages:
        score += LANGUAGE_POINTS
        languages = ",".join(sorted(mentor.languages & mentee.languages))
        reasons.append(Reason("shared_language", (("languages", languages),)))
    elif not (mentor.languages and mentee.languages):
        gaps.append(Reason("language_unknown"))
    if mentor.person.location_id and mentor.person.location_id == mentee.person.location_id:
        score += PLACE_POINTS
        reasons.append(Reason("same_location"))
    elif mentor.person.timezone and mentor.person.timezone == mentee.person.timezone:
        score += TIMEZONE_POINTS
        reasons.append(Reason("same_timezone"))
    else:
        gaps.append(Reason("other_timezone"))
    if not mentor.formats or not mentee.formats or mentor.formats & mentee.formats:
        score += FORMAT_POINTS
    else:
        gaps.append(Reason("no_common_format"))
    score += AVAILABILITY_POINTS * min(max(mentor.person.availability, 0), 100) / 100
    if mentor.capacity:
        left = mentor.capacity_left
        score += CAPACITY_POINTS * left / mentor.capacity
        reasons.append(Reason("capacity_left", (("left", left),)))
    return Match(score=round(min(score, MAX_SCORE), 2), reasons=reasons, gaps=gaps)


# Cohort assignment -------------------------------------------------------------------------

Edges = Mapping[tuple[int, int], float]


def score_edges(
    mentors: list[MentorSide],
    mentees: list[MenteeSide],
    *,
    other_department_points: float = DEFAULT_OTHER_DEPARTMENT_POINTS,
) -> dict[tuple[int, int], float]:
    """Scores of every allowed (mentee index, mentor index) pair of a cohort.

    Mentors are indexed by the skills they offer, so only pairs sharing a goal skill are scored.
    """
    by_skill: dict[int, set[int]] = {}
    for j, mentor in enumerate(mentors):
        for skill in mentor.skills:
            by_skill.setdefault(skill, set()).add(j)
    edges: dict[tuple[int, int], float] = {}
    for i, mentee in enumerate(mentees):
        candidates: set[int] = set()
        for skill in mentee.goals:
            candidates |= by_skill.get(skill, set())
        for j in sorted(candidates):
            match = pair_score(
                mentors[j],
                mentee,
                other_department_points=other_department_points,
                check_capacity=False,
            )
            if match is not None:
                edges[(i, j)] = match.score
    return edges


def assign_optimal(n_mentees: int, capacities: list[int], edges: Edges) -> list[int | None]:
    """The mentor index of each mentee (or None): most mentees matched, then highest total score.

    A max-weight assignment on a matrix with one column per mentor slot; every allowed pair
    weighs a bonus larger than any possible total score plus its score, so the optimum first
    maximises the number of matches, then the score (a lexicographic objective).
    """
    rows = sorted({i for i, _j in edges})
    degree: dict[int, int] = {}
    for _i, j in edges:
        degree[j] = degree.get(j, 0) + 1
    # A mentor never needs more slots than mentees they could take.
    slots: list[int] = []
    for j, capacity in enumerate(capacities):
        slots.extend([j] * min(max(capacity, 0), degree.get(j, 0)))
    result: list[int | None] = [None] * n_mentees
    if not rows or not slots:
        return result
    bonus = MAX_SCORE * n_mentees + 1.0
    row_of = {i: r for r, i in enumerate(rows)}
    first_slot: dict[int, int] = {}
    for column, j in enumerate(slots):
        first_slot.setdefault(j, column)
    weights = np.zeros((len(rows), len(slots)), dtype=np.float64)
    for (i, j), score in edges.items():
        start = first_slot.get(j)
        if start is None:
            continue
        count = min(max(capacities[j], 0), degree[j])
        weights[row_of[i], start : start + count] = bonus + score
    row_index, column_index = linear_sum_assignment(weights, maximize=True)
    for r, c in zip(row_index.tolist(), column_index.tolist(), strict=True):
        if weights[r, c] > 0:
            result[rows[r]] = slots[c]
    return result


def assign_greedy(n_mentees: int, capacities: list[int], edges: Edges) -> list[int | None]:
    """The baseline: take pairs best score first while the mentee is free and the mentor has room."""
    left = list(capacities)
    result: list[int | None] = [None] * n_mentees
    for (i, j), _score in sorted(edges.items(), key=lambda item: (-item[1], item[0])):
        if result[i] is None and left[j] > 0:
            result[i] = j
            left[j] -= 1
    return result


def assignment_value(assignment: Iterable[int | None], edges: Edges) -> tuple[int, float]:
    """(mentees matched, total score) of an assignment."""
    matched = 0
    total = 0.0
    for i, j in enumerate(assignment):
        if j is not None:
            matched += 1
            total += edges[(i, j)]
    return matched, round(total, 6)
