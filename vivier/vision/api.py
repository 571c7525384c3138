"""The vision map in the JSON API: the map, objectives and indicators, links, suggestions,
my part, coverage."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.accounts.models import User
from vivier.core.api import MAX_ID, errors
from vivier.vision import selectors, services
from vivier.vision.models import Axis, Indicator, Objective, ObjectiveLink, Vision
from vivier.vision.schemas import (
    LinkKindCode,
    VisionAxisIn,
    VisionAxisOut,
    VisionCoverageOut,
    VisionIndicatorIn,
    VisionIndicatorOut,
    VisionIndicatorPatchIn,
    VisionLinkedItemOut,
    VisionLinkIn,
    VisionLinkOut,
    VisionMapOut,
    VisionMyPartOut,
    VisionObjectiveIn,
    VisionObjectiveOut,
    VisionObjectivePatchIn,
    VisionStatementIn,
    VisionStatementOut,
    VisionSuggestionOut,
)

router = Router(tags=["vision"])

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Query(ge=1, le=MAX_ID)]
PREFIX = "/vision"


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.get_full_name()} if user else None


def _statement(vision: Vision | None) -> dict[str, Any] | None:
    if vision is None:
        return None
    return {
        "title": vision.title,
        "title_fr": vision.title_fr,
        "title_en": vision.title_en,
        "statement": vision.statement,
        "statement_fr": vision.statement_fr,
        "statement_en": vision.statement_en,
    }


def _axis(axis: Axis) -> dict[str, Any]:
    return {
        "id": axis.pk,
        "title": axis.title,
        "title_fr": axis.title_fr,
        "title_en": axis.title_en,
        "description": axis.description,
        "description_fr": axis.description_fr,
        "description_en": axis.description_en,
        "position": axis.position,
    }


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "name_fr": indicator.name_fr,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "target_value": indicator.target_value,
        "current_value": indicator.current_value,
        "progress": indicator.progress,
    }


def _objective(objective: Objective) -> dict[str, Any]:
    return {
        "id": objective.pk,
        "axis_id": objective.axis_id,
        "parent_id": objective.parent_id,
        "title": objective.title,
        "title_fr": objective.title_fr,
        "title_en": objective.title_en,
        "description": objective.description,
        "description_fr": objective.description_fr,
        "description_en": objective.description_en,
        "owner": _person(objective.owner),
        "period_start": objective.period_start,
        "period_end": objective.period_end,
        "status": objective.status,
        "position": objective.position,
        "indicators": [_indicator(i) for i in objective.indicators.all()],
        "url": reverse("vision:objective", args=[objective.pk]),
    }


def _node(node: selectors.ObjectiveNode) -> dict[str, Any]:
    o = node.objective
    return {
        "id": o.pk,
        "title": o.title,
        "status": o.status,
        "owner": _person(o.owner),
        "actions": node.actions,
        "people": node.people,
        "url": reverse("vision:objective", args=[o.pk]),
        "children": [_node(child) for child in node.children],
    }


def _item(item: selectors.LinkedItem) -> dict[str, Any]:
    return {
        "link_id": item.link.pk,
        "objective_id": item.link.objective_id,
        "kind": item.kind.code,
        "label": str(item.label),
        "object_id": item.link.target_id,
        "title": item.title,
        "url": item.url,
        "date": item.when,
        "person": _person(item.person),
    }


def _contribution(c: selectors.Contribution) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "id": c.item.pk,
        "title": c.title,
        "url": c.url,
        "score": c.score,
        "reasons": c.reasons,
        "objectives": [o.pk for o in c.objectives],
    }


def _row(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "id": row.obj.pk if row.obj is not None else None,
        "label": row.label,
        "depth": row.depth,
        "people": row.people,
        "contributors": row.contributors,
        "share": row.share,
    }


@router.get(
    f"{PREFIX}/map",
    response={200: VisionMapOut, **errors(401)},
    summary="The vision, its axes and objectives as a tree, with linked actions and people",
)
def vision_map(request: HttpRequest) -> Any:
    tree = selectors.vision_map(viewer=request.user)
    pulse = selectors.vision_pulse(viewer=request.user)
    return {
        "vision": _statement(tree.vision),
        "axes": [
            {
                "id": a.axis.pk,
                "title": a.axis.title,
                "description": a.axis.description,
                "actions": a.actions,
                "people": a.people,
                "objectives": [_node(n) for n in a.objectives],
            }
            for a in tree.axes
        ],
        "actions": tree.actions,
        "people": tree.people,
        "pulse": pulse
        and {
            "survey_id": pulse.survey.pk,
            "wave_id": pulse.wave.pk,
            "closed_on": pulse.wave.closes_on,
            "group": pulse.group_label,
            "respondents": pulse.respondents,
            "mean": pulse.mean,
            "favourable": pulse.favourable,
        },
    }


@router.put(
    f"{PREFIX}/statement",
    response={200: VisionStatementOut, **errors(400, 401, 403, 422)},
    summary="Write the vision statement (HR)",
)
def statement_put(request: HttpRequest, payload: VisionStatementIn) -> Any:
    return _statement(services.vision_save(actor=request.user, **payload.dict()))


@router.get(f"{PREFIX}/axes", response={200: list[VisionAxisOut], **errors(401)}, summary="Axes")
def axes_list(request: HttpRequest) -> Any:
    return [_axis(a) for a in Axis.objects.order_by("position", "id")]


@router.post(
    f"{PREFIX}/axes",
    response={201: VisionAxisOut, **errors(400, 401, 403, 422)},
    summary="Add a strategic axis (HR)",
)
def axis_create(request: HttpRequest, payload: VisionAxisIn) -> Any:
    return Status(201, _axis(services.axis_save(actor=request.user, **payload.dict())))


@router.patch(
    f"{PREFIX}/axes/{{axis_id}}",
    response={200: VisionAxisOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a strategic axis (HR)",
)
def axis_update(request: HttpRequest, axis_id: ObjectId, payload: VisionAxisIn) -> Any:
    axis = services.axis_lookup(axis_id)
    return _axis(services.axis_save(actor=request.user, axis=axis, **payload.dict()))


@router.get(
    f"{PREFIX}/objectives",
    response={200: list[VisionObjectiveOut], **errors(401, 422)},
    summary="Objectives (active by default), with their indicators",
)
def objectives_list(
    request: HttpRequest,
    status: Annotated[str, Query(pattern="^(active|archived)?$")] = "",
    axis_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Any:
    return [
        _objective(o)
        for o in selectors.objective_list(viewer=request.user, status=status, axis_id=axis_id)
    ]


def _objective_data(payload: VisionObjectiveIn | VisionObjectivePatchIn) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    renamed = {"axis_id": "axis", "parent_id": "parent", "owner_id": "owner"}
    return {renamed.get(k, k): v for k, v in data.items()}


@router.post(
    f"{PREFIX}/objectives",
    response={201: VisionObjectiveOut, **errors(400, 401, 403, 404, 422)},
    summary="Create an objective under an axis or a parent objective (HR)",
)
def objective_create(request: HttpRequest, payload: VisionObjectiveIn) -> Any:
    data = _objective_data(payload)
    objective = services.objective_create(
        actor=request.user,
        axis=data.pop("axis", None),
        parent=data.pop("parent", None),
        **data,
    )
    return Status(201, _objective(objective))


@router.get(
    f"{PREFIX}/objectives/{{objective_id}}",
    response={200: VisionObjectiveOut, **errors(401, 404, 422)},
    summary="One objective with its indicators",
)
def objective_get(request: HttpRequest, objective_id: ObjectId) -> Any:
    return _objective(services.objective_lookup(objective_id))


@router.patch(
    f"{PREFIX}/objectives/{{objective_id}}",
    response={200: VisionObjectiveOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Change an objective: texts (its owner or HR), everything else (HR)",
)
def objective_update(
    request: HttpRequest, objective_id: ObjectId, payload: VisionObjectivePatchIn
) -> Any:
    objective = services.objective_lookup(objective_id)
    updated = services.objective_update(
        actor=request.user, objective=objective, data=_objective_data(payload)
    )
    return _objective(updated)


@router.delete(
    f"{PREFIX}/objectives/{{objective_id}}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Delete an objective without sub-objectives, and its links (HR)",
)
def objective_delete(request: HttpRequest, objective_id: ObjectId) -> Any:
    services.objective_delete(actor=request.user, objective=services.objective_lookup(objective_id))
    return Status(204, None)


@router.post(
    f"{PREFIX}/objectives/{{objective_id}}/indicators",
    response={201: VisionIndicatorOut, **errors(400, 401, 403, 404, 422)},
    summary="Add an indicator (the objective's owner or HR)",
)
def indicator_create(
    request: HttpRequest, objective_id: ObjectId, payload: VisionIndicatorIn
) -> Any:
    objective = services.objective_lookup(objective_id)
    indicator = services.indicator_save(actor=request.user, objective=objective, **payload.dict())
    return Status(201, _indicator(indicator))


@router.patch(
    f"{PREFIX}/indicators/{{indicator_id}}",
    response={200: VisionIndicatorOut, **errors(400, 401, 403, 404, 422)},
    summary="Change an indicator, e.g. its current value (the objective's owner or HR)",
)
def indicator_update(
    request: HttpRequest, indicator_id: ObjectId, payload: VisionIndicatorPatchIn
) -> Any:
    indicator = services.indicator_lookup(indicator_id)
    data = {
        "name_fr": indicator.name_fr,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "target_value": indicator.target_value,
        "current_value": indicator.current_value,
    } | payload.dict(exclude_unset=True)
    if data["name_fr"] is None or data["target_value"] is None:
        data["name_fr"] = data["name_fr"] or indicator.name_fr
        data["target_value"] = data["target_value"] or indicator.target_value
    saved = services.indicator_save(
        actor=request.user, objective=indicator.objective, indicator=indicator, **data
    )
    return _indicator(saved)


@router.delete(
    f"{PREFIX}/indicators/{{indicator_id}}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove an indicator (the objective's owner or HR)",
)
def indicator_delete(request: HttpRequest, indicator_id: ObjectId) -> Any:
    services.indicator_delete(actor=request.user, indicator=services.indicator_lookup(indicator_id))
    return Status(204, None)


@router.get(
    f"{PREFIX}/objectives/{{objective_id}}/items",
    response={200: list[VisionLinkedItemOut], **errors(401, 404, 422)},
    summary="The items linked to an objective that I may see, newest first (paginated)",
)
def objective_items(
    request: HttpRequest,
    objective_id: ObjectId,
    limit: Annotated[int, Query(ge=1, le=selectors.ITEMS_MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    objective = services.objective_lookup(objective_id)
    found = selectors.objective_items(
        viewer=request.user, objective=objective, limit=limit, offset=offset
    )
    return [_item(i) for i in found]


def _link(link: ObjectiveLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "objective_id": link.objective_id,
        "kind": link.kind,
        "object_id": link.target_id,
        "created_at": link.created_at,
    }


@router.get(
    f"{PREFIX}/links",
    response={200: list[VisionLinkOut], **errors(401, 404, 422)},
    summary="The objectives one item links to",
)
def links_of_item(request: HttpRequest, kind: LinkKindCode, object_id: ItemId) -> Any:
    found = selectors.item_links(viewer=request.user, kind=kind, object_id=object_id)
    return [_link(link) for link in found.links]


@router.post(
    f"{PREFIX}/links",
    response={201: VisionLinkOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Link an item I author or own to an active objective",
)
def link_create(request: HttpRequest, payload: VisionLinkIn) -> Any:
    link = services.link_create(actor=request.user, **payload.dict())
    return Status(201, _link(link))


@router.delete(
    f"{PREFIX}/links/{{link_id}}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove a link (who may link the item, or HR)",
)
def link_delete(request: HttpRequest, link_id: ObjectId) -> Any:
    services.link_delete(actor=request.user, link=services.link_lookup(link_id))
    return Status(204, None)


@router.get(
    f"{PREFIX}/suggestions",
    response={200: list[VisionSuggestionOut], **errors(401, 404, 422)},
    summary="Objectives ranked by text similarity to an item I may see",
)
def suggestions(request: HttpRequest, kind: LinkKindCode, object_id: ItemId) -> Any:
    found = selectors.item_suggestions(viewer=request.user, kind=kind, object_id=object_id)
    return [
        {
            "objective_id": s.objective.pk,
            "title": s.objective.title,
            "axis": s.objective.axis.title,
            "score": s.score,
            "words": s.words,
            "linked": s.linked,
            "url": reverse("vision:objective", args=[s.objective.pk]),
        }
        for s in found
    ]


@router.get(
    f"{PREFIX}/me",
    response={200: VisionMyPartOut, **errors(401)},
    summary="My part in the vision: my linked work, and where I could contribute",
)
def my_part(request: HttpRequest) -> Any:
    part = selectors.my_part(viewer=request.user)
    return {
        "objectives": [
            {
                "objective_id": m.objective.pk,
                "title": m.objective.title,
                "url": reverse("vision:objective", args=[m.objective.pk]),
                "items": [_item(i) for i in m.items],
            }
            for m in part.objectives
        ],
        "opportunities": [_contribution(c) for c in part.opportunities],
        "communities": [_contribution(c) for c in part.communities],
    }


@router.get(
    f"{PREFIX}/coverage",
    response={200: VisionCoverageOut, **errors(401, 403)},
    summary="Share of people with a linked action, per objective and org unit (HR, managers)",
)
def coverage(request: HttpRequest) -> Any:
    found = selectors.coverage(viewer=request.user)
    return {
        "scope": [u.pk for u in found.scope] if found.scope is not None else None,
        "total": _row(found.total),
        "objectives": [_row(r) for r in found.objectives],
        "units": [_row(r) for r in found.units],
    }
