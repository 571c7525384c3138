"""Explainable matching of people and opportunities: a score out of 100, reasons, missing skills.

Pure functions over plain data, so that both directions (opportunities for me, people for an
opportunity) rank with the same rule and the rule can be tested on its own (docs/opportunities.md).
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _

# Points of each part of the score. Required skills weigh more than every other part together,
# so that a person holding every required skill always outranks one holding none.
REQUIRED_POINTS = 60
NICE_POINTS = 10
INTEREST_POINTS = 10
ROLE_POINTS = 8
MOVE_POINTS = 2
AVAILABILITY_POINTS = 5
LOCATION_POINTS = 5


@dataclass(frozen=True)
class Need:
    """A skill an opportunity asks for."""

    skill_id: int
    level: int
    required: bool


@dataclass
class Offer:
    """What matching needs to know about an opportunity."""

    id: int
    needs: list[Need]
    time_share: int
    kind: str = "project"
    job_role_id: int | None = None
    location_id: int | None = None
    remote: bool = False
    # Derived from `needs` once, since an offer is scored against thousands of people.
    required: list[Need] = field(default_factory=list, init=False, repr=False)
    nice: list[Need] = field(default_factory=list, init=False, repr=False)
    wanted: set[int] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self.required = [need for need in self.needs if need.required]
        self.nice = [need for need in self.needs if not need.required]
        self.wanted = {need.skill_id for need in self.needs}


@dataclass
class Person:
    """What matching needs to know about a person."""

    id: int
    skills: dict[int, int] = field(default_factory=dict)  # skill id -> declared level
    interests: set[int] = field(default_factory=set)
    desired_roles: set[int] = field(default_factory=set)
    locations: set[int] = field(default_factory=set)  # preferred sites, plus their own
    availability: int = 0
    open_to_move: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a match scored: a stable code for programs, a text for people."""

    code: str
    text: str
    skill_id: int | None = None


@dataclass(frozen=True)
class Missing:
    """A skill the person lacks (or lacks at the level wanted)."""

    skill_id: int
    level: int
    has_level: int
    required: bool


@dataclass
class Match:
    """A scored pair, with its explanation when asked for."""

    offer_id: int
    person_id: int
    score: float
    reasons: list[Reason] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def learn_skill_url(skill: Any) -> str:
    """Where to learn a missing skill: the mentors who offer it, with a place left."""
    return f"{reverse('mentoring:mentors')}?skill={quote(skill.slug)}"


def who_knows_url(skill: Any) -> str:
    """The colleagues whose work shows the skill ("who knows?")."""
    return f"{reverse('expertise:experts')}?q={quote(skill.label)}"


def _coverage(needs: list[Need], skills: dict[int, int]) -> float:
    """The weighted share of `needs` met, a lower level counting in proportion."""
    if not needs:
        return 0.0
    met = sum(min(skills.get(need.skill_id, 0) / need.level, 1.0) for need in needs)
    return met / len(needs)


def match(
    offer: Offer, person: Person, *, explain: bool = False, labels: dict[int, str] | None = None
) -> Match:
    """Score how well `person` fits `offer` (0-100); with `explain`, the reasons and gaps too."""
    score = REQUIRED_POINTS * _coverage(offer.required, person.skills)
    score += NICE_POINTS * _coverage(offer.nice, person.skills)
    wanted = offer.wanted
    interesting = wanted & person.interests if person.interests else set()
    if interesting:
        score += INTEREST_POINTS * len(interesting) / len(wanted)
    role_match = offer.job_role_id is not None and offer.job_role_id in person.desired_roles
    if role_match:
        score += ROLE_POINTS
    moving = offer.kind == "job" and person.open_to_move
    if moving:
        score += MOVE_POINTS
    fits_time = person.availability >= offer.time_share
    score += AVAILABILITY_POINTS * min(person.availability / offer.time_share, 1.0)
    place_match = offer.remote or (
        offer.location_id is not None and offer.location_id in person.locations
    )
    if place_match:
        score += LOCATION_POINTS
    result = Match(offer_id=offer.id, person_id=person.id, score=round(score, 2))
    if explain:
        _explain(result, offer, person, labels or {}, interesting, role_match, moving, fits_time)
    return result


def _explain(
    result: Match,
    offer: Offer,
    person: Person,
    labels: dict[int, str],
    interesting: set[int],
    role_match: bool,
    moving: bool,
    fits_time: bool,
) -> None:
    """Fill the reasons and missing skills of `result`."""
    for need in offer.needs:
        label = labels.get(need.skill_id, str(need.skill_id))
        has = person.skills.get(need.skill_id, 0)
        if has >= need.level:
            result.reasons.append(
                Reason(
                    "skill",
                    _("%(skill)s at level %(has)s (%(level)s wanted)")
                    % {"skill": label, "has": has, "level": need.level},
                    need.skill_id,
                )
            )
        else:
            result.missing.append(Missing(need.skill_id, need.level, has, need.required))
    for skill_id in sorted(interesting):
        label = labels.get(skill_id, str(skill_id))
        result.reasons.append(
            Reason("interest", _("Wants to develop %(skill)s") % {"skill": label}, skill_id)
        )
    if role_match:
        result.reasons.append(Reason("desired_role", _("A role on the wish list")))
    if moving:
        result.reasons.append(Reason("open_to_move", _("Open to a move")))
    if fits_time:
        result.reasons.append(
            Reason(
                "availability",
                _("%(available)s %% available, %(share)s %% asked")
                % {"available": person.availability, "share": offer.time_share},
            )
        )
    if offer.remote:
        result.reasons.append(Reason("remote", _("Remote work possible")))
    elif offer.location_id is not None and offer.location_id in person.locations:
        result.reasons.append(Reason("location", _("At a wished location")))


def rank(matches: list[Match]) -> list[Match]:
    """Best first; ties by id so that pages are stable."""
    return sorted(matches, key=lambda m: (-m.score, m.offer_id, m.person_id))
