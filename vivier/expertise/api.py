"""Q&A and expert finding in the JSON API."""

from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.accounts.models import User
from vivier.core.api import MAX_ID, NO_NUL, errors
from vivier.core.errors import ApplicationError
from vivier.expertise import services
from vivier.expertise.models import Answer
from vivier.expertise.schemas import (
    AnswerIn,
    AnswerOut,
    ExpertsOut,
    QuestionDetailOut,
    QuestionIn,
    QuestionPageOut,
    VoteIn,
    VoteOut,
)
from vivier.expertise.selectors import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    ExpertFilters,
    ExpertResult,
    experts_rank,
    question_answers,
    question_routings,
    questions_readable,
    suggestion_text,
)
from vivier.people.models import Location, OrgUnit
from vivier.social import selectors as social_selectors
from vivier.social.api import community_ref
from vivier.social.models import Post

router = Router(tags=["expertise"])

QuestionId = Annotated[int, Path(ge=1, le=MAX_ID)]
AnswerId = Annotated[int, Path(ge=1, le=MAX_ID)]
# A keyset cursor as lists write it: the last question's creation time (UTC) and id.
CURSOR = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00_[1-9][0-9]{0,17}$"
)
EXPERT_PARAMETERS = {"q", "limit", "org_unit", "location", "language", "available"}
UNKNOWN_FILTER = "Unknown filter %(name)s; the filters are: %(known)s."
ORG_UNIT_NOT_FOUND = "This org unit does not exist."
LOCATION_NOT_FOUND = "This location does not exist."


def _check_parameters(request: HttpRequest, known: set[str]) -> None:
    """Refuse a query parameter the operation does not know: a typo would otherwise widen it."""
    for name in request.GET:
        if name not in known:
            raise ApplicationError(
                "unknown_filter",
                UNKNOWN_FILTER % {"name": repr(name[:40]), "known": ", ".join(sorted(known))},
                field=name[:40],
            )


# A person id standing in for any other in a reversed profile URL (see _profile_urls).
_PROBE_ID = 987_654_321


def _profile_urls() -> Callable[[int], str]:
    """Profile URLs by id, reversed once: a list of experts shows a few dozen (15 us each)."""
    head, _probe, tail = reverse("people:profile", args=[_PROBE_ID]).rpartition(str(_PROBE_ID))
    return lambda pk: f"{head}{int(pk)}{tail}"


def _person_ref(user: User, profile_url: Callable[[int], str]) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
    unit = profile.org_unit if profile else None
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "title": profile.title if profile else "",
        "org_unit": {"id": unit.pk, "name": unit.name, "code": unit.code} if unit else None,
        "url": profile_url(user.pk),
    }


def _expert_out(
    result: ExpertResult, profile_url: Callable[[int], str], score: float | None = None
) -> dict[str, Any]:
    return {
        "person": _person_ref(result.user, profile_url),
        "score": result.score if score is None else round(score, 6),
        "evidence": [
            {
                "kind": e.kind,
                "object_id": e.object_id,
                "title": e.title,
                "snippet_html": e.snippet_html,
                "url": e.url,
                "created_at": e.created_at,
                "accepted": e.accepted,
            }
            for e in result.evidence
        ],
        "declared": [
            {
                "skill_id": d.skill.pk,
                "slug": d.skill.slug,
                "label": d.skill.label,
                "level": d.level,
                "endorsements": d.endorsements,
            }
            for d in result.declared
        ],
        "labels": [{"skill_id": s.pk, "slug": s.slug, "label": s.label} for s in result.labels],
    }


def _question_out(question: Post) -> dict[str, Any]:
    return {
        "id": question.pk,
        "title": question.title,
        "body": question.body,
        "body_html": question.body_html,
        "author": {"id": question.author_id, "name": question.author.get_full_name()},
        "community": community_ref(question.community),
        "tags": [t.normalized for t in question.tags.all()],
        "created_at": question.created_at,
        "edited_at": question.edited_at,
        "answer_count": question.answer_count,
        "comment_count": question.comment_count,
        "accepted": bool(getattr(question, "has_accepted", False)),
        "url": reverse("expertise:question", args=[question.pk]),
    }


def _answer_out(answer: Answer, my_vote: int | None = None) -> dict[str, Any]:
    if my_vote is None:
        my_vote = getattr(answer, "my_vote", None) or 0
    return {
        "id": answer.pk,
        "question_id": answer.question_id,
        "author": {"id": answer.author_id, "name": answer.author.get_full_name()},
        "body": answer.body,
        "body_html": answer.body_html,
        "score": answer.score,
        "accepted": answer.accepted_at is not None,
        "accepted_at": answer.accepted_at,
        "created_at": answer.created_at,
        "edited_at": answer.edited_at,
        "my_vote": my_vote,
        "url": reverse("expertise:question", args=[answer.question_id]) + f"#answer-{answer.pk}",
    }


def _question_detail_out(request: HttpRequest, question: Post) -> dict[str, Any]:
    answers = question_answers(question=question, viewer=request.user)
    question.has_accepted = any(a.accepted_at for a in answers)
    question.answer_count = len(answers)
    routed = None
    if question.author_id == request.user.pk:
        profile_url = _profile_urls()
        routed = [_person_ref(r.expert, profile_url) for r in question_routings(question=question)]
    return _question_out(question) | {
        "answers": [_answer_out(a) for a in answers],
        "routed_to": routed,
    }


def _question(request: HttpRequest, question_id: int) -> Post:
    return services.question_get(viewer=request.user, question_id=question_id)


def _answer(request: HttpRequest, answer_id: int) -> Answer:
    return services.answer_get(viewer=request.user, answer_id=answer_id)


@router.get(
    "/experts",
    response={200: ExpertsOut, **errors(400, 401, 422)},
    summary="Who knows? People ranked by their evidence on a query",
    description=(
        "Only the parameters listed are accepted (400 `unknown_filter`). A query without any "
        "content word gives 400 `query_empty`; an unknown org unit or location 400 "
        "`org_unit_not_found` / `location_not_found`."
    ),
)
def experts_list(
    request: HttpRequest,
    q: str = Query(
        "", max_length=MAX_QUERY_LENGTH, pattern=NO_NUL, description="A skill, a topic, a question"
    ),
    limit: int = Query(10, ge=1, le=MAX_LIMIT),
    org_unit: int | None = Query(
        None, ge=1, le=MAX_ID, description="Org unit id (sub-units included)"
    ),
    location: int | None = Query(None, ge=1, le=MAX_ID, description="Location id"),
    language: str = Query(
        "", pattern=r"^([A-Za-z]{2})?$", description="Two-letter code of a language spoken"
    ),
    available: bool = Query(False, description="Only people whose status is available"),
) -> Any:
    _check_parameters(request, EXPERT_PARAMETERS)
    unit = None
    if org_unit is not None:
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        if unit is None:
            raise ApplicationError("org_unit_not_found", ORG_UNIT_NOT_FOUND, field="org_unit")
    if location is not None and not Location.objects.filter(pk=location).exists():
        raise ApplicationError("location_not_found", LOCATION_NOT_FOUND, field="location")
    filters = ExpertFilters(
        org_unit=unit, location_id=location, language=language.lower(), available_only=available
    )
    results = experts_rank(viewer=request.user, q=q, limit=limit, filters=filters)
    profile_url = _profile_urls()
    return {"query": q, "results": [_expert_out(r, profile_url) for r in results]}


@router.get(
    "/questions/suggest-experts",
    response={200: ExpertsOut, **errors(400, 401, 404, 422)},
    summary="The experts a question would be routed to (the preview shown while writing)",
    description="`score` is the routing weight: expertise, availability and recent load.",
)
def questions_suggest(
    request: HttpRequest,
    q: str = Query("", max_length=MAX_QUERY_LENGTH, pattern=NO_NUL),
    community: int | None = Query(None, ge=1, le=MAX_ID, description="Community id"),
) -> Any:
    where = (
        social_selectors.community_get(viewer=request.user, slug_or_id=community)
        if community
        else None
    )
    candidates = services.routing_candidates(
        asker=request.user, text=suggestion_text(title=q, body="", tags=[]), community=where
    )
    profile_url = _profile_urls()
    return {
        "query": q,
        "results": [_expert_out(r, profile_url, weight) for r, weight in candidates],
    }


@router.get(
    "/questions",
    response={200: QuestionPageOut, **errors(401, 404, 422)},
    summary="Questions I may read, newest first, filtered by tag, community or unanswered",
)
def questions_list(
    request: HttpRequest,
    tag: str | None = Query(None, max_length=64, pattern=NO_NUL),
    community: int | None = Query(None, ge=1, le=MAX_ID),
    unanswered: bool = False,
    cursor: str | None = Query(None, max_length=80, pattern=CURSOR),
    limit: int = Query(20, ge=1, le=100),
) -> Any:
    questions = questions_readable(
        viewer=request.user,
        tag=social_selectors.tag_get(name=tag) if tag else None,
        community=social_selectors.community_get(viewer=request.user, slug_or_id=community)
        if community
        else None,
        unanswered=unanswered,
    )
    page = social_selectors.feed_page(questions, viewer=request.user, cursor=cursor, limit=limit)
    return {"items": [_question_out(q) for q in page.posts], "next_cursor": page.next_cursor}


@router.post(
    "/questions",
    response={201: QuestionDetailOut, **errors(400, 401, 403, 404, 422)},
    summary="Ask a question; it is routed to a few available experts (`routed_to`)",
)
def questions_create(request: HttpRequest, payload: QuestionIn) -> Any:
    community = (
        social_selectors.community_get(viewer=request.user, slug_or_id=payload.community_id)
        if payload.community_id
        else None
    )
    question = services.question_ask(
        actor=request.user,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        community=community,
    )
    return Status(201, _question_detail_out(request, _question(request, question.pk)))


@router.get(
    "/questions/{question_id}",
    response={200: QuestionDetailOut, **errors(401, 404, 422)},
    summary="One question with its answers",
)
def questions_get(request: HttpRequest, question_id: QuestionId) -> Any:
    return _question_detail_out(request, _question(request, question_id))


@router.post(
    "/questions/{question_id}/answers",
    response={201: AnswerOut, **errors(400, 401, 404, 422)},
    summary="Answer a question (the asker is notified)",
)
def answers_create(request: HttpRequest, payload: AnswerIn, question_id: QuestionId) -> Any:
    answer = services.answer_create(
        actor=request.user, question=_question(request, question_id), body=payload.body
    )
    return Status(201, _answer_out(answer, my_vote=0))


@router.patch(
    "/answers/{answer_id}",
    response={200: AnswerOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit my answer",
)
def answers_patch(request: HttpRequest, payload: AnswerIn, answer_id: AnswerId) -> Any:
    answer = services.answer_update(
        actor=request.user, answer=_answer(request, answer_id), body=payload.body
    )
    return _answer_out(answer, my_vote=0)


@router.delete(
    "/answers/{answer_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove an answer (its author, or the question's moderators)",
)
def answers_delete(request: HttpRequest, answer_id: AnswerId) -> Any:
    services.answer_delete(actor=request.user, answer=_answer(request, answer_id))
    return Status(204, None)


def _accept(request: HttpRequest, answer_id: int, *, accepted: bool) -> dict[str, Any]:
    answer = services.answer_accept(
        actor=request.user, answer=_answer(request, answer_id), accepted=accepted
    )
    return _answer_out(answer, my_vote=_my_vote(request, answer))


def _my_vote(request: HttpRequest, answer: Answer) -> int:
    vote = answer.votes.filter(user=request.user).values_list("value", flat=True).first()
    return vote or 0


@router.post(
    "/answers/{answer_id}/accept",
    response={200: AnswerOut, **errors(401, 403, 404, 422)},
    summary="Accept an answer to my question (any other accepted one is unaccepted)",
)
def answers_accept(request: HttpRequest, answer_id: AnswerId) -> Any:
    return _accept(request, answer_id, accepted=True)


@router.delete(
    "/answers/{answer_id}/accept",
    response={200: AnswerOut, **errors(401, 403, 404, 422)},
    summary="Take back the acceptance of an answer to my question",
)
def answers_unaccept(request: HttpRequest, answer_id: AnswerId) -> Any:
    return _accept(request, answer_id, accepted=False)


@router.put(
    "/answers/{answer_id}/vote",
    response={200: VoteOut, **errors(400, 401, 403, 404, 422)},
    summary="Vote on someone else's answer: 1, -1, or 0 to take the vote back",
)
def answers_vote(request: HttpRequest, payload: VoteIn, answer_id: AnswerId) -> Any:
    answer = services.answer_vote(
        actor=request.user, answer=_answer(request, answer_id), value=payload.value
    )
    return {"answer_id": answer.pk, "score": answer.score, "my_vote": payload.value}
