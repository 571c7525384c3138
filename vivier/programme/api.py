"""The expert programme in the JSON API, under /api/v1/programme/."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.core.api import MAX_ID, errors
from vivier.core.errors import NotFound, PermissionDenied
from vivier.programme import selectors, services
from vivier.programme.models import (
    Award,
    Domain,
    Nomination,
    PathEnrolment,
    SkillPath,
    StepProgress,
)
from vivier.programme.schemas import (
    BudgetIn,
    BudgetOut,
    DecisionIn,
    EnrolIn,
    EnrolmentOut,
    HrDashboardOut,
    NominationDetailOut,
    NominationEvidenceIn,
    NominationEvidenceOut,
    NominationIn,
    NominationOut,
    OpinionIn,
    PathOut,
    ProgrammeAwardOut,
    ProgrammeDomainIn,
    ProgrammeDomainOut,
    ProgrammeEventIn,
    ProgrammeEventOut,
    ProgrammeReasonIn,
    ProgrammeReviewIn,
    RequiredReasonIn,
    TimeEntryIn,
    TimeEntryOut,
)
from vivier.social.models import Community
from vivier.social.permissions import can_see_community

router = Router(tags=["programme"])

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _person(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "url": reverse("people:profile", args=[user.pk]),
    }


def _domain_out(domain: Domain) -> dict[str, Any]:
    return {
        "id": domain.pk,
        "name": domain.name,
        "slug": domain.slug,
        "description": domain.description,
        "quorum": domain.quorum,
        "label_years": domain.label_years,
        "skill_ids": [s.pk for s in domain.skills.all()],
        "community_id": domain.community_id,
        "criteria": [
            {"id": c.pk, "name": c.name, "weight": c.weight} for c in domain.criteria.all()
        ],
        "committee": [_person(u) for u in domain.committee.all()],
    }


def _nomination_out(n: Nomination) -> dict[str, Any]:
    return {
        "id": n.pk,
        "domain_id": n.domain_id,
        "domain": n.domain.name,
        "candidate": _person(n.candidate),
        "nominated_by_id": n.nominated_by_id,
        "kind": n.kind,
        "level": n.level,
        "state": n.state,
        "motivation": n.motivation,
        "manager_id": n.manager_id,
        "manager_opinion": n.manager_opinion,
        "manager_comment": n.manager_comment,
        "decision_reason": n.decision_reason,
        "decided_at": n.decided_at,
        "created_at": n.created_at,
        "url": reverse("programme:nomination", args=[n.pk]),
    }


def _nomination_detail(request: HttpRequest, n: Nomination) -> dict[str, Any]:
    summary = selectors.review_summary(viewer=request.user, nomination=n)
    reviews = None
    if summary is not None:
        reviews = [
            {
                "reviewer": _person(r.review.reviewer),
                "comment": r.review.comment,
                "scores": [{"criterion_id": k, "value": v} for k, v in sorted(r.scores.items())],
                "weighted": r.weighted,
                "created_at": r.review.created_at,
            }
            for r in summary.reviews
        ]
    return _nomination_out(n) | {
        "evidence": [
            {"id": e.pk, "kind": e.kind, "title": e.title, "detail": e.detail, "url": e.url}
            for e in n.evidence.all()
        ],
        "history": [
            {
                "actor_id": t.actor_id,
                "from_state": t.from_state,
                "to_state": t.to_state,
                "reason": t.reason,
                "at": t.at,
            }
            for t in n.transitions.all()
        ],
        "review_count": selectors.review_count(n),
        "reviews": reviews,
        "average": summary.average if summary else None,
    }


def _award_out(a: Award) -> dict[str, Any]:
    return {
        "id": a.pk,
        "person": _person(a.user),
        "domain_id": a.domain_id,
        "domain": a.domain.name,
        "level": a.level,
        "state": a.state,
        "granted_at": a.granted_at,
        "expires_at": a.expires_at,
    }


def _nomination(request: HttpRequest, nomination_id: int) -> Nomination:
    return selectors.nomination_get(viewer=request.user, nomination_id=nomination_id)


def _domain(domain_id: int) -> Domain:
    return selectors.domain_get(domain_id=domain_id)


def _person_get(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    if user is None:
        raise NotFound("person_not_found", "This person does not exist.")
    return user


@router.get(
    "/programme/domains",
    response={200: list[ProgrammeDomainOut], **errors(401)},
    summary="Label domains",
)
def domains_list(request: HttpRequest) -> Any:
    return [_domain_out(d) for d in selectors.domains_all()]


@router.post(
    "/programme/domains",
    response={201: ProgrammeDomainOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Create a domain with its skills, criteria and committee (HR)",
)
def domains_create(request: HttpRequest, payload: ProgrammeDomainIn) -> Any:
    community = None
    if payload.community_id is not None:
        community = Community.objects.filter(pk=payload.community_id).first()
        if community is None:
            raise NotFound("community_not_found", "This community does not exist.")
    domain = services.domain_save(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        skill_ids=payload.skill_ids,
        committee_ids=payload.committee_ids,
        quorum=payload.quorum,
        label_years=payload.label_years,
        community=community,
        criteria=[(c.name, c.weight) for c in payload.criteria],
    )
    return Status(201, _domain_out(_domain(domain.pk)))


@router.get(
    "/programme/nominations",
    response={200: list[NominationOut], **errors(401, 422)},
    summary="Nominations I may see (mine, made by me, to give my opinion on, my committees', all for HR)",
)
def nominations_list(
    request: HttpRequest,
    state: str | None = Query(None, pattern=r"^[a-z_]{1,20}$"),
    limit: int = Query(50, ge=1, le=200),
) -> Any:
    qs = selectors.nominations_visible(viewer=request.user)
    if state:
        qs = qs.filter(state=state)
    return [_nomination_out(n) for n in qs[:limit]]


@router.post(
    "/programme/nominations",
    response={201: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Apply, or nominate a direct report or a peer; evidence is gathered automatically",
)
def nominations_create(request: HttpRequest, payload: NominationIn) -> Any:
    candidate = _person_get(payload.candidate_id) if payload.candidate_id else request.user
    nomination = services.nomination_create(
        actor=request.user,
        domain=_domain(payload.domain_id),
        candidate=candidate,
        motivation=payload.motivation,
        level=payload.level.value,
    )
    return Status(201, _nomination_detail(request, _nomination(request, nomination.pk)))


@router.get(
    "/programme/nominations/{nomination_id}",
    response={200: NominationDetailOut, **errors(401, 404, 422)},
    summary="One nomination: evidence, history, and scores for the committee and HR only",
)
def nominations_get(request: HttpRequest, nomination_id: ObjectId) -> Any:
    return _nomination_detail(request, _nomination(request, nomination_id))


def _then_detail(request: HttpRequest, nomination_id: int) -> dict[str, Any]:
    return _nomination_detail(request, _nomination(request, nomination_id))


@router.post(
    "/programme/nominations/{nomination_id}/opinion",
    response={200: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="The manager's opinion; the nomination goes to the committee",
)
def nominations_opinion(request: HttpRequest, nomination_id: ObjectId, payload: OpinionIn) -> Any:
    services.manager_opinion_give(
        actor=request.user,
        nomination=_nomination(request, nomination_id),
        opinion=payload.opinion.value,
        comment=payload.comment,
    )
    return _then_detail(request, nomination_id)


@router.post(
    "/programme/nominations/{nomination_id}/reviews",
    response={200: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="A committee member's scores (every criterion, 0 to 5) and comment",
    description="403 `conflict_of_interest` for the candidate or their manager.",
)
def nominations_review(
    request: HttpRequest, nomination_id: ObjectId, payload: ProgrammeReviewIn
) -> Any:
    scores: dict[int, int] = {}
    for line in payload.scores:
        scores[line.criterion_id] = line.value
    if len(scores) != len(payload.scores):
        scores = {}  # a criterion twice: refused by the service as incomplete
    services.review_submit(
        actor=request.user,
        nomination=_nomination(request, nomination_id),
        scores=scores,
        comment=payload.comment,
    )
    return _then_detail(request, nomination_id)


@router.post(
    "/programme/nominations/{nomination_id}/decision",
    response={200: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Award, decline or defer once the quorum is reached; the reason goes to the person",
    description="409 `quorum_not_reached` or `invalid_transition`.",
)
def nominations_decide(request: HttpRequest, nomination_id: ObjectId, payload: DecisionIn) -> Any:
    services.nomination_decide(
        actor=request.user,
        nomination=_nomination(request, nomination_id),
        decision=payload.decision.value,
        reason=payload.reason,
        level=payload.level.value if payload.level else None,
    )
    return _then_detail(request, nomination_id)


@router.post(
    "/programme/nominations/{nomination_id}/withdraw",
    response={200: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Withdraw an open nomination (candidate, nominator, HR)",
)
def nominations_withdraw(
    request: HttpRequest, nomination_id: ObjectId, payload: ProgrammeReasonIn
) -> Any:
    services.nomination_withdraw(
        actor=request.user, nomination=_nomination(request, nomination_id), reason=payload.reason
    )
    return _then_detail(request, nomination_id)


@router.post(
    "/programme/nominations/{nomination_id}/reopen",
    response={200: NominationDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Send a deferred nomination back to the committee (HR)",
)
def nominations_reopen(
    request: HttpRequest, nomination_id: ObjectId, payload: ProgrammeReasonIn
) -> Any:
    services.nomination_reopen(
        actor=request.user, nomination=_nomination(request, nomination_id), reason=payload.reason
    )
    return _then_detail(request, nomination_id)


@router.post(
    "/programme/nominations/{nomination_id}/evidence",
    response={201: NominationEvidenceOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Add a piece of evidence (candidate, nominator, HR; open nominations)",
)
def evidence_create(
    request: HttpRequest, nomination_id: ObjectId, payload: NominationEvidenceIn
) -> Any:
    e = services.evidence_add(
        actor=request.user,
        nomination=_nomination(request, nomination_id),
        title=payload.title,
        detail=payload.detail,
        url=payload.url,
    )
    return Status(
        201, {"id": e.pk, "kind": e.kind, "title": e.title, "detail": e.detail, "url": e.url}
    )


@router.delete(
    "/programme/nominations/{nomination_id}/evidence/{evidence_id}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Remove a piece of evidence",
)
def evidence_delete(request: HttpRequest, nomination_id: ObjectId, evidence_id: ObjectId) -> Any:
    services.evidence_remove(
        actor=request.user, nomination=_nomination(request, nomination_id), evidence_id=evidence_id
    )
    return Status(204, None)


@router.get(
    "/programme/experts",
    response={200: list[ProgrammeAwardOut], **errors(401, 404, 422)},
    summary="The expert directory: valid labels, by domain",
)
def experts_directory(
    request: HttpRequest, domain: int | None = Query(None, ge=1, le=MAX_ID)
) -> Any:
    where = _domain(domain) if domain else None
    return [_award_out(a) for a in selectors.expert_directory(domain=where)]


@router.get(
    "/programme/awards",
    response={200: list[ProgrammeAwardOut], **errors(401)},
    summary="My awards, their history included",
)
def awards_mine(request: HttpRequest) -> Any:
    return [_award_out(a) for a in selectors.awards_for(user=request.user).select_related("user")]


@router.post(
    "/programme/awards/{award_id}/revoke",
    response={200: ProgrammeAwardOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Revoke a label before its term (HR)",
)
def awards_revoke(request: HttpRequest, award_id: ObjectId, payload: RequiredReasonIn) -> Any:
    if not is_hr_admin(request.user):
        raise PermissionDenied("hr_only", services.HR_ONLY)
    award = Award.objects.select_related("user", "domain").filter(pk=award_id).first()
    if award is None:
        raise NotFound("award_not_found", "This award does not exist.")
    award = services.award_revoke(actor=request.user, award=award, reason=payload.reason)
    return _award_out(Award.objects.select_related("user", "domain").get(pk=award.pk))


def _budget_out(user: User) -> dict[str, Any]:
    d = selectors.budget_dashboard(user=user)
    return {
        "year": d.year,
        "percent": d.percent,
        "budget_hours": float(d.budget_hours),
        "used_hours": float(d.used_hours),
        "used_percent": d.used_percent,
        "by_kind": [{"kind": str(label), "hours": float(h)} for label, h in d.by_kind],
        "entries": [_time_out(e) for e in d.entries],
    }


def _time_out(e) -> dict[str, Any]:
    return {"id": e.pk, "kind": e.kind, "day": e.day, "hours": float(e.hours), "note": e.note}


@router.get(
    "/programme/time",
    response={200: BudgetOut, **errors(401)},
    summary="My time budget: hours used this year against my dedicated share",
)
def time_get(request: HttpRequest) -> Any:
    return _budget_out(request.user)


@router.put(
    "/programme/people/{person_id}/budget",
    response={200: BudgetIn, **errors(400, 401, 403, 404, 422)},
    summary="Set an expert's dedicated share of working time, 0 to 100 % (HR)",
)
def budget_put(request: HttpRequest, person_id: ObjectId, payload: BudgetIn) -> Any:
    if not is_hr_admin(request.user):
        raise PermissionDenied("hr_only", services.HR_ONLY)
    budget = services.budget_set(
        actor=request.user, user=_person_get(person_id), percent=payload.percent
    )
    return {"percent": budget.percent}


@router.post(
    "/programme/time",
    response={201: TimeEntryOut, **errors(400, 401, 403, 422)},
    summary="Log programme time (labelled experts)",
)
def time_create(request: HttpRequest, payload: TimeEntryIn) -> Any:
    entry = services.time_log(
        actor=request.user,
        kind=payload.kind.value,
        day=payload.day,
        hours=payload.hours,
        note=payload.note,
    )
    return Status(201, _time_out(entry))


def _event_out(e) -> dict[str, Any]:
    return {
        "id": e.pk,
        "community_id": e.community_id,
        "kind": e.kind,
        "title": e.title,
        "description": e.description,
        "place": e.place,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "capacity": e.capacity,
        "registered": getattr(e, "registered", 0),
        "url": reverse("programme:event", args=[e.pk]),
        "ics_url": reverse("programme:event_ics", args=[e.pk]),
    }


@router.get(
    "/programme/events",
    response={200: list[ProgrammeEventOut], **errors(401)},
    summary="Upcoming expert events in the communities I may see",
)
def events_list(request: HttpRequest) -> Any:
    return [_event_out(e) for e in selectors.events_visible(viewer=request.user)]


@router.post(
    "/programme/events",
    response={201: ProgrammeEventOut, **errors(400, 401, 403, 404, 422)},
    summary="Announce an event in a community (its animators, HR)",
)
def events_create(request: HttpRequest, payload: ProgrammeEventIn) -> Any:
    community = Community.objects.filter(pk=payload.community_id).first()
    if community is None or not can_see_community(user=request.user, community=community):
        raise NotFound("community_not_found", "This community does not exist.")
    event = services.event_create(
        actor=request.user,
        community=community,
        kind=payload.kind.value,
        title=payload.title,
        description=payload.description,
        place=payload.place,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        capacity=payload.capacity,
    )
    return Status(201, _event_out(selectors.event_get(viewer=request.user, event_id=event.pk)))


@router.post(
    "/programme/events/{event_id}/registration",
    response={201: ProgrammeEventOut, **errors(401, 404, 409, 422)},
    summary="Register for an event (409 `event_full`, `already_registered`, `event_past`)",
)
def events_register(request: HttpRequest, event_id: ObjectId) -> Any:
    services.event_register(
        actor=request.user, event=selectors.event_get(viewer=request.user, event_id=event_id)
    )
    return Status(201, _event_out(selectors.event_get(viewer=request.user, event_id=event_id)))


@router.delete(
    "/programme/events/{event_id}/registration",
    response={204: None, **errors(401, 404, 409, 422)},
    summary="Cancel my registration",
)
def events_unregister(request: HttpRequest, event_id: ObjectId) -> Any:
    services.event_unregister(
        actor=request.user, event=selectors.event_get(viewer=request.user, event_id=event_id)
    )
    return Status(204, None)


def _enrolment_out(e: PathEnrolment) -> dict[str, Any]:
    done = {p.step_id: p for p in e.progress.all()}
    steps = [
        {
            "id": s.pk,
            "title": s.title,
            "done": s.pk in done,
            "validated": bool(s.pk in done and done[s.pk].validated_at),
        }
        for s in e.path.steps.all()
    ]
    percent = round(100 * sum(1 for s in steps if s["validated"]) / (len(steps) or 1))
    return {
        "id": e.pk,
        "path_id": e.path_id,
        "user_id": e.user_id,
        "mentor_id": e.mentor_id,
        "percent": percent,
        "steps": steps,
    }


@router.get(
    "/programme/paths",
    response={200: list[PathOut], **errors(401)},
    summary="Soft-skill paths with their steps",
)
def paths_list(request: HttpRequest) -> Any:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "axis": p.axis,
            "description": p.description,
            "steps": [
                {"id": s.pk, "title": s.title, "done": False, "validated": False}
                for s in p.steps.all()
            ],
        }
        for p in selectors.paths_all()
    ]


@router.get(
    "/programme/enrolments",
    response={200: list[EnrolmentOut], **errors(401)},
    summary="The paths I follow and those I mentor, with progress",
)
def enrolments_list(request: HttpRequest) -> Any:
    return [_enrolment_out(e) for e in selectors.enrolments_for(user=request.user)]


@router.post(
    "/programme/paths/{path_id}/enrolments",
    response={201: EnrolmentOut, **errors(400, 401, 404, 409, 422)},
    summary="Follow a path with a mentor",
)
def paths_enrol(request: HttpRequest, path_id: ObjectId, payload: EnrolIn) -> Any:
    path = SkillPath.objects.filter(pk=path_id).first()
    if path is None:
        raise NotFound("path_not_found", "This path does not exist.")
    enrolment = services.path_enrol(
        actor=request.user, path=path, mentor=_person_get(payload.mentor_id)
    )
    return Status(
        201, _enrolment_out(selectors.enrolments_for(user=request.user).get(pk=enrolment.pk))
    )


@router.post(
    "/programme/enrolments/{enrolment_id}/steps/{step_id}/done",
    response={200: EnrolmentOut, **errors(401, 403, 404, 409, 422)},
    summary="Mark a step done (the mentor is asked to validate it)",
)
def steps_done(request: HttpRequest, enrolment_id: ObjectId, step_id: ObjectId) -> Any:
    enrolment = selectors.enrolments_for(user=request.user).filter(pk=enrolment_id).first()
    step = enrolment.path.steps.filter(pk=step_id).first() if enrolment else None
    if step is None:
        raise NotFound("step_not_found", "This step does not exist.")
    services.step_done(actor=request.user, enrolment=enrolment, step=step)
    return _enrolment_out(selectors.enrolments_for(user=request.user).get(pk=enrolment.pk))


@router.post(
    "/programme/progress/{progress_id}/validate",
    response={200: EnrolmentOut, **errors(401, 403, 404, 409, 422)},
    summary="Validate a step done by my mentee (mentors)",
)
def steps_validate(request: HttpRequest, progress_id: ObjectId) -> Any:
    progress = StepProgress.objects.select_related("enrolment").filter(pk=progress_id).first()
    if progress is None or request.user.pk not in (
        progress.enrolment.mentor_id,
        progress.enrolment.user_id,
    ):
        raise NotFound("progress_not_found", "This step does not exist.")
    services.step_validate(actor=request.user, progress=progress)
    return _enrolment_out(selectors.enrolments_for(user=request.user).get(pk=progress.enrolment_id))


@router.get(
    "/programme/dashboard",
    response={200: HrDashboardOut, **errors(401, 403)},
    summary="HR: experts per domain, nominations by stage, renewals due, labelled experts who left",
)
def hr_dashboard(request: HttpRequest) -> Any:
    if not is_hr_admin(request.user):
        raise PermissionDenied("hr_only", services.HR_ONLY)
    d = selectors.hr_dashboard()
    return {
        "experts_per_domain": [{"label": k, "count": v} for k, v in d.experts_per_domain],
        "nominations_by_state": [{"label": k, "count": v} for k, v in d.nominations_by_state],
        "renewals_due": [_award_out(a) for a in d.renewals_due],
        "left": [_award_out(a) for a in d.left],
    }
