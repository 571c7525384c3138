"""The opportunities marketplace in the JSON API, under /api/v1/opportunities/."""

from typing import Annotated, Any

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.core.api import MAX_ID, errors
from vivier.core.errors import ApplicationError
from vivier.opportunities import selectors, services
from vivier.opportunities.matching import Match, learn_skill_url, who_knows_url
from vivier.opportunities.models import Application, MobilityPreference, Opportunity
from vivier.opportunities.schemas import (
    ApplicationActionIn,
    ApplicationIn,
    ApplicationOut,
    KindFiguresOut,
    MobilityIn,
    MobilityOut,
    OpportunityActionIn,
    OpportunityIn,
    OpportunityKind,
    OpportunityMatchOut,
    OpportunityOut,
    OpportunityPageOut,
    OpportunityStatus,
    PersonMatchOut,
)
from vivier.people.models import JobRole, Location, OrgUnit

router = Router(tags=["opportunities"])

OpportunityId = Annotated[int, Path(ge=1, le=MAX_ID)]
ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID)]
NOT_FOUND = "%(what)s %(id)s does not exist."


def _ref(obj: Any, name: str | None = None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


def opportunity_out(opportunity: Opportunity) -> dict[str, Any]:
    """The API form of an opportunity (skills and relations prefetched)."""
    return {
        "id": opportunity.pk,
        "kind": opportunity.kind,
        "strategic": opportunity.strategic,
        "title": opportunity.title,
        "description": opportunity.description,
        "description_html": opportunity.description_html,
        "time_share_percent": opportunity.time_share_percent,
        "start_date": opportunity.start_date,
        "end_date": opportunity.end_date,
        "location": _ref(opportunity.location),
        "remote": opportunity.remote,
        "owner": _ref(opportunity.owner, opportunity.owner.get_full_name()),
        "team": _ref(opportunity.team),
        "job_role": _ref(opportunity.job_role),
        "visibility": opportunity.visibility,
        "visible_unit_ids": [u.pk for u in opportunity.visible_units.all()],
        "status": opportunity.status,
        "published_at": opportunity.published_at,
        "skills": [
            {
                "skill_id": s.skill_id,
                "slug": s.skill.slug,
                "label": s.skill.label,
                "level": s.level,
                "required": s.required,
            }
            for s in opportunity.skills.all()
        ],
        "url": reverse("opportunities:detail", args=[opportunity.pk]),
    }


def match_out(result: Match, skills: dict[int, Any]) -> dict[str, Any]:
    """The API form of a match: score, reasons, missing skills with where to learn them."""
    return {
        "score": result.score,
        "reasons": [
            {"code": r.code, "text": r.text, "skill_id": r.skill_id} for r in result.reasons
        ],
        "missing": [
            {
                "skill_id": m.skill_id,
                "label": skills[m.skill_id].label,
                "level": m.level,
                "has_level": m.has_level,
                "required": m.required,
                "learn_url": learn_skill_url(skills[m.skill_id]),
                "experts_url": who_knows_url(skills[m.skill_id]),
            }
            for m in result.missing
            if m.skill_id in skills
        ],
    }


def application_out(application: Application) -> dict[str, Any]:
    """The API form of an application."""
    return {
        "id": application.pk,
        "opportunity": _ref(application.opportunity, application.opportunity.title),
        "applicant": _ref(application.applicant, application.applicant.get_full_name()),
        "message": application.message,
        "status": application.status,
        "decision_reason": application.decision_reason,
        "decided_at": application.decided_at,
        "staffed_percent": application.staffed_percent,
        "created_at": application.created_at,
    }


def _get(model: type[Model], pk: int | None, field: str) -> Any:
    """The object of `model` with id `pk` (None stays None); an unknown id is a 400."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(
            f"{field.removesuffix('_id')}_not_found",
            NOT_FOUND % {"what": model._meta.verbose_name.capitalize(), "id": pk},
            field=field,
        )
    return found


def _all(model: type[Model], ids: list[int], field: str) -> list[Any]:
    return [_get(model, pk, field) for pk in dict.fromkeys(ids)]


def _save(
    request: HttpRequest, payload: OpportunityIn, opportunity: Opportunity | None
) -> Opportunity:
    return services.opportunity_save(
        actor=request.user,
        opportunity=opportunity,
        kind=payload.kind.value,
        title=payload.title,
        description=payload.description,
        time_share_percent=payload.time_share_percent,
        start_date=payload.start_date,
        end_date=payload.end_date,
        strategic=payload.strategic,
        location=_get(Location, payload.location_id, "location_id"),
        remote=payload.remote,
        team=_get(OrgUnit, payload.team_id, "team_id"),
        job_role=_get(JobRole, payload.job_role_id, "job_role_id"),
        visibility=payload.visibility.value,
        visible_units=_all(OrgUnit, payload.visible_unit_ids, "visible_unit_ids"),
        skills=[services.SkillNeed(s.skill, s.level, s.required) for s in payload.skills],
    )


def _opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return selectors.opportunity_get(viewer=request.user, opportunity_id=opportunity_id)


@router.get(
    "/opportunities",
    response={200: OpportunityPageOut, **errors(401, 422)},
    summary="Opportunities I may see, newest first",
)
def opportunities_list(
    request: HttpRequest,
    kind: OpportunityKind | None = None,
    status: OpportunityStatus = OpportunityStatus.OPEN,
    mine: bool = Query(False, description="Only the ones I own"),
    limit: int = Query(20, ge=1, le=selectors.MAX_LIMIT),
    offset: int = Query(0, ge=0, le=10_000),
) -> Any:
    items = selectors.opportunity_list(
        viewer=request.user,
        kind=kind.value if kind else "",
        status=status.value,
        mine=mine,
        limit=limit,
        offset=offset,
    )
    return {"items": [opportunity_out(o) for o in items], "count": len(items)}


@router.post(
    "/opportunities",
    response={201: OpportunityOut, **errors(400, 401, 422)},
    summary="Create an opportunity (a draft I own; publish it with the status operation)",
    description=(
        "An unknown skill gives 400 `unknown_skill`; an end date before the start date 400 "
        "`invalid_dates`; visibility `units` without units 400 `units_required`; an unknown "
        "location, team, role or unit 400 `<field>_not_found`. Nothing is saved on error."
    ),
)
def opportunities_create(request: HttpRequest, payload: OpportunityIn) -> Any:
    opportunity = _save(request, payload, None)
    return Status(201, opportunity_out(_opportunity(request, opportunity.pk)))


@router.get(
    "/opportunities/for-me",
    response={200: list[OpportunityMatchOut], **errors(401, 422)},
    summary="Open opportunities recommended to me, with reasons and missing skills",
)
def opportunities_for_me(
    request: HttpRequest,
    kind: OpportunityKind | None = None,
    limit: int = Query(selectors.RECOMMENDATION_LIMIT, ge=1, le=selectors.MAX_LIMIT),
) -> Any:
    found = selectors.opportunities_for(
        viewer=request.user, limit=limit, kind=kind.value if kind else ""
    )
    return [
        {
            "opportunity": opportunity_out(m.opportunity),
            "match": match_out(m.match, selectors.opportunity_skills(m.opportunity)),
        }
        for m in found
    ]


@router.get(
    "/opportunities/applications/mine",
    response={200: list[ApplicationOut], **errors(401)},
    summary="My applications, newest first",
)
def applications_mine(request: HttpRequest) -> Any:
    return [application_out(a) for a in selectors.applications_mine(viewer=request.user)]


@router.get(
    "/opportunities/applications/to-approve",
    response={200: list[ApplicationOut], **errors(401)},
    summary="Applications of my direct reports waiting for my approval",
)
def applications_to_approve(request: HttpRequest) -> Any:
    return [application_out(a) for a in selectors.applications_to_approve(viewer=request.user)]


@router.post(
    "/opportunities/applications/{application_id}/decision",
    response={200: ApplicationOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Shortlist, accept or decline (owner), withdraw (applicant), approve or refuse (manager)",
    description=(
        "A transition the application's state does not allow gives 409 `invalid_transition` and "
        "changes nothing; declining or refusing without a reason 400 `reason_empty`; someone "
        "who may see the application but not take this decision 403 `forbidden`."
    ),
)
def applications_decide(
    request: HttpRequest, payload: ApplicationActionIn, application_id: ApplicationId
) -> Any:
    application = selectors.application_get(viewer=request.user, application_id=application_id)
    application = services.application_transition(
        actor=request.user,
        application=application,
        action=payload.action.value,
        reason=payload.reason,
    )
    return application_out(application)


def _mobility_out(prefs: MobilityPreference | None) -> dict[str, Any]:
    if prefs is None:
        return {
            "open_to_move": False,
            "suggestible": False,
            "desired_roles": [],
            "locations": [],
            "interests": [],
        }
    return {
        "open_to_move": prefs.open_to_move,
        "suggestible": prefs.suggestible,
        "desired_roles": [_ref(r) for r in prefs.desired_roles.all()],
        "locations": [_ref(loc) for loc in prefs.locations.all()],
        "interests": [
            {"id": s.pk, "slug": s.slug, "label": s.label} for s in prefs.interests.all()
        ],
    }


@router.get(
    "/opportunities/preferences",
    response={200: MobilityOut, **errors(401)},
    summary="My mobility preferences",
)
def mobility_get(request: HttpRequest) -> Any:
    return _mobility_out(selectors.mobility_get(user=request.user))


@router.put(
    "/opportunities/preferences",
    response={200: MobilityOut, **errors(400, 401, 422)},
    summary="Set my mobility preferences",
    description="An unknown role or location id gives 400; an unknown skill 400 `unknown_skill`.",
)
def mobility_put(request: HttpRequest, payload: MobilityIn) -> Any:
    services.mobility_update(
        actor=request.user,
        open_to_move=payload.open_to_move,
        suggestible=payload.suggestible,
        desired_roles=_all(JobRole, payload.desired_role_ids, "desired_role_ids"),
        locations=_all(Location, payload.location_ids, "location_ids"),
        interests=list(dict.fromkeys(services.skill_resolve(s) for s in payload.interests)),
    )
    return _mobility_out(selectors.mobility_get(user=request.user))


@router.get(
    "/opportunities/dashboard",
    response={200: list[KindFiguresOut], **errors(401)},
    summary="Fill rate, time to staff and share filled from inside (HR: all; others: theirs)",
)
def opportunities_dashboard(request: HttpRequest) -> Any:
    return [
        {
            "kind": f.kind,
            "label": f.label,
            "published": f.published,
            "filled_inside": f.filled_inside,
            "filled_outside": f.filled_outside,
            "fill_rate": f.fill_rate,
            "inside_rate": f.inside_rate,
            "median_days_to_staff": f.median_days_to_staff,
        }
        for f in selectors.dashboard(viewer=request.user)
    ]


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **errors(401, 404, 422)},
    summary="One opportunity",
)
def opportunities_get(request: HttpRequest, opportunity_id: OpportunityId) -> Any:
    return opportunity_out(_opportunity(request, opportunity_id))


@router.put(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Replace an opportunity I own (not once closed)",
)
def opportunities_put(
    request: HttpRequest, payload: OpportunityIn, opportunity_id: OpportunityId
) -> Any:
    opportunity = _save(request, payload, _opportunity(request, opportunity_id))
    return opportunity_out(_opportunity(request, opportunity.pk))


@router.post(
    "/opportunities/{opportunity_id}/status",
    response={200: OpportunityOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Publish, mark filled, reopen or close an opportunity I own",
    description=(
        "Closing gives back the time of everyone staffed on it. A change the current status "
        "does not allow gives 409 `invalid_transition`."
    ),
)
def opportunities_status(
    request: HttpRequest, payload: OpportunityActionIn, opportunity_id: OpportunityId
) -> Any:
    opportunity = services.opportunity_transition(
        actor=request.user,
        opportunity=_opportunity(request, opportunity_id),
        action=payload.action.value,
    )
    return opportunity_out(_opportunity(request, opportunity.pk))


@router.get(
    "/opportunities/{opportunity_id}/people",
    response={200: list[PersonMatchOut], **errors(401, 403, 404, 422)},
    summary="People suggested for an opportunity I own (only those who allow it)",
)
def opportunities_people(
    request: HttpRequest,
    opportunity_id: OpportunityId,
    limit: int = Query(selectors.RECOMMENDATION_LIMIT, ge=1, le=selectors.MAX_LIMIT),
) -> Any:
    opportunity = _opportunity(request, opportunity_id)
    found = selectors.people_for(viewer=request.user, opportunity=opportunity, limit=limit)
    skills = selectors.opportunity_skills(opportunity)
    return [
        {
            "person": {
                "id": m.profile.user_id,
                "name": m.profile.user.get_full_name(),
                "title": m.profile.title,
                "availability_percent": m.profile.availability_percent,
                "url": reverse("people:profile", args=[m.profile.user_id]),
            },
            "match": match_out(m.match, skills),
        }
        for m in found
    ]


@router.get(
    "/opportunities/{opportunity_id}/applications",
    response={200: list[ApplicationOut], **errors(401, 403, 404, 422)},
    summary="Applications to an opportunity I own",
)
def opportunities_applications(request: HttpRequest, opportunity_id: OpportunityId) -> Any:
    opportunity = _opportunity(request, opportunity_id)
    found = selectors.opportunity_applications(viewer=request.user, opportunity=opportunity)
    return [application_out(a) for a in found]


@router.post(
    "/opportunities/{opportunity_id}/applications",
    response={201: ApplicationOut, **errors(400, 401, 404, 409, 422)},
    summary="Apply to an open opportunity (once); the owner is notified",
    description=(
        "Applying twice gives 409 `already_applied`; to a closed, filled or draft opportunity "
        "409 `opportunity_not_open`; to one's own 409 `own_opportunity`; to one I may not see 404."
    ),
)
def opportunities_apply(
    request: HttpRequest, payload: ApplicationIn, opportunity_id: OpportunityId
) -> Any:
    application = services.application_create(
        actor=request.user,
        opportunity=_opportunity(request, opportunity_id),
        message=payload.message,
    )
    return Status(201, application_out(application))
