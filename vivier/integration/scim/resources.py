"""The SCIM resources Vivier serves: the core User and Group schemas cut to what Vivier stores.

Only attributes that map to a real field are declared, so that the published /Schemas say
exactly what a client can write and read back (docs/integration.md has the mapping).
"""

from typing import Annotated, ClassVar, Union

from pydantic import Field
from scim2_models import (
    URN,
    CaseExact,
    ComplexAttribute,
    ExtensibleStringEnum,
    Extension,
    Mutability,
    Reference,
    Required,
    Resource,
    Returned,
    Uniqueness,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class Name(ComplexAttribute):
    """First and last name."""

    family_name: str | None = None
    given_name: str | None = None


class Email(ComplexAttribute):
    """The one e-mail address Vivier keeps (the primary one when several are sent)."""

    class Type(ExtensibleStringEnum):
        work = "work"
        home = "home"
        other = "other"

    # A plain string: Django validates addresses (pydantic refuses reserved domains like .test).
    value: Annotated[str | None, Required.true] = None
    type: Type | None = Field(None, examples=["work", "home", "other"])
    primary: bool | None = None


class GroupMembership(ComplexAttribute):
    """A group the person belongs to (read-only: change membership on the group)."""

    value: Annotated[str | None, Mutability.read_only] = None
    ref: Annotated[
        Reference[Union["User", "Group"]] | None,
        Mutability.read_only,
    ] = Field(None, serialization_alias="$ref", validation_alias="$ref")
    display: Annotated[str | None, Mutability.read_only] = None


class Manager(ComplexAttribute):
    """The person's manager, by SCIM id."""

    # Optional sub-attributes as in RFC 7643 §8.7.1: Entra ID sends only `value`.
    value: Annotated[str | None, CaseExact.true] = None
    ref: Reference["User"] | None = Field(None, serialization_alias="$ref", validation_alias="$ref")


class EnterpriseUser(Extension):
    """The enterprise extension: department is the org unit, manager the reporting line."""

    __schema__ = URN(ENTERPRISE_SCHEMA)

    department: str | None = None
    manager: Manager | None = None


class User(Resource[EnterpriseUser]):
    """A person."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Name | None = None
    Name: ClassVar[type[ComplexAttribute]] = Name
    display_name: Annotated[str | None, Mutability.read_only] = None
    title: str | None = None
    # Required here because an account is always active or not: removing it means nothing.
    active: Annotated[bool | None, Required.true] = None
    emails: Annotated[list[Email] | None, Required.true] = None
    Emails: ClassVar[type[ComplexAttribute]] = Email
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None
    Groups: ClassVar[type[ComplexAttribute]] = GroupMembership


class GroupMember(ComplexAttribute):
    """A member of a group: a person, by SCIM id."""

    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    display: Annotated[str | None, Mutability.read_only, Returned.never] = None


class Group(Resource):
    """A role (hr_admin, it_admin) or an org unit."""

    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None
    Members: ClassVar[type[ComplexAttribute]] = GroupMember
