"""Employee voice in the JSON API: surveys, anonymous responses, results, ideas, commitments."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.accounts.models import User
from vivier.core.api import MAX_ID, errors
from vivier.people.models import OrgUnit
from vivier.voice import selectors, services
from vivier.voice.models import Commitment, Idea, Question, Survey, Wave
from vivier.voice.question_bank import QUESTION_TEMPLATES
from vivier.voice.schemas import (
    CommitmentDetailOut,
    CommitmentIn,
    CommitmentOut,
    CommitmentUpdateIn,
    CommitmentUpdateOut,
    IdeaCommentIn,
    IdeaCommentOut,
    IdeaDetailOut,
    IdeaIn,
    IdeaOut,
    IdeaOwnerIn,
    IdeaPageOut,
    IdeaStatusIn,
    QuestionTemplateOut,
    ResponseIn,
    ResponseOut,
    ResultsOut,
    SurveyDetailOut,
    SurveyIn,
    SurveyOut,
    SurveyQuestionIn,
    SurveyQuestionOut,
    TrendsOut,
)

router = Router(tags=["voice"])

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
PREFIX = "/voice"


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.get_full_name()} if user else None


def _wave_out(wave: Wave | None) -> dict[str, Any] | None:
    if wave is None:
        return None
    return {
        "id": wave.pk,
        "number": wave.number,
        "opens_on": wave.opens_on,
        "closes_on": wave.closes_on,
        "status": wave.status,
    }


def _question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "text_fr": question.text_fr,
        "text_en": question.text_en,
        "choices": question.choice_labels(),
        "theme": question.theme,
        "template_code": question.template_code,
    }


def _survey_out(survey: Survey, *, open_wave: Wave | None, answered: bool) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "description": survey.description,
        "status": survey.status,
        "audience": [{"id": u.pk, "name": u.name} for u in survey.audience_units.all()],
        "min_group_size": survey.min_group_size,
        "recurrence_days": survey.recurrence_days,
        "wave_days": survey.wave_days,
        "open_wave": _wave_out(open_wave),
        "answered": answered,
        "url": reverse("voice:survey", args=[survey.pk]),
    }


def _survey_detail(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    waves = list(survey.waves.order_by("number"))
    open_wave = next((w for w in waves if w.status == Wave.Status.OPEN), None)
    answered = selectors.has_answered(user=request.user, wave=open_wave)
    return _survey_out(survey, open_wave=open_wave, answered=answered) | {
        "questions": [_question_out(q) for q in survey.questions.all()],
        "waves": [_wave_out(w) for w in waves],
    }


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    return selectors.survey_get(viewer=request.user, survey_id=survey_id)


@router.get(
    f"{PREFIX}/question-templates",
    response={200: list[QuestionTemplateOut], **errors(401)},
    summary="Standard questions HR may add to a survey by their code",
)
def question_templates(request: HttpRequest) -> Any:
    return [
        {
            "code": t.code,
            "kind": t.kind,
            "text_fr": t.text_fr,
            "text_en": t.text_en,
            "theme": t.theme,
            "choices": t.choices,
        }
        for t in QUESTION_TEMPLATES
    ]


@router.get(
    f"{PREFIX}/surveys",
    response={200: list[SurveyOut], **errors(401)},
    summary="Surveys: all of them for HR; the launched ones addressed to me otherwise",
)
def surveys_list(request: HttpRequest) -> Any:
    return [
        _survey_out(s, open_wave=s.open_wave, answered=s.answered)
        for s in selectors.surveys_for(viewer=request.user)
    ]


@router.post(
    f"{PREFIX}/surveys",
    response={201: SurveyDetailOut, **errors(400, 401, 403, 422)},
    summary="Write a draft survey (HR administrators)",
)
def surveys_create(request: HttpRequest, payload: SurveyIn) -> Any:
    survey = services.survey_create(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        audience=payload.audience,
        min_group_size=payload.min_group_size,
        recurrence_days=payload.recurrence_days,
        wave_days=payload.wave_days,
    )
    return Status(201, _survey_detail(request, _survey(request, survey.pk)))


@router.get(
    f"{PREFIX}/surveys/{{survey_id}}",
    response={200: SurveyDetailOut, **errors(401, 404, 422)},
    summary="One survey with its questions and waves",
)
def surveys_get(request: HttpRequest, survey_id: ObjectId) -> Any:
    return _survey_detail(request, _survey(request, survey_id))


@router.post(
    f"{PREFIX}/surveys/{{survey_id}}/questions",
    response={201: SurveyQuestionOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Add a question to a draft survey, written or by a standard question's `template`",
)
def questions_create(request: HttpRequest, survey_id: ObjectId, payload: SurveyQuestionIn) -> Any:
    question = services.question_add(
        actor=request.user,
        survey=_survey(request, survey_id),
        kind=payload.kind,
        text_fr=payload.text_fr,
        text_en=payload.text_en,
        choices=[c.model_dump() for c in payload.choices],
        theme=payload.theme,
        template=payload.template,
    )
    return Status(201, _question_out(question))


@router.post(
    f"{PREFIX}/surveys/{{survey_id}}/launch",
    response={200: SurveyDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Launch a draft survey: its first wave opens; k and the questions are fixed",
)
def surveys_launch(request: HttpRequest, survey_id: ObjectId) -> Any:
    survey = services.survey_launch(actor=request.user, survey=_survey(request, survey_id))
    return _survey_detail(request, _survey(request, survey.pk))


@router.post(
    f"{PREFIX}/surveys/{{survey_id}}/close",
    response={200: SurveyDetailOut, **errors(401, 403, 404, 409, 422)},
    summary="Close a launched survey and its open wave; its results can then be read",
)
def surveys_close(request: HttpRequest, survey_id: ObjectId) -> Any:
    survey = services.survey_close(actor=request.user, survey=_survey(request, survey_id))
    return _survey_detail(request, _survey(request, survey.pk))


@router.post(
    f"{PREFIX}/surveys/{{survey_id}}/responses",
    response={201: ResponseOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Answer the survey's open wave, anonymously and once",
    description=(
        "Answers are stored with the respondent's org unit and the day only. A second answer "
        "gives 409 `already_answered`, a closed survey 409 `survey_not_open`, a value out of "
        "range 400 `answer_out_of_range`, a missing answer 400 `answer_missing`."
    ),
)
def responses_create(request: HttpRequest, survey_id: ObjectId, payload: ResponseIn) -> Any:
    survey = _survey(request, survey_id)
    answers = {item.question_id: item.value for item in payload.answers}
    wave = services.response_submit(actor=request.user, survey=survey, answers=answers)
    return Status(201, {"survey_id": survey.pk, "wave": wave.number, "answered": True})


def _stats_out(stats: selectors.QuestionStats) -> dict[str, Any]:
    return {
        "question_id": stats.question.pk,
        "kind": stats.question.kind,
        "text": stats.question.text,
        "labels": stats.labels,
        "counts": stats.counts,
        "mean": stats.mean,
        "favourable_percent": stats.favourable,
        "promoters": stats.promoters,
        "passives": stats.passives,
        "detractors": stats.detractors,
        "enps": stats.enps,
        "texts": stats.texts,
    }


def _group_out(group: selectors.GroupResult) -> dict[str, Any]:
    return {
        "unit": {"id": group.unit.pk, "name": group.unit.name} if group.unit else None,
        "respondents": group.respondents,
        "questions": [_stats_out(s) for s in group.questions],
        "free_text_shown": group.texts_shown,
    }


@router.get(
    f"{PREFIX}/surveys/{{survey_id}}/results",
    response={200: ResultsOut, **errors(401, 403, 404, 409, 422)},
    summary="Results of a closed wave for a group (HR; managers for their units)",
    description=(
        "Only groups of at least k respondents whose remainder in their parent group is empty "
        "or at least k are shown; any other group gives 403 `not_enough_answers` (never a "
        "number). Free-text answers only for groups of at least 10. An open wave gives 409 "
        "`wave_open`."
    ),
)
def results_get(
    request: HttpRequest,
    survey_id: ObjectId,
    wave: int | None = Query(None, ge=1, le=MAX_ID, description="Wave id (latest closed)"),
    unit: int | None = Query(None, ge=1, le=MAX_ID, description="Org unit id (whole audience)"),
) -> Any:
    results = selectors.wave_results(
        viewer=request.user, survey=_survey(request, survey_id), wave_id=wave, unit_id=unit
    )
    return {
        "survey_id": results.survey.pk,
        "wave": _wave_out(results.wave),
        "min_group_size": results.k,
        "group": _group_out(results.group),
        "subgroups": [_group_out(g) for g in results.children],
        "some_subgroups_hidden": results.hidden_children,
    }


@router.get(
    f"{PREFIX}/surveys/{{survey_id}}/trends",
    response={200: TrendsOut, **errors(401, 403, 404, 422)},
    summary="Likert means and eNPS across closed waves for a group, where it may be shown",
)
def trends_get(
    request: HttpRequest,
    survey_id: ObjectId,
    unit: int | None = Query(None, ge=1, le=MAX_ID, description="Org unit id (whole audience)"),
) -> Any:
    survey = _survey(request, survey_id)
    points = selectors.survey_trends(viewer=request.user, survey=survey, unit_id=unit)
    found = OrgUnit.objects.filter(pk=unit).first() if unit else None
    return {
        "survey_id": survey.pk,
        "unit": {"id": found.pk, "name": found.name} if found else None,
        "points": [
            {
                "wave": _wave_out(p.wave),
                "shown": p.respondents is not None,
                "respondents": p.respondents,
                "likert_means": {str(k): v for k, v in p.means.items()},
                "enps": {str(k): v for k, v in p.enps.items()},
            }
            for p in points
        ],
    }


# Ideas


def _idea_out(idea: Idea, *, voted: bool) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "title": idea.title,
        "description": idea.description,
        "tags": idea.tags,
        "author": _person(idea.author),
        "owner": _person(idea.owner),
        "status": idea.status,
        "status_reason": idea.status_reason,
        "vote_count": idea.vote_count,
        "comment_count": idea.comment_count,
        "voted": voted,
        "created_at": idea.created_at,
        "url": reverse("voice:idea", args=[idea.pk]),
    }


def _idea_detail(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    voted = bool(selectors.idea_voters(viewer=request.user, ideas=[idea]))
    return _idea_out(idea, voted=voted) | {
        "comments": [
            {"id": c.pk, "author": _person(c.author), "body": c.body, "created_at": c.created_at}
            for c in selectors.idea_comments(idea=idea)
        ]
    }


@router.get(
    f"{PREFIX}/ideas",
    response={200: IdeaPageOut, **errors(401, 422)},
    summary="The idea box, recent or most voted first, filtered by status or tag",
)
def ideas_list(
    request: HttpRequest,
    status: str = Query("", pattern=r"^(|new|under_review|accepted|done|declined)$"),
    tag: str = Query("", max_length=40, pattern=r"^[^\x00,]*$"),
    sort: str = Query("recent", pattern=r"^(recent|votes)$"),
    offset: int = Query(0, ge=0, le=100_000),
    limit: int = Query(20, ge=1, le=100),
) -> Any:
    ideas = selectors.ideas_list(status=status, tag=tag, sort=sort)
    count = ideas.count()
    page = list(ideas[offset : offset + limit])
    voted = selectors.idea_voters(viewer=request.user, ideas=page)
    return {
        "items": [_idea_out(i, voted=i.pk in voted) for i in page],
        "count": count,
        "next_offset": offset + limit if offset + limit < count else None,
    }


@router.post(
    f"{PREFIX}/ideas",
    response={201: IdeaDetailOut, **errors(400, 401, 422)},
    summary="Post an idea",
)
def ideas_create(request: HttpRequest, payload: IdeaIn) -> Any:
    idea = services.idea_create(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
    )
    return Status(201, _idea_detail(request, services.idea_get(idea_id=idea.pk)))


@router.get(
    f"{PREFIX}/ideas/{{idea_id}}",
    response={200: IdeaDetailOut, **errors(401, 404, 422)},
    summary="One idea with its comments",
)
def ideas_get(request: HttpRequest, idea_id: ObjectId) -> Any:
    return _idea_detail(request, services.idea_get(idea_id=idea_id))


@router.put(
    f"{PREFIX}/ideas/{{idea_id}}/vote",
    response={200: IdeaOut, **errors(400, 401, 404, 422)},
    summary="Vote for an idea (not my own); idempotent",
)
def ideas_vote(request: HttpRequest, idea_id: ObjectId) -> Any:
    idea = services.idea_vote(
        actor=request.user, idea=services.idea_get(idea_id=idea_id), vote=True
    )
    return _idea_out(idea, voted=True)


@router.delete(
    f"{PREFIX}/ideas/{{idea_id}}/vote",
    response={200: IdeaOut, **errors(400, 401, 404, 422)},
    summary="Take back my vote for an idea; idempotent",
)
def ideas_unvote(request: HttpRequest, idea_id: ObjectId) -> Any:
    idea = services.idea_vote(
        actor=request.user, idea=services.idea_get(idea_id=idea_id), vote=False
    )
    return _idea_out(idea, voted=False)


@router.post(
    f"{PREFIX}/ideas/{{idea_id}}/comments",
    response={201: IdeaCommentOut, **errors(400, 401, 404, 422)},
    summary="Comment on an idea (its author is told)",
)
def ideas_comment(request: HttpRequest, idea_id: ObjectId, payload: IdeaCommentIn) -> Any:
    comment = services.idea_comment(
        actor=request.user, idea=services.idea_get(idea_id=idea_id), body=payload.body
    )
    return Status(
        201,
        {
            "id": comment.pk,
            "author": _person(comment.author),
            "body": comment.body,
            "created_at": comment.created_at,
        },
    )


@router.post(
    f"{PREFIX}/ideas/{{idea_id}}/status",
    response={200: IdeaOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Move an idea on (its owner or HR): under review, accepted, done, declined with a reason",
    description="A transition that is not allowed gives 409 `invalid_transition`.",
)
def ideas_status(request: HttpRequest, idea_id: ObjectId, payload: IdeaStatusIn) -> Any:
    idea = services.idea_set_status(
        actor=request.user,
        idea=services.idea_get(idea_id=idea_id),
        status=payload.status,
        reason=payload.reason,
    )
    voted = bool(selectors.idea_voters(viewer=request.user, ideas=[idea]))
    return _idea_out(services.idea_get(idea_id=idea.pk), voted=voted)


@router.put(
    f"{PREFIX}/ideas/{{idea_id}}/owner",
    response={200: IdeaOut, **errors(400, 401, 403, 404, 422)},
    summary="Name the person who owns an idea's follow-up (HR)",
)
def ideas_owner(request: HttpRequest, idea_id: ObjectId, payload: IdeaOwnerIn) -> Any:
    idea = services.idea_assign(
        actor=request.user, idea=services.idea_get(idea_id=idea_id), owner_id=payload.owner_id
    )
    voted = bool(selectors.idea_voters(viewer=request.user, ideas=[idea]))
    return _idea_out(idea, voted=voted)


# Commitments


def _commitment_out(commitment: Commitment, scores: dict[str, float]) -> dict[str, Any]:
    return {
        "id": commitment.pk,
        "title": commitment.title,
        "description": commitment.description,
        "theme": commitment.theme,
        "owner": _person(commitment.owner),
        "status": commitment.status,
        "progress": commitment.progress,
        "due_on": commitment.due_on,
        "theme_favourable_percent": scores.get(commitment.theme),
        "url": reverse("voice:commitment", args=[commitment.pk]),
    }


def _commitment_detail(commitment: Commitment) -> dict[str, Any]:
    return _commitment_out(commitment, selectors.theme_scores()) | {
        "updates": [
            {
                "id": u.pk,
                "author": _person(u.author),
                "text": u.text,
                "progress": u.progress,
                "status": u.status,
                "created_at": u.created_at,
            }
            for u in commitment.updates.select_related("author")
        ]
    }


@router.get(
    f"{PREFIX}/commitments",
    response={200: list[CommitmentOut], **errors(401, 422)},
    summary="The company's commitments to its employees, with progress and their theme's score",
)
def commitments_list(
    request: HttpRequest,
    status: str = Query("", pattern=r"^(|planned|in_progress|done|abandoned)$"),
) -> Any:
    scores = selectors.theme_scores()
    return [_commitment_out(c, scores) for c in selectors.commitments_list(status=status)]


@router.post(
    f"{PREFIX}/commitments",
    response={201: CommitmentDetailOut, **errors(400, 401, 403, 422)},
    summary="Publish a commitment (HR administrators)",
)
def commitments_create(request: HttpRequest, payload: CommitmentIn) -> Any:
    commitment = services.commitment_create(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        theme=payload.theme,
        owner_id=payload.owner_id,
        due_on=payload.due_on,
    )
    return Status(201, _commitment_detail(services.commitment_get(commitment_id=commitment.pk)))


@router.get(
    f"{PREFIX}/commitments/{{commitment_id}}",
    response={200: CommitmentDetailOut, **errors(401, 404, 422)},
    summary="One commitment with its progress updates",
)
def commitments_get(request: HttpRequest, commitment_id: ObjectId) -> Any:
    return _commitment_detail(services.commitment_get(commitment_id=commitment_id))


@router.post(
    f"{PREFIX}/commitments/{{commitment_id}}/updates",
    response={201: CommitmentUpdateOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Report progress on a commitment (its owner or HR)",
)
def commitments_update(
    request: HttpRequest, commitment_id: ObjectId, payload: CommitmentUpdateIn
) -> Any:
    update = services.commitment_progress(
        actor=request.user,
        commitment=services.commitment_get(commitment_id=commitment_id),
        text=payload.text,
        progress=payload.progress,
        status=payload.status,
    )
    return Status(
        201,
        {
            "id": update.pk,
            "author": _person(update.author),
            "text": update.text,
            "progress": update.progress,
            "status": update.status,
            "created_at": update.created_at,
        },
    )
