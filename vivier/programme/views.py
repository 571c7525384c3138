"""Expert programme pages for candidates, managers, committee members, experts and HR."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.audit.decorators import audit_access
from vivier.core.charts import bar_chart
from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error
from vivier.core.ids import parse_id
from vivier.programme import ical, selectors, services
from vivier.programme.forms import (
    DecisionForm,
    DomainForm,
    EnrolForm,
    EventForm,
    EvidenceForm,
    NominationForm,
    OpinionForm,
    ProjectForm,
    ReasonForm,
    ReviewForm,
    SeatForm,
    TimeEntryForm,
)
from vivier.programme.models import (
    Award,
    Domain,
    Nomination,
    PathEnrolment,
    SkillPath,
    StepProgress,
)


def _hr_or_403(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied


def _nomination_or_404(request: HttpRequest, nomination_id: Any) -> Nomination:
    try:
        return selectors.nomination_get(viewer=request.user, nomination_id=nomination_id)
    except ApplicationError:
        raise Http404 from None


def home(request: HttpRequest) -> HttpResponse:
    """My nominations, what waits for me, my labels and my visibility."""
    user = request.user
    visible = selectors.nominations_visible(viewer=user)
    return render(
        request,
        "programme/home.html",
        {
            "mine": list(visible.filter(candidate=user)),
            "made": list(visible.filter(nominated_by=user).exclude(candidate=user)),
            "to_review": list(selectors.nominations_to_review(viewer=user)),
            "awards": list(selectors.awards_for(user=user)),
            "is_expert": selectors.valid_awards().filter(user=user).exists(),
            "seats": user.programme_seats.all(),
            "projects": user.programme_projects.all(),
            "seat_form": SeatForm(),
            "project_form": ProjectForm(),
            "is_hr": is_hr_admin(user),
        },
    )


def domain_list(request: HttpRequest) -> HttpResponse:
    """Label domains with their criteria and committees."""
    return render(
        request,
        "programme/domain_list.html",
        {"domains": list(selectors.domains_all()), "is_hr": is_hr_admin(request.user)},
    )


def domain_edit(request: HttpRequest, domain_id: int | None = None) -> HttpResponse:
    """Create or change a domain (HR)."""
    _hr_or_403(request)
    domain = None
    initial: dict[str, Any] = {}
    if domain_id is not None:
        try:
            domain = selectors.domain_get(domain_id=domain_id)
        except ApplicationError:
            raise Http404 from None
        initial = {
            "name": domain.name,
            "description": domain.description,
            "skills": list(domain.skills.all()),
            "committee": "\n".join(u.email for u in domain.committee.all()),
            "criteria": "\n".join(f"{c.name} ; {c.weight}" for c in domain.criteria.all()),
            "quorum": domain.quorum,
            "label_years": domain.label_years,
            "community": domain.community,
        }
    form = DomainForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.domain_save(
                actor=request.user,
                domain=domain,
                name=data["name"],
                description=data["description"],
                skill_ids=[s.pk for s in data["skills"]],
                committee_ids=data["committee"],
                quorum=data["quorum"],
                label_years=data["label_years"],
                community=data["community"],
                criteria=data["criteria"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The domain is saved."))
            return redirect("programme:domains")
    return render(request, "programme/domain_form.html", {"form": form, "domain": domain})


def nominate(request: HttpRequest) -> HttpResponse:
    """Apply, or nominate a direct report or a peer."""
    initial = {}
    domain_id = parse_id(request.GET.get("domain", ""))
    if domain_id:
        initial["domain"] = domain_id
    form = NominationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                actor=request.user,
                domain=data["domain"],
                candidate=data["candidate"] or request.user,
                motivation=data["motivation"],
                level=data["level"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The nomination is sent."))
            return redirect("programme:nomination", nomination.pk)
    return render(request, "programme/nominate.html", {"form": form})


def nomination_detail(
    request: HttpRequest, nomination_id: int, forms: dict | None = None
) -> HttpResponse:
    """A nomination: evidence, manager's opinion, reviews (committee and HR), decision, history."""
    nomination = _nomination_or_404(request, nomination_id)
    user = request.user
    roles = selectors.nomination_roles(user, nomination)
    criteria = list(nomination.domain.criteria.all())
    forms = forms or {}
    summary = selectors.review_summary(viewer=user, nomination=nomination)
    my_review = None
    if summary is not None:
        my_review = next((r for r in summary.reviews if r.review.reviewer_id == user.pk), None)
    is_open = nomination.is_open
    state = nomination.state
    can_review = (
        state == Nomination.State.COMMITTEE_REVIEW
        and "committee" in roles
        and not selectors.has_conflict(user, nomination)
    )
    context = {
        "nomination": nomination,
        "roles": roles,
        "criteria": criteria,
        "evidence": list(nomination.evidence.all()),
        "history": list(nomination.transitions.select_related("actor")),
        "summary": summary,
        "review_count": selectors.review_count(nomination),
        "can_edit_evidence": is_open and bool(roles & {"candidate", "nominator", "hr"}),
        "can_withdraw": is_open and bool(roles & {"candidate", "nominator", "hr"}),
        "can_opinion": state == Nomination.State.MANAGER_REVIEW and "manager" in roles,
        "can_review": can_review,
        "can_decide": state == Nomination.State.COMMITTEE_REVIEW and ("hr" in roles or can_review),
        "can_reopen": state == Nomination.State.DEFERRED and "hr" in roles,
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "opinion_form": forms.get("opinion") or OpinionForm(),
        "review_form": forms.get("review")
        or ReviewForm(
            criteria=criteria,
            initial={f"score_{k}": v for k, v in (my_review.scores.items() if my_review else [])}
            | ({"comment": my_review.review.comment} if my_review else {}),
        ),
        "decision_form": forms.get("decision") or DecisionForm(initial={"level": nomination.level}),
        "reason_form": ReasonForm(),
    }
    status = 400 if forms else 200
    return render(request, "programme/nomination_detail.html", context, status=status)


def _act(request: HttpRequest, nomination_id: int, form_key: str, form, call) -> HttpResponse:
    """Run a service from a posted form; show the page again with the error when refused."""
    nomination = _nomination_or_404(request, nomination_id)
    if form.is_valid():
        try:
            call(nomination, form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404 from None
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("programme:nomination", nomination.pk)
    return nomination_detail(request, nomination_id, forms={form_key: form})


@require_POST
def nomination_opinion(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _act(
        request,
        nomination_id,
        "opinion",
        OpinionForm(request.POST),
        lambda n, d: services.manager_opinion_give(
            actor=request.user, nomination=n, opinion=d["opinion"], comment=d["comment"]
        ),
    )


@require_POST
def nomination_review(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination_or_404(request, nomination_id)
    form = ReviewForm(request.POST, criteria=list(nomination.domain.criteria.all()))
    return _act(
        request,
        nomination_id,
        "review",
        form,
        lambda n, d: services.review_submit(
            actor=request.user, nomination=n, scores=form.scores(), comment=d["comment"]
        ),
    )


@require_POST
def nomination_decide(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _act(
        request,
        nomination_id,
        "decision",
        DecisionForm(request.POST),
        lambda n, d: services.nomination_decide(
            actor=request.user,
            nomination=n,
            decision=d["decision"],
            reason=d["reason"],
            level=d["level"],
        ),
    )


@require_POST
def nomination_withdraw(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _act(
        request,
        nomination_id,
        "reason",
        ReasonForm(request.POST),
        lambda n, d: services.nomination_withdraw(
            actor=request.user, nomination=n, reason=d["reason"]
        ),
    )


@require_POST
def nomination_reopen(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _act(
        request,
        nomination_id,
        "reason",
        ReasonForm(request.POST),
        lambda n, d: services.nomination_reopen(
            actor=request.user, nomination=n, reason=d["reason"]
        ),
    )


@require_POST
def evidence_add(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _act(
        request,
        nomination_id,
        "evidence",
        EvidenceForm(request.POST),
        lambda n, d: services.evidence_add(actor=request.user, nomination=n, **d),
    )


@require_POST
def evidence_remove(request: HttpRequest, nomination_id: int, evidence_id: int) -> HttpResponse:
    nomination = _nomination_or_404(request, nomination_id)
    try:
        services.evidence_remove(actor=request.user, nomination=nomination, evidence_id=evidence_id)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("programme:nomination", nomination.pk)


def directory(request: HttpRequest) -> HttpResponse:
    """Labelled experts by domain."""
    domains = list(Domain.objects.all())
    domain = next((d for d in domains if d.pk == parse_id(request.GET.get("domain", ""))), None)
    awards = list(selectors.expert_directory(domain=domain))
    return render(
        request,
        "programme/directory.html",
        {"domains": domains, "domain": domain, "groups": selectors.group_by_domain(awards)},
    )


def time_budget(request: HttpRequest) -> HttpResponse:
    """My dedicated time: the log form and the dashboard of use against budget."""
    form = TimeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.time_log(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The time is logged."))
            return redirect("programme:time")
    dashboard = selectors.budget_dashboard(user=request.user)
    chart = bar_chart(
        [(label, float(hours)) for label, hours in dashboard.by_kind],
        title=_("Hours by activity in %(year)s") % {"year": dashboard.year},
        unit=" h",
    )
    return render(
        request,
        "programme/time.html",
        {
            "form": form,
            "dashboard": dashboard,
            "chart": chart,
            "is_expert": selectors.valid_awards().filter(user=request.user).exists(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def visibility_add(request: HttpRequest, kind: str) -> HttpResponse:
    """Add a governance seat or a strategic project to my profile."""
    form = (SeatForm if kind == "seat" else ProjectForm)(request.POST)
    if form.is_valid():
        try:
            if kind == "seat":
                services.seat_add(actor=request.user, user=request.user, **form.cleaned_data)
            else:
                services.project_add(actor=request.user, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Shown on your profile."))
    else:
        messages.error(request, _("Fill in the name."))
    return redirect("programme:home")


def paths(request: HttpRequest) -> HttpResponse:
    """Soft-skill paths; the ones I follow with my progress; the steps my mentees await."""
    enrolments = list(selectors.enrolments_for(user=request.user))
    for e in enrolments:
        done = {p.step_id: p for p in e.progress.all()}
        e.rows = [(step, done.get(step.pk)) for step in e.path.steps.all()]
        total = len(e.rows) or 1
        e.percent = round(100 * sum(1 for _s, p in e.rows if p and p.validated_at) / total)
    return render(
        request,
        "programme/paths.html",
        {
            "paths": list(selectors.paths_all()),
            "mine": [e for e in enrolments if e.user_id == request.user.pk],
            "mentees": [e for e in enrolments if e.mentor_id == request.user.pk],
            "enrol_form": EnrolForm(),
        },
    )


@require_POST
def path_enrol(request: HttpRequest, path_id: int) -> HttpResponse:
    path = SkillPath.objects.filter(pk=path_id).first()
    if path is None:
        raise Http404
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            services.path_enrol(actor=request.user, path=path, mentor=form.cleaned_data["mentor"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("programme:paths")


@require_POST
def step_done(request: HttpRequest, enrolment_id: int, step_id: int) -> HttpResponse:
    enrolment = PathEnrolment.objects.filter(pk=enrolment_id, user=request.user).first()
    step = enrolment.path.steps.filter(pk=step_id).first() if enrolment else None
    if step is None:
        raise Http404
    try:
        services.step_done(actor=request.user, enrolment=enrolment, step=step)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("programme:paths")


@require_POST
def step_validate(request: HttpRequest, progress_id: int) -> HttpResponse:
    progress = (
        StepProgress.objects.select_related("enrolment")
        .filter(pk=progress_id, enrolment__mentor=request.user)
        .first()
    )
    if progress is None:
        raise Http404
    try:
        services.step_validate(actor=request.user, progress=progress)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("programme:paths")


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming expert events in the communities I may see."""
    events = list(selectors.events_visible(viewer=request.user))
    mine = selectors.registered_event_ids(viewer=request.user, events=events)
    return render(request, "programme/event_list.html", {"events": events, "mine": mine})


def event_new(request: HttpRequest) -> HttpResponse:
    """Announce an event (community animators, HR)."""
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("programme:event", event.pk)
    return render(
        request, "programme/event_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _event_or_404(request: HttpRequest, event_id: Any):
    try:
        return selectors.event_get(viewer=request.user, event_id=event_id)
    except ApplicationError:
        raise Http404 from None


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(request, event_id)
    registered = bool(selectors.registered_event_ids(viewer=request.user, events=[event]))
    return render(
        request, "programme/event_detail.html", {"event": event, "registered": registered}
    )


@require_POST
def event_registration(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(request, event_id)
    try:
        if request.POST.get("action") == "cancel":
            services.event_unregister(actor=request.user, event=event)
        else:
            services.event_register(actor=request.user, event=event)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("programme:event", event.pk)


def _ics(request: HttpRequest, events) -> HttpResponse:
    body = ical.calendar(
        events,
        base_url=f"{request.scheme}://{request.get_host()}",
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vivier-events.ics"'
    return response


def events_ics(request: HttpRequest) -> HttpResponse:
    """The calendar of upcoming events I may see."""
    return _ics(request, selectors.events_visible(viewer=request.user))


def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    """One event as a calendar file."""
    return _ics(request, [_event_or_404(request, event_id)])


@audit_access("hr.programme_dashboard.view")
def hr_dashboard(request: HttpRequest) -> HttpResponse:
    """HR: experts per domain, nominations by stage, renewals due, labelled experts who left."""
    _hr_or_403(request)
    data = selectors.hr_dashboard()
    return render(
        request,
        "programme/hr.html",
        {
            "data": data,
            "experts_chart": bar_chart(data.experts_per_domain, title=_("Experts per domain")),
            "stages_chart": bar_chart(data.nominations_by_state, title=_("Nominations by stage")),
            "experts_time": selectors.experts_time(),
        },
    )


@require_POST
def budget_set(request: HttpRequest, user_id: int) -> HttpResponse:
    """HR sets an expert's dedicated share of working time."""
    _hr_or_403(request)
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise Http404
    raw = request.POST.get("percent", "").strip()
    try:
        services.budget_set(
            actor=request.user, user=person, percent=int(raw) if raw.isdigit() else raw
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Dedicated share of %(name)s: %(percent)s %%.")
            % {"name": person.get_full_name(), "percent": raw},
        )
    return redirect(reverse("programme:hr") + "#time-h")


@require_POST
def award_revoke(request: HttpRequest, award_id: int) -> HttpResponse:
    _hr_or_403(request)
    award = Award.objects.filter(pk=award_id).first()
    if award is None:
        raise Http404
    try:
        services.award_revoke(
            actor=request.user, award=award, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("programme:hr"))
