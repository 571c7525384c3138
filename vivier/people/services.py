"""People writes: profiles, photos, declared skills, endorsements, the org chart and taxonomy."""

import json
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.core.markdown import render_markdown
from vivier.core.text import normalize
from vivier.people.models import (
    Endorsement,
    JobRole,
    Location,
    OrgUnit,
    Profile,
    ProfileSkill,
    Skill,
    SkillAlias,
)
from vivier.people.permissions import can_edit_placement, can_edit_profile
from vivier.people.photos import photo_process
from vivier.people.selectors import PERSON_NOT_FOUND, SKILL_NOT_FOUND
from vivier.search import services as search

SKILLS_FILE = Path(__file__).parent / "data" / "skills.json"

PROFILE_EDIT_DENIED = _("You may only edit your own profile.")
PLACEMENT_EDIT_DENIED = _("Only HR administrators change org unit, manager and job role.")
SKILL_NOT_DECLARED = _("This person has not declared this skill.")
LEVEL_INVALID = _("The level must be between 1 (notions) and 4 (expert).")
SELF_ENDORSEMENT = _("You cannot endorse your own skills.")
ALREADY_ENDORSED = _("You have already endorsed this skill.")
NOT_ENDORSED = _("You have not endorsed this skill.")
AVAILABILITY_INVALID = _("Availability is a percentage between 0 and 100.")
LANGUAGE_CODE_INVALID = _("Languages are two-letter codes such as fr or en.")
MANAGER_SELF = _("A person cannot be their own manager.")
MANAGER_CYCLE = _("This manager reports, directly or not, to this person.")
ORG_UNIT_CYCLE = _("A unit cannot be placed under itself or one of its sub-units.")

PROFILE_FIELDS = {
    "title",
    "location",
    "languages",
    "phone",
    "bio",
    "interests",
    "availability_percent",
    "availability_status",
    "availability_note",
}
PLACEMENT_FIELDS = {"org_unit", "manager", "job_role"}
NAME_FIELDS = {"first_name", "last_name"}
MAX_LANGUAGES = 12


def profile_get_or_create(*, user: User) -> Profile:
    """The profile of `user`, created empty the first time."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def _refresh_search_text(profile: Profile) -> None:
    """Store the folded text the directory matches names, e-mail and title against."""
    user = profile.user
    profile.search_text = normalize(
        f"{user.first_name} {user.last_name} {user.email} {profile.title}"
    )[:600]
    profile.languages_text = "," + ",".join(profile.languages) + "," if profile.languages else ""


def _check_manager(*, person: User, manager: User | None) -> None:
    """Refuse a manager chain that loops back to `person`."""
    if manager is None:
        return
    if manager.pk == person.pk:
        raise ApplicationError("manager_self", MANAGER_SELF, field="manager")
    seen = {person.pk}
    current: int | None = manager.pk
    while current is not None:
        if current in seen:
            raise ApplicationError("manager_cycle", MANAGER_CYCLE, field="manager")
        seen.add(current)
        current = (
            Profile.objects.filter(user_id=current).values_list("manager_id", flat=True).first()
        )


def _clean_languages(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",")]
    if not isinstance(value, list | tuple):
        raise ApplicationError("languages_invalid", LANGUAGE_CODE_INVALID, field="languages")
    codes: list[str] = []
    for item in value:
        code = str(item).strip().lower()
        if not code:
            continue
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ApplicationError("languages_invalid", LANGUAGE_CODE_INVALID, field="languages")
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_LANGUAGES:
        raise ApplicationError("languages_invalid", LANGUAGE_CODE_INVALID, field="languages")
    return codes


@transaction.atomic
def profile_update(*, actor: User, person: User, data: dict[str, Any]) -> Profile:
    """Change `person`'s profile with the fields in `data`, if `actor` may."""
    if not can_edit_profile(actor=actor, person=person):
        raise PermissionDenied("profile_edit_denied", PROFILE_EDIT_DENIED)
    if PLACEMENT_FIELDS & data.keys() and not can_edit_placement(actor=actor, person=person):
        raise PermissionDenied("placement_edit_denied", PLACEMENT_EDIT_DENIED)
    return _profile_apply(actor=actor, person=person, data=data)


@transaction.atomic
def profile_provision(*, actor: User, person: User, data: dict[str, Any]) -> Profile:
    """Apply identity-provider data (SCIM) to `person`; the caller authorised the provisioning."""
    return _profile_apply(actor=actor, person=person, data=data)


def _profile_apply(*, actor: User, person: User, data: dict[str, Any]) -> Profile:
    profile = profile_get_or_create(user=person)
    changed: list[str] = []
    for field in sorted(data.keys() & (PROFILE_FIELDS | PLACEMENT_FIELDS)):
        value = data[field]
        if field == "languages":
            value = _clean_languages(value)
        elif field == "availability_percent":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
                raise ApplicationError("availability_invalid", AVAILABILITY_INVALID, field=field)
        elif field == "availability_status" and value not in Profile.Status.values:
            raise ApplicationError("status_invalid", _("Unknown status."), field=field)
        elif field == "manager":
            _check_manager(person=person, manager=value)
        elif isinstance(value, str):
            value = value.strip()
            max_length = Profile._meta.get_field(field).max_length
            if max_length and len(value) > max_length:
                raise ApplicationError(
                    "field_too_long",
                    _("%(field)s has at most %(max)s characters.")
                    % {"field": Profile._meta.get_field(field).verbose_name, "max": max_length},
                    field=field,
                )
        setattr(profile, field, value)
        changed.append(field)
    names = data.keys() & NAME_FIELDS
    for field in names:
        value = str(data[field] or "").strip()[:150]
        setattr(person, field, value)
    if names:
        person.save(update_fields=sorted(names))
    if "bio" in changed:
        profile.bio_html = render_markdown(profile.bio)
    _refresh_search_text(profile)
    profile.save()
    if changed or names:
        event_record(
            actor=actor,
            verb="update",
            obj=profile,
            target_user=person,
            fields=sorted(changed + list(names)),
        )
        search.index_person(person)
    return profile


@transaction.atomic
def profile_set_photo(*, actor: User, person: User, upload: Any) -> Profile:
    """Replace `person`'s photo with a checked, re-encoded copy of `upload`."""
    if not can_edit_profile(actor=actor, person=person):
        raise PermissionDenied("profile_edit_denied", PROFILE_EDIT_DENIED)
    content = photo_process(upload)
    profile = profile_get_or_create(user=person)
    old = profile.photo.name if profile.photo else None
    profile.photo.save(content.name, content, save=True)
    if old:
        # Remove the old file only once the new one is committed.
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    event_record(actor=actor, verb="update", obj=profile, target_user=person, fields=["photo"])
    return profile


@transaction.atomic
def profile_remove_photo(*, actor: User, person: User) -> Profile:
    """Remove `person`'s photo."""
    if not can_edit_profile(actor=actor, person=person):
        raise PermissionDenied("profile_edit_denied", PROFILE_EDIT_DENIED)
    profile = profile_get_or_create(user=person)
    if profile.photo:
        name, storage = profile.photo.name, profile.photo.storage
        profile.photo = ""
        profile.save(update_fields=["photo", "updated_at"])
        transaction.on_commit(lambda: storage.delete(name))
    return profile


def _get_skill(skill_id: Any) -> Skill:
    try:
        return Skill.objects.get(pk=int(skill_id))
    except (Skill.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("skill_not_found", SKILL_NOT_FOUND) from None


def _get_person(person_id: Any) -> User:
    try:
        return User.objects.get(pk=int(person_id), is_active=True)
    except (User.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("person_not_found", PERSON_NOT_FOUND) from None


@transaction.atomic
def skill_declare(
    *, actor: User, person: User, skill_id: Any, level: Any
) -> tuple[ProfileSkill, bool]:
    """Declare (or re-level) a skill on `person`'s profile; return it and whether it is new."""
    if not can_edit_profile(actor=actor, person=person):
        raise PermissionDenied("profile_edit_denied", PROFILE_EDIT_DENIED)
    skill = _get_skill(skill_id)
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or level not in ProfileSkill.Level.values
    ):
        raise ApplicationError("level_invalid", LEVEL_INVALID, field="level")
    declared, created = ProfileSkill.objects.update_or_create(
        user=person, skill=skill, defaults={"level": level}
    )
    event_record(
        actor=actor,
        verb="add" if created else "update",
        obj=declared,
        target_user=person,
        skill_id=skill.pk,
        level=level,
    )
    search.index_person(person)
    return declared, created


@transaction.atomic
def skill_remove(*, actor: User, person: User, skill_id: Any) -> None:
    """Remove a declared skill from `person`'s profile, with the endorsements it had."""
    if not can_edit_profile(actor=actor, person=person):
        raise PermissionDenied("profile_edit_denied", PROFILE_EDIT_DENIED)
    skill = _get_skill(skill_id)
    deleted, _detail = ProfileSkill.objects.filter(user=person, skill=skill).delete()
    if not deleted:
        raise NotFound("skill_not_declared", SKILL_NOT_DECLARED)
    Endorsement.objects.filter(endorsee=person, skill=skill).delete()
    event_record(
        actor=actor,
        verb="remove",
        object_type="people.profileskill",
        target_user=person,
        skill_id=skill.pk,
    )
    search.index_person(person)


@transaction.atomic
def endorsement_create(*, actor: User, person_id: Any, skill_id: Any) -> Endorsement:
    """Record that `actor` vouches for a skill the person declared."""
    person = _get_person(person_id)
    skill = _get_skill(skill_id)
    if person.pk == actor.pk:
        raise ApplicationError("self_endorsement", SELF_ENDORSEMENT, status=400)
    if not ProfileSkill.objects.filter(user=person, skill=skill).exists():
        raise NotFound("skill_not_declared", SKILL_NOT_DECLARED)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(endorser=actor, endorsee=person, skill=skill)
    except IntegrityError:
        raise Conflict("already_endorsed", ALREADY_ENDORSED) from None
    event_record(
        actor=actor, verb="endorse", obj=endorsement, target_user=person, skill_id=skill.pk
    )
    return endorsement


@transaction.atomic
def endorsement_delete(*, actor: User, person_id: Any, skill_id: Any) -> None:
    """Withdraw `actor`'s endorsement of the person's skill."""
    person = _get_person(person_id)
    skill = _get_skill(skill_id)
    deleted, _detail = Endorsement.objects.filter(
        endorser=actor, endorsee=person, skill=skill
    ).delete()
    if not deleted:
        raise NotFound("not_endorsed", NOT_ENDORSED)
    event_record(
        actor=actor,
        verb="undo",
        object_type="people.endorsement",
        target_user=person,
        skill_id=skill.pk,
    )


@transaction.atomic
def org_unit_save(*, actor: User | None, unit: OrgUnit) -> OrgUnit:
    """Save `unit` and recompute the materialised paths of it and its subtree."""
    if actor is not None and not is_hr_admin(actor):
        raise PermissionDenied("org_edit_denied", PLACEMENT_EDIT_DENIED)
    parent = unit.parent
    if parent is not None and unit.pk is not None and f"/{unit.pk}/" in parent.path:
        raise ApplicationError("org_unit_cycle", ORG_UNIT_CYCLE, field="parent")
    old_path = unit.path if unit.pk else None
    unit.save()
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    depth = new_path.count("/") - 2
    if new_path != unit.path or depth != unit.depth:
        unit.path, unit.depth = new_path, depth
        unit.save(update_fields=["path", "depth"])
        if old_path and old_path != "/":
            for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                child.path = new_path + child.path[len(old_path) :]
                child.depth = child.path.count("/") - 2
                child.save(update_fields=["path", "depth"])
    return unit


def _alias_rows(skill: Skill, aliases: list[str]) -> list[SkillAlias]:
    seen: set[str] = set()
    rows: list[SkillAlias] = []
    for text, is_label in [(skill.label_fr, True), (skill.label_en, True)] + [
        (a, False) for a in aliases
    ]:
        folded = normalize(text)
        if folded and folded not in seen:
            seen.add(folded)
            rows.append(
                SkillAlias(skill=skill, text=text, normalized=folded[:120], is_label=is_label)
            )
    return rows


@transaction.atomic
def skill_taxonomy_load(*, path: Path = SKILLS_FILE) -> dict[str, int]:
    """Create or update the taxonomy from a JSON file; return counts of created and updated."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    existing = {s.slug: s for s in Skill.objects.all()}
    created = updated = 0
    by_slug: dict[str, Skill] = dict(existing)
    aliases: list[SkillAlias] = []
    for entry in entries:
        parent = by_slug.get(entry["parent"]) if entry.get("parent") else None
        values = {
            "label_fr": entry["label_fr"],
            "label_en": entry["label_en"],
            "kind": entry["kind"],
            "parent": parent,
        }
        skill = existing.get(entry["slug"])
        if skill is None:
            skill = Skill.objects.create(slug=entry["slug"], **values)
            created += 1
        elif any(getattr(skill, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(skill, key, value)
            skill.save()
            updated += 1
        by_slug[skill.slug] = skill
        aliases += _alias_rows(skill, entry.get("aliases", []))
    # Aliases are derived from the file: replace them wholesale, in two statements.
    SkillAlias.objects.filter(skill__slug__in=[e["slug"] for e in entries]).delete()
    SkillAlias.objects.bulk_create(aliases, batch_size=1000)
    return {"created": created, "updated": updated, "total": len(entries)}


def location_get_or_create(*, name: str, city: str = "", country: str = "FR") -> Location:
    """The location named `name`, created when missing."""
    location, _created = Location.objects.get_or_create(
        name=name, defaults={"city": city or name, "country": country}
    )
    return location


def job_role_set_skills(*, role: JobRole, slugs: list[str]) -> None:
    """Set the key skills of a job role from taxonomy slugs (unknown slugs are ignored)."""
    role.skills.set(Skill.objects.filter(slug__in=slugs))


@transaction.atomic
def person_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    language: str = "fr",
    **profile_fields: Any,
) -> User:
    """Create an account with its profile."""
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    profile = Profile(user=user, **profile_fields)
    if profile.bio:
        profile.bio_html = render_markdown(profile.bio)
    _refresh_search_text(profile)
    profile.save()
    search.index_person(user)
    return user
