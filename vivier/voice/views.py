"""Employee voice pages: surveys to answer, results under the k rules, ideas, commitments."""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.audit.decorators import audit_access
from vivier.core.charts import bar_chart, line_chart
from vivier.core.csv_export import ExcelCsv
from vivier.core.errors import ApplicationError, NotFound
from vivier.core.forms import form_add_service_error
from vivier.core.ids import parse_id
from vivier.voice import selectors, services
from vivier.voice.forms import (
    AnswerForm,
    CommitmentForm,
    CommitmentUpdateForm,
    IdeaCommentForm,
    IdeaForm,
    IdeaOwnerForm,
    IdeaStatusForm,
    QuestionForm,
    SurveyForm,
)
from vivier.voice.models import Commitment, Idea, Question, Survey, Theme
from vivier.voice.permissions import (
    can_change_idea_status,
    can_manage_commitments,
    can_manage_surveys,
    can_moderate_ideas,
    can_update_commitment,
    managed_units,
)

IDEAS_PAGE_SIZE = 20


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


def _survey_or_404(request: HttpRequest, survey_id: int) -> Survey:
    try:
        return selectors.survey_get(viewer=request.user, survey_id=survey_id)
    except NotFound:
        raise Http404 from None


# Surveys


def home(request: HttpRequest) -> HttpResponse:
    """Surveys addressed to me (to answer), and for HR every survey; links to ideas and
    commitments."""
    surveys = selectors.surveys_for(viewer=request.user)
    context = {
        "surveys": surveys,
        "to_answer": [s for s in surveys if s.addressed and s.open_wave and not s.answered],
        "can_manage": can_manage_surveys(actor=request.user),
        "can_read_results": can_manage_surveys(actor=request.user)
        or bool(managed_units(user=request.user)),
        "ideas": list(selectors.ideas_list(sort="votes")[:5]),
        "commitments": list(selectors.commitments_list()[:5]),
    }
    return render(request, "voice/home.html", context)


def survey_new(request: HttpRequest) -> HttpResponse:
    """Write a draft survey (HR)."""
    if not can_manage_surveys(actor=request.user):
        return _forbidden(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                audience=[u.pk for u in data["audience"]],
                min_group_size=data["min_group_size"],
                recurrence_days=data["recurrence_days"],
                wave_days=data["wave_days"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("voice:survey", survey_id=survey.pk)
    return render(
        request, "voice/survey_form.html", {"form": form}, status=422 if form.errors else 200
    )


def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A survey: HR edits its questions, launches and closes it; others are sent to answer it."""
    survey = _survey_or_404(request, survey_id)
    if not can_manage_surveys(actor=request.user):
        return redirect("voice:answer", survey_id=survey.pk)
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "launch":
                services.survey_launch(actor=request.user, survey=survey)
                messages.success(request, _("The survey is launched."))
                return redirect("voice:survey", survey_id=survey.pk)
            if action == "close":
                services.survey_close(actor=request.user, survey=survey)
                messages.success(request, _("The survey is closed: its results can be read."))
                return redirect("voice:survey", survey_id=survey.pk)
            if action == "remove":
                pk = parse_id(request.POST.get("question", ""))
                question = survey.questions.filter(pk=pk).first() if pk else None
                if question is None:
                    raise Http404
                services.question_remove(actor=request.user, question=question)
                return redirect("voice:survey", survey_id=survey.pk)
            if form.is_valid():
                data = form.cleaned_data
                services.question_add(
                    actor=request.user,
                    survey=survey,
                    template=data["template"],
                    kind=data["kind"] or None,
                    text_fr=data["text_fr"],
                    text_en=data["text_en"],
                    choices=form.choice_list(),
                    theme=data["theme"],
                )
                return redirect("voice:survey", survey_id=survey.pk)
            status = 422
        except ApplicationError as exc:
            if action in ("launch", "close", "remove"):
                messages.error(request, str(exc.message))
                return redirect("voice:survey", survey_id=survey.pk)
            form_add_service_error(form, exc)
            status = 422
        survey = _survey_or_404(request, survey_id)
    context = {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "waves": selectors.survey_waves(survey=survey),
        "form": form,
    }
    return render(request, "voice/survey_detail.html", context, status=status)


def survey_answer(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Answer the survey's open wave, anonymously and once."""
    survey = _survey_or_404(request, survey_id)
    wave = services.current_wave(survey=survey)
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    context: dict[str, Any] = {"survey": survey, "wave": wave, "form": form, "error": ""}
    answered = selectors.has_answered(user=request.user, wave=wave)
    addressed = services.in_audience(survey=survey, user=request.user)
    context |= {"answered": answered, "addressed": addressed}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.response_submit(actor=request.user, survey=survey, answers=form.answers())
            except ApplicationError as exc:
                if exc.field in form.fields:
                    form_add_service_error(form, exc)
                else:
                    context["error"] = str(exc.message)
                return render(request, "voice/answer.html", context, status=exc.status)
            messages.success(request, _("Thank you: your answers are recorded anonymously."))
            return redirect("voice:home")
        return render(request, "voice/answer.html", context, status=422)
    return render(request, "voice/answer.html", context)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


def _csv_lines(results: selectors.WaveResults) -> Iterator[str]:
    """The shown groups' results as CSV for French Excel: one line per group, question and
    value; free text is not exported (it is read on the page, for groups of 10 or more)."""
    out = ExcelCsv()
    yield out.header(
        ["wave", "group", "respondents", "question", "kind", "value", "count", "mean", "enps"]
    )
    for group in [results.group, *results.children]:
        name = group.unit.name if group.unit else _("Whole audience")
        for stats in group.questions:
            if stats.question.is_text:
                continue
            for label, count in zip(stats.labels, stats.counts, strict=True):
                yield out.row(
                    (
                        results.wave.number,
                        name,
                        group.respondents,
                        stats.question.text,
                        stats.question.kind,
                        label,
                        count,
                        _number(stats.mean),
                        _number(stats.enps),
                    )
                )


def _charts(results: selectors.WaveResults) -> dict[int, Any]:
    charts = {}
    for stats in results.group.questions:
        if stats.question.is_text or not stats.counts:
            continue
        rows = list(zip(stats.labels, stats.counts, strict=True))
        charts[stats.question.pk] = bar_chart(rows, title=stats.question.text)
    return charts


def _by_unit_charts(results: selectors.WaveResults) -> list[Any]:
    charts = []
    for index, stats in enumerate(results.group.questions):
        kind = stats.question.kind
        if not results.children or kind not in (Question.Kind.LIKERT, Question.Kind.ENPS):
            continue
        rows = [
            (
                g.unit.name if g.unit else "",
                g.questions[index].mean if kind == "likert" else g.questions[index].enps,
            )
            for g in results.children
        ]
        charts.append(
            bar_chart(
                rows,
                title=stats.question.text,
                max_value=5 if kind == "likert" else None,
            )
        )
    return charts


def _trend_chart(request: HttpRequest, survey: Survey, unit_id: Any) -> Any:
    try:
        points = selectors.survey_trends(viewer=request.user, survey=survey, unit_id=unit_id)
    except ApplicationError:
        return None
    if len(points) < 2:
        return None
    questions = [q for q in survey.questions.all() if q.kind == Question.Kind.LIKERT]
    series = [(q.text, [p.means.get(q.pk) for p in points]) for q in questions]
    return line_chart(
        [_("Wave %(number)s") % {"number": p.wave.number} for p in points],
        series,
        title=_("Average agreement across waves (1 to 5)"),
        y_min=1,
        y_max=5,
    )


@audit_access("hr.survey_results.view", target_type="voice.survey")
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A closed wave's results for one group and the groups under it; `?format=csv` exports
    exactly what the page shows. A group that may not be shown gets a "not enough answers"
    page, never a number."""
    survey = _survey_or_404(request, survey_id)
    wave_id = request.GET.get("wave") or None
    unit_id = request.GET.get("unit") or None
    try:
        results = selectors.wave_results(
            viewer=request.user, survey=survey, wave_id=wave_id, unit_id=unit_id
        )
    except ApplicationError as exc:
        if exc.code in ("survey_not_found", "wave_not_found", "org_unit_not_found"):
            raise Http404 from None
        if exc.code == "results_denied" or exc.code == "group_not_yours":
            return _forbidden(request)
        context = {
            "survey": survey,
            "message": str(exc.message),
            "code": exc.code,
            "waves": selectors.survey_waves(survey=survey),
        }
        return render(request, "voice/results_refused.html", context, status=exc.status)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in _csv_lines(results)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="survey-{survey.pk}-wave-{results.wave.number}-{stamp}.csv"'
        )
        return response
    context = {
        "survey": survey,
        "results": results,
        "charts": _charts(results),
        "unit_charts": _by_unit_charts(results),
        "trend": _trend_chart(request, survey, unit_id),
        "waves": [w for w in selectors.survey_waves(survey=survey) if w.status == "closed"],
        "unit_id": results.group.key,
    }
    return render(request, "voice/results.html", context)


# Ideas


def ideas(request: HttpRequest) -> HttpResponse:
    """The idea box: ideas by recency or votes, a status and tag filter, and a form to post."""
    status = request.GET.get("status", "")
    status = status if status in Idea.Status.values else ""
    sort = "votes" if request.GET.get("sort") == "votes" else "recent"
    tag = request.GET.get("tag", "")[:40].replace("\x00", "").replace(",", "").strip()
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.idea_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                tags=data["tags"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Your idea is posted."))
            return redirect("voice:idea", idea_id=idea.pk)
    page = Paginator(
        selectors.ideas_list(status=status, tag=tag, sort=sort), IDEAS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    items = list(page.object_list)
    context = {
        "page": page,
        "ideas": items,
        "voted": selectors.idea_voters(viewer=request.user, ideas=items),
        "form": form,
        "status": status,
        "sort": sort,
        "tag": tag,
        "statuses": Idea.Status.choices,
    }
    return render(request, "voice/ideas.html", context, status=422 if form.errors else 200)


def _idea_context(request: HttpRequest, idea: Idea, **forms: Any) -> dict[str, Any]:
    return {
        "idea": idea,
        "comments": selectors.idea_comments(idea=idea),
        "voted": bool(selectors.idea_voters(viewer=request.user, ideas=[idea])),
        "comment_form": forms.get("comment_form") or IdeaCommentForm(),
        "status_form": forms.get("status_form") or IdeaStatusForm(),
        "owner_form": forms.get("owner_form") or IdeaOwnerForm(),
        "can_change_status": can_change_idea_status(actor=request.user, idea=idea),
        "can_assign": can_moderate_ideas(actor=request.user),
        "error": forms.get("error", ""),
    }


def _idea_or_404(idea_id: int) -> Idea:
    try:
        return services.idea_get(idea_id=idea_id)
    except NotFound:
        raise Http404 from None


def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    """An idea with its votes, comments and status history."""
    idea = _idea_or_404(idea_id)
    return render(request, "voice/idea_detail.html", _idea_context(request, idea))


@require_POST
def idea_vote(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Vote for an idea or take the vote back (htmx swaps the vote button)."""
    idea = _idea_or_404(idea_id)
    error = ""
    try:
        idea = services.idea_vote(
            actor=request.user, idea=idea, vote=request.POST.get("vote") != "0"
        )
    except ApplicationError as exc:
        error = str(exc.message)
    voted = bool(selectors.idea_voters(viewer=request.user, ideas=[idea]))
    if request.htmx:
        return render(
            request,
            "voice/partials/_vote.html",
            {"idea": idea, "voted": voted, "error": error},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("voice:idea", idea_id=idea.pk)


@require_POST
def idea_comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Comment on an idea."""
    idea = _idea_or_404(idea_id)
    form = IdeaCommentForm(request.POST)
    if form.is_valid():
        try:
            services.idea_comment(actor=request.user, idea=idea, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("voice:idea", idea_id=idea.pk)
    idea = _idea_or_404(idea_id)
    return render(
        request,
        "voice/idea_detail.html",
        _idea_context(request, idea, comment_form=form),
        status=422,
    )


@require_POST
def idea_status(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Move an idea to its next status (owner or HR)."""
    idea = _idea_or_404(idea_id)
    if not can_change_idea_status(actor=request.user, idea=idea):
        return _forbidden(request)
    form = IdeaStatusForm(request.POST)
    if form.is_valid():
        try:
            services.idea_set_status(
                actor=request.user,
                idea=idea,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
            status = exc.status if exc.status != 400 else 422
            return render(
                request,
                "voice/idea_detail.html",
                _idea_context(request, idea, status_form=form),
                status=status,
            )
        return redirect("voice:idea", idea_id=idea.pk)
    return render(
        request,
        "voice/idea_detail.html",
        _idea_context(request, idea, status_form=form),
        status=422,
    )


@require_POST
def idea_owner(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Name an idea's owner (HR)."""
    idea = _idea_or_404(idea_id)
    if not can_moderate_ideas(actor=request.user):
        return _forbidden(request)
    form = IdeaOwnerForm(request.POST)
    if form.is_valid():
        services.idea_assign(actor=request.user, idea=idea, owner_id=form.cleaned_data["owner"].pk)
        return redirect("voice:idea", idea_id=idea.pk)
    return render(
        request, "voice/idea_detail.html", _idea_context(request, idea, owner_form=form), status=422
    )


# Commitments


def commitments(request: HttpRequest) -> HttpResponse:
    """The company's commitments with their progress and the latest score of their theme."""
    context = {
        "commitments": list(selectors.commitments_list()),
        "scores": selectors.theme_scores(),
        "can_manage": can_manage_commitments(actor=request.user),
        "themes": dict(Theme.choices),
    }
    return render(request, "voice/commitments.html", context)


def commitment_new(request: HttpRequest) -> HttpResponse:
    """Publish a commitment (HR)."""
    if not can_manage_commitments(actor=request.user):
        return _forbidden(request)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                theme=data["theme"],
                owner_id=data["owner"].pk,
                due_on=data["due_on"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("voice:commitment", commitment_id=commitment.pk)
    return render(
        request, "voice/commitment_form.html", {"form": form}, status=422 if form.errors else 200
    )


def commitment_detail(request: HttpRequest, commitment_id: int) -> HttpResponse:
    """A commitment with its progress updates; its owner and HR post new ones."""
    try:
        commitment = services.commitment_get(commitment_id=commitment_id)
    except NotFound:
        raise Http404 from None
    may_update = can_update_commitment(actor=request.user, commitment=commitment)
    form = CommitmentUpdateForm(
        request.POST or None,
        initial={"progress": commitment.progress, "status": commitment.status},
    )
    status = 200
    if request.method == "POST":
        if not may_update:
            return _forbidden(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.commitment_progress(
                    actor=request.user,
                    commitment=commitment,
                    text=data["text"],
                    progress=data["progress"],
                    status=data["status"],
                )
            except ApplicationError as exc:
                form_add_service_error(form, exc)
                status = exc.status if exc.status != 400 else 422
            else:
                return redirect("voice:commitment", commitment_id=commitment.pk)
        else:
            status = 422
    context = {
        "commitment": commitment,
        "updates": list(commitment.updates.select_related("author")),
        "form": form,
        "may_update": may_update,
        "score": selectors.theme_scores().get(commitment.theme),
        "theme": dict(Theme.choices).get(commitment.theme, ""),
        "status_labels": dict(Commitment.Status.choices),
    }
    return render(request, "voice/commitment_detail.html", context, status=status)
