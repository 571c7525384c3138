"""API schemas for the expert programme (names prefixed: components are global)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from vivier.core.api import JSON_INTEGER, InputSchema
from vivier.programme.models import Award, Event, Level, Nomination, SkillPath, TimeEntry
from vivier.social.schemas import NOT_BLANK, Id

Required = Annotated[str, StringConstraints(max_length=3000, pattern=NOT_BLANK)]
Optional = Annotated[str, StringConstraints(max_length=3000, pattern=r"^[^\x00]*$")]


def _json_text_only(value):
    # pydantic reads 0 as 1970-01-01: dates and times must be written as ISO text in JSON.
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be an ISO 8601 string")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_json_text_only)]
IsoDate = Annotated[date, BeforeValidator(_json_text_only)]
# A JSON number of hours (never a string), more than 0 and at most 24.
Hours = Annotated[float, Strict(), Field(gt=0, le=24, allow_inf_nan=False)]

ProgrammeLevel = StrEnum("ProgrammeLevel", {v.upper(): v for v in Level.values})
NominationState = StrEnum("NominationState", {v.upper(): v for v in Nomination.State.values})
NominationKind = StrEnum("NominationKind", {v.upper(): v for v in Nomination.Kind.values})
ManagerOpinion = StrEnum("ManagerOpinion", {v.upper(): v for v in Nomination.Opinion.values})
AwardState = StrEnum("AwardState", {v.upper(): v for v in Award.State.values})
TimeKind = StrEnum("TimeKind", {v.upper(): v for v in TimeEntry.Kind.values})
ProgrammeEventKind = StrEnum("ProgrammeEventKind", {v.upper(): v for v in Event.Kind.values})
PathAxis = StrEnum("PathAxis", {v.upper(): v for v in SkillPath.Axis.values})
DecisionKind = StrEnum("DecisionKind", {"AWARD": "award", "DECLINE": "decline", "DEFER": "defer"})


class ProgrammePersonOut(Schema):
    id: int
    name: str
    url: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: int


class CriterionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(max_length=120, pattern=NOT_BLANK)]
    weight: Annotated[int, Field(ge=1, le=10), JSON_INTEGER] = 1


class ProgrammeDomainOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    quorum: int
    label_years: int
    skill_ids: list[int]
    community_id: int | None
    criteria: list[CriterionOut]
    committee: list[ProgrammePersonOut]


class ProgrammeDomainIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(max_length=120, pattern=NOT_BLANK)]
    description: Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")] = ""
    skill_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    committee_ids: Annotated[list[Id], Field(max_length=50)] = []
    quorum: Annotated[int, Field(ge=1, le=20), JSON_INTEGER] = 2
    label_years: Annotated[int, Field(ge=1, le=10), JSON_INTEGER] = 3
    community_id: Id | None = None
    criteria: Annotated[list[CriterionIn], Field(min_length=1, max_length=20)]


class NominationIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    domain_id: Id
    candidate_id: Id | None = Field(None, description="Empty: apply yourself")
    level: ProgrammeLevel = ProgrammeLevel.EXPERT
    motivation: Annotated[str, StringConstraints(max_length=5000, pattern=NOT_BLANK)]


class NominationEvidenceOut(Schema):
    id: int
    kind: str
    title: str
    detail: str
    url: str


class ScoreLineOut(Schema):
    criterion_id: int
    value: int


class ProgrammeReviewOut(Schema):
    reviewer: ProgrammePersonOut
    comment: str
    scores: list[ScoreLineOut]
    weighted: float | None
    created_at: datetime


class ProgrammeTransitionOut(Schema):
    actor_id: int | None
    from_state: str
    to_state: str
    reason: str
    at: datetime


class NominationOut(Schema):
    id: int
    domain_id: int
    domain: str
    candidate: ProgrammePersonOut
    nominated_by_id: int | None
    kind: NominationKind
    level: ProgrammeLevel
    state: NominationState
    motivation: str
    manager_id: int | None
    manager_opinion: str
    manager_comment: str
    decision_reason: str
    decided_at: datetime | None
    created_at: datetime
    url: str


class NominationDetailOut(NominationOut):
    evidence: list[NominationEvidenceOut]
    history: list[ProgrammeTransitionOut]
    review_count: int
    reviews: list[ProgrammeReviewOut] | None = Field(
        description="Scores: only for the committee and HR; null for anyone else"
    )
    average: float | None


class OpinionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    opinion: ManagerOpinion
    comment: Optional = ""


class ScoreIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    criterion_id: Id
    value: Annotated[int, Field(ge=0, le=5), JSON_INTEGER]


class ProgrammeReviewIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    scores: Annotated[list[ScoreIn], Field(min_length=1, max_length=20)]
    comment: Optional = ""


class DecisionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    decision: DecisionKind
    reason: Required
    level: ProgrammeLevel | None = None


class ProgrammeReasonIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    reason: Optional = ""


class RequiredReasonIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    reason: Required


class NominationEvidenceIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, StringConstraints(max_length=300, pattern=NOT_BLANK)]
    detail: Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")] = ""
    url: Annotated[
        str, StringConstraints(max_length=500, pattern=r"^(|/[^\x00]*|https://[^\x00]*)$")
    ] = ""


class ProgrammeAwardOut(Schema):
    id: int
    person: ProgrammePersonOut
    domain_id: int
    domain: str
    level: ProgrammeLevel
    state: AwardState
    granted_at: datetime
    expires_at: datetime


class TimeEntryIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: TimeKind
    day: IsoDate
    hours: Hours
    note: Annotated[str, StringConstraints(max_length=300, pattern=r"^[^\x00]*$")] = ""


class BudgetIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    percent: Annotated[int, Field(ge=0, le=100), JSON_INTEGER]


class TimeEntryOut(Schema):
    id: int
    kind: TimeKind
    day: date
    hours: float
    note: str


class TimeKindTotalOut(Schema):
    kind: str
    hours: float


class BudgetOut(Schema):
    year: int
    percent: int
    budget_hours: float
    used_hours: float
    used_percent: int
    by_kind: list[TimeKindTotalOut]
    entries: list[TimeEntryOut]


class ProgrammeEventOut(Schema):
    id: int
    community_id: int
    kind: ProgrammeEventKind
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    registered: int
    url: str
    ics_url: str


class ProgrammeEventIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    community_id: Id
    kind: ProgrammeEventKind
    title: Annotated[str, StringConstraints(max_length=200, pattern=NOT_BLANK)]
    description: Annotated[str, StringConstraints(max_length=4000, pattern=r"^[^\x00]*$")] = ""
    place: Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")] = ""
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    capacity: Annotated[int, Field(ge=1, le=10_000), JSON_INTEGER] = 30


class PathStepOut(Schema):
    id: int
    title: str
    done: bool
    validated: bool


class PathOut(Schema):
    id: int
    name: str
    axis: PathAxis
    description: str
    steps: list[PathStepOut]


class EnrolIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    mentor_id: Id


class EnrolmentOut(Schema):
    id: int
    path_id: int
    user_id: int
    mentor_id: int
    percent: int
    steps: list[PathStepOut]


class ProgrammeCountOut(Schema):
    label: str
    count: int


class HrDashboardOut(Schema):
    experts_per_domain: list[ProgrammeCountOut]
    nominations_by_state: list[ProgrammeCountOut]
    renewals_due: list[ProgrammeAwardOut]
    left: list[ProgrammeAwardOut]
