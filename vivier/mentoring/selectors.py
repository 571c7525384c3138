"""Mentoring reads, with the viewer's permissions applied: sides for matching, suggestions,
mentors for a skill, relationships, programmes and their statistics."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vivier.accounts.models import User
from vivier.core.errors import NotFound
from vivier.core.ids import parse_id
from vivier.mentoring import matching
from vivier.mentoring.matching import Match, MenteeSide, MentorSide, Person
from vivier.mentoring.models import (
    Feedback,
    MenteeRequest,
    MentorOffer,
    Mentorship,
    Note,
    Participant,
    Programme,
    Session,
)
from vivier.mentoring.permissions import (
    can_manage_programmes,
    can_read_notes,
    can_view_mentorship,
    can_view_programme,
)
from vivier.people.models import OrgUnit, ProfileSkill, Skill

SUGGESTIONS_LIMIT = 10
MENTORS_FOR_SKILL_LIMIT = 50
# Relationships that hold a mentor's slot.
LOAD_STATUSES = (Mentorship.Status.ACTIVE, Mentorship.Status.PROPOSED)
OPEN_STATUSES = (Mentorship.Status.REQUESTED, Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE)


def other_department_points() -> float:
    """How much a mentor from another department is worth (VIVIER_MENTORING_OTHER_DEPARTMENT)."""
    return float(getattr(settings, "VIVIER_MENTORING_OTHER_DEPARTMENT", 10))


def _department(unit: OrgUnit | None) -> str:
    """The department a unit belongs to: its ancestor just below the company root."""
    if unit is None:
        return ""
    parts = [p for p in unit.path.split("/") if p]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else str(unit.pk))


def _managers(user_ids: set[int]) -> set[int]:
    """Those among `user_ids` who manage someone (a person or a unit)."""
    line = set(
        User.objects.filter(pk__in=user_ids, direct_reports__isnull=False).values_list(
            "pk", flat=True
        )
    )
    units = set(
        OrgUnit.objects.filter(manager_id__in=user_ids).values_list("manager_id", flat=True)
    )
    return line | units


def persons_of(user_ids: set[int]) -> dict[int, Person]:
    """Matching's view of these people, in three queries."""
    users = User.objects.filter(pk__in=user_ids).select_related(
        "profile", "profile__org_unit", "profile__location", "profile__job_role"
    )
    managers = _managers(user_ids)
    persons = {}
    for user in users:
        profile = getattr(user, "profile", None)
        unit = profile.org_unit if profile else None
        role_level = profile.job_role.level if profile and profile.job_role else 1
        persons[user.pk] = Person(
            id=user.pk,
            manager_id=profile.manager_id if profile else None,
            unit_manager_id=unit.manager_id if unit else None,
            department=_department(unit),
            location_id=profile.location_id if profile else None,
            timezone=profile.location.timezone if profile and profile.location else "",
            seniority=role_level + (1 if user.pk in managers else 0),
            availability=profile.availability_percent if profile else 0,
        )
    return persons


def _profile_languages(user: User) -> frozenset[str]:
    profile = getattr(user, "profile", None)
    return frozenset(profile.languages or []) if profile else frozenset()


def mentor_sides(offers: list[MentorOffer]) -> list[MentorSide]:
    """Matching's view of these offers: skills at the declared level, load from running pairs."""
    user_ids = {o.user_id for o in offers}
    persons = persons_of(user_ids)
    levels: dict[tuple[int, int], int] = {
        (ps.user_id, ps.skill_id): ps.level
        for ps in ProfileSkill.objects.filter(user_id__in=user_ids).only(
            "user_id", "skill_id", "level"
        )
    }
    loads = dict(
        Mentorship.objects.filter(mentor_id__in=user_ids, status__in=LOAD_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    sides = []
    for offer in offers:
        skills = {s.pk: levels.get((offer.user_id, s.pk), 1) for s in offer.skills.all()}
        sides.append(
            MentorSide(
                person=persons[offer.user_id],
                skills=skills,
                capacity=offer.capacity,
                load=loads.get(offer.user_id, 0),
                formats=frozenset(offer.formats or []),
                languages=frozenset(offer.languages or []) or _profile_languages(offer.user),
                reverse=offer.reverse,
            )
        )
    return sides


def mentee_sides(requests: list[MenteeRequest]) -> list[MenteeSide]:
    """Matching's view of these requests."""
    persons = persons_of({r.user_id for r in requests})
    return [
        MenteeSide(
            person=persons[r.user_id],
            goals={g.skill_id: g.target_level for g in r.goals.all()},
            formats=frozenset(r.formats or []),
            languages=frozenset(r.languages or []) or _profile_languages(r.user),
            reverse=r.reverse,
            prefer_other_department=r.prefer_other_department,
        )
        for r in requests
    ]


def offers_base() -> QuerySet[MentorOffer]:
    return MentorOffer.objects.select_related("user", "user__profile").prefetch_related("skills")


def requests_base() -> QuerySet[MenteeRequest]:
    return MenteeRequest.objects.select_related("user", "user__profile").prefetch_related(
        "goals", "goals__skill"
    )


def offer_of(*, user: User) -> MentorOffer | None:
    """The viewer's own mentor offer, if any."""
    return offers_base().filter(user=user).first()


def request_of(*, user: User) -> MenteeRequest | None:
    """The viewer's own mentee request, if any."""
    return requests_base().filter(user=user).first()


# Reasons as sentences ------------------------------------------------------------------------


def reason_text(reason: dict[str, Any], skills: dict[int, Skill]) -> str:
    """The sentence for a stored reason or gap, in the active language."""
    params = reason.get("params") or {}
    skill = skills.get(params.get("skill"))  # type: ignore[arg-type]
    label = skill.label if skill else "?"
    code = reason.get("code")
    texts = {
        "skill_fit": _("%(skill)s at level %(level)s (target %(target)s)"),
        "skill_gap": _("does not cover %(skill)s at level %(target)s"),
        "reverse_eligible": _("reverse mentoring: a more junior colleague"),
        "more_experienced": _("more senior in the organisation"),
        "other_department": _("from another department"),
        "same_department": _("same department"),
        "shared_language": _("shared language: %(languages)s"),
        "language_unknown": _("no language stated"),
        "same_location": _("same site"),
        "same_timezone": _("same time zone"),
        "other_timezone": _("another site and time zone"),
        "no_common_format": _("no meeting format in common"),
        "capacity_left": _("%(left)s place(s) left"),
    }
    template = texts.get(str(code), str(code))
    values = {**params, "skill": label}
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        return template


REFUSAL_TEXTS = {
    matching.REFUSE_SELF: gettext_lazy("one cannot mentor oneself"),
    matching.REFUSE_MANAGER: gettext_lazy("a manager and their direct report are never paired"),
    matching.REFUSE_CAPACITY: gettext_lazy("no place left"),
    matching.REFUSE_SKILL: gettext_lazy("no mentor offers the goal skills at the target level"),
    matching.REFUSE_REVERSE: gettext_lazy(
        "reverse mentoring needs a more junior mentor who offers reverse mentoring"
    ),
    matching.REFUSE_LANGUAGE: gettext_lazy("no shared language"),
}


UNMATCHED_TEXTS = {
    **REFUSAL_TEXTS,
    matching.REFUSE_CAPACITY: gettext_lazy("every compatible mentor has no place left"),
    "capacity_taken": gettext_lazy(
        "every place of a compatible mentor went to a mentee with no other option"
    ),
    "no_mentor": gettext_lazy("the programme has no mentor"),
    "adjusted": gettext_lazy("left unmatched by HR"),
    "already_paired": gettext_lazy("already paired one-to-one with every compatible mentor"),
}


def refusal_text(code: str) -> str:
    """The sentence for a refusal code, in the active language."""
    return str(REFUSAL_TEXTS.get(code, code))


def unmatched_text(code: str) -> str:
    """Why a programme mentee is unmatched, as a sentence in the active language."""
    return str(UNMATCHED_TEXTS.get(code, code))


def programme_unmatched(*, viewer: User, programme: Programme) -> list[Participant] | None:
    """Unmatched mentees with their reason, for HR; None for anyone else."""
    if not can_manage_programmes(viewer):
        return None
    return [
        p
        for p in programme_participants(programme=programme)
        if p.role == Participant.Role.MENTEE and p.unmatched_reason
    ]


@dataclass
class Suggestion:
    """A mentor suggested to a mentee: score, reasons and gaps as sentences."""

    mentor: User
    score: float
    reverse: bool
    reasons: list[str]
    gaps: list[str]
    raw_reasons: list[dict[str, Any]]
    raw_gaps: list[dict[str, Any]]


def _skills_for(matches: list[Match]) -> dict[int, Skill]:
    ids = {dict(r.params).get("skill") for m in matches for r in [*m.reasons, *m.gaps] if r.params}
    return {s.pk: s for s in Skill.objects.filter(pk__in=[i for i in ids if i])}


def suggestions_for(*, viewer: User, limit: int = SUGGESTIONS_LIMIT) -> list[Suggestion]:
    """Mentors for the viewer's request, best first, each with its reasons and gaps."""
    request = request_of(user=viewer)
    if request is None or not request.active:
        return []
    mentee = mentee_sides([request])[0]
    skill_ids = list(mentee.goals)
    already = Mentorship.objects.filter(mentee=viewer, status__in=OPEN_STATUSES).values("mentor_id")
    offers = list(
        offers_base()
        .filter(active=True, skills__in=skill_ids, user__is_active=True)
        .exclude(user=viewer)
        .exclude(user_id__in=already)
        .distinct()
    )
    sides = mentor_sides(offers)
    scored: list[tuple[MentorOffer, Match]] = []
    for offer, side in zip(offers, sides, strict=True):
        match = matching.pair_score(side, mentee, other_department_points=other_department_points())
        if match is not None:
            scored.append((offer, match))
    scored.sort(key=lambda item: (-item[1].score, item[0].user_id))
    scored = scored[:limit]
    skills = _skills_for([m for _o, m in scored])
    return [
        Suggestion(
            mentor=offer.user,
            score=match.score,
            reverse=mentee.reverse,
            reasons=[reason_text(r.as_dict(), skills) for r in match.reasons],
            gaps=[reason_text(r.as_dict(), skills) for r in match.gaps],
            raw_reasons=[r.as_dict() for r in match.reasons],
            raw_gaps=[r.as_dict() for r in match.gaps],
        )
        for offer, match in scored
    ]


@dataclass
class AvailableMentor:
    """A mentor who offers a skill and has room: their level and places left."""

    user: User
    level: int
    capacity_left: int
    reverse: bool


def skill_get(*, slug: str) -> Skill:
    """The skill of this slug, or NotFound with the code `unknown_skill`."""
    skill = Skill.objects.filter(slug=str(slug)[:80]).first()
    if skill is None:
        raise NotFound("unknown_skill", _("This skill is not in the taxonomy."), field="skill")
    return skill


def mentors_for_skill(
    *, viewer: User, skill: Skill | str, limit: int = MENTORS_FOR_SKILL_LIMIT
) -> list[AvailableMentor]:
    """Active mentors offering `skill` (a Skill or its slug) with a place left, best level first.

    For other features (the opportunities marketplace links "mentors who have skill X"); an
    unknown slug raises NotFound `unknown_skill`.
    """
    if isinstance(skill, str):
        skill = skill_get(slug=skill)
    offers = list(
        offers_base()
        .filter(active=True, skills=skill, user__is_active=True)
        .exclude(user=viewer)
        .select_related("user__profile__org_unit")
    )
    sides = mentor_sides(offers)
    found = [
        AvailableMentor(
            user=offer.user,
            level=side.skills.get(skill.pk, 1),
            capacity_left=side.capacity_left,
            reverse=offer.reverse,
        )
        for offer, side in zip(offers, sides, strict=True)
        if side.capacity_left > 0
    ]
    found.sort(key=lambda m: (-m.level, -m.capacity_left, m.user.last_name, m.user.pk))
    return found[: max(1, min(limit, MENTORS_FOR_SKILL_LIMIT))]


# Relationships -------------------------------------------------------------------------------


def _mentorships() -> QuerySet[Mentorship]:
    return Mentorship.objects.select_related(
        "mentor", "mentor__profile", "mentee", "mentee__profile", "programme"
    )


def mentorships_of(*, viewer: User) -> QuerySet[Mentorship]:
    """The viewer's relationships, as mentor or mentee, newest first."""
    return _mentorships().filter(Q(mentor=viewer) | Q(mentee=viewer))


def mentorship_get(*, viewer: User, mentorship_id: Any) -> Mentorship:
    """A relationship the viewer may see, or NotFound."""
    pk = parse_id(mentorship_id)
    mentorship = _mentorships().filter(pk=pk).first() if pk else None
    if mentorship is None or not can_view_mentorship(user=viewer, mentorship=mentorship):
        raise NotFound("mentorship_not_found", _("This mentoring relationship does not exist."))
    return mentorship


def mentorship_sessions(*, viewer: User, mentorship: Mentorship) -> list[Session]:
    """The session log, for whoever may see the relationship."""
    if not can_view_mentorship(user=viewer, mentorship=mentorship):
        return []
    return list(mentorship.sessions.select_related("author"))


def mentorship_notes(*, viewer: User, mentorship: Mentorship) -> list[Note]:
    """The private notes: only the two people of the pair ever get them."""
    if not can_read_notes(user=viewer, mentorship=mentorship):
        return []
    return list(mentorship.notes.select_related("author"))


def mentorship_feedback(*, viewer: User, mentorship: Mentorship) -> list[Feedback]:
    """Feedback of an ended relationship, for whoever may see it."""
    if not can_view_mentorship(user=viewer, mentorship=mentorship):
        return []
    return list(mentorship.feedback.select_related("author"))


def reason_texts(
    mentorships: list[Mentorship],
) -> dict[int, tuple[list[str], list[str]]]:
    """The stored reasons and gaps of relationships as sentences, by id, in one query."""
    ids = {
        r.get("params", {}).get("skill")
        for m in mentorships
        for r in [*m.reasons, *m.gaps]
        if isinstance(r, dict)
    }
    skills = {s.pk: s for s in Skill.objects.filter(pk__in=[i for i in ids if i])}
    return {
        m.pk: (
            [reason_text(r, skills) for r in m.reasons],
            [reason_text(r, skills) for r in m.gaps],
        )
        for m in mentorships
    }


def mentorship_reason_texts(mentorship: Mentorship) -> tuple[list[str], list[str]]:
    """The stored reasons and gaps of one relationship, as sentences."""
    return reason_texts([mentorship])[mentorship.pk]


# Programmes ----------------------------------------------------------------------------------


def programmes_visible(*, viewer: User) -> QuerySet[Programme]:
    """Every programme for HR; for others, the programmes they take part in."""
    programmes = Programme.objects.annotate(
        mentor_count=Count(
            "participants", filter=Q(participants__role=Participant.Role.MENTOR), distinct=True
        ),
        mentee_count=Count(
            "participants", filter=Q(participants__role=Participant.Role.MENTEE), distinct=True
        ),
    )
    if can_manage_programmes(viewer):
        return programmes
    return programmes.filter(participants__user=viewer).distinct()


def programme_get(*, viewer: User, programme_id: Any) -> Programme:
    """A programme the viewer may see, or NotFound."""
    pk = parse_id(programme_id)
    programme = Programme.objects.filter(pk=pk).first() if pk else None
    if programme is None:
        raise NotFound("programme_not_found", _("This programme does not exist."))
    is_participant = programme.participants.filter(user=viewer).exists()
    if not can_view_programme(user=viewer, programme=programme, is_participant=is_participant):
        raise NotFound("programme_not_found", _("This programme does not exist."))
    return programme


def programme_participants(*, programme: Programme) -> list[Participant]:
    """Participants with their person, mentors first."""
    return list(
        programme.participants.select_related("user", "user__profile").order_by(
            "-role", "user__last_name", "user__pk"
        )
    )


def programme_pairs(*, viewer: User, programme: Programme) -> list[Mentorship]:
    """The programme's pairs: all of them for HR, one's own otherwise; never proposals to others."""
    pairs = _mentorships().filter(programme=programme)
    if not can_manage_programmes(viewer):
        pairs = pairs.filter(Q(mentor=viewer) | Q(mentee=viewer)).exclude(
            status=Mentorship.Status.PROPOSED
        )
    return list(pairs.order_by("mentor__last_name", "mentor__pk", "mentee__last_name"))


@dataclass
class ProgrammeStats:
    """Figures of a programme."""

    mentors: int
    mentees: int
    matched: int
    unmatched: int
    active: int
    ended: int
    reverse: int
    sessions: int
    average_score: float | None
    average_rating: float | None

    @property
    def match_rate(self) -> int:
        return round(100 * self.matched / self.mentees) if self.mentees else 0


def programme_stats(*, programme: Programme) -> ProgrammeStats:
    """Participants, matches, running and ended pairs, sessions and ratings of a programme."""
    roles = Counter(programme.participants.values_list("role", flat=True))
    pairs = programme.mentorships.exclude(status=Mentorship.Status.DECLINED)
    by_status = Counter(pairs.values_list("status", flat=True))
    matched = sum(by_status.values())
    figures = pairs.aggregate(avg=Avg("score"), reverse=Count("id", filter=Q(reverse=True)))
    rating = Feedback.objects.filter(mentorship__programme=programme).aggregate(avg=Avg("rating"))
    return ProgrammeStats(
        mentors=roles[Participant.Role.MENTOR],
        mentees=roles[Participant.Role.MENTEE],
        matched=matched,
        # Before the first assignment nobody is unmatched yet: nobody was tried.
        unmatched=0
        if programme.status == Programme.Status.OPEN
        else max(roles[Participant.Role.MENTEE] - matched, 0),
        active=by_status[Mentorship.Status.ACTIVE],
        ended=by_status[Mentorship.Status.ENDED],
        reverse=figures["reverse"] or 0,
        sessions=Session.objects.filter(mentorship__programme=programme).count(),
        average_score=round(figures["avg"], 1) if figures["avg"] is not None else None,
        average_rating=round(rating["avg"], 1) if rating["avg"] is not None else None,
    )
