"""The adoption journey in the JSON API: my journey, funnel, transitions, playbooks, kudos."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Status
from pydantic import WithJsonSchema

from vivier.accounts.models import User
from vivier.core.api import errors
from vivier.core.errors import ApplicationError
from vivier.core.ids import MAX_ID
from vivier.journey import selectors, services
from vivier.journey.models import JourneyPreference, Stage
from vivier.journey.schemas import (
    JourneyAmbassadorIn,
    JourneyAmbassadorOut,
    JourneyFunnelOut,
    JourneyInvitationIn,
    JourneyInvitationOut,
    JourneyKudosIn,
    JourneyKudosOut,
    JourneyMeOut,
    JourneyPlaybookOut,
    JourneyPreferenceIn,
    JourneyPreferenceOut,
    JourneyTaskOut,
    JourneyTransitionsOut,
)

router = Router(tags=["journey"])
PREFIX = "/journey"
CI_METHOD = "newcombe-wilson-hybrid-95"
BAD_DIRECTION = _("direction is 'received' or 'sent'.")

# The query parameters below are read by the services, as the pages' are, which refuse a bad
# value with its own stable 400 code (`bad_id`, `bad_date`, `bad_cohort`, `unknown_stage`,
# `bad_direction`, in docs/journey.md) where a typed parameter would give a generic 422. Each
# declares in the schema exactly what its service accepts; an empty filter means "not given".
_EMPTY = {"type": "string", "maxLength": 0}
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_DAY = {"type": "string", "format": "date"}  # services.ISO_DAY, a real day
# services.ISO_MONTH, a real month: years 0001 to 9999.
_MONTH = {
    "type": "string",
    "pattern": r"^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])$",
}
IdFilter = Annotated[str, WithJsonSchema({"anyOf": [_ID, _EMPTY]})]
Day = Annotated[str, WithJsonSchema(_DAY)]
DayFilter = Annotated[str, WithJsonSchema({"anyOf": [_DAY, _EMPTY]})]
CohortFilter = Annotated[
    str, WithJsonSchema({"anyOf": [_MONTH, _EMPTY], "description": "Joining month, YYYY-MM"})
]
StageFilter = Annotated[str | None, WithJsonSchema({"type": "string", "enum": Stage.values})]
Direction = Annotated[str, WithJsonSchema({"type": "string", "enum": ["received", "sent"]})]


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


def _journey_out(data: selectors.Journey) -> dict[str, Any]:
    return {
        "person_id": data.person.pk,
        "stage": data.current.stage if data.current else None,
        "date": data.current.date if data.current else None,
        "periods": [
            {"stage": p["stage"], "start": p["start"], "end": p["end"], "days": p["days"]}
            for p in data.periods
        ],
        "next_steps": [
            {"title": str(title), "benefit": str(benefit), "url": reverse(name)}
            for title, benefit, name in data.next_steps
        ],
        "tips": [
            {
                "id": tip.pk,
                "subject": tip.subject,
                "text": tip.text,
                "url": tip.url,
            }
            for tip in data.tips
        ],
        "kudos_received": data.kudos_received_count,
        "kudos_sent": data.kudos_sent_count,
        "ambassador": data.ambassador.status if data.ambassador else None,
        "opted_out": data.opted_out,
    }


@router.get(
    f"{PREFIX}/me",
    response={200: JourneyMeOut, **errors(401)},
    summary="My stage, its history, next steps, tips and kudos counts",
)
def journey_me(request: HttpRequest) -> Any:
    return _journey_out(selectors.journey(viewer=request.user, person=request.user))


@router.get(
    f"{PREFIX}/people/{{person_id}}",
    response={200: JourneyMeOut, **errors(401, 403, 404, 422)},
    summary="A person's journey (HR administrators; anyone for themselves)",
)
def journey_person(request: HttpRequest, person_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    person = selectors.person_get(viewer=request.user, person_id=person_id)
    return _journey_out(selectors.journey(viewer=request.user, person=person))


def _scope(request: HttpRequest, unit: Any, community: Any, cohort: Any) -> selectors.Scope:
    return selectors.scope_resolve(
        viewer=request.user, unit_id=unit, community_id=community, cohort=cohort
    )


@router.get(
    f"{PREFIX}/funnel",
    response={200: JourneyFunnelOut, **errors(400, 401, 403, 404)},
    summary="People per stage on a day (HR: everyone; managers: their subtree), small groups masked",
)
def journey_funnel(
    request: HttpRequest,
    date: DayFilter = Query("", description="Default: the latest day computed"),
    unit: IdFilter = "",
    community: IdFilter = "",
    cohort: CohortFilter = "",
    stage: StageFilter = None,
) -> Any:
    scope = _scope(request, unit, community, cohort)
    day = services.parse_day(date, field="date") if date else None
    if stage is not None:
        services.stage_check(stage)
    data = selectors.funnel(viewer=request.user, scope=scope, day=day)
    rows = [r for r in data.rows if stage is None or r["stage"] == stage]
    return {
        "date": data.day,
        "total": data.total,
        "masked": data.masked,
        "min_group": data.min_group,
        "stages": [{"stage": r["stage"], "count": r["count"], "share": r["share"]} for r in rows],
    }


@router.get(
    f"{PREFIX}/transitions",
    response={200: JourneyTransitionsOut, **errors(400, 401, 403, 404, 422)},
    summary="People moving from each stage to each stage between two days, small cells masked",
)
def journey_transitions(
    request: HttpRequest,
    from_date: Day,
    to_date: Day,
    unit: IdFilter = "",
    community: IdFilter = "",
    cohort: CohortFilter = "",
) -> Any:
    scope = _scope(request, unit, community, cohort)
    start = services.parse_day(from_date, field="from_date")
    end = services.parse_day(to_date, field="to_date")
    data = selectors.transitions(viewer=request.user, scope=scope, start=start, end=end)
    return {
        "from_date": data.start,
        "to_date": data.end,
        "total": data.total,
        "masked": data.masked,
        "min_group": data.min_group,
        "rows": [
            {
                "stage": row["stage"],
                "total": row["total"],
                "cells": [
                    {"stage": c["stage"], "count": c["count"], "share": c["share"]}
                    for c in row["cells"]
                ],
            }
            for row in data.rows
        ],
    }


@router.get(
    f"{PREFIX}/playbooks",
    response={200: list[JourneyPlaybookOut], **errors(400, 401, 403)},
    summary="Playbooks with treated vs control rates and the uplift's 95 % interval (HR)",
)
def journey_playbooks(request: HttpRequest, stage: StageFilter = None) -> Any:
    if stage is not None:
        services.stage_check(stage)
    rows = selectors.uplift(viewer=request.user)
    language = "en" if _english() else "fr"
    out = []
    for row in rows:
        if stage is not None and row.playbook.stage != stage:
            continue
        result = row.result
        out.append(
            {
                "id": row.playbook.pk,
                "stage": row.playbook.stage,
                "name": row.playbook.name(language),
                "active": row.playbook.is_active,
                "control_percent": row.playbook.control_percent,
                "actions": [a.kind for a in row.playbook.actions.all()],
                "nudges_sent": row.sent,
                "pending": row.pending,
                "treated": {
                    "people": row.treated_n,
                    "reached": row.treated_x,
                    "rate": result.p1 if result else None,
                },
                "control": {
                    "people": row.control_n,
                    "reached": row.control_x,
                    "rate": result.p2 if result else None,
                },
                "uplift": result.difference if result else None,
                "ci_low": result.low if result else None,
                "ci_high": result.high if result else None,
                "ci_method": CI_METHOD,
            }
        )
    return out


def _kudos_out(k: Any) -> dict[str, Any]:
    return {
        "id": k.pk,
        "sender_id": k.sender_id,
        "sender_name": k.sender.get_full_name(),
        "recipient_id": k.recipient_id,
        "recipient_name": k.recipient.get_full_name(),
        "message": k.message,
        "created_at": k.created_at,
    }


@router.get(
    f"{PREFIX}/kudos",
    response={200: list[JourneyKudosOut], **errors(400, 401)},
    summary="Kudos I received (direction=received) or sent (direction=sent)",
)
def journey_kudos_list(request: HttpRequest, direction: Direction = "received") -> Any:
    if direction not in ("received", "sent"):
        raise ApplicationError("bad_direction", BAD_DIRECTION, field="direction")
    return [
        _kudos_out(k)
        for k in selectors.kudos_list(viewer=request.user, received=direction == "received")
    ]


@router.post(
    f"{PREFIX}/kudos",
    response={201: JourneyKudosOut, **errors(400, 401, 404, 422)},
    summary="Thank a colleague",
)
def journey_kudos_give(request: HttpRequest, payload: JourneyKudosIn) -> Any:
    recipient = User.objects.filter(pk=payload.person_id).first()
    kudos = services.kudos_give(actor=request.user, recipient=recipient, message=payload.message)
    return Status(201, _kudos_out(kudos))


@router.post(
    f"{PREFIX}/ambassador",
    response={200: JourneyAmbassadorOut, **errors(400, 401, 404, 409, 422)},
    summary="Accept or decline my invitation to become an ambassador",
)
def journey_ambassador(request: HttpRequest, payload: JourneyAmbassadorIn) -> Any:
    ambassador = services.ambassador_answer(actor=request.user, accept=payload.accept)
    return {"status": ambassador.status, "answered_at": ambassador.answered_at}


@router.post(
    f"{PREFIX}/invitations",
    response={201: JourneyInvitationOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Invite a colleague to come and see, or (ambassadors) to contribute",
)
def journey_invite(request: HttpRequest, payload: JourneyInvitationIn) -> Any:
    invitee = User.objects.filter(pk=payload.person_id).first()
    invitation = services.invitation_send(
        actor=request.user, invitee=invitee, kind=payload.kind, message=payload.message
    )
    return Status(
        201,
        {
            "id": invitation.pk,
            "invitee_id": invitation.invitee_id,
            "kind": invitation.kind,
            "created_at": invitation.created_at,
        },
    )


@router.get(
    f"{PREFIX}/preferences",
    response={200: JourneyPreferenceOut, **errors(401)},
    summary="Whether I opted out of journey nudges",
)
def journey_preferences(request: HttpRequest) -> Any:
    opted = JourneyPreference.objects.filter(user=request.user, opted_out=True).exists()
    return {"opted_out": opted}


@router.put(
    f"{PREFIX}/preferences",
    response={200: JourneyPreferenceOut, **errors(400, 401, 422)},
    summary="Opt out of (or back into) journey nudges",
)
def journey_preferences_set(request: HttpRequest, payload: JourneyPreferenceIn) -> Any:
    prefs = services.preference_set(user=request.user, opted_out=payload.opted_out)
    return {"opted_out": prefs.opted_out}


@router.get(
    f"{PREFIX}/tasks",
    response={200: list[JourneyTaskOut], **errors(401)},
    summary="People I was asked to accompany (manager or community animator)",
)
def journey_tasks(request: HttpRequest) -> Any:
    return [
        {
            "id": t.pk,
            "person_id": t.person_id,
            "person_name": t.person.get_full_name(),
            "subject": t.subject,
            "created_at": t.created_at,
        }
        for t in selectors.tasks_for(viewer=request.user)
    ]
