"""Journey pages: my journey, the funnel, transitions, playbooks and uplift, tasks, preferences."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts.models import User
from vivier.core.charts import bar_chart, line_chart
from vivier.core.errors import ApplicationError, NotFound
from vivier.journey import selectors, services
from vivier.journey.models import STAGE_ORDER, Invitation, Stage
from vivier.journey.permissions import (
    can_manage_playbooks,
    can_view_aggregates,
    can_view_all,
    managed_units,
)
from vivier.people.models import OrgUnit
from vivier.social.models import Community


def _error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    template = "404.html" if isinstance(exc, NotFound) else "403.html"
    if exc.status == 403 or isinstance(exc, NotFound):
        return render(request, template, {"exception": exc.message}, status=exc.status)
    return render(request, "journey/error.html", {"message": exc.message}, status=exc.status)


def _journey_page(request: HttpRequest, person: User) -> HttpResponse:
    data = selectors.journey(viewer=request.user, person=person)
    chart = bar_chart(
        [(Stage(stage).label, days) for stage, days in data.days_per_stage],
        title=_("Days in each stage over the last 12 months"),
        unit=_(" d"),
    )
    return render(
        request,
        "journey/me.html",
        {
            "data": data,
            "chart": chart,
            "own": request.user.pk == person.pk,
            "stages": [(s, Stage(s).label) for s in STAGE_ORDER],
            "can_view_aggregates": can_view_aggregates(viewer=request.user),
            "user_is_hr": can_view_all(viewer=request.user),
        },
    )


def me(request: HttpRequest) -> HttpResponse:
    """My journey: my stage, its history, what to do next and what it brings me."""
    return _journey_page(request, request.user)


def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's journey, for HR administrators (and the person)."""
    try:
        found = selectors.person_get(viewer=request.user, person_id=person_id)
    except ApplicationError as exc:
        return _error_page(request, exc)
    return _journey_page(request, found)


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The unit, community and cohort choices the viewer may use."""
    if can_view_all(viewer=request.user):
        units = list(OrgUnit.objects.order_by("path").only("id", "name", "depth"))
    else:
        paths = [u.path for u in managed_units(user=request.user)]
        units = [
            u
            for u in OrgUnit.objects.order_by("path").only("id", "name", "depth", "path")
            if any(u.path.startswith(p) for p in paths)
        ]
    return {
        "units": units,
        "communities": list(
            Community.objects.exclude(visibility=Community.Visibility.SECRET)
            .order_by("name")
            .only("id", "name")
        ),
        "user_is_hr": can_view_all(viewer=request.user),
        "selected": {
            "unit": request.GET.get("unit", ""),
            "community": request.GET.get("community", ""),
            "cohort": request.GET.get("cohort", ""),
        },
    }


def funnel(request: HttpRequest) -> HttpResponse:
    """People per stage (today and month by month), for HR and managers."""
    try:
        scope = selectors.scope_resolve(
            viewer=request.user,
            unit_id=request.GET.get("unit"),
            community_id=request.GET.get("community"),
            cohort=request.GET.get("cohort"),
        )
        day = (
            services.parse_day(request.GET["date"], field="date")
            if request.GET.get("date")
            else None
        )
        data = selectors.funnel(viewer=request.user, scope=scope, day=day)
    except ApplicationError as exc:
        return _error_page(request, exc)
    chart = bar_chart(
        [
            (row["label"], row["count"], "" if row["count"] is not None else _("masked"))
            for row in data.rows
        ],
        title=_("People per stage"),
    )
    history = None
    if len(data.history_dates) > 1:
        history = line_chart(
            [d.strftime("%m/%Y") for d in data.history_dates],
            [(Stage(s).label, data.history[s]) for s in STAGE_ORDER],
            title=_("People per stage, month by month"),
        )
    return render(
        request,
        "journey/funnel.html",
        {"data": data, "chart": chart, "history": history, **_filters(request)},
    )


def transitions(request: HttpRequest) -> HttpResponse:
    """The matrix of stage changes between two days, for HR and managers."""
    latest = selectors.latest_date() or services.now_day()
    try:
        scope = selectors.scope_resolve(
            viewer=request.user,
            unit_id=request.GET.get("unit"),
            community_id=request.GET.get("community"),
            cohort=request.GET.get("cohort"),
        )
        end = services.parse_day(request.GET.get("to") or latest, field="to")
        # Thirty days before the end by default, but not before the first day Python knows.
        start = services.parse_day(
            request.GET.get("from") or (end - min(timedelta(days=30), end - date.min)),
            field="from",
        )
        data = selectors.transitions(viewer=request.user, scope=scope, start=start, end=end)
    except ApplicationError as exc:
        return _error_page(request, exc)
    return render(
        request,
        "journey/transitions.html",
        {
            "data": data,
            "stages": [(s, Stage(s).label) for s in STAGE_ORDER],
            **_filters(request),
        },
    )


def playbooks(request: HttpRequest) -> HttpResponse:
    """Each playbook's actions and measured effect (treated vs control), for HR."""
    if not can_manage_playbooks(viewer=request.user):
        return render(request, "403.html", status=403)
    rows = selectors.uplift(viewer=request.user)
    return render(request, "journey/playbooks.html", {"rows": rows})


def tasks(request: HttpRequest) -> HttpResponse:
    """People I was asked to accompany (as their manager or a community animator)."""
    return render(
        request,
        "journey/tasks.html",
        {"tasks": selectors.tasks_for(viewer=request.user)},
    )


@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    """Mark a task done."""
    try:
        services.task_done(actor=request.user, task_id=task_id)
    except ApplicationError as exc:
        return _error_page(request, exc)
    return redirect("journey:tasks")


@require_POST
def tip_dismiss(request: HttpRequest, tip_id: int) -> HttpResponse:
    """Hide a tip from my journey page."""
    try:
        services.tip_dismiss(actor=request.user, tip_id=tip_id)
    except ApplicationError as exc:
        return _error_page(request, exc)
    return redirect("journey:me")


def preferences(request: HttpRequest) -> HttpResponse:
    """Opt out of (or back into) journey nudges."""
    if request.method == "POST":
        services.preference_set(user=request.user, opted_out=request.POST.get("opted_out") == "1")
        messages.success(request, _("Your choice is saved."))
        return redirect("journey:preferences")
    return render(
        request,
        "journey/preferences.html",
        {"opted_out": selectors.opted_out(user=request.user)},
    )


@login_not_required
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link: confirm, then stop journey nudges for the person it was sent to."""
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except ApplicationError as exc:
            return render(request, "journey/error.html", {"message": exc.message}, status=400)
        return render(request, "journey/unsubscribed.html")
    return render(request, "journey/unsubscribe.html", {"token": token})


@require_POST
def ambassador_answer(request: HttpRequest) -> HttpResponse:
    """Accept or decline the ambassador invitation."""
    try:
        services.ambassador_answer(actor=request.user, accept=request.POST.get("accept") == "1")
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("journey:me")


def _person_from(request: HttpRequest) -> User | None:
    raw = (request.POST.get("person") or "").strip()
    if raw.isdigit():
        return User.objects.filter(pk=int(raw[:18])).first()
    if "@" in raw:
        return User.objects.filter(email__iexact=raw[:254]).first()
    return None


@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a colleague to come and see, or (ambassadors) to contribute."""
    try:
        services.invitation_send(
            actor=request.user,
            invitee=_person_from(request),
            kind=request.POST.get("kind") or Invitation.Kind.JOIN,
            message=request.POST.get("message", ""),
        )
        messages.success(request, _("Your invitation is sent."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("journey:me")


@require_POST
def kudos(request: HttpRequest) -> HttpResponse:
    """Thank a colleague."""
    try:
        services.kudos_give(
            actor=request.user,
            recipient=_person_from(request),
            message=request.POST.get("message", ""),
        )
        messages.success(request, _("Your kudos are sent."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("journey:me")
