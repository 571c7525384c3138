"""Inferred skills and the hidden experts report in the JSON API."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Body, Path, Query, Router, Schema
from pydantic import Field

from vivier.audit.decorators import audit_access
from vivier.core.api import JSON_INTEGER, MAX_ID, NO_NUL, InputSchema, errors
from vivier.core.errors import NotFound
from vivier.expertise import selectors_skills, services_skills
from vivier.expertise.models import InferredSkill
from vivier.people.models import OrgUnit, ProfileSkill

router = Router(tags=["skills"])

ORG_UNIT_NOT_FOUND = "This org unit does not exist."

SkillId = Annotated[int, Path(ge=1, le=MAX_ID)]


class SuggestionTextOut(Schema):
    kind: str
    title: str
    url: str
    created_at: datetime


class SkillSuggestionOut(Schema):
    skill_id: int
    slug: str
    label: str
    score: float
    evidence_count: int
    texts: list[SuggestionTextOut]


class SuggestionConfirmIn(InputSchema):
    level: Annotated[int, Field(ge=1, le=4), JSON_INTEGER] = int(ProfileSkill.Level.PRACTICE)


class SuggestionDecisionOut(Schema):
    skill_id: int
    status: str  # confirmed or hidden
    level: int | None


class HiddenExpertPersonOut(Schema):
    id: int
    name: str
    email: str


class HiddenExpertUnitOut(Schema):
    id: int
    name: str


class HiddenExpertSkillOut(Schema):
    id: int
    slug: str
    label: str


class HiddenExpertOut(Schema):
    person: HiddenExpertPersonOut
    org_unit: HiddenExpertUnitOut | None
    skill: HiddenExpertSkillOut
    score: float
    evidence_count: int
    last_evidence_at: datetime | None


class HiddenExpertPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[HiddenExpertOut]


@router.get(
    "/me/skill-suggestions",
    response={200: list[SkillSuggestionOut], **errors(401)},
    summary="Skills my writing shows that I have not declared, with the texts that show them",
)
def suggestions_list(request: HttpRequest) -> Any:
    return [
        {
            "skill_id": s.skill.pk,
            "slug": s.skill.slug,
            "label": s.skill.label,
            "score": s.score,
            "evidence_count": s.evidence_count,
            "texts": [
                {"kind": t.kind, "title": t.title, "url": t.url, "created_at": t.created_at}
                for t in s.texts
            ],
        }
        for s in selectors_skills.skill_suggestions(viewer=request.user)
    ]


def _decision_out(row: InferredSkill) -> dict[str, Any]:
    level = (
        ProfileSkill.objects.filter(user_id=row.user_id, skill_id=row.skill_id)
        .values_list("level", flat=True)
        .first()
    )
    return {"skill_id": row.skill_id, "status": row.status, "level": level}


@router.post(
    "/me/skill-suggestions/{skill_id}/confirm",
    response={200: SuggestionDecisionOut, **errors(400, 401, 404, 409, 422)},
    summary="Add a suggested skill to my profile (level 2, practice, unless given)",
)
def suggestion_confirm(
    request: HttpRequest,
    skill_id: SkillId,
    payload: Annotated[SuggestionConfirmIn | None, Body()] = None,
) -> Any:
    level = payload.level if payload is not None else int(ProfileSkill.Level.PRACTICE)
    row = services_skills.inferred_skill_confirm(actor=request.user, skill_id=skill_id, level=level)
    return _decision_out(row)


@router.post(
    "/me/skill-suggestions/{skill_id}/hide",
    response={200: SuggestionDecisionOut, **errors(401, 404, 409, 422)},
    summary="Hide a suggested skill: no longer proposed to me nor shown to HR",
)
def suggestion_hide(request: HttpRequest, skill_id: SkillId) -> Any:
    row = services_skills.inferred_skill_hide(actor=request.user, skill_id=skill_id)
    return _decision_out(row)


@router.get(
    "/reports/hidden-experts",
    response={200: HiddenExpertPageOut, **errors(401, 403, 404, 422)},
    summary="HR: people whose writing shows a skill they have not declared and no label for",
)
@audit_access("hr.hidden_experts.view")
def hidden_experts_report(
    request: HttpRequest,
    skill: str = Query(
        "", max_length=120, pattern=NO_NUL, description="Any label or alias, accents ignored"
    ),
    org_unit: int | None = Query(
        None, ge=1, le=MAX_ID, description="Org unit id (sub-units included)"
    ),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    unit = None
    if org_unit is not None:
        # The permission comes first: an employee learns nothing, not even which units exist.
        selectors_skills.hidden_experts(viewer=request.user)
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        if unit is None:
            raise NotFound("org_unit_not_found", ORG_UNIT_NOT_FOUND, field="org_unit")
    rows = selectors_skills.hidden_experts(
        viewer=request.user,
        filters=selectors_skills.HiddenExpertFilters(skill=skill, org_unit=unit),
    )
    count = rows.count()
    page = selectors_skills.hidden_expert_rows(rows[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                "person": {"id": r.user.pk, "name": r.user.get_full_name(), "email": r.user.email},
                "org_unit": {"id": r.org_unit.pk, "name": r.org_unit.name} if r.org_unit else None,
                "skill": {"id": r.skill.pk, "slug": r.skill.slug, "label": r.skill.label},
                "score": round(r.score, 4),
                "evidence_count": r.evidence_count,
                "last_evidence_at": r.last_evidence_at,
            }
            for r in page
        ],
    }
