"""Mentoring in the JSON API: intents, suggestions, relationships, cohort programmes."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.accounts.models import User
from vivier.core.api import MAX_ID, errors
from vivier.core.errors import NotFound
from vivier.mentoring import selectors, services
from vivier.mentoring.models import MenteeRequest, MentorOffer, Mentorship, Programme
from vivier.mentoring.schemas import (
    AdjustIn,
    AvailableMentorOut,
    FeedbackIn,
    FeedbackOut,
    MenteeRequestIn,
    MenteeRequestOut,
    MentorOfferIn,
    MentorOfferOut,
    MentorsForSkillOut,
    MentorshipDetailOut,
    MentorshipGoalsIn,
    MentorshipOut,
    MentorshipRequestIn,
    NoteIn,
    NoteOut,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeOut,
    SessionIn,
    SessionOut,
    SuggestionOut,
)
from vivier.people.models import Skill

router = Router(tags=["mentoring"])

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
NO_OFFER = "You have no mentor offer."
NO_REQUEST = "You have no mentee request."


def _person(user: User) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "title": profile.title if profile else "",
        "url": reverse("people:profile", args=[user.pk]),
    }


def _skill(skill: Skill) -> dict[str, str]:
    return {"slug": skill.slug, "label": skill.label}


def _offer_out(offer: MentorOffer) -> dict[str, Any]:
    side = selectors.mentor_sides([offer])[0]
    return {
        "skills": [_skill(s) for s in offer.skills.all()],
        "capacity": offer.capacity,
        "capacity_left": side.capacity_left,
        "formats": offer.formats,
        "languages": offer.languages,
        "reverse": offer.reverse,
        "active": offer.active,
        "note": offer.note,
    }


def _request_out(request: MenteeRequest) -> dict[str, Any]:
    return {
        "goals": [
            {"skill": _skill(g.skill), "target_level": g.target_level} for g in request.goals.all()
        ],
        "formats": request.formats,
        "languages": request.languages,
        "reverse": request.reverse,
        "prefer_other_department": request.prefer_other_department,
        "active": request.active,
        "note": request.note,
    }


def _reasons(raw: list[dict[str, Any]], texts: list[str]) -> list[dict[str, str]]:
    return [{"code": str(r.get("code")), "text": t} for r, t in zip(raw, texts, strict=True)]


def _mentorship_out(
    mentorship: Mentorship, texts: tuple[list[str], list[str]] | None = None
) -> dict[str, Any]:
    reasons, gaps = texts or selectors.mentorship_reason_texts(mentorship)
    return {
        "id": mentorship.pk,
        "mentor": _person(mentorship.mentor),
        "mentee": _person(mentorship.mentee),
        "status": mentorship.status,
        "reverse": mentorship.reverse,
        "programme_id": mentorship.programme_id,
        "score": mentorship.score,
        "reasons": _reasons(mentorship.reasons, reasons),
        "gaps": _reasons(mentorship.gaps, gaps),
        "message": mentorship.message,
        "goals": mentorship.goals,
        "created_at": mentorship.created_at,
        "started_at": mentorship.started_at,
        "ended_at": mentorship.ended_at,
        "url": reverse("mentoring:mentorship", args=[mentorship.pk]),
    }


def _detail_out(request: HttpRequest, mentorship: Mentorship) -> dict[str, Any]:
    viewer = request.user
    notes = None
    if selectors.can_read_notes(user=viewer, mentorship=mentorship):
        notes = [
            {"id": n.pk, "author_id": n.author_id, "body": n.body, "created_at": n.created_at}
            for n in selectors.mentorship_notes(viewer=viewer, mentorship=mentorship)
        ]
    return _mentorship_out(mentorship) | {
        "sessions": [
            {
                "id": s.pk,
                "author_id": s.author_id,
                "held_on": s.held_on,
                "duration_minutes": s.duration_minutes,
                "summary": s.summary,
            }
            for s in selectors.mentorship_sessions(viewer=viewer, mentorship=mentorship)
        ],
        "notes": notes,
        "feedback": [
            {"id": f.pk, "author_id": f.author_id, "rating": f.rating, "comment": f.comment}
            for f in selectors.mentorship_feedback(viewer=viewer, mentorship=mentorship)
        ],
    }


def _mentorship(request: HttpRequest, mentorship_id: int) -> Mentorship:
    return selectors.mentorship_get(viewer=request.user, mentorship_id=mentorship_id)


@router.get(
    "/mentoring/offer",
    response={200: MentorOfferOut, **errors(401, 404)},
    summary="My mentor offer",
)
def offer_get(request: HttpRequest) -> Any:
    offer = selectors.offer_of(user=request.user)
    if offer is None:
        raise NotFound("no_offer", NO_OFFER)
    return _offer_out(offer)


@router.put(
    "/mentoring/offer",
    response={200: MentorOfferOut, **errors(400, 401, 404, 422)},
    summary="Create or replace my mentor offer",
    description=(
        "Skills are taxonomy slugs I declared on my profile (400 `unknown_skill`, "
        "`skill_not_declared`); my declared level is what mentees are matched on."
    ),
)
def offer_put(request: HttpRequest, payload: MentorOfferIn) -> Any:
    offer = services.offer_save(actor=request.user, **payload.dict())
    return _offer_out(selectors.offer_of(user=offer.user))


@router.get(
    "/mentoring/request",
    response={200: MenteeRequestOut, **errors(401, 404)},
    summary="My mentee request",
)
def request_get(request: HttpRequest) -> Any:
    found = selectors.request_of(user=request.user)
    if found is None:
        raise NotFound("no_request", NO_REQUEST)
    return _request_out(found)


@router.put(
    "/mentoring/request",
    response={200: MenteeRequestOut, **errors(400, 401, 422)},
    summary="Create or replace my mentee request (goals and preferences)",
    description="Unknown skills give 400 `unknown_skill`; a skill twice 400 `duplicate_goal`.",
)
def request_put(request: HttpRequest, payload: MenteeRequestIn) -> Any:
    data = payload.dict()
    goals = [(g["skill"], g["target_level"]) for g in data.pop("goals")]
    saved = services.request_save(actor=request.user, goals=goals, **data)
    return _request_out(selectors.request_of(user=saved.user))


@router.get(
    "/mentoring/suggestions",
    response={200: list[SuggestionOut], **errors(401)},
    summary="Mentors suggested for my request, best first, with reasons and gaps",
)
def suggestions_list(request: HttpRequest) -> Any:
    return [
        {
            "mentor": _person(s.mentor),
            "score": s.score,
            "reverse": s.reverse,
            "reasons": _reasons(s.raw_reasons, s.reasons),
            "gaps": _reasons(s.raw_gaps, s.gaps),
        }
        for s in selectors.suggestions_for(viewer=request.user)
    ]


@router.get(
    "/mentoring/mentors",
    response={200: MentorsForSkillOut, **errors(401, 404, 422)},
    summary="Mentors offering a skill with a place left, highest level first",
)
def mentors_list(
    request: HttpRequest,
    skill: str = Query(..., min_length=1, max_length=80, pattern=r"^[-a-z0-9_]+$"),
    limit: int = Query(20, ge=1, le=selectors.MENTORS_FOR_SKILL_LIMIT),
) -> Any:
    found = selectors.skill_get(slug=skill)
    mentors = selectors.mentors_for_skill(viewer=request.user, skill=found, limit=limit)
    return {
        "skill": _skill(found),
        "mentors": [
            AvailableMentorOut(
                mentor=_person(m.user),
                level=m.level,
                capacity_left=m.capacity_left,
                reverse=m.reverse,
            )
            for m in mentors
        ],
    }


@router.get(
    "/mentoring/mentorships",
    response={200: list[MentorshipOut], **errors(401)},
    summary="My mentoring relationships, as mentor or mentee",
)
def mentorships_list(request: HttpRequest) -> Any:
    mentorships = list(selectors.mentorships_of(viewer=request.user)[:200])
    texts = selectors.reason_texts(mentorships)
    return [_mentorship_out(m, texts[m.pk]) for m in mentorships]


@router.post(
    "/mentoring/mentorships",
    response={201: MentorshipOut, **errors(400, 401, 404, 409, 422)},
    summary="Ask a mentor for a one-to-one relationship",
    description=(
        "400 `self_request`, `manager_pair`, `not_a_mentor`, `no_request`, `not_eligible`; "
        "409 `no_capacity`, `already_requested`."
    ),
)
def mentorships_create(request: HttpRequest, payload: MentorshipRequestIn) -> Any:
    mentorship = services.mentorship_request(
        actor=request.user, mentor_id=payload.mentor_id, message=payload.message
    )
    return Status(201, _mentorship_out(_mentorship(request, mentorship.pk)))


@router.get(
    "/mentoring/mentorships/{mentorship_id}",
    response={200: MentorshipDetailOut, **errors(401, 404, 422)},
    summary="One relationship with its sessions, feedback and (for the pair only) notes",
)
def mentorships_get(request: HttpRequest, mentorship_id: ObjectId) -> Any:
    return _detail_out(request, _mentorship(request, mentorship_id))


def _answer(request: HttpRequest, mentorship_id: int, *, accept: bool) -> Any:
    mentorship = services.mentorship_answer(
        actor=request.user, mentorship=_mentorship(request, mentorship_id), accept=accept
    )
    return _mentorship_out(_mentorship(request, mentorship.pk))


@router.post(
    "/mentoring/mentorships/{mentorship_id}/accept",
    response={200: MentorshipOut, **errors(401, 403, 404, 409, 422)},
    summary="Accept a request (the mentor); 409 `no_capacity` or `invalid_transition`",
)
def mentorships_accept(request: HttpRequest, mentorship_id: ObjectId) -> Any:
    return _answer(request, mentorship_id, accept=True)


@router.post(
    "/mentoring/mentorships/{mentorship_id}/decline",
    response={200: MentorshipOut, **errors(401, 403, 404, 409, 422)},
    summary="Decline a request (the mentor)",
)
def mentorships_decline(request: HttpRequest, mentorship_id: ObjectId) -> Any:
    return _answer(request, mentorship_id, accept=False)


@router.post(
    "/mentoring/mentorships/{mentorship_id}/end",
    response={200: MentorshipOut, **errors(401, 403, 404, 409, 422)},
    summary="End a running relationship (either side)",
)
def mentorships_end(request: HttpRequest, mentorship_id: ObjectId) -> Any:
    mentorship = services.mentorship_end(
        actor=request.user, mentorship=_mentorship(request, mentorship_id)
    )
    return _mentorship_out(_mentorship(request, mentorship.pk))


@router.put(
    "/mentoring/mentorships/{mentorship_id}/goals",
    response={200: MentorshipOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Write down the goals of the pair",
)
def mentorships_goals(
    request: HttpRequest, payload: MentorshipGoalsIn, mentorship_id: ObjectId
) -> Any:
    mentorship = services.mentorship_goals_update(
        actor=request.user, mentorship=_mentorship(request, mentorship_id), goals=payload.goals
    )
    return _mentorship_out(_mentorship(request, mentorship.pk))


@router.post(
    "/mentoring/mentorships/{mentorship_id}/sessions",
    response={201: SessionOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Log a session of a running relationship",
)
def sessions_create(request: HttpRequest, payload: SessionIn, mentorship_id: ObjectId) -> Any:
    session = services.session_log(
        actor=request.user,
        mentorship=_mentorship(request, mentorship_id),
        held_on=payload.held_on,
        duration_minutes=payload.duration_minutes,
        summary=payload.summary,
    )
    return Status(
        201,
        {
            "id": session.pk,
            "author_id": session.author_id,
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "summary": session.summary,
        },
    )


@router.post(
    "/mentoring/mentorships/{mentorship_id}/notes",
    response={201: NoteOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Add a note private to the pair",
)
def notes_create(request: HttpRequest, payload: NoteIn, mentorship_id: ObjectId) -> Any:
    note = services.note_add(
        actor=request.user, mentorship=_mentorship(request, mentorship_id), body=payload.body
    )
    return Status(
        201,
        {
            "id": note.pk,
            "author_id": note.author_id,
            "body": note.body,
            "created_at": note.created_at,
        },
    )


@router.post(
    "/mentoring/mentorships/{mentorship_id}/feedback",
    response={201: FeedbackOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Give my feedback on an ended relationship (once)",
)
def feedback_create(request: HttpRequest, payload: FeedbackIn, mentorship_id: ObjectId) -> Any:
    feedback = services.feedback_give(
        actor=request.user,
        mentorship=_mentorship(request, mentorship_id),
        rating=payload.rating,
        comment=payload.comment,
    )
    return Status(
        201,
        {
            "id": feedback.pk,
            "author_id": feedback.author_id,
            "rating": feedback.rating,
            "comment": feedback.comment,
        },
    )


# Programmes ----------------------------------------------------------------------------------


def _programme_out(programme: Programme) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "name": programme.name,
        "description": programme.description,
        "reverse": programme.reverse,
        "status": programme.status,
        "created_at": programme.created_at,
        "url": reverse("mentoring:programme", args=[programme.pk]),
    }


def _programme_detail(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    pairs = []
    found = selectors.programme_pairs(viewer=request.user, programme=programme)
    texts = selectors.reason_texts(found)
    for m in found:
        reasons, gaps = texts[m.pk]
        pairs.append(
            {
                "id": m.pk,
                "mentor": _person(m.mentor),
                "mentee": _person(m.mentee),
                "status": m.status,
                "reverse": m.reverse,
                "score": m.score,
                "reasons": _reasons(m.reasons, reasons),
                "gaps": _reasons(m.gaps, gaps),
            }
        )
    unmatched = selectors.programme_unmatched(viewer=request.user, programme=programme)
    return _programme_out(programme) | {
        "stats": selectors.programme_stats(programme=programme).__dict__,
        "pairs": pairs,
        "unmatched": None
        if unmatched is None
        else [
            {
                "mentee": _person(p.user),
                "code": p.unmatched_reason,
                "reason": selectors.unmatched_text(p.unmatched_reason),
            }
            for p in unmatched
        ],
    }


def _programme(request: HttpRequest, programme_id: int) -> Programme:
    return selectors.programme_get(viewer=request.user, programme_id=programme_id)


@router.get(
    "/mentoring/programmes",
    response={200: list[ProgrammeOut], **errors(401)},
    summary="Programmes: all of them for HR, those I take part in otherwise",
)
def programmes_list(request: HttpRequest) -> Any:
    return [_programme_out(p) for p in selectors.programmes_visible(viewer=request.user)[:200]]


@router.post(
    "/mentoring/programmes",
    response={201: ProgrammeDetailOut, **errors(400, 401, 403, 422)},
    summary="Open a programme with its participants (HR)",
    description=(
        "Mentors need an active offer (400 `no_offer`), mentees an active request "
        "(400 `no_request`); unknown people 400 `unknown_people`."
    ),
)
def programmes_create(request: HttpRequest, payload: ProgrammeIn) -> Any:
    programme = services.programme_create(actor=request.user, **payload.dict())
    return Status(201, _programme_detail(request, programme))


@router.get(
    "/mentoring/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, **errors(401, 404, 422)},
    summary="A programme: its pairs, statistics and (for HR) unmatched mentees with reasons",
)
def programmes_get(request: HttpRequest, programme_id: ObjectId) -> Any:
    return _programme_detail(request, _programme(request, programme_id))


@router.post(
    "/mentoring/programmes/{programme_id}/assign",
    response={200: ProgrammeDetailOut, **errors(401, 403, 404, 409, 422)},
    summary="Propose the optimal assignment (HR): most mentees matched, then the best total score",
)
def programmes_assign(request: HttpRequest, programme_id: ObjectId) -> Any:
    programme = services.programme_assign(
        actor=request.user, programme=_programme(request, programme_id)
    )
    return _programme_detail(request, programme)


@router.put(
    "/mentoring/programmes/{programme_id}/assignments/{mentee_id}",
    response={200: ProgrammeDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Adjust the proposal before publishing (HR): another mentor, or none",
)
def programmes_adjust(
    request: HttpRequest, payload: AdjustIn, programme_id: ObjectId, mentee_id: ObjectId
) -> Any:
    programme = _programme(request, programme_id)
    services.programme_adjust(
        actor=request.user, programme=programme, mentee_id=mentee_id, mentor_id=payload.mentor_id
    )
    return _programme_detail(request, _programme(request, programme_id))


@router.post(
    "/mentoring/programmes/{programme_id}/publish",
    response={200: ProgrammeDetailOut, **errors(401, 403, 404, 409, 422)},
    summary="Publish the reviewed pairs (HR): they start and both sides are notified",
)
def programmes_publish(request: HttpRequest, programme_id: ObjectId) -> Any:
    programme = services.programme_publish(
        actor=request.user, programme=_programme(request, programme_id)
    )
    return _programme_detail(request, programme)


@router.post(
    "/mentoring/programmes/{programme_id}/close",
    response={200: ProgrammeDetailOut, **errors(401, 403, 404, 409, 422)},
    summary="Close a published programme (HR): running pairs end",
)
def programmes_close(request: HttpRequest, programme_id: ObjectId) -> Any:
    programme = services.programme_close(
        actor=request.user, programme=_programme(request, programme_id)
    )
    return _programme_detail(request, programme)
