"""API schemas of the vision map (every name starts with Vision: names are global to the API)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from vivier.core.api import JSON_INTEGER, MAX_ID, NO_NUL, InputSchema

Id = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]
Title = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Text = Annotated[str, Field(max_length=4000, pattern=NO_NUL)]
# A JSON number (never a string, which a Decimal would accept), bounded like the column.
Number = Annotated[float, Field(gt=-1e12, lt=1e12, allow_inf_nan=False), JSON_INTEGER]
LinkKindCode = Literal["post", "question", "opportunity", "idea", "commitment", "community"]


class VisionPersonOut(Schema):
    id: int
    name: str


class VisionStatementOut(Schema):
    title: str
    title_fr: str
    title_en: str
    statement: str
    statement_fr: str
    statement_en: str


class VisionStatementIn(InputSchema):
    title_fr: Title
    title_en: Title = ""
    statement_fr: Text
    statement_en: Text = ""


class VisionAxisIn(InputSchema):
    title_fr: Title
    title_en: Title = ""
    description_fr: Text = ""
    description_en: Text = ""
    position: Annotated[int, Field(ge=0, le=32767), JSON_INTEGER] | None = None


class VisionAxisOut(Schema):
    id: int
    title: str
    title_fr: str
    title_en: str
    description: str
    description_fr: str
    description_en: str
    position: int


class VisionIndicatorOut(Schema):
    id: int
    name: str
    name_fr: str
    name_en: str
    unit: str
    target_value: float
    current_value: float | None
    progress: int | None


class VisionIndicatorIn(InputSchema):
    name_fr: Title
    name_en: Title = ""
    unit: Annotated[str, Field(max_length=24, pattern=NO_NUL)] = ""
    target_value: Number
    current_value: Number | None = None


class VisionIndicatorPatchIn(InputSchema):
    name_fr: Title | None = None
    name_en: Title | None = None
    unit: Annotated[str, Field(max_length=24, pattern=NO_NUL)] | None = None
    target_value: Number | None = None
    current_value: Number | None = None


class VisionObjectiveOut(Schema):
    id: int
    axis_id: int
    parent_id: int | None
    title: str
    title_fr: str
    title_en: str
    description: str
    description_fr: str
    description_en: str
    owner: VisionPersonOut
    period_start: date
    period_end: date
    status: str
    position: int
    indicators: list[VisionIndicatorOut]
    url: str


class VisionObjectiveIn(InputSchema):
    axis_id: Id | None = None
    parent_id: Id | None = None
    title_fr: Title
    title_en: Title = ""
    description_fr: Text = ""
    description_en: Text = ""
    owner_id: Id
    period_start: date
    period_end: date
    position: Annotated[int, Field(ge=0, le=32767), JSON_INTEGER] | None = None


class VisionObjectivePatchIn(InputSchema):
    axis_id: Id | None = None
    parent_id: Id | None = None
    title_fr: Title | None = None
    title_en: Title | None = None
    description_fr: Text | None = None
    description_en: Text | None = None
    owner_id: Id | None = None
    period_start: date | None = None
    period_end: date | None = None
    status: Literal["active", "archived"] | None = None
    position: Annotated[int, Field(ge=0, le=32767), JSON_INTEGER] | None = None


class VisionNodeOut(Schema):
    id: int
    title: str
    status: str
    owner: VisionPersonOut
    actions: int
    people: int
    url: str
    children: list["VisionNodeOut"]


class VisionAxisNodeOut(Schema):
    id: int
    title: str
    description: str
    actions: int
    people: int
    objectives: list[VisionNodeOut]


class VisionPulseOut(Schema):
    survey_id: int
    wave_id: int
    closed_on: date
    group: str
    respondents: int
    mean: float | None
    favourable: float | None


class VisionMapOut(Schema):
    vision: VisionStatementOut | None
    axes: list[VisionAxisNodeOut]
    actions: int
    people: int
    pulse: VisionPulseOut | None


class VisionLinkIn(InputSchema):
    objective_id: Id
    kind: LinkKindCode
    object_id: Id


class VisionLinkedItemOut(Schema):
    link_id: int
    objective_id: int
    kind: str
    label: str
    object_id: int
    title: str
    url: str
    date: datetime
    person: VisionPersonOut | None


class VisionLinkOut(Schema):
    id: int
    objective_id: int
    kind: str
    object_id: int
    created_at: datetime


class VisionSuggestionOut(Schema):
    objective_id: int
    title: str
    axis: str
    score: float
    words: list[str]
    linked: bool
    url: str


class VisionContributionOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    score: float
    reasons: list[str]
    objectives: list[int]


class VisionMyObjectiveOut(Schema):
    objective_id: int
    title: str
    url: str
    items: list[VisionLinkedItemOut]


class VisionMyPartOut(Schema):
    objectives: list[VisionMyObjectiveOut]
    opportunities: list[VisionContributionOut]
    communities: list[VisionContributionOut]


class VisionCoverageRowOut(Schema):
    id: int | None
    label: str
    depth: int
    people: int
    contributors: int
    share: float | None


class VisionCoverageOut(Schema):
    scope: list[int] | None
    total: VisionCoverageRowOut
    objectives: list[VisionCoverageRowOut]
    units: list[VisionCoverageRowOut]
