"""API schemas of the opportunities marketplace: one input or output type per operation."""

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool, StringConstraints
from pydantic_core import PydanticCustomError

from vivier.core.api import JSON_INTEGER, NO_NUL, InputSchema
from vivier.opportunities.models import Application, Opportunity
from vivier.opportunities.services import (
    DESCRIPTION_MAX_LENGTH,
    MAX_SKILLS,
    MESSAGE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from vivier.social.schemas import NOT_BLANK, Id

OpportunityTitle = Annotated[str, StringConstraints(max_length=TITLE_MAX_LENGTH, pattern=NOT_BLANK)]
OpportunityDescription = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH, pattern=NOT_BLANK)
]
ApplicationMessage = Annotated[
    str, StringConstraints(max_length=MESSAGE_MAX_LENGTH, pattern=NOT_BLANK)
]
Reason = Annotated[str, StringConstraints(max_length=REASON_MAX_LENGTH, pattern=NO_NUL)]
SkillName = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=NOT_BLANK)]
Level = Annotated[int, Field(ge=1, le=4), JSON_INTEGER]
Percent = Annotated[int, Field(ge=1, le=100), JSON_INTEGER]


ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _json_date(value: Any) -> Any:
    """A date as JSON Schema's `format: date` reads it: a "YYYY-MM-DD" string, never a number."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")
    return value


JsonDate = Annotated[date, BeforeValidator(_json_date)]


# Named enums: ninja names a component after the enum class.
class OpportunityKind(StrEnum):
    PROJECT = Opportunity.Kind.PROJECT.value
    GIG = Opportunity.Kind.GIG.value
    JOB = Opportunity.Kind.JOB.value
    SHADOWING = Opportunity.Kind.SHADOWING.value


class OpportunityStatus(StrEnum):
    DRAFT = Opportunity.Status.DRAFT.value
    OPEN = Opportunity.Status.OPEN.value
    FILLED = Opportunity.Status.FILLED.value
    CLOSED = Opportunity.Status.CLOSED.value


class OpportunityVisibility(StrEnum):
    EVERYONE = Opportunity.Visibility.EVERYONE.value
    UNITS = Opportunity.Visibility.UNITS.value


class OpportunityAction(StrEnum):
    PUBLISH = "publish"
    FILL = "fill"
    REOPEN = "reopen"
    CLOSE = "close"


class ApplicationStatus(StrEnum):
    SUBMITTED = Application.Status.SUBMITTED.value
    SHORTLISTED = Application.Status.SHORTLISTED.value
    AWAITING_MANAGER = Application.Status.AWAITING_MANAGER.value
    ACCEPTED = Application.Status.ACCEPTED.value
    DECLINED = Application.Status.DECLINED.value
    WITHDRAWN = Application.Status.WITHDRAWN.value


class ApplicationAction(StrEnum):
    SHORTLIST = "shortlist"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REFUSE = "refuse"


class SkillNeedIn(InputSchema):
    """A skill asked for: its slug, label or alias, the level wanted, required or nice to have."""

    skill: SkillName
    level: Level = 2
    required: StrictBool = True


class OpportunityIn(InputSchema):
    """An opportunity as its owner writes it."""

    kind: OpportunityKind
    title: OpportunityTitle
    description: OpportunityDescription
    time_share_percent: Percent
    start_date: JsonDate
    end_date: JsonDate | None = None
    strategic: StrictBool = False
    location_id: Id | None = None
    remote: StrictBool = False
    team_id: Id | None = None
    job_role_id: Id | None = None
    visibility: OpportunityVisibility = OpportunityVisibility.EVERYONE
    visible_unit_ids: list[Id] = Field(default_factory=list, max_length=50)
    skills: list[SkillNeedIn] = Field(default_factory=list, max_length=MAX_SKILLS)


class OpportunityActionIn(InputSchema):
    """A change of an opportunity's status."""

    action: OpportunityAction


class ApplicationIn(InputSchema):
    """An application: a message to the owner."""

    message: ApplicationMessage


class ApplicationActionIn(InputSchema):
    """A decision on an application; `reason` is required to decline or refuse."""

    action: ApplicationAction
    reason: Reason = ""


class MobilityIn(InputSchema):
    """My mobility preferences."""

    open_to_move: StrictBool = False
    suggestible: StrictBool = False
    desired_role_ids: list[Id] = Field(default_factory=list, max_length=20)
    location_ids: list[Id] = Field(default_factory=list, max_length=20)
    interests: list[SkillName] = Field(default_factory=list, max_length=30)


class NamedRef(Schema):
    id: int
    name: str


class SkillRef(Schema):
    id: int
    slug: str
    label: str


class SkillNeedOut(Schema):
    skill_id: int
    slug: str
    label: str
    level: int
    required: bool


class OpportunityOut(Schema):
    """An opportunity."""

    id: int
    kind: OpportunityKind
    strategic: bool
    title: str
    description: str
    description_html: str
    time_share_percent: int
    start_date: date
    end_date: date | None
    location: NamedRef | None
    remote: bool
    owner: NamedRef
    team: NamedRef | None
    job_role: NamedRef | None
    visibility: OpportunityVisibility
    visible_unit_ids: list[int]
    status: OpportunityStatus
    published_at: datetime | None
    skills: list[SkillNeedOut]
    url: str


class OpportunityPageOut(Schema):
    items: list[OpportunityOut]
    count: int


class ReasonOut(Schema):
    code: str
    text: str
    skill_id: int | None


class MissingOut(Schema):
    """A skill the person lacks, with its mentors (`learn_url`) and who knows it (`experts_url`)."""

    skill_id: int
    label: str
    level: int
    has_level: int
    required: bool
    learn_url: str
    experts_url: str


class MatchOut(Schema):
    score: float
    reasons: list[ReasonOut]
    missing: list[MissingOut]


class OpportunityMatchOut(Schema):
    opportunity: OpportunityOut
    match: MatchOut


class SuggestedPersonOut(Schema):
    id: int
    name: str
    title: str
    availability_percent: int
    url: str


class PersonMatchOut(Schema):
    person: SuggestedPersonOut
    match: MatchOut


class ApplicationOut(Schema):
    """An application and its decisions."""

    id: int
    opportunity: NamedRef
    applicant: NamedRef
    message: str
    status: ApplicationStatus
    decision_reason: str
    decided_at: datetime | None
    staffed_percent: int
    created_at: datetime


class MobilityOut(Schema):
    open_to_move: bool
    suggestible: bool
    desired_roles: list[NamedRef]
    locations: list[NamedRef]
    interests: list[SkillRef]


class KindFiguresOut(Schema):
    kind: str
    label: str
    published: int
    filled_inside: int
    filled_outside: int
    fill_rate: float | None
    inside_rate: float | None
    median_days_to_staff: float | None
