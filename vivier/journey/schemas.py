"""API schemas for the adoption journey (names prefixed with Journey: they are API-wide)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints, WithJsonSchema

from vivier.core.api import JSON_INTEGER, MAX_ID, NO_NUL, InputSchema
from vivier.social.schemas import NOT_BLANK

PersonId = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]


class JourneyPeriodOut(Schema):
    stage: str
    start: date
    end: date
    days: int


class JourneyStepOut(Schema):
    title: str
    benefit: str
    url: str


class JourneyTipOut(Schema):
    id: int
    subject: str
    text: str
    url: str


class JourneyMeOut(Schema):
    person_id: int
    stage: str | None
    date: date | None
    periods: list[JourneyPeriodOut]
    next_steps: list[JourneyStepOut]
    tips: list[JourneyTipOut]
    kudos_received: int
    kudos_sent: int
    ambassador: str | None
    opted_out: bool


class JourneyStageCountOut(Schema):
    stage: str
    count: int | None = Field(description="null when masked (fewer than min_group people)")
    share: float | None


class JourneyFunnelOut(Schema):
    date: date | None
    total: int | None
    masked: bool
    min_group: int
    stages: list[JourneyStageCountOut]


class JourneyTransitionRowOut(Schema):
    stage: str
    total: int | None
    cells: list[JourneyStageCountOut]


class JourneyTransitionsOut(Schema):
    from_date: date
    to_date: date
    total: int | None
    masked: bool
    min_group: int
    rows: list[JourneyTransitionRowOut]


class JourneyGroupOut(Schema):
    people: int
    reached: int
    rate: float | None


class JourneyPlaybookOut(Schema):
    id: int
    stage: str
    name: str
    active: bool
    control_percent: int
    actions: list[str]
    nudges_sent: int
    pending: int
    treated: JourneyGroupOut
    control: JourneyGroupOut
    uplift: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str


class JourneyKudosIn(InputSchema):
    person_id: PersonId
    # A blank message is refused by the service, with its own code (400 `kudos_empty`) and a
    # sentence for people, not the schema's 422: the schema declares it all the same.
    message: Annotated[
        str,
        StringConstraints(max_length=280, pattern=NO_NUL),
        WithJsonSchema({"type": "string", "maxLength": 280, "pattern": NOT_BLANK}),
    ]


class JourneyKudosOut(Schema):
    id: int
    sender_id: int
    sender_name: str
    recipient_id: int
    recipient_name: str
    message: str
    created_at: datetime


class JourneyAmbassadorIn(InputSchema):
    accept: StrictBool


class JourneyAmbassadorOut(Schema):
    status: str
    answered_at: datetime | None


class JourneyInvitationIn(InputSchema):
    person_id: PersonId
    kind: Literal["join", "contribute"] = "join"
    message: Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)] = ""


class JourneyInvitationOut(Schema):
    id: int
    invitee_id: int
    kind: str
    created_at: datetime


class JourneyPreferenceIn(InputSchema):
    opted_out: StrictBool


class JourneyPreferenceOut(Schema):
    opted_out: bool


class JourneyTaskOut(Schema):
    id: int
    person_id: int
    person_name: str
    subject: str
    created_at: datetime
