"""SCIM reads and writes: people and groups as the identity provider sees them.

Every write goes through the people and accounts services (search index, events,
deactivation) and runs in one transaction, so a refused request changes nothing.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, Value
from django.db.models.functions import Concat, Trim
from scim2_models import (
    InvalidValueException,
    Meta,
    MutabilityException,
    NotFoundException,
    UniquenessException,
)

from vivier.accounts.models import Role, User
from vivier.accounts.services import user_deactivate, user_reactivate, user_set_roles
from vivier.core.errors import ApplicationError
from vivier.core.text import normalize
from vivier.integration.models import ScimGroup, ScimIdentity, ScimToken
from vivier.integration.scim.filters import Field
from vivier.integration.scim.resources import (
    ENTERPRISE_SCHEMA,
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    GroupMembership,
    Manager,
    Name,
)
from vivier.integration.scim.resources import (
    User as ScimUser,
)
from vivier.people.models import OrgUnit, Profile
from vivier.people.services import person_create, profile_get_or_create, profile_provision

UserResource = ScimUser[EnterpriseUser]
ROLE_GROUPS = {Role.HR_ADMIN.value, Role.IT_ADMIN.value}
ENT = ENTERPRISE_SCHEMA.lower()

USER_FIELDS = {
    "id": Field("pk", "int"),
    "username": Field("scim_identity__user_name"),
    "externalid": Field("scim_identity__external_id", "exact"),
    "emails": Field("email"),
    "emails.value": Field("email"),
    "emails.type": Field("scim_identity__email_type"),
    "name.givenname": Field("first_name"),
    "name.familyname": Field("last_name"),
    "displayname": Field("scim_display"),
    "title": Field("profile__title"),
    "active": Field("is_active", "boolean"),
    "meta.created": Field("scim_identity__created_at", "datetime"),
    "meta.lastmodified": Field("scim_identity__updated_at", "datetime"),
    f"{ENT}:department": Field("profile__org_unit__name"),
    f"{ENT}:manager": Field("profile__manager_id", "int"),
    f"{ENT}:manager.value": Field("profile__manager_id", "int"),
}
GROUP_FIELDS = {
    "id": Field("pk", "uuid"),
    "displayname": Field("display_name"),
    "externalid": Field("external_id", "exact"),
    "meta.created": Field("created_at", "datetime"),
    "meta.lastmodified": Field("updated_at", "datetime"),
}


@dataclass
class ScimContext:
    """Who is provisioning (the token) and where the resources live (for $ref and location)."""

    token: ScimToken
    base_url: str

    @property
    def actor(self) -> User | None:
        return self.token.created_by


def etag(version: int) -> str:
    """The weak ETag of a resource version."""
    return f'W/"{version}"'


# Reads.


def users_queryset() -> QuerySet[User]:
    """People the identity provider manages (those it created or adopted)."""
    return (
        User.objects.filter(scim_identity__isnull=False)
        .select_related("scim_identity", "profile__org_unit", "profile__manager__scim_identity")
        .prefetch_related("groups")
        .annotate(scim_display=Trim(Concat("first_name", Value(" "), "last_name")))
    )


def groups_queryset() -> QuerySet[ScimGroup]:
    """Groups the identity provider manages."""
    return ScimGroup.objects.select_related("org_unit")


def user_get(user_id: str) -> User:
    """The SCIM-managed person with this id, or NotFound."""
    if not user_id.isdigit() or len(user_id) > 18:
        raise NotFoundException(detail=f"User {user_id} not found.")
    user = users_queryset().filter(pk=int(user_id)).first()
    if user is None:
        raise NotFoundException(detail=f"User {user_id} not found.")
    return user


def group_get(group_id: str) -> ScimGroup:
    """The SCIM group with this id, or NotFound."""
    try:
        pk = uuid.UUID(group_id)
    except ValueError:
        raise NotFoundException(detail=f"Group {group_id} not found.") from None
    group = groups_queryset().filter(pk=pk).first()
    if group is None:
        raise NotFoundException(detail=f"Group {group_id} not found.")
    return group


def _groups_by_user(users: list[User]) -> dict[int, list[ScimGroup]]:
    """The SCIM groups of each person: role groups they hold and their org unit's group."""
    ids = [u.pk for u in users]
    result: dict[int, list[ScimGroup]] = {pk: [] for pk in ids}
    groups = list(ScimGroup.objects.all())
    by_role = {g.role: g for g in groups if g.role}
    by_unit = {g.org_unit_id: g for g in groups if g.org_unit_id}
    for user in users:
        for django_group in user.groups.all():
            if django_group.name in by_role:
                result[user.pk].append(by_role[django_group.name])
        profile = getattr(user, "profile", None)
        if profile is not None and profile.org_unit_id in by_unit:
            result[user.pk].append(by_unit[profile.org_unit_id])
    return result


def user_resources(users: list[User], ctx: ScimContext) -> list[Any]:
    """The SCIM representation of each person."""
    memberships = _groups_by_user(users) if users else {}
    return [_user_resource(user, ctx, memberships.get(user.pk, [])) for user in users]


def _user_resource(user: User, ctx: ScimContext, groups: list[ScimGroup]) -> Any:
    identity = user.scim_identity
    profile = getattr(user, "profile", None)
    base = ctx.base_url
    resource = UserResource(
        id=str(user.pk),
        external_id=identity.external_id or None,
        user_name=identity.user_name,
        name=Name(given_name=user.first_name or None, family_name=user.last_name or None)
        if (user.first_name or user.last_name)
        else None,
        display_name=user.full_name or None,
        title=(profile.title or None) if profile else None,
        active=user.is_active,
        emails=[
            Email(
                value=user.email,
                type=identity.email_type or None,
                primary=identity.email_primary,
            )
        ],
        groups=[
            GroupMembership(value=str(g.pk), ref=f"{base}/Groups/{g.pk}", display=g.display_name)
            for g in groups
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=identity.created_at,
            last_modified=identity.updated_at,
            location=f"{base}/Users/{user.pk}",
            version=etag(identity.version),
        ),
    )
    department = profile.org_unit.name if profile and profile.org_unit_id else None
    manager = profile.manager if profile and profile.manager_id else None
    if manager is not None and not hasattr(manager, "scim_identity"):
        manager = None  # not managed by the identity provider: no SCIM resource to point at
    if department or manager:
        resource[EnterpriseUser] = EnterpriseUser(
            department=department,
            manager=Manager(value=str(manager.pk), ref=f"{base}/Users/{manager.pk}")
            if manager
            else None,
        )
    return resource


def group_members(group: ScimGroup) -> QuerySet[User]:
    """The SCIM-managed people in a group."""
    users = User.objects.filter(scim_identity__isnull=False)
    if group.role:
        return users.filter(groups__name=group.role).order_by("pk")
    return users.filter(profile__org_unit_id=group.org_unit_id).order_by("pk")


def _members_by_group(groups: list[ScimGroup]) -> dict[Any, list[int]]:
    """The SCIM-managed members of each group, in two queries whatever the number of groups."""
    members: dict[Any, list[int]] = {g.pk: [] for g in groups}
    roles = {g.role: g.pk for g in groups if g.role}
    units = {g.org_unit_id: g.pk for g in groups if g.org_unit_id}
    if roles:
        through = User.groups.through.objects.filter(
            group__name__in=roles, user__scim_identity__isnull=False
        )
        for name, user_id in through.values_list("group__name", "user_id").order_by("user_id"):
            members[roles[name]].append(user_id)
    if units:
        profiles = Profile.objects.filter(org_unit_id__in=units, user__scim_identity__isnull=False)
        for unit_id, user_id in profiles.values_list("org_unit_id", "user_id").order_by("user_id"):
            members[units[unit_id]].append(user_id)
    return members


def group_resources(groups: list[ScimGroup], ctx: ScimContext) -> list[Group]:
    """The SCIM representation of each group."""
    base = ctx.base_url
    members = _members_by_group(groups)
    return [
        Group(
            id=str(group.pk),
            external_id=group.external_id or None,
            display_name=group.display_name,
            members=[
                GroupMember(value=str(pk), ref=f"{base}/Users/{pk}") for pk in members[group.pk]
            ]
            or None,
            meta=Meta(
                resource_type="Group",
                created=group.created_at,
                last_modified=group.updated_at,
                location=f"{base}/Groups/{group.pk}",
                version=etag(group.version),
            ),
        )
        for group in groups
    ]


# Writes.


def _text(value: Any, *, max_length: int, label: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if "\x00" in text:
        raise InvalidValueException(detail=f"{label} may not contain NUL characters.")
    if len(text) > max_length:
        raise InvalidValueException(detail=f"{label} has at most {max_length} characters.")
    return text


def _chosen_email(data: Any, user_name: str) -> tuple[str, str, bool | None]:
    """The address to keep (primary, else first; else a userName that is an address), its type
    and its primary flag."""
    emails = [e for e in (data.emails or []) if e.value]
    chosen = next((e for e in emails if e.primary), emails[0] if emails else None)
    if chosen is not None:
        address, primary = str(chosen.value), chosen.primary
        kind = str(getattr(chosen.type, "value", chosen.type) or "")
    else:
        address, kind, primary = user_name, "work", True
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidValueException(
            detail="An e-mail address (emails or userName) is required."
        ) from None
    if len(address) > 254:
        raise InvalidValueException(detail="The e-mail address is too long.")
    return address, kind[:32], primary


def unit_code_for(name: str) -> str:
    """A new unique org unit code made from `name`."""
    base = re.sub(r"[^a-z0-9]+", "-", normalize(name)).strip("-")[:20] or "unit"
    code = base
    while OrgUnit.objects.filter(code=code).exists():
        code = f"{base}-{uuid.uuid4().hex[:6]}"
    return code


def _org_unit_named(name: str) -> OrgUnit:
    """The org unit called `name` (case-insensitive), created at the top when missing."""
    from vivier.people.services import org_unit_save

    unit = OrgUnit.objects.filter(name__iexact=name).order_by("path").first()
    if unit is None:
        unit = org_unit_save(actor=None, unit=OrgUnit(name=name, code=unit_code_for(name)))
    return unit


def _manager(value: Any, user: User | None) -> User | None:
    if value is None or not value.value:
        return None
    manager_id = str(value.value)
    if not manager_id.isdigit():
        raise InvalidValueException(detail=f"Manager {manager_id} is not a known User.")
    manager = User.objects.filter(pk=int(manager_id), scim_identity__isnull=False).first()
    if manager is None:
        raise InvalidValueException(detail=f"Manager {manager_id} is not a known User.")
    return manager


@transaction.atomic
def user_save(*, ctx: ScimContext, data: Any, user: User | None = None) -> User:
    """Create (user None) or replace a person from a validated SCIM User."""
    user_name = _text(data.user_name, max_length=255, label="userName")
    if not user_name:
        raise InvalidValueException(detail="userName is required.")
    email, email_type, email_primary = _chosen_email(data, user_name)
    first_name = _text(
        data.name.given_name if data.name else None, max_length=150, label="name.givenName"
    )
    last_name = _text(
        data.name.family_name if data.name else None, max_length=150, label="name.familyName"
    )
    title = _text(data.title, max_length=160, label="title")
    external_id = _text(data.external_id, max_length=255, label="externalId")
    # A PATCH may add the extension without listing it in `schemas`: read the object itself.
    extension = data[EnterpriseUser]
    department = _text(
        extension.department if extension else None, max_length=200, label="department"
    )

    taken = ScimIdentity.objects.filter(user_name__iexact=user_name)
    if user is not None:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise UniquenessException(detail=f"userName {user_name} is already used.")
    same_email = User.objects.filter(email__iexact=email)
    if user is not None:
        same_email = same_email.exclude(pk=user.pk)
    existing = same_email.select_related("scim_identity").first()
    if existing is not None and (user is not None or hasattr(existing, "scim_identity")):
        raise UniquenessException(detail=f"The e-mail address {email} is already used.")

    if user is None:
        if existing is not None:
            # A person Vivier already knows (HR import, sign-up): the provider takes them over.
            user = existing
        else:
            user = person_create(email=email, first_name=first_name, last_name=last_name)
        identity = ScimIdentity(user=user, user_name=user_name)
    else:
        identity = user.scim_identity
        identity.version += 1
    manager = _manager(extension.manager if extension else None, user)
    if user.email != email:
        User.objects.filter(pk=user.pk).update(email=email)
        user.email = email
    actor = ctx.actor or user
    try:
        profile_provision(
            actor=actor,
            person=user,
            data={
                "first_name": first_name,
                "last_name": last_name,
                "title": title,
                "org_unit": _org_unit_named(department) if department else None,
                "manager": manager,
            },
        )
    except ApplicationError as exc:
        raise InvalidValueException(detail=str(exc.message)) from exc
    identity.user_name = user_name
    identity.external_id = external_id
    identity.email_type = email_type
    identity.email_primary = email_primary
    identity.save()
    active = True if data.active is None else bool(data.active)
    if user.is_active and not active:
        user_deactivate(user=user, actor=ctx.actor)
    elif not user.is_active and active:
        user_reactivate(user=user, actor=ctx.actor)
    return user


@transaction.atomic
def user_delete(*, ctx: ScimContext, user: User) -> None:
    """Deactivate the person (sessions and tokens end, content stays); SCIM forgets them."""
    if user.is_active:
        user_deactivate(user=user, actor=ctx.actor)
    ScimIdentity.objects.filter(user=user).delete()


def _role_of(name: str) -> str:
    return name.lower() if name.lower() in ROLE_GROUPS else ""


def _member_users(data: Any) -> list[User]:
    ids: list[int] = []
    for member in data.members or []:
        value = str(member.value or "")
        if not value.isdigit():
            raise InvalidValueException(detail=f"Member {value} is not a known User.")
        ids.append(int(value))
    users = list(User.objects.filter(pk__in=ids, scim_identity__isnull=False))
    if len(users) != len(set(ids)):
        missing = sorted(set(ids) - {u.pk for u in users})
        raise InvalidValueException(detail=f"Members {missing} are not known Users.")
    return users


def _set_role(user: User, role: str, *, member: bool) -> None:
    current = {
        Role(name) for name in user.groups.values_list("name", flat=True) if name in Role.values
    }
    wanted = current | {Role(role)} if member else current - {Role(role)}
    if wanted != current:
        user_set_roles(user=user, roles=sorted(wanted))


@transaction.atomic
def group_save(*, ctx: ScimContext, data: Any, group: ScimGroup | None = None) -> ScimGroup:
    """Create (group None) or replace a group from a validated SCIM Group."""
    from vivier.people.services import org_unit_save

    name = _text(data.display_name, max_length=200, label="displayName")
    if not name:
        raise InvalidValueException(detail="displayName is required.")
    taken = ScimGroup.objects.filter(display_name__iexact=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise UniquenessException(detail=f"displayName {name} is already used.")
    role = _role_of(name)
    members = _member_users(data)
    if group is None:
        group = ScimGroup(display_name=name, role=role)
        if not role:
            unit = OrgUnit.objects.filter(name__iexact=name, scim_group__isnull=True).first()
            group.org_unit = unit or org_unit_save(
                actor=None, unit=OrgUnit(name=name, code=unit_code_for(name))
            )
    else:
        if role != group.role:
            raise MutabilityException(
                detail="A role group keeps its name, and an org unit group cannot take a role's name."
            )
        group.version += 1
        if group.org_unit_id and group.org_unit.name != name:
            group.org_unit.name = name
            org_unit_save(actor=None, unit=group.org_unit)
    group.display_name = name
    group.external_id = _text(data.external_id, max_length=255, label="externalId")
    group.save()
    before = set(group_members(group).values_list("pk", flat=True))
    after = {u.pk for u in members}
    actor = ctx.actor
    for user in members:
        if user.pk in before:
            continue
        if group.role:
            _set_role(user, group.role, member=True)
        else:
            profile_provision(actor=actor or user, person=user, data={"org_unit": group.org_unit})
    for user in User.objects.filter(pk__in=before - after):
        if group.role:
            _set_role(user, group.role, member=False)
        else:
            profile_provision(actor=actor or user, person=user, data={"org_unit": None})
    return group


@transaction.atomic
def group_delete(*, ctx: ScimContext, group: ScimGroup) -> None:
    """Remove the group: a role is taken from its members; an org unit is emptied, and
    deleted when nothing else refers to it."""
    for user in list(group_members(group)):
        if group.role:
            _set_role(user, group.role, member=False)
        else:
            profile_provision(actor=ctx.actor or user, person=user, data={"org_unit": None})
    unit = group.org_unit
    group.delete()
    if unit is not None and not Profile.objects.filter(org_unit=unit).exists():
        try:
            with transaction.atomic():
                unit.delete()
        except ProtectedError:
            pass  # sub-units or other records keep the unit alive


def ensure_profile(user: User) -> None:
    """Make sure a profile exists (people created outside Vivier's services may lack one)."""
    profile_get_or_create(user=user)
