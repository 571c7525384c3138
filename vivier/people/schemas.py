"""API schemas for people: one input or output type per operation."""

from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from vivier.core.api import JSON_INTEGER, MAX_ID, NO_NUL, InputSchema
from vivier.people.models import Profile

Id = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]
# Texts refuse NUL, which PostgreSQL cannot store: a 422, not a 500.
Name = Annotated[str, StringConstraints(max_length=150, pattern=NO_NUL)]
ShortText = Annotated[str, StringConstraints(max_length=160, pattern=NO_NUL)]
StatusNote = Annotated[str, StringConstraints(max_length=140, pattern=NO_NUL)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]


class OrgUnitRef(Schema):
    id: int
    name: str
    code: str


class LocationRef(Schema):
    id: int
    name: str


class JobRoleRef(Schema):
    id: int
    code: str
    title: str
    track: str


class PersonRef(Schema):
    id: int
    name: str


class OrgUnitOut(Schema):
    id: int
    name: str
    code: str
    parent_id: int | None
    depth: int
    manager: PersonRef | None
    member_count: int


class PersonOut(Schema):
    """A person as the directory lists them."""

    id: int
    name: str
    email: str
    title: str
    org_unit: OrgUnitRef | None
    location: LocationRef | None
    availability_percent: int
    availability_status: str
    photo_url: str | None


class PeoplePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class DeclaredSkillOut(Schema):
    skill_id: int
    slug: str
    label: str
    level: int
    level_label: str
    endorsement_count: int
    endorsed_by_me: bool


class PersonDetailOut(PersonOut):
    """A person with everything their profile shows."""

    first_name: str
    last_name: str
    manager: PersonRef | None
    job_role: JobRoleRef | None
    languages: list[str]
    phone: str
    bio: str
    bio_html: str
    interests: str
    availability_note: str
    skills: list[DeclaredSkillOut]


class CompletenessPartOut(Schema):
    key: str
    label: str
    done: bool
    weight: int
    benefit: str


class MeOut(PersonDetailOut):
    """The signed-in person, with their roles, language and profile completeness."""

    roles: list[str]
    language: str
    completeness: int
    completeness_parts: list[CompletenessPartOut]


class ProfilePatchIn(InputSchema):
    """Fields of one's own profile; only those sent are changed."""

    first_name: Name | None = None
    last_name: Name | None = None
    title: ShortText | None = None
    location_id: Id | None = None
    languages: Annotated[list[LanguageCode], Field(max_length=12)] | None = None
    phone: Annotated[str, StringConstraints(max_length=40, pattern=NO_NUL)] | None = None
    bio: Annotated[str, StringConstraints(max_length=5000, pattern=NO_NUL)] | None = None
    interests: Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)] | None = None
    availability_percent: Annotated[int, Field(ge=0, le=100), JSON_INTEGER] | None = None
    availability_status: Profile.Status | None = None
    availability_note: StatusNote | None = None


class SkillOut(Schema):
    id: int
    slug: str
    label: str
    label_fr: str
    label_en: str
    kind: str
    parent_id: int | None
    aliases: list[str]


class SkillPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[SkillOut]


class SkillDeclareIn(InputSchema):
    skill_id: Id
    level: Annotated[int, Field(ge=1, le=4), JSON_INTEGER]


class EndorsementOut(Schema):
    endorser_id: int
    person_id: int
    skill_id: int
    endorsement_count: int
