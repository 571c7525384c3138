"""Q&A writes: asking (with routing to experts), answering, accepting, voting; labels."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.core.ids import parse_id
from vivier.core.markdown import render_markdown
from vivier.core.text import detect_language
from vivier.expertise.models import Answer, AnswerVote, ExpertLabel, QuestionRouting
from vivier.expertise.selectors import ExpertResult, experts_rank
from vivier.people.models import Profile
from vivier.search import services as search
from vivier.social.models import Community, Post
from vivier.social.notifications import notify
from vivier.social.permissions import can_moderate_post, can_view_post
from vivier.social.services import post_create

ANSWER_MAX_LENGTH = 20_000
QUESTION_MAX_TAGS = 5

QUESTION_NOT_FOUND = _("This question does not exist.")
ANSWER_NOT_FOUND = _("This answer does not exist.")
ANSWER_EMPTY = _("Write your answer before sending it.")
ANSWER_TOO_LONG = _("An answer has at most %(max)s characters.")
ONLY_ASKER_ACCEPTS = _("Only the person who asked may accept an answer.")
NO_VOTE_ON_OWN = _("You cannot vote on your own answer.")
VOTE_INVALID = _("A vote is +1 or -1.")
TOO_MANY_TAGS = _("A question has at most %(max)s tags.")
ANSWER_DELETE_DENIED = _("Only the author or a moderator may remove this answer.")
ANSWER_EDIT_DENIED = _("Only the author can edit this answer.")


def _routing_settings() -> tuple[int, int]:
    """How many experts a question is routed to, and how many questions an expert gets a week."""
    return (
        max(1, settings.VIVIER_ROUTING_EXPERTS),
        max(1, settings.VIVIER_ROUTING_WEEKLY_CAP),
    )


def _availability(profile: Profile | None) -> float:
    """How free a person looks: their status, and the share of time they offer (0.5 to 1)."""
    if profile is None:
        return 0.75
    if profile.availability_status == Profile.Status.AWAY:
        return 0.0
    base = 0.5 if profile.availability_status == Profile.Status.BUSY else 1.0
    return base * (0.75 + 0.25 * min(profile.availability_percent, 100) / 100)


def routing_candidates(
    *, asker: User, text: str, community: Community | None, limit: int | None = None
) -> list[tuple[ExpertResult, float]]:
    """Experts for a question, weighted for fairness: (result, routing weight), best first.

    The expertise score is multiplied by the person's availability and divided by one plus the
    questions routed to them in the last 7 days; anyone at the weekly cap or away is left out.
    """
    count, weekly_cap = _routing_settings()
    ranked = experts_rank(
        viewer=asker, q=text, limit=max(count * 5, 10), exclude=[asker.pk], audience=community
    )
    week_ago = timezone.now() - timedelta(days=7)
    recent = dict(
        QuestionRouting.objects.filter(
            expert_id__in=[r.user.pk for r in ranked], routed_at__gte=week_ago
        )
        .values("expert_id")
        .annotate(n=Count("id"))
        .values_list("expert_id", "n")
    )
    weighted = []
    for result in ranked:
        routed = recent.get(result.user.pk, 0)
        availability = _availability(getattr(result.user, "profile", None))
        if routed >= weekly_cap or availability <= 0:
            continue
        weighted.append((result, result.score * availability / (1 + routed)))
    weighted.sort(key=lambda item: (-item[1], item[0].user.pk))
    return weighted[: limit or count]


def _route(question: Post) -> list[QuestionRouting]:
    """Suggest the question to the best available experts and notify them."""
    text = f"{question.title} {' '.join(t.name for t in question.tags.all())} {question.body}"
    try:
        candidates = routing_candidates(
            asker=question.author, text=text, community=question.community
        )
    except ApplicationError:
        # A question without any content word ("C++ ?") matches nobody; it is still asked.
        return []
    routed = []
    for result, weight in candidates:
        routing = QuestionRouting.objects.create(
            question=question, expert=result.user, score=round(weight, 6)
        )
        notify(recipient=result.user, type="question_routed", actor=question.author, post=question)
        routed.append(routing)
    return routed


@transaction.atomic
def question_ask(
    *,
    actor: User,
    title: Any,
    body: Any,
    tags: list[str] | None = None,
    community: Community | None = None,
    route: bool = True,
) -> Post:
    """Ask a question (a post of kind question), then route it to a few qualified experts."""
    tags = [str(t).strip().lstrip("#") for t in (tags or []) if str(t).strip().lstrip("#")]
    if len(tags) > QUESTION_MAX_TAGS:
        raise ApplicationError(
            "too_many_tags", TOO_MANY_TAGS % {"max": QUESTION_MAX_TAGS}, field="tags"
        )
    question = post_create(
        actor=actor,
        kind=Post.Kind.QUESTION,
        title=title,
        body=body,
        community=community,
        tags=tags,
    )
    if route:
        _route(question)
    return question


def question_get(*, viewer: User, question_id: Any) -> Post:
    """A question the viewer may read, or NotFound."""
    pk = parse_id(question_id)
    question = (
        Post.objects.select_related("author", "author__profile", "community")
        .filter(pk=pk, kind=Post.Kind.QUESTION)
        .first()
        if pk
        else None
    )
    if question is None or not can_view_post(user=viewer, post=question):
        raise NotFound("question_not_found", QUESTION_NOT_FOUND)
    return question


def answer_get(*, viewer: User, answer_id: Any) -> Answer:
    """An answer the viewer may read, or NotFound."""
    pk = parse_id(answer_id)
    answer = (
        Answer.objects.select_related("question", "question__community", "author")
        .filter(pk=pk, deleted_at__isnull=True)
        .first()
        if pk
        else None
    )
    if answer is None or not can_view_post(user=viewer, post=answer.question):
        raise NotFound("answer_not_found", ANSWER_NOT_FOUND)
    return answer


def _clean_answer(body: Any) -> str:
    text = body if isinstance(body, str) else ""
    text = text.replace("\x00", "").strip()
    if not text:
        raise ApplicationError("answer_empty", ANSWER_EMPTY, field="body")
    if len(text) > ANSWER_MAX_LENGTH:
        raise ApplicationError(
            "answer_too_long", ANSWER_TOO_LONG % {"max": ANSWER_MAX_LENGTH}, field="body"
        )
    return text


def _render_answer(answer: Answer) -> None:
    answer.body_html = render_markdown(answer.body)
    answer.language = detect_language(answer.body)


@transaction.atomic
def answer_create(*, actor: User, question: Post, body: Any) -> Answer:
    """Answer a readable question; the asker is notified."""
    if question.kind != Post.Kind.QUESTION or not can_view_post(user=actor, post=question):
        raise NotFound("question_not_found", QUESTION_NOT_FOUND)
    answer = Answer(question=question, author=actor, body=_clean_answer(body))
    _render_answer(answer)
    answer.save()
    Post.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    QuestionRouting.objects.filter(
        question=question, expert=actor, answered_at__isnull=True
    ).update(answered_at=timezone.now())
    event_record(actor=actor, verb="create", obj=answer, target_user=question.author)
    notify(recipient=question.author, type="answer", actor=actor, post=question)
    search.index_answer(answer)
    return answer


@transaction.atomic
def answer_update(*, actor: User, answer: Answer, body: Any) -> Answer:
    """Edit one's answer."""
    if answer.author_id != actor.pk or answer.deleted_at is not None:
        raise PermissionDenied("answer_edit_denied", ANSWER_EDIT_DENIED)
    answer.body = _clean_answer(body)
    answer.edited_at = timezone.now()
    _render_answer(answer)
    answer.save()
    event_record(actor=actor, verb="update", obj=answer)
    search.index_answer(answer)
    return answer


@transaction.atomic
def answer_delete(*, actor: User, answer: Answer) -> None:
    """Remove an answer (author or the question's moderators); an accepted one is unaccepted."""
    if answer.author_id != actor.pk and not can_moderate_post(user=actor, post=answer.question):
        raise PermissionDenied("answer_delete_denied", ANSWER_DELETE_DENIED)
    answer.deleted_at, answer.accepted_at = timezone.now(), None
    answer.save(update_fields=["deleted_at", "accepted_at"])
    Post.objects.filter(pk=answer.question_id, answer_count__gt=0).update(
        answer_count=F("answer_count") - 1
    )
    event_record(actor=actor, verb="delete", obj=answer)
    search.index_answer(answer)


@transaction.atomic
def answer_accept(*, actor: User, answer: Answer, accepted: bool = True) -> Answer:
    """The asker accepts an answer (replacing any other accepted one), or takes it back."""
    question = Post.objects.select_for_update().get(pk=answer.question_id)
    if question.author_id != actor.pk:
        raise PermissionDenied("accept_denied", ONLY_ASKER_ACCEPTS)
    previous = list(
        Answer.objects.filter(question=question, accepted_at__isnull=False).exclude(pk=answer.pk)
    )
    for other in previous:
        other.accepted_at = None
        other.save(update_fields=["accepted_at"])
        search.index_answer(other)
    answer.accepted_at = timezone.now() if accepted else None
    answer.save(update_fields=["accepted_at"])
    event_record(
        actor=actor,
        verb="accept" if accepted else "unaccept",
        obj=answer,
        target_user=answer.author,
    )
    if accepted:
        notify(recipient=answer.author, type="answer_accepted", actor=actor, post=question)
    search.index_answer(answer)
    return answer


@transaction.atomic
def answer_vote(*, actor: User, answer: Answer, value: int) -> Answer:
    """Vote +1 or -1 on someone else's answer (again: changes the vote; 0 takes it back)."""
    if value not in (-1, 0, 1):
        raise ApplicationError("vote_invalid", VOTE_INVALID, field="value")
    if answer.author_id == actor.pk:
        raise PermissionDenied("vote_own_answer", NO_VOTE_ON_OWN)
    if value == 0:
        AnswerVote.objects.filter(answer=answer, user=actor).delete()
    else:
        AnswerVote.objects.update_or_create(answer=answer, user=actor, defaults={"value": value})
    total = AnswerVote.objects.filter(answer=answer).aggregate(total=Sum("value"))["total"] or 0
    Answer.objects.filter(pk=answer.pk).update(score=total)
    answer.score = total
    event_record(actor=actor, verb="vote", obj=answer, value=value)
    search.index_answer(answer)
    return answer


@transaction.atomic
def label_grant(*, actor: User | None, user: User, skill_id: int, expires_at=None) -> ExpertLabel:
    """Give the Expert label on a skill (the expert programme decides who)."""
    if (
        ExpertLabel.objects.filter(user=user, skill_id=skill_id, revoked_at__isnull=True)
        .exclude(expires_at__lte=timezone.now())
        .exists()
    ):
        raise Conflict("label_exists", _("This person already holds this label."))
    try:
        label = ExpertLabel.objects.create(
            user=user,
            skill_id=skill_id,
            granted_by=actor,
            granted_at=timezone.now(),
            expires_at=expires_at,
        )
    except IntegrityError as exc:
        raise NotFound("skill_not_found", _("This skill does not exist.")) from exc
    if actor is not None:
        event_record(actor=actor, verb="grant", obj=label, target_user=user)
    expert_levels_refresh(user_ids=[user.pk])
    return label


def expert_levels_refresh(*, user_ids: Iterable[int] | None = None, now: Any = None) -> int:
    """Store each profile's highest valid Expert label level; everyone's when `user_ids` is None.

    Called when labels are granted, changed or revoked, and daily for the labels that expire
    by themselves. Returns how many profiles changed.
    """
    now = now or timezone.now()
    valid = ExpertLabel.objects.filter(revoked_at__isnull=True, granted_at__lte=now).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    profiles = Profile.objects.all()
    if user_ids is not None:
        user_ids = list(user_ids)
        valid = valid.filter(user_id__in=user_ids)
        profiles = profiles.filter(user_id__in=user_ids)
    else:
        # Everyone who holds a label now or held one when last refreshed.
        profiles = profiles.filter(Q(user_id__in=valid.values("user_id")) | ~Q(expert_level=""))
    levels: dict[int, str] = {}
    for user_id, level in valid.values_list("user_id", "level"):
        if levels.get(user_id) != "referent":
            levels[user_id] = "referent" if level == "referent" else "expert"
    changed = 0
    for user_id, current in profiles.values_list("user_id", "expert_level"):
        wanted = levels.get(user_id, "")
        if wanted != current:
            changed += Profile.objects.filter(user_id=user_id).update(expert_level=wanted)
    return changed
