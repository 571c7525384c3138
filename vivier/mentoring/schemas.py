"""API schemas for mentoring: one input or output type per operation."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from vivier.core.api import JSON_INTEGER, NO_NUL, InputSchema
from vivier.mentoring.models import MAX_CAPACITY, Format, Mentorship, Programme
from vivier.mentoring.services import MAX_GOALS, MAX_SKILLS
from vivier.people.schemas import Id
from vivier.social.schemas import NOT_BLANK

SkillSlug = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[-a-z0-9_]+$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Level = Annotated[int, Field(ge=1, le=4), JSON_INTEGER]
Text = Annotated[str, StringConstraints(max_length=3000, pattern=NO_NUL)]
ShortNote = Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)]
RequiredText = Annotated[str, StringConstraints(max_length=3000, pattern=NOT_BLANK)]


class MentoringFormat(StrEnum):
    IN_PERSON = Format.IN_PERSON.value
    REMOTE = Format.REMOTE.value


class MentorshipStatus(StrEnum):
    REQUESTED = Mentorship.Status.REQUESTED.value
    PROPOSED = Mentorship.Status.PROPOSED.value
    ACTIVE = Mentorship.Status.ACTIVE.value
    DECLINED = Mentorship.Status.DECLINED.value
    ENDED = Mentorship.Status.ENDED.value


class ProgrammeStatus(StrEnum):
    OPEN = Programme.Status.OPEN.value
    ASSIGNED = Programme.Status.ASSIGNED.value
    PUBLISHED = Programme.Status.PUBLISHED.value
    CLOSED = Programme.Status.CLOSED.value


class MentoringPersonOut(Schema):
    id: int
    name: str
    title: str
    url: str


class MentoringSkillOut(Schema):
    slug: str
    label: str


class MentorOfferIn(InputSchema):
    """My mentor offer: skills I declared on my profile, how many mentees, how and in what."""

    model_config = ConfigDict(extra="forbid")

    skills: Annotated[list[SkillSlug], Field(min_length=1, max_length=MAX_SKILLS)]
    capacity: Annotated[int, Field(ge=1, le=MAX_CAPACITY), JSON_INTEGER]
    formats: Annotated[list[MentoringFormat], Field(max_length=2)] = []
    languages: Annotated[list[LanguageCode], Field(max_length=5)] = []
    reverse: bool = False
    active: bool = True
    note: ShortNote = ""


class MentorOfferOut(Schema):
    skills: list[MentoringSkillOut]
    capacity: int
    capacity_left: int
    formats: list[str]
    languages: list[str]
    reverse: bool
    active: bool
    note: str


class GoalIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    skill: SkillSlug
    target_level: Level


class MenteeRequestIn(InputSchema):
    """What I seek: goals (a skill and the level I aim for) and preferences."""

    model_config = ConfigDict(extra="forbid")

    goals: Annotated[list[GoalIn], Field(min_length=1, max_length=MAX_GOALS)]
    formats: Annotated[list[MentoringFormat], Field(max_length=2)] = []
    languages: Annotated[list[LanguageCode], Field(max_length=5)] = []
    reverse: bool = False
    prefer_other_department: bool = True
    active: bool = True
    note: ShortNote = ""


class GoalOut(Schema):
    skill: MentoringSkillOut
    target_level: int


class MenteeRequestOut(Schema):
    goals: list[GoalOut]
    formats: list[str]
    languages: list[str]
    reverse: bool
    prefer_other_department: bool
    active: bool
    note: str


class MatchReasonOut(Schema):
    """A reason for (or a gap against) a pairing: a stable code and its sentence."""

    code: str
    text: str


class SuggestionOut(Schema):
    mentor: MentoringPersonOut
    score: float
    reverse: bool
    reasons: list[MatchReasonOut]
    gaps: list[MatchReasonOut]


class AvailableMentorOut(Schema):
    mentor: MentoringPersonOut
    level: int
    capacity_left: int
    reverse: bool


class MentorsForSkillOut(Schema):
    skill: MentoringSkillOut
    mentors: list[AvailableMentorOut]


class MentorshipRequestIn(InputSchema):
    """Ask this person to be my mentor."""

    model_config = ConfigDict(extra="forbid")

    mentor_id: Id
    message: Annotated[str, StringConstraints(max_length=1000, pattern=NO_NUL)] = ""


class MentorshipOut(Schema):
    id: int
    mentor: MentoringPersonOut
    mentee: MentoringPersonOut
    status: MentorshipStatus
    reverse: bool
    programme_id: int | None
    score: float
    reasons: list[MatchReasonOut]
    gaps: list[MatchReasonOut]
    message: str
    goals: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    url: str


class SessionOut(Schema):
    id: int
    author_id: int
    held_on: date
    duration_minutes: int
    summary: str


class NoteOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: datetime


class FeedbackOut(Schema):
    id: int
    author_id: int
    rating: int
    comment: str


class MentorshipDetailOut(MentorshipOut):
    sessions: list[SessionOut]
    notes: list[NoteOut] | None = Field(
        description="Private to the pair: null for anyone else (HR included)."
    )
    feedback: list[FeedbackOut]


class MentorshipGoalsIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    goals: Text


class SessionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    held_on: date
    duration_minutes: Annotated[int, Field(ge=5, le=600), JSON_INTEGER] = 60
    summary: Text = ""


class NoteIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    body: RequiredText


class FeedbackIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    rating: Annotated[int, Field(ge=1, le=5), JSON_INTEGER]
    comment: Text = ""


class ProgrammeIn(InputSchema):
    """A cohort programme and its participants (people with an active offer or request)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(max_length=160, pattern=NOT_BLANK)]
    description: Annotated[str, StringConstraints(max_length=5000, pattern=NO_NUL)] = ""
    reverse: bool = False
    mentor_ids: Annotated[list[Id], Field(min_length=1, max_length=5000)]
    mentee_ids: Annotated[list[Id], Field(min_length=1, max_length=20000)]


class ProgrammeStatsOut(Schema):
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


class ProgrammeOut(Schema):
    id: int
    name: str
    description: str
    reverse: bool
    status: ProgrammeStatus
    created_at: datetime
    url: str


class UnmatchedOut(Schema):
    mentee: MentoringPersonOut
    code: str
    reason: str


class PairOut(Schema):
    id: int
    mentor: MentoringPersonOut
    mentee: MentoringPersonOut
    status: MentorshipStatus
    reverse: bool
    score: float
    reasons: list[MatchReasonOut]
    gaps: list[MatchReasonOut]


class ProgrammeDetailOut(ProgrammeOut):
    stats: ProgrammeStatsOut
    pairs: list[PairOut]
    unmatched: list[UnmatchedOut] | None = Field(description="For HR only; null for others.")


class AdjustIn(InputSchema):
    """Move a mentee to another mentor of the programme, or leave them unmatched (null)."""

    model_config = ConfigDict(extra="forbid")

    mentor_id: Id | None
