"""Opportunities pages: the marketplace, recommendations both ways, applications, dashboards."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.audit.decorators import audit_access
from vivier.core.charts import bar_chart
from vivier.core.errors import ApplicationError, PermissionDenied
from vivier.core.forms import form_add_service_error
from vivier.opportunities import selectors, services
from vivier.opportunities.forms import ApplicationForm, DecisionForm, MobilityForm, OpportunityForm
from vivier.opportunities.matching import learn_skill_url, who_knows_url
from vivier.opportunities.models import Application, Opportunity

PAGE_SIZE = 30


def _opportunity_or_404(request: HttpRequest, opportunity_id: Any) -> Opportunity:
    try:
        return selectors.opportunity_get(viewer=request.user, opportunity_id=opportunity_id)
    except ApplicationError:
        raise Http404 from None


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in Opportunity.Kind.values else ""


def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Open opportunities I may see, newest first, by kind."""
    kind = _kind(request)
    context = {
        "opportunities": selectors.opportunity_list(
            viewer=request.user, kind=kind, limit=PAGE_SIZE
        ),
        "kind": kind,
        "kinds": Opportunity.Kind.choices,
    }
    return render(request, "opportunities/list.html", context)


def _with_links(match: Any, skills: dict[int, Any]) -> list[dict[str, Any]]:
    """The missing skills of a match, each with its label, its mentors and who knows it."""
    return [
        {
            "label": skills[m.skill_id].label,
            "level": m.level,
            "has_level": m.has_level,
            "required": m.required,
            "url": learn_skill_url(skills[m.skill_id]),
            "experts_url": who_knows_url(skills[m.skill_id]),
        }
        for m in match.missing
        if m.skill_id in skills
    ]


def for_me(request: HttpRequest) -> HttpResponse:
    """Opportunities recommended to me, with why and what I would learn."""
    kind = _kind(request)
    found = selectors.opportunities_for(viewer=request.user, kind=kind)
    rows = [
        {
            "opportunity": m.opportunity,
            "match": m.match,
            "missing": _with_links(m.match, selectors.opportunity_skills(m.opportunity)),
        }
        for m in found
    ]
    context = {
        "rows": rows,
        "kind": kind,
        "kinds": Opportunity.Kind.choices,
        "has_preferences": selectors.mobility_exists(user=request.user),
    }
    return render(request, "opportunities/for_me.html", context)


def _save(request: HttpRequest, form: OpportunityForm, opportunity: Opportunity | None) -> Any:
    data = form.cleaned_data
    try:
        return services.opportunity_save(
            actor=request.user,
            opportunity=opportunity,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            time_share_percent=data["time_share_percent"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            strategic=data["strategic"],
            location=data["location"],
            remote=data["remote"],
            team=data["team"],
            job_role=data["job_role"],
            visibility=data["visibility"],
            visible_units=list(data["visible_units"]),
            skills=data["required_skills"] + data["nice_skills"],
        )
    except ApplicationError as exc:
        form_add_service_error(form, exc)
        return None


def opportunity_new(request: HttpRequest) -> HttpResponse:
    """Write an opportunity; it is saved as a draft, then published from its page."""
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opportunity = _save(request, form, None)
        if opportunity is not None:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    context = {"form": form, "opportunity": None}
    status = 422 if form.errors else 200
    return render(request, "opportunities/form.html", context, status=status)


def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Change an opportunity I own."""
    opportunity = _opportunity_or_404(request, opportunity_id)
    if not selectors.can_manage_opportunity(user=request.user, opportunity=opportunity):
        raise Http404
    if request.method == "POST":
        form = OpportunityForm(request.POST)
        if form.is_valid() and _save(request, form, opportunity) is not None:
            messages.success(request, _("Opportunity saved."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    else:
        form = OpportunityForm(initial=OpportunityForm.initial_of(opportunity))
    context = {"form": form, "opportunity": opportunity}
    status = 422 if form.errors else 200
    return render(request, "opportunities/form.html", context, status=status)


def _detail_context(
    request: HttpRequest, opportunity: Opportunity, apply_form: ApplicationForm | None = None
) -> dict[str, Any]:
    manages = selectors.can_manage_opportunity(user=request.user, opportunity=opportunity)
    mine = Application.objects.filter(opportunity=opportunity, applicant=request.user).first()
    can_apply = (
        mine is None
        and opportunity.owner_id != request.user.pk
        and opportunity.status == Opportunity.Status.OPEN
    )
    return {
        "opportunity": opportunity,
        "skills": list(opportunity.skills.all()),
        "manages": manages,
        "my_application": mine,
        "can_apply": can_apply,
        "apply_form": apply_form or ApplicationForm(),
        "applications": (
            selectors.opportunity_applications(viewer=request.user, opportunity=opportunity)
            if manages
            else []
        ),
        "transitions": [
            action
            for action, (allowed, _target) in services.OPPORTUNITY_TRANSITIONS.items()
            if opportunity.status in allowed
        ],
    }


def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """An opportunity: what it asks, how to apply; for its owner, the applications."""
    opportunity = _opportunity_or_404(request, opportunity_id)
    return render(request, "opportunities/detail.html", _detail_context(request, opportunity))


@require_POST
def opportunity_apply(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Apply with a message; errors show on the form."""
    opportunity = _opportunity_or_404(request, opportunity_id)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.application_create(
                actor=request.user, opportunity=opportunity, message=form.cleaned_data["message"]
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Your application is sent. The owner is notified."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    context = _detail_context(request, opportunity, apply_form=form)
    context["can_apply"] = True
    return render(request, "opportunities/detail.html", context, status=422)


@require_POST
def opportunity_status(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Publish, mark filled, reopen or close."""
    opportunity = _opportunity_or_404(request, opportunity_id)
    try:
        services.opportunity_transition(
            actor=request.user, opportunity=opportunity, action=request.POST.get("action", "")
        )
    except PermissionDenied:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Status updated."))
    return redirect("opportunities:detail", opportunity_id=opportunity.pk)


@audit_access("hr.opportunity_people.view", target_type="opportunities.opportunity")
def opportunity_people(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """People suggested for an opportunity I own, with why and what they lack."""
    opportunity = _opportunity_or_404(request, opportunity_id)
    try:
        found = selectors.people_for(viewer=request.user, opportunity=opportunity)
    except PermissionDenied:
        raise Http404 from None
    labels = selectors.opportunity_skills(opportunity)
    rows = [
        {"profile": m.profile, "match": m.match, "missing": _with_links(m.match, labels)}
        for m in found
    ]
    return render(request, "opportunities/people.html", {"opportunity": opportunity, "rows": rows})


@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """A decision on an application, from its owner, applicant or the applicant's manager."""
    try:
        application = selectors.application_get(viewer=request.user, application_id=application_id)
    except ApplicationError:
        raise Http404 from None
    form = DecisionForm(request.POST)
    back = request.POST.get("next") == "mine"
    if form.is_valid():
        try:
            services.application_transition(
                actor=request.user,
                application=application,
                action=request.POST.get("action", ""),
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if back:
        return redirect("opportunities:mine")
    return redirect("opportunities:detail", opportunity_id=application.opportunity_id)


def mine(request: HttpRequest) -> HttpResponse:
    """My applications, the opportunities I own, and my team's staffing to approve."""
    context = {
        "applications": selectors.applications_mine(viewer=request.user),
        "owned": selectors.opportunity_list(viewer=request.user, status="", mine=True),
        "to_approve": selectors.applications_to_approve(viewer=request.user),
    }
    return render(request, "opportunities/mine.html", context)


def preferences(request: HttpRequest) -> HttpResponse:
    """My mobility preferences: what I want next, and whether owners may find me."""
    prefs = selectors.mobility_get(user=request.user)
    if request.method == "POST":
        form = MobilityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.mobility_update(
                actor=request.user,
                open_to_move=data["open_to_move"],
                suggestible=data["suggestible"],
                desired_roles=list(data["desired_roles"]),
                locations=list(data["locations"]),
                interests=data["interests"],
            )
            messages.success(request, _("Preferences saved."))
            return redirect("opportunities:for_me")
    else:
        initial = {}
        if prefs is not None:
            initial = {
                "open_to_move": prefs.open_to_move,
                "suggestible": prefs.suggestible,
                "desired_roles": list(prefs.desired_roles.all()),
                "locations": list(prefs.locations.all()),
                "interests": ", ".join(s.label for s in prefs.interests.all()),
            }
        form = MobilityForm(initial=initial)
    status = 422 if form.errors else 200
    return render(request, "opportunities/preferences.html", {"form": form}, status=status)


def dashboard(request: HttpRequest) -> HttpResponse:
    """Fill rate, time to staff and share filled from inside, as charts with their data."""
    figures = selectors.dashboard(viewer=request.user)
    by_kind = figures[:-1]
    total = figures[-1]
    charts = [
        bar_chart(
            [(f.label, f.fill_rate, f"{f.published}") for f in by_kind],
            title=_("Fill rate by kind"),
            unit=" %",
            max_value=100,
        ),
        bar_chart(
            [(f.label, f.median_days_to_staff) for f in by_kind],
            title=_("Median days to staff"),
            unit=_(" d"),
        ),
        bar_chart(
            [(f.label, f.inside_rate) for f in by_kind],
            title=_("Filled from inside"),
            unit=" %",
            max_value=100,
        ),
    ]
    context = {"figures": figures, "total": total, "charts": charts}
    return render(request, "opportunities/dashboard.html", context)
