"""Q&A and "who knows" pages: questions, answers, votes, the expert finder."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error
from vivier.core.ids import parse_id
from vivier.expertise import services
from vivier.expertise.forms import AnswerForm, ExpertSearchForm, QuestionForm, split_tags
from vivier.expertise.models import Answer
from vivier.expertise.selectors import (
    MAX_QUERY_LENGTH,
    ExpertFilters,
    ExpertResult,
    experts_rank,
    question_answers,
    question_routings,
    questions_readable,
    suggestion_text,
)
from vivier.social import selectors as social_selectors
from vivier.social import services as social_services
from vivier.social.forms import CommentForm
from vivier.social.models import Comment, Community, Post
from vivier.social.permissions import can_edit_post, can_moderate_post, can_post_in

QUESTIONS_PAGE_SIZE = 20
EXPERTS_PAGE_SIZE = 20
# The question page holds two forms with a "body" field: their ids must differ.
COMMENT_IDS = "comment_%s"


# Reads shared by the pages and the API. They compose the social selectors' visibility rule;
# they belong in selectors.py, which this layer does not own (see the hand-over notes).
def _question_or_404(request: HttpRequest, question_id: Any) -> Post:
    try:
        return services.question_get(viewer=request.user, question_id=question_id)
    except ApplicationError:
        raise Http404 from None


def _answer_or_404(request: HttpRequest, answer_id: Any) -> Answer:
    try:
        return services.answer_get(viewer=request.user, answer_id=answer_id)
    except ApplicationError:
        raise Http404 from None


def _question_url(question_id: int, anchor: str = "") -> str:
    url = reverse("expertise:question", args=[question_id])
    return f"{url}#{anchor}" if anchor else url


def question_list(request: HttpRequest) -> HttpResponse:
    """Questions I may read, newest first; filters: unanswered, tag; keyset pages."""
    tag_name = request.GET.get("tag", "")[:64].replace("\x00", "").strip().lstrip("#")
    unanswered = request.GET.get("unanswered") == "1"
    tag = None
    page = social_selectors.FeedPage(posts=[], next_cursor=None)
    unknown_tag = False
    if tag_name:
        try:
            tag = social_selectors.tag_get(name=tag_name)
        except ApplicationError:
            unknown_tag = True
    if not unknown_tag:
        page = social_selectors.feed_page(
            questions_readable(viewer=request.user, tag=tag, unanswered=unanswered),
            viewer=request.user,
            cursor=request.GET.get("cursor"),
            limit=QUESTIONS_PAGE_SIZE,
        )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "questions": page.posts,
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        "tag_name": tag_name,
        "unanswered": unanswered,
    }
    return render(request, "expertise/question_list.html", context)


def _suggestions(
    request: HttpRequest, *, title: str, body: str, tags: list[str], community: Community | None
) -> dict[str, Any]:
    """The experts a question being written would be routed to, for the suggestion panel."""
    text = suggestion_text(title=title, body=body, tags=tags)
    try:
        candidates = services.routing_candidates(asker=request.user, text=text, community=community)
    except ApplicationError:
        return {"suggestions": [], "suggest_empty_query": True}
    return {"suggestions": [result for result, _weight in candidates], "suggest_empty_query": False}


def question_new(request: HttpRequest) -> HttpResponse:
    """Ask a question; the experts it would reach show while it is written."""
    form = QuestionForm(request.POST or None, user=request.user)
    context: dict[str, Any] = {"form": form, "suggestions": None}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            # Without JavaScript, a button shows the same suggestions as the live panel.
            context |= _suggestions(
                request,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                community=data["community"],
            )
        else:
            try:
                question = services.question_ask(
                    actor=request.user,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    community=data["community"],
                )
            except ApplicationError as exc:
                form_add_service_error(form, exc)
            else:
                routed = [r.expert.get_full_name() for r in question_routings(question=question)]
                if routed:
                    messages.success(
                        request,
                        _("Your question was sent to %(names)s.") % {"names": ", ".join(routed)},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Your question is published. Nobody available matched it yet: "
                            "colleagues will find it in the questions."
                        ),
                    )
                return redirect("expertise:question", question_id=question.pk)
    return render(
        request, "expertise/question_form.html", context, status=422 if form.errors else 200
    )


@require_POST
def question_suggest(request: HttpRequest) -> HttpResponse:
    """The suggested experts panel for the question being written (htmx)."""
    title = str(request.POST.get("title", ""))[:200]
    body = str(request.POST.get("body", ""))[:MAX_QUERY_LENGTH]
    tags = split_tags(str(request.POST.get("tags", ""))[:400])[:5]
    community = None
    community_id = parse_id(request.POST.get("community", ""))
    if community_id:
        community = Community.objects.filter(pk=community_id).first()
        if community is not None and not can_post_in(user=request.user, community=community):
            community = None
    context = _suggestions(request, title=title, body=body, tags=tags, community=community)
    return render(request, "expertise/partials/_suggested_experts.html", context)


def _answers_context(
    request: HttpRequest, question: Post, answer_form: AnswerForm | None = None
) -> dict[str, Any]:
    return {
        "question": question,
        "answers": question_answers(question=question, viewer=request.user),
        "answer_form": answer_form or AnswerForm(),
        "is_asker": question.author_id == request.user.pk,
        "can_moderate": can_moderate_post(user=request.user, post=question),
    }


def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    """A question with its answers, comments and (for the asker) the experts it reached."""
    question = _question_or_404(request, question_id)
    social_services.view_record(viewer=request.user, obj=question, target_user=question.author)
    context = _answers_context(request, question)
    context |= {
        "tags": list(question.tags.all()),
        "comments": social_selectors.post_comments(post=question),
        "comment_form": CommentForm(auto_id=COMMENT_IDS),
        "can_edit": can_edit_post(user=request.user, post=question),
        "routings": question_routings(question=question) if context["is_asker"] else [],
    }
    return render(request, "expertise/question_detail.html", context)


def _answers_response(
    request: HttpRequest,
    question: Post,
    *,
    anchor: str,
    form: AnswerForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The answers block for htmx, or a redirect to the question (with any error as a message)."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_question_url(question.pk, anchor))
    context = _answers_context(request, question, form) | {"answers_error": error}
    return render(request, "expertise/partials/_answers.html", context, status=status)


@require_POST
def answer_add(request: HttpRequest, question_id: int) -> HttpResponse:
    """Answer a question (htmx: returns the answers block)."""
    question = _question_or_404(request, question_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_create(
                actor=request.user, question=question, body=form.cleaned_data["body"]
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            question.answer_count += 1
            return _answers_response(request, question, anchor=f"answer-{answer.pk}")
    error = " ".join(e for errors in form.errors.values() for e in errors)
    return _answers_response(
        request, question, anchor="answer-form", form=form, error=error, status=422
    )


def answer_edit(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Edit one's answer on a page of its own."""
    answer = _answer_or_404(request, answer_id)
    if answer.author_id != request.user.pk:
        return render(request, "403.html", status=403)
    form = AnswerForm(request.POST or None, initial={"body": answer.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_update(
                actor=request.user, answer=answer, body=form.cleaned_data["body"]
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Answer updated."))
            return redirect(_question_url(answer.question_id, f"answer-{answer.pk}"))
    return render(
        request,
        "expertise/answer_edit.html",
        {"form": form, "answer": answer, "question": answer.question},
        status=422 if form.errors else 200,
    )


@require_POST
def answer_delete(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Remove an answer (its author, or the question's moderators)."""
    answer = _answer_or_404(request, answer_id)
    try:
        services.answer_delete(actor=request.user, answer=answer)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(_question_url(answer.question_id, f"answer-{answer.pk}"))
    messages.success(request, _("Answer removed."))
    return redirect(_question_url(answer.question_id, "answers"))


@require_POST
def answer_accept(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The asker accepts an answer, or takes the acceptance back (action=unaccept)."""
    answer = _answer_or_404(request, answer_id)
    error, status = "", 200
    try:
        services.answer_accept(
            actor=request.user, answer=answer, accepted=request.POST.get("action") != "unaccept"
        )
    except ApplicationError as exc:
        error, status = str(exc.message), exc.status
    question = _question_or_404(request, answer.question_id)
    return _answers_response(
        request, question, anchor=f"answer-{answer.pk}", error=error, status=status
    )


@require_POST
def answer_vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Vote an answer up (1) or down (-1), or take the vote back (0)."""
    answer = _answer_or_404(request, answer_id)
    error, status = "", 200
    value = {"1": 1, "-1": -1, "0": 0}.get(request.POST.get("value", ""))
    try:
        if value is None:
            raise ApplicationError("vote_invalid", services.VOTE_INVALID, field="value")
        services.answer_vote(actor=request.user, answer=answer, value=value)
    except ApplicationError as exc:
        error, status = str(exc.message), exc.status
    return _answers_response(
        request, answer.question, anchor=f"answer-{answer.pk}", error=error, status=status
    )


@require_POST
def question_comment(request: HttpRequest, question_id: int) -> HttpResponse:
    """Comment on a question or reply to a comment (htmx: returns the comments block)."""
    question = _question_or_404(request, question_id)
    form = CommentForm(request.POST, auto_id=COMMENT_IDS)
    status = 200
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], post=question, deleted_at__isnull=True
            ).first()
        try:
            comment = social_services.comment_create(
                actor=request.user, post=question, body=form.cleaned_data["body"], parent=parent
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
            status = 422
        else:
            form = CommentForm(auto_id=COMMENT_IDS)
            if not request.htmx:
                return redirect(_question_url(question.pk, f"comment-{comment.pk}"))
    else:
        status = 422
    if not request.htmx:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_question_url(question.pk, "comments"))
    question = _question_or_404(request, question_id)
    return render(
        request,
        "expertise/partials/_comments.html",
        {
            "question": question,
            "comments": social_selectors.post_comments(post=question),
            "comment_form": form,
        },
        status=status,
    )


@require_POST
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    """Remove a question (its author, the community's animators, HR)."""
    question = _question_or_404(request, question_id)
    try:
        social_services.post_delete(actor=request.user, post=question)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("expertise:question", question_id=question.pk)
    messages.success(request, _("Question removed."))
    return redirect("expertise:questions")


def _with_bars(results: list[ExpertResult]) -> list[ExpertResult]:
    """Give each result its score relative to the best one, in steps of 5 % (CSS classes)."""
    top = max((r.score for r in results), default=0.0) or 1.0
    for result in results:
        result.bar = max(5, round(result.score / top * 20) * 5)
    return results


def experts(request: HttpRequest) -> HttpResponse:
    """Who knows? People ranked by their evidence, with filters."""
    form = ExpertSearchForm(request.GET or None)
    results: list[ExpertResult] = []
    q, error = "", ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        q = data["q"].strip()
        if q:
            filters = ExpertFilters(
                org_unit=data["org_unit"],
                location_id=data["location"].pk if data["location"] else None,
                language=data["language"],
                available_only=data["available"],
            )
            try:
                results = experts_rank(
                    viewer=request.user, q=q, limit=EXPERTS_PAGE_SIZE, filters=filters
                )
            except ApplicationError as exc:
                error = str(exc.message)
    context = {"form": form, "results": _with_bars(results), "q": q, "error": error}
    template = (
        "expertise/partials/_expert_results.html" if request.htmx else "expertise/experts.html"
    )
    return render(request, template, context, status=422 if form.errors else 200)
