"""Mentoring writes: intents, one-to-one requests, cohort programmes, relationship lifecycle.

Every function runs in a transaction, checks who acts, records an activity event and notifies
the other side; a refusal raises an ApplicationError with a stable code and changes nothing.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.mentoring import matching, selectors
from vivier.mentoring.models import (
    MAX_CAPACITY,
    Feedback,
    Format,
    MenteeGoal,
    MenteeRequest,
    MentorOffer,
    Mentorship,
    Note,
    Participant,
    Programme,
    Session,
)
from vivier.mentoring.permissions import can_manage_programmes, is_in_pair
from vivier.people.forms import LANGUAGE_NAMES
from vivier.people.models import ProfileSkill, Skill
from vivier.social.notifications import notify

MAX_SKILLS = 10
MAX_GOALS = 5
TEXT_MAX = 3000
LANGUAGE_CODES = set(LANGUAGE_NAMES)

UNKNOWN_SKILL = _("Unknown skill: %(slugs)s. Pick skills from the taxonomy.")
NO_SKILL = _("Offer at least one skill.")
TOO_MANY_SKILLS = _("At most %(max)s skills.")
SKILL_NOT_DECLARED = _(
    "Declare %(skills)s on your profile first, with your level: mentees are matched on it."
)
CAPACITY_RANGE = _("A mentor takes from 1 to %(max)s mentees.")
NO_GOAL = _("Give at least one goal: a skill and the level you aim for.")
TOO_MANY_GOALS = _("At most %(max)s goals.")
LEVEL_RANGE = _("A level goes from 1 (notions) to 4 (expert).")
DUPLICATE_GOAL = _("Each skill appears once among the goals.")
UNKNOWN_FORMAT = _("Unknown format: %(value)s.")
UNKNOWN_LANGUAGE = _("Unknown language code: %(value)s.")
TEXT_TOO_LONG = _("At most %(max)s characters.")
SELF_REQUEST = _("You cannot be your own mentor.")
MANAGER_PAIR = _("A manager and their direct report are never paired for mentoring.")
NOT_A_MENTOR = _("This person does not offer mentoring at the moment.")
NO_CAPACITY = _("This mentor has no place left.")
NO_REQUEST = _("Say what you are looking for first (your goals as a mentee).")
ALREADY_PAIRED = _("You already have a request or a relationship with this mentor.")
NOT_ELIGIBLE = _("This pairing is not possible: %(reason)s.")
ONLY_MENTOR = _("Only the mentor answers a request.")
ONLY_PAIR = _("Only the mentor and the mentee may do this.")
INVALID_TRANSITION = _("This relationship is %(status)s: this step is not possible.")
FEEDBACK_TWICE = _("You already gave your feedback.")
RATING_RANGE = _("A rating goes from 1 to 5.")
EMPTY_TEXT = _("Write something first.")
DURATION_RANGE = _("A session lasts from 5 to 600 minutes.")
FUTURE_SESSION = _("A session is logged once it took place.")
HR_ONLY = _("Only HR administrators run mentoring programmes.")
NAME_REQUIRED = _("Give the programme a name.")
UNKNOWN_PEOPLE = _("Unknown or inactive people: %(ids)s.")
BOTH_ROLES = _("Someone cannot be mentor and mentee of the same programme: %(names)s.")
NO_OFFER = _("These mentors have no active mentor offer: %(names)s.")
NO_MENTEE_REQUEST = _("These mentees have no active mentee request: %(names)s.")
NOT_MENTEE = _("This person is not a mentee of the programme.")
NOT_MENTOR = _("This person is not a mentor of the programme.")
PROGRAMME_STATE = _("The programme is %(status)s: this step is not possible.")
PROGRAMME_EMPTY = _("A programme needs at least one mentor and one mentee.")


def _error(code: str, message: Any, *, field: str | None = None, **values: Any) -> ApplicationError:
    return ApplicationError(code, message % values if values else message, field=field)


# Intents -------------------------------------------------------------------------------------


def _clean_text(value: Any, *, field: str, max_length: int = TEXT_MAX) -> str:
    text = (value if isinstance(value, str) else "").replace("\x00", "").strip()
    if len(text) > max_length:
        raise _error("text_too_long", TEXT_TOO_LONG, field=field, max=max_length)
    return text


def _clean_choices(values: Iterable[Any] | None, allowed: set[str], *, field: str, message: Any):
    cleaned: list[str] = []
    for value in values or []:
        text = str(value).strip().lower()
        if text not in allowed:
            raise _error(f"unknown_{field[:-1]}", message, field=field, value=repr(text[:20]))
        if text not in cleaned:
            cleaned.append(text)
    return cleaned


def _skills_by_slug(slugs: Iterable[Any], *, field: str) -> dict[str, Skill]:
    wanted = [str(s).strip()[:80] for s in slugs]
    found = {s.slug: s for s in Skill.objects.filter(slug__in=wanted)}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise _error("unknown_skill", UNKNOWN_SKILL, field=field, slugs=", ".join(unknown[:5]))
    return found


@transaction.atomic
def offer_save(
    *,
    actor: User,
    skills: list[str],
    capacity: int,
    formats: list[str] | None = None,
    languages: list[str] | None = None,
    reverse: bool = False,
    active: bool = True,
    note: str = "",
) -> MentorOffer:
    """Create or replace the actor's mentor offer; skills must be declared on their profile."""
    slugs = list(dict.fromkeys(str(s).strip() for s in skills if str(s).strip()))
    if not slugs:
        raise _error("no_skill", NO_SKILL, field="skills")
    if len(slugs) > MAX_SKILLS:
        raise _error("too_many_skills", TOO_MANY_SKILLS, field="skills", max=MAX_SKILLS)
    found = _skills_by_slug(slugs, field="skills")
    declared = set(
        ProfileSkill.objects.filter(user=actor, skill__in=found.values()).values_list(
            "skill__slug", flat=True
        )
    )
    missing = [found[s].label for s in slugs if s not in declared]
    if missing:
        raise _error(
            "skill_not_declared", SKILL_NOT_DECLARED, field="skills", skills=", ".join(missing)
        )
    if (
        isinstance(capacity, bool)
        or not isinstance(capacity, int)
        or not 1 <= capacity <= MAX_CAPACITY
    ):
        raise _error("capacity_range", CAPACITY_RANGE, field="capacity", max=MAX_CAPACITY)
    offer, created = MentorOffer.objects.update_or_create(
        user=actor,
        defaults={
            "capacity": capacity,
            "formats": _clean_choices(
                formats, set(Format.values), field="formats", message=UNKNOWN_FORMAT
            ),
            "languages": _clean_choices(
                languages, LANGUAGE_CODES, field="languages", message=UNKNOWN_LANGUAGE
            ),
            "reverse": bool(reverse),
            "active": bool(active),
            "note": _clean_text(note, field="note", max_length=500),
        },
    )
    offer.skills.set([found[s] for s in slugs])
    event_record(actor=actor, verb="create" if created else "update", obj=offer, reverse=reverse)
    return offer


@transaction.atomic
def request_save(
    *,
    actor: User,
    goals: list[tuple[str, int]],
    formats: list[str] | None = None,
    languages: list[str] | None = None,
    reverse: bool = False,
    prefer_other_department: bool = True,
    active: bool = True,
    note: str = "",
) -> MenteeRequest:
    """Create or replace the actor's mentee request with its goals."""
    if not goals:
        raise _error("no_goal", NO_GOAL, field="goals")
    if len(goals) > MAX_GOALS:
        raise _error("too_many_goals", TOO_MANY_GOALS, field="goals", max=MAX_GOALS)
    slugs = [str(slug).strip() for slug, _level in goals]
    if len(set(slugs)) != len(slugs):
        raise _error("duplicate_goal", DUPLICATE_GOAL, field="goals")
    for _slug, level in goals:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            raise _error("level_range", LEVEL_RANGE, field="goals")
    found = _skills_by_slug(slugs, field="goals")
    request, created = MenteeRequest.objects.update_or_create(
        user=actor,
        defaults={
            "formats": _clean_choices(
                formats, set(Format.values), field="formats", message=UNKNOWN_FORMAT
            ),
            "languages": _clean_choices(
                languages, LANGUAGE_CODES, field="languages", message=UNKNOWN_LANGUAGE
            ),
            "reverse": bool(reverse),
            "prefer_other_department": bool(prefer_other_department),
            "active": bool(active),
            "note": _clean_text(note, field="note", max_length=500),
        },
    )
    request.goals.all().delete()
    MenteeGoal.objects.bulk_create(
        [
            MenteeGoal(request=request, skill=found[str(slug).strip()], target_level=level)
            for slug, level in goals
        ]
    )
    event_record(actor=actor, verb="create" if created else "update", obj=request, reverse=reverse)
    return request


# One-to-one ----------------------------------------------------------------------------------


def _notify(recipient: User, kind: str, actor: User, text: Any, mentorship: Mentorship) -> None:
    url = reverse("mentoring:mentorship", args=[mentorship.pk])
    # Inside the transaction: a refused step rolls its notification back with it.
    notify(recipient=recipient, type=kind, actor=actor, text=text, url=url)


def _pair_check(mentor_side: matching.MentorSide, mentee_side: matching.MenteeSide) -> None:
    """Raise the error of the rule a pairing breaks, if any."""
    code = matching.refusal(mentor_side, mentee_side)
    if code == matching.REFUSE_SELF:
        raise _error("self_request", SELF_REQUEST, field="mentor_id")
    if code == matching.REFUSE_MANAGER:
        raise _error("manager_pair", MANAGER_PAIR, field="mentor_id")
    if code == matching.REFUSE_CAPACITY:
        raise Conflict("no_capacity", NO_CAPACITY, field="mentor_id")
    if code is not None:
        raise _error(
            "not_eligible", NOT_ELIGIBLE, field="mentor_id", reason=selectors.refusal_text(code)
        )


@transaction.atomic
def mentorship_request(*, actor: User, mentor_id: Any, message: Any = "") -> Mentorship:
    """Ask a mentor for a one-to-one relationship; they are notified and accept or decline."""
    mentor = User.objects.filter(pk=mentor_id, is_active=True).first() if mentor_id else None
    if mentor is None:
        raise NotFound("mentor_not_found", NOT_A_MENTOR, field="mentor_id")
    if mentor.pk == actor.pk:
        raise _error("self_request", SELF_REQUEST, field="mentor_id")
    offer = MentorOffer.objects.select_for_update().filter(user=mentor, active=True).first()
    if offer is None:
        raise _error("not_a_mentor", NOT_A_MENTOR, field="mentor_id")
    request = selectors.request_of(user=actor)
    if request is None or not request.active:
        raise _error("no_request", NO_REQUEST, field="mentor_id")
    if Mentorship.objects.filter(
        mentor=mentor, mentee=actor, status__in=selectors.OPEN_STATUSES
    ).exists():
        raise Conflict("already_requested", ALREADY_PAIRED, field="mentor_id")
    offer = selectors.offer_of(user=mentor)
    mentor_side = selectors.mentor_sides([offer])[0]
    mentee_side = selectors.mentee_sides([request])[0]
    _pair_check(mentor_side, mentee_side)
    match = matching.pair_score(
        mentor_side, mentee_side, other_department_points=selectors.other_department_points()
    )
    mentorship = Mentorship.objects.create(
        mentor=mentor,
        mentee=actor,
        status=Mentorship.Status.REQUESTED,
        reverse=request.reverse,
        score=match.score if match else 0,
        reasons=[r.as_dict() for r in match.reasons] if match else [],
        gaps=[r.as_dict() for r in match.gaps] if match else [],
        message=_clean_text(message, field="message", max_length=1000),
    )
    event_record(actor=actor, verb="request", obj=mentorship, target_user=mentor)
    _notify(
        mentor,
        "mentoring_requested",
        actor,
        format_lazy(_("{name} asks you to be their mentor"), name=actor.get_full_name()),
        mentorship,
    )
    return mentorship


def _locked(mentorship: Mentorship) -> Mentorship:
    """The relationship re-read under a row lock, so two answers cannot both apply."""
    return Mentorship.objects.select_for_update().get(pk=mentorship.pk)


def _transition_error(mentorship: Mentorship) -> Conflict:
    return Conflict(
        "invalid_transition",
        INVALID_TRANSITION % {"status": mentorship.get_status_display()},
    )


@transaction.atomic
def mentorship_answer(*, actor: User, mentorship: Mentorship, accept: bool) -> Mentorship:
    """The mentor accepts (the relationship starts) or declines a request."""
    if actor.pk != mentorship.mentor_id:
        raise PermissionDenied("only_mentor", ONLY_MENTOR)
    current = _locked(mentorship)
    if current.status != Mentorship.Status.REQUESTED:
        raise _transition_error(current)
    if accept:
        offer = MentorOffer.objects.select_for_update().filter(user_id=current.mentor_id).first()
        load = Mentorship.objects.filter(
            mentor_id=current.mentor_id, status__in=selectors.LOAD_STATUSES
        ).count()
        if offer is None or load >= offer.capacity:
            raise Conflict("no_capacity", NO_CAPACITY)
        current.status = Mentorship.Status.ACTIVE
        current.started_at = timezone.now()
    else:
        current.status = Mentorship.Status.DECLINED
    current.save(update_fields=["status", "started_at", "updated_at"])
    event_record(
        actor=actor, verb="accept" if accept else "reject", obj=current, target_user=current.mentee
    )
    text = (
        format_lazy(_("{name} accepted to mentor you"), name=actor.get_full_name())
        if accept
        else format_lazy(_("{name} declined your mentoring request"), name=actor.get_full_name())
    )
    _notify(current.mentee, "mentoring_answered", actor, text, current)
    return current


def _require_pair(actor: User, mentorship: Mentorship) -> None:
    if not is_in_pair(user=actor, mentorship=mentorship):
        raise PermissionDenied("only_pair", ONLY_PAIR)


@transaction.atomic
def mentorship_end(*, actor: User, mentorship: Mentorship) -> Mentorship:
    """Either side ends a running relationship; both are then asked for feedback."""
    _require_pair(actor, mentorship)
    current = _locked(mentorship)
    if current.status != Mentorship.Status.ACTIVE:
        raise _transition_error(current)
    current.status = Mentorship.Status.ENDED
    current.ended_at = timezone.now()
    current.save(update_fields=["status", "ended_at", "updated_at"])
    other = current.mentee if actor.pk == current.mentor_id else current.mentor
    event_record(actor=actor, verb="end", obj=current, target_user=other)
    _notify(
        other,
        "mentoring_ended",
        actor,
        format_lazy(
            _("{name} ended your mentoring relationship: share your feedback"),
            name=actor.get_full_name(),
        ),
        current,
    )
    return current


@transaction.atomic
def mentorship_goals_update(*, actor: User, mentorship: Mentorship, goals: Any) -> Mentorship:
    """The pair writes down what it works on."""
    _require_pair(actor, mentorship)
    current = _locked(mentorship)
    if current.status != Mentorship.Status.ACTIVE:
        raise _transition_error(current)
    current.goals = _clean_text(goals, field="goals")
    current.save(update_fields=["goals", "updated_at"])
    event_record(actor=actor, verb="update", obj=current)
    return current


@transaction.atomic
def session_log(
    *, actor: User, mentorship: Mentorship, held_on: date, duration_minutes: int, summary: Any = ""
) -> Session:
    """Log a meeting of a running relationship."""
    _require_pair(actor, mentorship)
    mentorship = _locked(mentorship)
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise _transition_error(mentorship)
    if (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not 5 <= duration_minutes <= 600
    ):
        raise _error("duration_range", DURATION_RANGE, field="duration_minutes")
    if held_on > timezone.localdate():
        raise _error("future_session", FUTURE_SESSION, field="held_on")
    session = Session.objects.create(
        mentorship=mentorship,
        author=actor,
        held_on=held_on,
        duration_minutes=duration_minutes,
        summary=_clean_text(summary, field="summary"),
    )
    event_record(actor=actor, verb="create", obj=session)
    return session


@transaction.atomic
def note_add(*, actor: User, mentorship: Mentorship, body: Any) -> Note:
    """Add a note that only the two people of the pair will ever read."""
    _require_pair(actor, mentorship)
    mentorship = _locked(mentorship)
    if mentorship.status not in (Mentorship.Status.ACTIVE, Mentorship.Status.ENDED):
        raise _transition_error(mentorship)
    text = _clean_text(body, field="body")
    if not text:
        raise _error("empty_text", EMPTY_TEXT, field="body")
    note = Note.objects.create(mentorship=mentorship, author=actor, body=text)
    # The event names the note, never its text: events are read by other features.
    event_record(actor=actor, verb="create", obj=note)
    return note


@transaction.atomic
def feedback_give(
    *, actor: User, mentorship: Mentorship, rating: Any, comment: Any = ""
) -> Feedback:
    """One side's feedback on an ended relationship, once."""
    _require_pair(actor, mentorship)
    mentorship = _locked(mentorship)
    if mentorship.status != Mentorship.Status.ENDED:
        raise _transition_error(mentorship)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise _error("rating_range", RATING_RANGE, field="rating")
    if Feedback.objects.filter(mentorship=mentorship, author=actor).exists():
        raise Conflict("feedback_exists", FEEDBACK_TWICE)
    feedback = Feedback.objects.create(
        mentorship=mentorship,
        author=actor,
        rating=rating,
        comment=_clean_text(comment, field="comment"),
    )
    event_record(actor=actor, verb="create", obj=feedback, rating=rating)
    return feedback


# Cohort programmes ---------------------------------------------------------------------------


def _require_hr(actor: User) -> None:
    if not can_manage_programmes(actor):
        raise PermissionDenied("hr_only", HR_ONLY)


def _names(users: Iterable[User]) -> str:
    return ", ".join(sorted(u.get_full_name() for u in users))[:200]


@transaction.atomic
def programme_create(
    *,
    actor: User,
    name: Any,
    description: Any = "",
    reverse: bool = False,
    mentor_ids: list[int],
    mentee_ids: list[int],
) -> Programme:
    """HR opens a programme with its participants, who must have said what they offer or seek."""
    _require_hr(actor)
    title = _clean_text(name, field="name", max_length=160)
    if not title:
        raise _error("name_required", NAME_REQUIRED, field="name")
    mentor_set, mentee_set = set(mentor_ids), set(mentee_ids)
    if not mentor_set or not mentee_set:
        raise _error("programme_empty", PROGRAMME_EMPTY, field="mentee_ids")
    people = {u.pk: u for u in User.objects.filter(pk__in=mentor_set | mentee_set, is_active=True)}
    unknown = sorted((mentor_set | mentee_set) - set(people))
    if unknown:
        raise _error(
            "unknown_people",
            UNKNOWN_PEOPLE,
            field="mentee_ids",
            ids=", ".join(map(str, unknown[:10])),
        )
    both = mentor_set & mentee_set
    if both:
        raise _error(
            "both_roles", BOTH_ROLES, field="mentee_ids", names=_names(people[i] for i in both)
        )
    with_offer = set(
        MentorOffer.objects.filter(user_id__in=mentor_set, active=True).values_list(
            "user_id", flat=True
        )
    )
    if mentor_set - with_offer:
        raise _error(
            "no_offer",
            NO_OFFER,
            field="mentor_ids",
            names=_names(people[i] for i in mentor_set - with_offer),
        )
    with_request = set(
        MenteeRequest.objects.filter(user_id__in=mentee_set, active=True).values_list(
            "user_id", flat=True
        )
    )
    if mentee_set - with_request:
        raise _error(
            "no_request",
            NO_MENTEE_REQUEST,
            field="mentee_ids",
            names=_names(people[i] for i in mentee_set - with_request),
        )
    programme = Programme.objects.create(
        name=title,
        description=_clean_text(description, field="description", max_length=5000),
        reverse=bool(reverse),
        created_by=actor,
    )
    Participant.objects.bulk_create(
        [
            Participant(programme=programme, user_id=i, role=Participant.Role.MENTOR)
            for i in sorted(mentor_set)
        ]
        + [
            Participant(programme=programme, user_id=i, role=Participant.Role.MENTEE)
            for i in sorted(mentee_set)
        ]
    )
    event_record(
        actor=actor, verb="create", obj=programme, mentors=len(mentor_set), mentees=len(mentee_set)
    )
    return programme


def _locked_programme(programme: Programme, *allowed: str) -> Programme:
    current = Programme.objects.select_for_update().get(pk=programme.pk)
    if current.status not in allowed:
        raise Conflict(
            "invalid_transition", PROGRAMME_STATE % {"status": current.get_status_display()}
        )
    return current


def _cohort(programme: Programme) -> tuple[list[MentorOffer], list[MenteeRequest]]:
    """The offers and requests of the programme's participants, in a stable order."""
    mentor_ids = programme.participants.filter(role=Participant.Role.MENTOR).values("user_id")
    mentee_ids = programme.participants.filter(role=Participant.Role.MENTEE).values("user_id")
    offers = list(
        selectors.offers_base().filter(user_id__in=mentor_ids, active=True).order_by("user_id")
    )
    requests = list(
        selectors.requests_base().filter(user_id__in=mentee_ids, active=True).order_by("user_id")
    )
    return offers, requests


def _with_reverse(mentee: matching.MenteeSide, reverse: bool) -> matching.MenteeSide:
    """In a reverse programme every mentee is matched under the reverse rules."""
    if not reverse or mentee.reverse:
        return mentee
    return matching.MenteeSide(
        person=mentee.person,
        goals=mentee.goals,
        formats=mentee.formats,
        languages=mentee.languages,
        reverse=True,
        prefer_other_department=mentee.prefer_other_department,
    )


def _unmatched_code(
    mentee: matching.MenteeSide,
    mentors: list[matching.MentorSide],
    capacities: list[int],
    existing: set[tuple[int, int]],
) -> str:
    """Why a mentee stayed unmatched, as a code the page explains."""
    if not mentors:
        return "no_mentor"
    codes = [matching.refusal(m, mentee, check_capacity=False) for m in mentors]
    compatible = [i for i, code in enumerate(codes) if code is None]
    new = [i for i in compatible if (mentors[i].person.id, mentee.person.id) not in existing]
    if compatible and not new:
        return "already_paired"
    compatible = new
    if compatible:
        # The assignment matches as many mentees as possible: every compatible place is taken.
        if all(capacities[i] <= 0 for i in compatible):
            return matching.REFUSE_CAPACITY
        return "capacity_taken"
    counts = Counter(c for c in codes if c)
    order = [
        matching.REFUSE_SKILL,
        matching.REFUSE_REVERSE,
        matching.REFUSE_LANGUAGE,
        matching.REFUSE_MANAGER,
        matching.REFUSE_SELF,
    ]
    return max(order, key=lambda code: (counts[code], -order.index(code)))


@transaction.atomic
def programme_assign(*, actor: User, programme: Programme) -> Programme:
    """Propose the optimal assignment: most mentees matched, then the highest total score.

    Mentors' places already taken by running relationships count; earlier proposals are
    replaced; each unmatched mentee keeps the reason.
    """
    _require_hr(actor)
    current = _locked_programme(programme, Programme.Status.OPEN, Programme.Status.ASSIGNED)
    current.mentorships.filter(status=Mentorship.Status.PROPOSED).delete()
    offers, requests = _cohort(current)
    mentors = selectors.mentor_sides(offers)
    mentees = [_with_reverse(m, current.reverse) for m in selectors.mentee_sides(requests)]
    points = selectors.other_department_points()
    edges = matching.score_edges(mentors, mentees, other_department_points=points)
    # A pair that already runs (or is asked for) one-to-one is not proposed again.
    existing = set(
        Mentorship.objects.filter(
            mentor_id__in=[m.person.id for m in mentors],
            mentee_id__in=[m.person.id for m in mentees],
            status__in=(Mentorship.Status.REQUESTED, Mentorship.Status.ACTIVE),
        ).values_list("mentor_id", "mentee_id")
    )
    if existing:
        edges = {
            (i, j): score
            for (i, j), score in edges.items()
            if (mentors[j].person.id, mentees[i].person.id) not in existing
        }
    capacities = [m.capacity_left for m in mentors]
    assignment = matching.assign_optimal(len(mentees), capacities, edges)
    proposals = []
    reasons: dict[int, str] = {}
    for i, j in enumerate(assignment):
        mentee = mentees[i]
        if j is None:
            reasons[mentee.person.id] = _unmatched_code(mentee, mentors, capacities, existing)
            continue
        match = matching.pair_score(
            mentors[j], mentee, other_department_points=points, check_capacity=False
        )
        proposals.append(
            Mentorship(
                mentor_id=mentors[j].person.id,
                mentee_id=mentee.person.id,
                programme=current,
                status=Mentorship.Status.PROPOSED,
                reverse=mentee.reverse,
                score=match.score,
                reasons=[r.as_dict() for r in match.reasons],
                gaps=[r.as_dict() for r in match.gaps],
            )
        )
    Mentorship.objects.bulk_create(proposals)
    participants = list(current.participants.filter(role=Participant.Role.MENTEE))
    for participant in participants:
        participant.unmatched_reason = reasons.get(participant.user_id, "")
    Participant.objects.bulk_update(participants, ["unmatched_reason"])
    current.status = Programme.Status.ASSIGNED
    current.assigned_at = timezone.now()
    current.save(update_fields=["status", "assigned_at", "updated_at"])
    event_record(
        actor=actor, verb="update", obj=current, matched=len(proposals), unmatched=len(reasons)
    )
    return current


@transaction.atomic
def programme_adjust(
    *, actor: User, programme: Programme, mentee_id: Any, mentor_id: Any | None
) -> Mentorship | None:
    """HR moves a mentee to another mentor of the programme (or leaves them unmatched)."""
    _require_hr(actor)
    current = _locked_programme(programme, Programme.Status.ASSIGNED)
    mentee_part = current.participants.filter(
        user_id=mentee_id, role=Participant.Role.MENTEE
    ).first()
    if mentee_part is None:
        raise NotFound("not_participant", NOT_MENTEE, field="mentee_id")
    current.mentorships.filter(
        mentee_id=mentee_part.user_id, status=Mentorship.Status.PROPOSED
    ).delete()
    if mentor_id is None:
        mentee_part.unmatched_reason = "adjusted"
        mentee_part.save(update_fields=["unmatched_reason"])
        event_record(actor=actor, verb="update", obj=current, mentee=mentee_part.user_id)
        return None
    if not current.participants.filter(user_id=mentor_id, role=Participant.Role.MENTOR).exists():
        raise NotFound("not_participant", NOT_MENTOR, field="mentor_id")
    offer = selectors.offers_base().filter(user_id=mentor_id, active=True).first()
    request = selectors.requests_base().filter(user_id=mentee_part.user_id, active=True).first()
    if offer is None or request is None:
        raise _error("not_eligible", NOT_ELIGIBLE, field="mentor_id", reason="—")
    mentor_side = selectors.mentor_sides([offer])[0]
    mentee_side = _with_reverse(selectors.mentee_sides([request])[0], current.reverse)
    _pair_check(mentor_side, mentee_side)
    match = matching.pair_score(
        mentor_side, mentee_side, other_department_points=selectors.other_department_points()
    )
    mentorship = Mentorship.objects.create(
        mentor_id=mentor_id,
        mentee_id=mentee_part.user_id,
        programme=current,
        status=Mentorship.Status.PROPOSED,
        reverse=mentee_side.reverse,
        score=match.score,
        reasons=[r.as_dict() for r in match.reasons],
        gaps=[r.as_dict() for r in match.gaps],
    )
    mentee_part.unmatched_reason = ""
    mentee_part.save(update_fields=["unmatched_reason"])
    event_record(actor=actor, verb="update", obj=current, mentee=mentee_part.user_id)
    return mentorship


@transaction.atomic
def programme_publish(*, actor: User, programme: Programme) -> Programme:
    """The reviewed proposals become running relationships; both sides are notified."""
    _require_hr(actor)
    current = _locked_programme(programme, Programme.Status.ASSIGNED)
    now = timezone.now()
    proposals = list(
        current.mentorships.filter(status=Mentorship.Status.PROPOSED).select_related(
            "mentor", "mentee"
        )
    )
    for mentorship in proposals:
        mentorship.status = Mentorship.Status.ACTIVE
        mentorship.started_at = now
    Mentorship.objects.bulk_update(proposals, ["status", "started_at"])
    current.status = Programme.Status.PUBLISHED
    current.published_at = now
    current.save(update_fields=["status", "published_at", "updated_at"])
    event_record(actor=actor, verb="update", obj=current, published=len(proposals))
    for mentorship in proposals:
        for person, other in (
            (mentorship.mentor, mentorship.mentee),
            (mentorship.mentee, mentorship.mentor),
        ):
            _notify(
                person,
                "mentoring_paired",
                actor,
                format_lazy(
                    _("{programme}: you are paired with {name}"),
                    programme=current.name,
                    name=other.get_full_name(),
                ),
                mentorship,
            )
    return current


@transaction.atomic
def programme_close(*, actor: User, programme: Programme) -> Programme:
    """Close a published programme; running relationships end, feedback stays open."""
    _require_hr(actor)
    current = _locked_programme(programme, Programme.Status.PUBLISHED)
    now = timezone.now()
    current.mentorships.filter(status=Mentorship.Status.ACTIVE).update(
        status=Mentorship.Status.ENDED, ended_at=now, updated_at=now
    )
    current.status = Programme.Status.CLOSED
    current.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, verb="update", obj=current, closed=True)
    return current


def is_participant(*, user: User, programme: Programme) -> bool:
    """Whether `user` takes part in `programme`."""
    return Participant.objects.filter(Q(programme=programme) & Q(user=user)).exists()
