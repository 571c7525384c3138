"""Mentoring pages: my intents, suggestions, mentors for a skill, relationships, programmes."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error
from vivier.mentoring import selectors, services
from vivier.mentoring.forms import (
    AdjustForm,
    AskForm,
    FeedbackForm,
    GoalsForm,
    NoteForm,
    OfferForm,
    ProgrammeForm,
    RequestForm,
    SessionForm,
)
from vivier.mentoring.models import Mentorship, Participant, Programme
from vivier.mentoring.permissions import can_manage_programmes, is_in_pair


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any = None
) -> HttpResponse:
    """Render; a bound form with errors answers 422 so tests and htmx see the refusal."""
    status = 422 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def home(request: HttpRequest) -> HttpResponse:
    """My offer, my request, requests waiting for my answer and my relationships."""
    mentorships = list(selectors.mentorships_of(viewer=request.user))
    context = {
        "offer": selectors.offer_of(user=request.user),
        "mentee_request": selectors.request_of(user=request.user),
        "waiting": [
            m
            for m in mentorships
            if m.status == Mentorship.Status.REQUESTED and m.mentor_id == request.user.pk
        ],
        "as_mentor": [m for m in mentorships if m.mentor_id == request.user.pk],
        "as_mentee": [m for m in mentorships if m.mentee_id == request.user.pk],
        "can_manage": can_manage_programmes(request.user),
    }
    return render(request, "mentoring/home.html", context)


def offer_edit(request: HttpRequest) -> HttpResponse:
    """Create or change my mentor offer."""
    offer = selectors.offer_of(user=request.user)
    form = OfferForm(request.POST or None, user=request.user, offer=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offer_save(
                actor=request.user,
                skills=[s.slug for s in data["skills"]],
                capacity=data["capacity"],
                formats=data["formats"],
                languages=data["languages"],
                reverse=data["reverse"],
                active=data["active"],
                note=data["note"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Your mentor offer is saved."))
            return redirect("mentoring:home")
    return _render(request, "mentoring/offer_form.html", {"form": form, "offer": offer}, form)


def request_edit(request: HttpRequest) -> HttpResponse:
    """Create or change my mentee request."""
    found = selectors.request_of(user=request.user)
    form = RequestForm(request.POST or None, request=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_save(
                actor=request.user,
                goals=form.goals(),
                formats=data["formats"],
                languages=data["languages"],
                reverse=data["reverse"],
                prefer_other_department=data["prefer_other_department"],
                active=data["active"],
                note=data["note"],
            )
        except ApplicationError as exc:
            if exc.field == "goals":
                exc.field = "goal_1_skill"
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Your request is saved: here are mentors for you."))
            return redirect("mentoring:suggestions")
    return _render(request, "mentoring/request_form.html", {"form": form, "found": found}, form)


def suggestions(request: HttpRequest) -> HttpResponse:
    """Mentors suggested for my request, with their reasons and gaps."""
    context = {
        "mentee_request": selectors.request_of(user=request.user),
        "suggestions": selectors.suggestions_for(viewer=request.user),
        "ask_form": AskForm(),
    }
    return render(request, "mentoring/suggestions.html", context)


def mentors(request: HttpRequest) -> HttpResponse:
    """Mentors with a place left for a skill: /mentoring/mentors/?skill=<slug>."""
    slug = request.GET.get("skill", "")[:80].replace("\x00", "").strip()
    skill = None
    found: list[selectors.AvailableMentor] = []
    unknown = False
    if slug:
        try:
            skill = selectors.skill_get(slug=slug)
        except ApplicationError:
            unknown = True
        else:
            found = selectors.mentors_for_skill(viewer=request.user, skill=skill)
    context = {"skill": skill, "slug": slug, "mentors": found, "unknown": unknown}
    return render(request, "mentoring/mentors.html", context, status=404 if unknown else 200)


@require_POST
def ask(request: HttpRequest, mentor_id: int) -> HttpResponse:
    """Ask a mentor; refusals come back as a message on the suggestions page."""
    form = AskForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        mentorship = services.mentorship_request(
            actor=request.user, mentor_id=mentor_id, message=message
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("mentoring:suggestions")
    messages.success(
        request,
        _("Your request was sent to %(name)s.") % {"name": mentorship.mentor.get_full_name()},
    )
    return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)


def _mentorship_or_404(request: HttpRequest, mentorship_id: int) -> Mentorship:
    try:
        return selectors.mentorship_get(viewer=request.user, mentorship_id=mentorship_id)
    except ApplicationError:
        raise Http404 from None


def _mentorship_context(
    request: HttpRequest, mentorship: Mentorship, **forms_: Any
) -> dict[str, Any]:
    viewer = request.user
    reasons, gaps = selectors.mentorship_reason_texts(mentorship)
    feedback = selectors.mentorship_feedback(viewer=viewer, mentorship=mentorship)
    in_pair = is_in_pair(user=viewer, mentorship=mentorship)
    return {
        "mentorship": mentorship,
        "reasons": reasons,
        "gaps": gaps,
        "in_pair": in_pair,
        "is_mentor": viewer.pk == mentorship.mentor_id,
        "sessions": selectors.mentorship_sessions(viewer=viewer, mentorship=mentorship),
        "notes": selectors.mentorship_notes(viewer=viewer, mentorship=mentorship),
        "feedback": feedback,
        "gave_feedback": any(f.author_id == viewer.pk for f in feedback),
        "goals_form": forms_.get("goals_form") or GoalsForm(initial={"goals": mentorship.goals}),
        "session_form": forms_.get("session_form") or SessionForm(),
        "note_form": forms_.get("note_form") or NoteForm(),
        "feedback_form": forms_.get("feedback_form") or FeedbackForm(),
    }


def mentorship_detail(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """A relationship: reasons, goals, sessions, private notes (the pair only), feedback."""
    mentorship = _mentorship_or_404(request, mentorship_id)
    return render(request, "mentoring/mentorship.html", _mentorship_context(request, mentorship))


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "goals": GoalsForm,
    "session": SessionForm,
    "note": NoteForm,
    "feedback": FeedbackForm,
}


def _apply(request: HttpRequest, action: str, mentorship: Mentorship, data: dict[str, Any]) -> None:
    actor = request.user
    if action == "accept":
        services.mentorship_answer(actor=actor, mentorship=mentorship, accept=True)
    elif action == "decline":
        services.mentorship_answer(actor=actor, mentorship=mentorship, accept=False)
    elif action == "end":
        services.mentorship_end(actor=actor, mentorship=mentorship)
    elif action == "goals":
        services.mentorship_goals_update(actor=actor, mentorship=mentorship, goals=data["goals"])
    elif action == "session":
        services.session_log(actor=actor, mentorship=mentorship, **data)
    elif action == "note":
        services.note_add(actor=actor, mentorship=mentorship, body=data["body"])
    elif action == "feedback":
        services.feedback_give(actor=actor, mentorship=mentorship, **data)


DONE_MESSAGES = {
    "accept": gettext_lazy("Request accepted: the relationship starts."),
    "decline": gettext_lazy("Request declined."),
    "end": gettext_lazy("The relationship has ended. Share your feedback below."),
    "goals": gettext_lazy("Goals saved."),
    "session": gettext_lazy("Session logged."),
    "note": gettext_lazy("Note added."),
    "feedback": gettext_lazy("Thank you for your feedback."),
}


@require_POST
def mentorship_action(request: HttpRequest, mentorship_id: int, action: str) -> HttpResponse:
    """Accept, decline, end, write goals, log a session, add a note or give feedback."""
    if action not in DONE_MESSAGES:
        raise Http404
    mentorship = _mentorship_or_404(request, mentorship_id)
    form = ACTION_FORMS[action](request.POST) if action in ACTION_FORMS else None
    if form is None or form.is_valid():
        try:
            _apply(request, action, mentorship, form.cleaned_data if form else {})
        except ApplicationError as exc:
            if form is None:
                messages.error(request, str(exc.message))
                return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
            form_add_service_error(form, exc)
        else:
            messages.success(request, str(DONE_MESSAGES[action]))
            return redirect("mentoring:mentorship", mentorship_id=mentorship.pk)
    context = _mentorship_context(request, mentorship, **{f"{action}_form": form})
    return render(request, "mentoring/mentorship.html", context, status=422)


# Programmes ----------------------------------------------------------------------------------


def programme_list(request: HttpRequest) -> HttpResponse:
    """Programmes: all for HR, those I take part in otherwise."""
    context = {
        "programmes": list(selectors.programmes_visible(viewer=request.user)[:200]),
        "can_manage": can_manage_programmes(request.user),
    }
    return render(request, "mentoring/programme_list.html", context)


def programme_new(request: HttpRequest) -> HttpResponse:
    """HR opens a programme with its participants."""
    if not can_manage_programmes(request.user):
        raise Http404
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                actor=request.user,
                name=data["name"],
                description=data["description"],
                reverse=data["reverse"],
                mentor_ids=[u.pk for u in data["mentors"]],
                mentee_ids=[u.pk for u in data["mentees"]],
            )
        except ApplicationError as exc:
            if exc.field in ("mentor_ids", "mentee_ids"):
                exc.field = exc.field.replace("_ids", "s")
            form_add_service_error(form, exc)
        else:
            return redirect("mentoring:programme", programme_id=programme.pk)
    return _render(request, "mentoring/programme_form.html", {"form": form}, form)


def _programme_or_404(request: HttpRequest, programme_id: int) -> Programme:
    try:
        return selectors.programme_get(viewer=request.user, programme_id=programme_id)
    except ApplicationError:
        raise Http404 from None


def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A programme: statistics, pairs with reasons, unmatched mentees explained (HR)."""
    programme = _programme_or_404(request, programme_id)
    return render(request, "mentoring/programme.html", _programme_context(request, programme))


def _programme_context(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    pairs = selectors.programme_pairs(viewer=request.user, programme=programme)
    can_manage = can_manage_programmes(request.user)
    participants = selectors.programme_participants(programme=programme) if can_manage else []
    mentors = [p.user for p in participants if p.role == Participant.Role.MENTOR]
    texts = selectors.reason_texts(pairs)
    rows = [{"pair": p, "reasons": texts[p.pk][0], "gaps": texts[p.pk][1]} for p in pairs]
    unmatched = selectors.programme_unmatched(viewer=request.user, programme=programme) or []
    editable = can_manage and programme.status == Programme.Status.ASSIGNED
    return {
        "programme": programme,
        "stats": selectors.programme_stats(programme=programme),
        "rows": rows,
        "unmatched": [
            {"participant": p, "reason": selectors.unmatched_text(p.unmatched_reason)}
            for p in unmatched
        ],
        "can_manage": can_manage,
        "editable": editable,
        "mentors": mentors,
        "adjust_form": AdjustForm(mentors=mentors) if editable else None,
    }


@require_POST
def programme_action(request: HttpRequest, programme_id: int, action: str) -> HttpResponse:
    """HR: assign, adjust, publish or close a programme."""
    programme = _programme_or_404(request, programme_id)
    done = {
        "assign": _("The assignment is ready to review."),
        "adjust": _("The assignment is adjusted."),
        "publish": _("The pairs are published and notified."),
        "close": _("The programme is closed."),
    }
    if action not in done:
        raise Http404
    try:
        if action == "assign":
            services.programme_assign(actor=request.user, programme=programme)
        elif action == "publish":
            services.programme_publish(actor=request.user, programme=programme)
        elif action == "close":
            services.programme_close(actor=request.user, programme=programme)
        else:
            mentors = selectors.programme_participants(programme=programme)
            form = AdjustForm(
                request.POST,
                mentors=[p.user for p in mentors if p.role == Participant.Role.MENTOR],
            )
            if not form.is_valid():
                messages.error(request, _("Pick a mentor of the programme."))
                return redirect("mentoring:programme", programme_id=programme.pk)
            services.programme_adjust(
                actor=request.user,
                programme=programme,
                mentee_id=form.cleaned_data["mentee"],
                mentor_id=form.cleaned_data["mentor"],
            )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done[action])
    return redirect("mentoring:programme", programme_id=programme.pk)
