"""API schemas for employee voice: one input or output type per operation."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from vivier.core.api import JSON_INTEGER, MAX_ID, NO_NUL, InputSchema
from vivier.social.schemas import NOT_BLANK
from vivier.voice.models import Commitment, Idea, Question, Survey, Theme
from vivier.voice.services import (
    CHOICE_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    IDEA_MAX,
    MAX_DAYS,
    MAX_K,
    QUESTION_MAX,
    TAG_MAX,
    TAGS_MAX,
    TEXT_ANSWER_MAX,
    TITLE_MAX,
)

Title = Annotated[str, StringConstraints(max_length=TITLE_MAX, pattern=NOT_BLANK)]
PlainText = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX, pattern=NO_NUL)]
UnitId = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]
PersonId = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=TAG_MAX, pattern=r"^[^\x00,]*\S")]

SurveyStatus = Literal[tuple(Survey.Status.values)]  # type: ignore[valid-type]
QuestionKind = Literal[tuple(Question.Kind.values)]  # type: ignore[valid-type]
ThemeCode = Literal[tuple(["", *Theme.values])]  # type: ignore[valid-type]
IdeaStatus = Literal[tuple(Idea.Status.values)]  # type: ignore[valid-type]
CommitmentStatus = Literal[tuple(Commitment.Status.values)]  # type: ignore[valid-type]


class QuestionTemplateOut(Schema):
    """A standard question HR may add to a survey by its code."""

    code: str
    kind: str
    text_fr: str
    text_en: str
    theme: str
    choices: list[dict[str, str]]


class SurveyIn(InputSchema):
    title: Title
    description: PlainText = ""
    audience: list[UnitId] = Field(default_factory=list, max_length=100)
    min_group_size: Annotated[int, Field(ge=3, le=MAX_K), JSON_INTEGER] = 5
    recurrence_days: Annotated[int, Field(ge=0, le=MAX_DAYS), JSON_INTEGER] = 0
    wave_days: Annotated[int, Field(ge=1, le=MAX_DAYS), JSON_INTEGER] = 14


class ChoiceIn(InputSchema):
    fr: Annotated[str, StringConstraints(max_length=CHOICE_MAX, pattern=NOT_BLANK)]
    en: Annotated[str, StringConstraints(max_length=CHOICE_MAX, pattern=NO_NUL)] = ""


class SurveyQuestionIn(InputSchema):
    """A written question, or `template`: the code of a standard question."""

    template: Annotated[str, StringConstraints(max_length=40, pattern=NO_NUL)] = ""
    kind: QuestionKind | None = None
    text_fr: Annotated[str, StringConstraints(max_length=QUESTION_MAX, pattern=NO_NUL)] = ""
    text_en: Annotated[str, StringConstraints(max_length=QUESTION_MAX, pattern=NO_NUL)] = ""
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=12)
    theme: ThemeCode = ""


class SurveyQuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    text_fr: str
    text_en: str
    choices: list[str]
    theme: str
    template_code: str


class WaveOut(Schema):
    id: int
    number: int
    opens_on: date
    closes_on: date
    status: str


class VoiceUnitRef(Schema):
    id: int
    name: str


class SurveyOut(Schema):
    id: int
    title: str
    description: str
    status: SurveyStatus
    audience: list[VoiceUnitRef]
    min_group_size: int
    recurrence_days: int
    wave_days: int
    open_wave: WaveOut | None
    answered: bool
    url: str


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]
    waves: list[WaveOut]


class AnswerItemIn(InputSchema):
    """One answer: an integer (Likert 1-5, eNPS 0-10, a choice's index), a list of indexes
    (multiple choice) or a text (free text, optional)."""

    question_id: Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]
    value: (
        Annotated[int, JSON_INTEGER]
        | list[Annotated[int, JSON_INTEGER]]
        | Annotated[str, StringConstraints(max_length=TEXT_ANSWER_MAX, pattern=NO_NUL)]
    )


class ResponseIn(InputSchema):
    """The answers to the survey's open wave, one item per question."""

    answers: list[AnswerItemIn] = Field(max_length=200)


class ResponseOut(Schema):
    """A response is acknowledged, never echoed: nothing here can be tied to the answers."""

    survey_id: int
    wave: int
    answered: bool


class QuestionStatsOut(Schema):
    question_id: int
    kind: str
    text: str
    labels: list[str]
    counts: list[int]
    mean: float | None
    favourable_percent: float | None
    promoters: int
    passives: int
    detractors: int
    enps: float | None
    texts: list[str] | None


class GroupOut(Schema):
    unit: VoiceUnitRef | None
    respondents: int
    questions: list[QuestionStatsOut]
    free_text_shown: bool


class ResultsOut(Schema):
    survey_id: int
    wave: WaveOut
    min_group_size: int
    group: GroupOut
    subgroups: list[GroupOut]
    some_subgroups_hidden: bool


class TrendPointOut(Schema):
    wave: WaveOut
    shown: bool
    respondents: int | None
    likert_means: dict[str, float | None]
    enps: dict[str, float | None]


class TrendsOut(Schema):
    survey_id: int
    unit: VoiceUnitRef | None
    points: list[TrendPointOut]


class IdeaIn(InputSchema):
    title: Title
    description: Annotated[str, StringConstraints(max_length=IDEA_MAX, pattern=NOT_BLANK)]
    tags: list[Tag] = Field(default_factory=list, max_length=TAGS_MAX)


class VoicePersonRef(Schema):
    id: int
    name: str


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    tags: list[str]
    author: VoicePersonRef
    owner: VoicePersonRef | None
    status: IdeaStatus
    status_reason: str
    vote_count: int
    comment_count: int
    voted: bool
    created_at: datetime
    url: str


class IdeaPageOut(Schema):
    items: list[IdeaOut]
    count: int
    next_offset: int | None


class IdeaCommentIn(InputSchema):
    body: Annotated[str, StringConstraints(max_length=COMMENT_MAX, pattern=NOT_BLANK)]


class IdeaCommentOut(Schema):
    id: int
    author: VoicePersonRef
    body: str
    created_at: datetime


class IdeaDetailOut(IdeaOut):
    comments: list[IdeaCommentOut]


class IdeaStatusIn(InputSchema):
    status: IdeaStatus
    reason: PlainText = ""


class IdeaOwnerIn(InputSchema):
    owner_id: PersonId


class CommitmentIn(InputSchema):
    title: Title
    description: Annotated[str, StringConstraints(max_length=IDEA_MAX, pattern=NO_NUL)] = ""
    theme: ThemeCode = ""
    owner_id: PersonId | None = None
    due_on: date | None = None


class CommitmentUpdateIn(InputSchema):
    text: Annotated[str, StringConstraints(max_length=COMMENT_MAX, pattern=NOT_BLANK)]
    progress: Annotated[int, Field(ge=0, le=100), JSON_INTEGER]
    status: CommitmentStatus | None = None


class CommitmentUpdateOut(Schema):
    id: int
    author: VoicePersonRef
    text: str
    progress: int
    status: CommitmentStatus
    created_at: datetime


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    theme: str
    owner: VoicePersonRef
    status: CommitmentStatus
    progress: int
    due_on: date | None
    theme_favourable_percent: float | None
    url: str


class CommitmentDetailOut(CommitmentOut):
    updates: list[CommitmentUpdateOut]
