"""People API: me, the directory, profiles, skills and endorsements."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.accounts.roles import role_names
from vivier.core.api import MAX_ID, NO_NUL, errors
from vivier.core.errors import NotFound
from vivier.people import selectors, services
from vivier.people.models import Endorsement, Location, Profile, ProfileSkill, Skill
from vivier.people.schemas import (
    DeclaredSkillOut,
    EndorsementOut,
    LocationRef,
    MeOut,
    OrgUnitOut,
    PeoplePageOut,
    PersonDetailOut,
    ProfilePatchIn,
    SkillDeclareIn,
    SkillPageOut,
)

router = Router(tags=["people"])

LOCATION_NOT_FOUND = "This location does not exist."


def _photo_url(profile: Profile) -> str | None:
    return reverse("people:photo", args=[profile.user_id]) if profile.photo else None


def person_out(profile: Profile) -> dict[str, Any]:
    """The directory fields of a person."""
    user = profile.user
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "email": user.email,
        "title": profile.title,
        "org_unit": profile.org_unit,
        "location": profile.location,
        "availability_percent": profile.availability_percent,
        "availability_status": profile.availability_status,
        "photo_url": _photo_url(profile),
    }


def person_detail_out(profile: Profile, viewer: Any) -> dict[str, Any]:
    """Every profile field of a person, with their declared skills."""
    user = profile.user
    manager = profile.manager
    return person_out(profile) | {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "manager": {"id": manager.pk, "name": manager.get_full_name()} if manager else None,
        "job_role": profile.job_role,
        "languages": profile.languages,
        "phone": profile.phone,
        "bio": profile.bio,
        "bio_html": profile.bio_html,
        "interests": profile.interests,
        "availability_note": profile.availability_note,
        "skills": [
            {
                "skill_id": s.skill.pk,
                "slug": s.skill.slug,
                "label": s.skill.label,
                "level": s.level,
                "level_label": str(s.level_label),
                "endorsement_count": s.endorsement_count,
                "endorsed_by_me": s.endorsed_by_viewer,
            }
            for s in selectors.person_skills(viewer=viewer, person=user)
        ],
    }


def _me_out(request: HttpRequest) -> dict[str, Any]:
    profile = selectors.person_get(viewer=request.user, person_id=request.user.pk)
    detail = person_detail_out(profile, request.user)
    top = detail["skills"][0]["label"] if detail["skills"] else None
    completeness = selectors.profile_completeness(
        profile=profile, skill_count=len(detail["skills"]), top_skill=top
    )
    return detail | {
        "roles": role_names(request.user),
        "language": request.user.language,
        "completeness": completeness.percent,
        "completeness_parts": [
            {
                "key": p.key,
                "label": str(p.label),
                "done": p.done,
                "weight": p.weight,
                "benefit": str(p.benefit),
            }
            for p in completeness.parts
        ],
    }


@router.get("/me", response={200: MeOut, **errors(401)}, summary="The signed-in person")
def me_get(request: HttpRequest) -> Any:
    return _me_out(request)


@router.patch(
    "/me",
    response={200: MeOut, **errors(400, 401, 403, 404, 422)},
    summary="Change one's own profile",
)
def me_patch(request: HttpRequest, payload: ProfilePatchIn) -> Any:
    data = payload.model_dump(exclude_unset=True)
    if "location_id" in data:
        location_id = data.pop("location_id")
        location = None
        if location_id is not None:
            location = Location.objects.filter(pk=location_id).first()
            if location is None:
                raise NotFound("location_not_found", LOCATION_NOT_FOUND)
        data["location"] = location
    for nullable in (
        "title",
        "phone",
        "bio",
        "interests",
        "availability_note",
        "first_name",
        "last_name",
    ):
        if nullable in data and data[nullable] is None:
            data[nullable] = ""
    if data.get("languages", []) is None:
        data["languages"] = []
    if "availability_percent" in data and data["availability_percent"] is None:
        data.pop("availability_percent")
    if "availability_status" in data and data["availability_status"] is None:
        data.pop("availability_status")
    services.profile_update(actor=request.user, person=request.user, data=data)
    return _me_out(request)


@router.get(
    "/people",
    response={200: PeoplePageOut, **errors(401, 422)},
    summary="The directory: people by name, skill, org unit, location, language",
)
def people_list(
    request: HttpRequest,
    q: str = Query("", max_length=200, pattern=NO_NUL, description="Name, e-mail, title or skill"),
    skill: str = Query(
        "", max_length=200, pattern=NO_NUL, description="Skill id, or any label or alias"
    ),
    org_unit: int | None = Query(
        None, ge=1, le=MAX_ID, description="Org unit id (sub-units included)"
    ),
    location: int | None = Query(None, ge=1, le=MAX_ID, description="Location id"),
    language: str = Query("", pattern=r"^([A-Za-z]{2})?$", description="Two-letter language code"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    profiles = selectors.person_list(
        viewer=request.user,
        q=q,
        skill=skill or None,
        org_unit=org_unit,
        location=location,
        language=language,
    )
    count = profiles.count()
    page = profiles[offset : offset + limit]
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [person_out(p) for p in page],
    }


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **errors(401, 404, 422)},
    summary="One person's profile",
)
def people_get(request: HttpRequest, person_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    profile = selectors.person_get(viewer=request.user, person_id=person_id)
    return person_detail_out(profile, request.user)


@router.get(
    "/skills",
    response={200: SkillPageOut, **errors(401, 422)},
    summary="The skills taxonomy, searchable in French and English",
)
def skills_list(
    request: HttpRequest,
    q: str = Query(
        "", max_length=200, pattern=NO_NUL, description="Any label or alias, accents ignored"
    ),
    kind: Skill.Kind | None = Query(None, description="technical, domain or soft"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    skills = selectors.skill_list(q=q, kind=kind.value if kind else "")
    count = skills.count()
    page = list(skills.prefetch_related("aliases")[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "id": s.pk,
                "slug": s.slug,
                "label": s.label,
                "label_fr": s.label_fr,
                "label_en": s.label_en,
                "kind": s.kind,
                "parent_id": s.parent_id,
                "aliases": [a.text for a in s.aliases.all() if not a.is_label],
            }
            for s in page
        ],
    }


def _declared_out(declared: ProfileSkill) -> dict[str, Any]:
    return {
        "skill_id": declared.skill_id,
        "slug": declared.skill.slug,
        "label": declared.skill.label,
        "level": declared.level,
        "level_label": str(ProfileSkill.Level(declared.level).label),
        "endorsement_count": declared.skill.endorsements.filter(endorsee=declared.user_id).count(),
        "endorsed_by_me": False,
    }


@router.get(
    "/me/skills",
    response={200: list[DeclaredSkillOut], **errors(401)},
    summary="My declared skills",
)
def my_skills_list(request: HttpRequest) -> Any:
    return person_detail_out(
        selectors.person_get(viewer=request.user, person_id=request.user.pk), request.user
    )["skills"]


@router.post(
    "/me/skills",
    response={200: DeclaredSkillOut, 201: DeclaredSkillOut, **errors(400, 401, 403, 404, 422)},
    summary="Declare a skill, or change its level",
)
def my_skills_add(request: HttpRequest, payload: SkillDeclareIn) -> Any:
    declared, created = services.skill_declare(
        actor=request.user, person=request.user, skill_id=payload.skill_id, level=payload.level
    )
    return Status(201 if created else 200, _declared_out(declared))


@router.delete(
    "/me/skills/{skill_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove a declared skill",
)
def my_skills_remove(request: HttpRequest, skill_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    services.skill_remove(actor=request.user, person=request.user, skill_id=skill_id)
    return Status(204, None)


@router.post(
    "/people/{person_id}/skills/{skill_id}/endorsements",
    response={201: EndorsementOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Endorse a colleague's declared skill",
)
def endorsement_add(
    request: HttpRequest,
    person_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    skill_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Any:
    endorsement = services.endorsement_create(
        actor=request.user, person_id=person_id, skill_id=skill_id
    )
    return Status(201, _endorsement_out(endorsement.endorser_id, person_id, skill_id))


@router.delete(
    "/people/{person_id}/skills/{skill_id}/endorsements",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Withdraw one's endorsement",
)
def endorsement_remove(
    request: HttpRequest,
    person_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    skill_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Any:
    services.endorsement_delete(actor=request.user, person_id=person_id, skill_id=skill_id)
    return Status(204, None)


def _endorsement_out(endorser_id: int, person_id: int, skill_id: int) -> dict[str, Any]:
    return {
        "endorser_id": endorser_id,
        "person_id": person_id,
        "skill_id": skill_id,
        "endorsement_count": Endorsement.objects.filter(
            endorsee_id=person_id, skill_id=skill_id
        ).count(),
    }


@router.get(
    "/org-units",
    response={200: list[OrgUnitOut], **errors(401)},
    summary="The org chart, in tree order",
)
def org_units_list(request: HttpRequest) -> Any:
    return [
        {
            "id": u.pk,
            "name": u.name,
            "code": u.code,
            "parent_id": u.parent_id,
            "depth": u.depth,
            "manager": {"id": u.manager.pk, "name": u.manager.get_full_name()}
            if u.manager
            else None,
            "member_count": u.member_count,
        }
        for u in selectors.org_unit_tree()
    ]


@router.get(
    "/locations",
    response={200: list[LocationRef], **errors(401)},
    summary="The sites where people work",
)
def locations_list(request: HttpRequest) -> Any:
    return list(selectors.location_list())
