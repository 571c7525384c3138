"""Employee voice writes: surveys and waves, anonymous answers, ideas, commitments."""

import random
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.core.ids import parse_id
from vivier.people.models import OrgUnit
from vivier.social.notifications import notify
from vivier.voice.models import (
    MIN_GROUP_SIZE_FLOOR,
    Answer,
    Commitment,
    CommitmentUpdate,
    Idea,
    IdeaComment,
    IdeaVote,
    Participation,
    Question,
    Submission,
    Survey,
    Theme,
    Wave,
)
from vivier.voice.permissions import (
    can_change_idea_status,
    can_manage_commitments,
    can_manage_surveys,
    can_moderate_ideas,
    can_update_commitment,
)
from vivier.voice.question_bank import TEMPLATES_BY_CODE
from vivier.voice.tasks import survey_open_notify

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
QUESTION_MAX = 300
CHOICES_MAX = 12
CHOICE_MAX = 120
TEXT_ANSWER_MAX = 2000
IDEA_MAX = 5000
COMMENT_MAX = 3000
TAGS_MAX = 5
TAG_MAX = 40
MAX_K = 50
MAX_DAYS = 366

SURVEY_NOT_FOUND = _("This survey does not exist.")
SURVEY_MANAGE_DENIED = _("Only HR administrators manage surveys.")
SURVEY_NOT_DRAFT = _("This survey was launched: its questions and threshold are fixed.")
SURVEY_NO_QUESTION = _("Add at least one question before launching the survey.")
SURVEY_NOT_OPEN = _("This survey is not open.")
SURVEY_ALREADY_CLOSED = _("This survey is already closed.")
WAVE_NOT_OPEN = _("This survey is not open for answers.")
NOT_IN_AUDIENCE = _("This survey is not addressed to you.")
ALREADY_ANSWERED = _("You already answered this survey.")
TITLE_REQUIRED = _("Give a title.")
TEXT_TOO_LONG = _("At most %(max)s characters.")
K_TOO_SMALL = _("The minimum group size is at least %(min)s and at most %(max)s.")
DAYS_INVALID = _("Between %(min)s and %(max)s days.")
UNIT_NOT_FOUND = _("This org unit does not exist.")
QUESTION_KIND_INVALID = _("Unknown kind of question.")
QUESTION_TEXT_REQUIRED = _("Write the question in French.")
CHOICES_REQUIRED = _("A choice question needs between 2 and %(max)s choices.")
CHOICES_FORBIDDEN = _("Only choice questions have choices.")
THEME_INVALID = _("Unknown theme.")
TEMPLATE_NOT_FOUND = _("Unknown standard question.")
QUESTION_NOT_FOUND = _("This question does not exist.")
ANSWER_MISSING = _("Answer this question.")
ANSWER_OUT_OF_RANGE = _("This answer is not one of the possible values.")
ANSWER_UNKNOWN_QUESTION = _("These answers name a question that is not in this survey.")
IDEA_NOT_FOUND = _("This idea does not exist.")
DESCRIPTION_REQUIRED = _("Describe the idea.")
TOO_MANY_TAGS = _("At most %(max)s tags of %(length)s characters.")
OWN_IDEA_VOTE = _("You cannot vote for your own idea.")
IDEA_STATUS_DENIED = _("Only the idea's owner or HR may change its status.")
IDEA_ASSIGN_DENIED = _("Only HR administrators assign ideas.")
INVALID_TRANSITION = _("An idea cannot go from “%(from)s” to “%(to)s”.")
REASON_REQUIRED = _("Say why the idea is declined.")
COMMENT_REQUIRED = _("Write a comment.")
OWNER_NOT_FOUND = _("This person does not exist.")
COMMITMENT_NOT_FOUND = _("This commitment does not exist.")
COMMITMENT_MANAGE_DENIED = _("Only HR administrators create commitments.")
COMMITMENT_UPDATE_DENIED = _("Only the commitment's owner or HR may report progress.")
COMMITMENT_TRANSITION = _("A commitment cannot go from “%(from)s” to “%(to)s”.")
PROGRESS_INVALID = _("Progress is a percentage from 0 to 100.")
UPDATE_REQUIRED = _("Say what was done.")

IDEA_TRANSITIONS: dict[str, set[str]] = {
    Idea.Status.NEW: {Idea.Status.UNDER_REVIEW, Idea.Status.DECLINED},
    Idea.Status.UNDER_REVIEW: {Idea.Status.ACCEPTED, Idea.Status.DECLINED},
    Idea.Status.ACCEPTED: {Idea.Status.DONE, Idea.Status.DECLINED},
    Idea.Status.DONE: set(),
    Idea.Status.DECLINED: set(),
}
COMMITMENT_TRANSITIONS: dict[str, set[str]] = {
    Commitment.Status.PLANNED: {Commitment.Status.IN_PROGRESS, Commitment.Status.ABANDONED},
    Commitment.Status.IN_PROGRESS: {Commitment.Status.DONE, Commitment.Status.ABANDONED},
    Commitment.Status.DONE: set(),
    Commitment.Status.ABANDONED: set(),
}


# Helpers


def _text(value: Any, *, field: str, max_length: int, required: Any = None) -> str:
    """Clean text: a string without NUL, stripped, within bounds."""
    text = value if isinstance(value, str) else ""
    text = text.replace("\x00", "").strip()
    if required and not text:
        raise ApplicationError(f"{field}_required", required, field=field)
    if len(text) > max_length:
        raise ApplicationError("text_too_long", TEXT_TOO_LONG % {"max": max_length}, field=field)
    return text


def _int(value: Any) -> int | None:
    """A JSON integer (never a boolean or a string), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value)


def _require_survey_manager(actor: User) -> None:
    if not can_manage_surveys(actor=actor):
        raise PermissionDenied("survey_manage_denied", SURVEY_MANAGE_DENIED)


def _require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise Conflict("survey_launched", SURVEY_NOT_DRAFT)


def _days(value: Any, *, field: str, minimum: int) -> int:
    number = _int(value)
    if number is None or not minimum <= number <= MAX_DAYS:
        raise ApplicationError(
            "days_invalid", DAYS_INVALID % {"min": minimum, "max": MAX_DAYS}, field=field
        )
    return number


def _units(unit_ids: Any) -> list[OrgUnit]:
    ids = [parse_id(u) for u in (unit_ids or [])]
    if any(i is None for i in ids):
        raise ApplicationError("org_unit_not_found", UNIT_NOT_FOUND, field="audience")
    units = list(OrgUnit.objects.filter(pk__in=ids))
    if len(units) != len(set(ids)):
        raise ApplicationError("org_unit_not_found", UNIT_NOT_FOUND, field="audience")
    return units


# Surveys


def audience_users(*, survey: Survey) -> QuerySet[User]:
    """The active people a survey is addressed to (everyone when it names no unit)."""
    people = User.objects.filter(is_active=True)
    units = list(survey.audience_units.all())
    if not units:
        return people
    where = Q()
    for unit in units:
        where |= Q(profile__org_unit__path__startswith=unit.path)
    return people.filter(where)


def in_audience(*, survey: Survey, user: User) -> bool:
    """Whether `user` is one of the people the survey is addressed to."""
    return audience_users(survey=survey).filter(pk=user.pk).exists()


@transaction.atomic
def survey_create(
    *,
    actor: User,
    title: Any,
    description: Any = "",
    audience: Any = None,
    min_group_size: Any = 5,
    recurrence_days: Any = 0,
    wave_days: Any = 14,
) -> Survey:
    """Write a draft survey (HR): its audience, threshold k and rhythm."""
    _require_survey_manager(actor)
    k = _int(min_group_size)
    if k is None or not MIN_GROUP_SIZE_FLOOR <= k <= MAX_K:
        raise ApplicationError(
            "min_group_size_invalid",
            K_TOO_SMALL % {"min": MIN_GROUP_SIZE_FLOOR, "max": MAX_K},
            field="min_group_size",
        )
    recurrence = _int(recurrence_days)
    if recurrence != 0:
        recurrence = _days(recurrence_days, field="recurrence_days", minimum=1)
    survey = Survey.objects.create(
        title=_text(title, field="title", max_length=TITLE_MAX, required=TITLE_REQUIRED),
        description=_text(description, field="description", max_length=DESCRIPTION_MAX),
        min_group_size=k,
        recurrence_days=recurrence,
        wave_days=_days(wave_days, field="wave_days", minimum=1),
        created_by=actor,
    )
    survey.audience_units.set(_units(audience))
    event_record(actor=actor, verb="create", obj=survey)
    return survey


def _clean_choices(kind: str, choices: Any) -> list[dict[str, str]]:
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if choices:
            raise ApplicationError("choices_forbidden", CHOICES_FORBIDDEN, field="choices")
        return []
    cleaned = []
    for choice in choices if isinstance(choices, list) else []:
        if isinstance(choice, str):
            choice = {"fr": choice, "en": ""}
        if not isinstance(choice, dict):
            continue
        fr = _text(choice.get("fr"), field="choices", max_length=CHOICE_MAX)
        en = _text(choice.get("en"), field="choices", max_length=CHOICE_MAX)
        if fr or en:
            cleaned.append({"fr": fr or en, "en": en})
    if not 2 <= len(cleaned) <= CHOICES_MAX:
        raise ApplicationError(
            "choices_required", CHOICES_REQUIRED % {"max": CHOICES_MAX}, field="choices"
        )
    return cleaned


@transaction.atomic
def question_add(
    *,
    actor: User,
    survey: Survey,
    kind: Any = None,
    text_fr: Any = "",
    text_en: Any = "",
    choices: Any = None,
    theme: Any = "",
    template: Any = "",
) -> Question:
    """Add a question to a draft survey: written, or picked from the standard questions."""
    _require_survey_manager(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    if template:
        found = TEMPLATES_BY_CODE.get(str(template))
        if found is None:
            raise ApplicationError("template_not_found", TEMPLATE_NOT_FOUND, field="template")
        kind, text_fr, text_en = found.kind, found.text_fr, found.text_en
        choices, theme = found.choices, found.theme
    if kind not in Question.Kind.values:
        raise ApplicationError("question_kind_invalid", QUESTION_KIND_INVALID, field="kind")
    theme = theme or ""
    if theme and theme not in Theme.values:
        raise ApplicationError("theme_invalid", THEME_INVALID, field="theme")
    position = survey.questions.count()
    question = Question.objects.create(
        survey=survey,
        position=position,
        kind=kind,
        text_fr=_text(
            text_fr, field="text_fr", max_length=QUESTION_MAX, required=QUESTION_TEXT_REQUIRED
        ),
        text_en=_text(text_en, field="text_en", max_length=QUESTION_MAX),
        choices=_clean_choices(kind, choices),
        theme=theme,
        template_code=str(template or ""),
    )
    return question


@transaction.atomic
def question_remove(*, actor: User, question: Question) -> None:
    """Remove a question from a draft survey."""
    _require_survey_manager(actor)
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _require_draft(survey)
    question.delete()


def _notify_open(survey: Survey, wave: Wave, actor: User | None) -> None:
    # One notification per person of the audience (up to the whole company): a background
    # task, queued in this transaction so that it runs only if the launch is committed.
    survey_open_notify.enqueue(
        survey_id=survey.pk, wave_id=wave.pk, actor_id=actor.pk if actor else None
    )


def _open_wave(survey: Survey, number: int, today: date) -> Wave:
    return Wave.objects.create(
        survey=survey,
        number=number,
        opens_on=today,
        closes_on=today + timedelta(days=survey.wave_days - 1),
    )


@transaction.atomic
def survey_launch(*, actor: User, survey: Survey, today: date | None = None) -> Survey:
    """Launch a draft survey: its first wave opens, k and the questions are fixed from now."""
    _require_survey_manager(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    if not survey.questions.exists():
        raise ApplicationError("survey_no_question", SURVEY_NO_QUESTION)
    survey.status = Survey.Status.OPEN
    survey.launched_at = timezone.now()
    survey.save(update_fields=["status", "launched_at", "updated_at"])
    wave = _open_wave(survey, 1, today or timezone.localdate())
    event_record(actor=actor, verb="publish", obj=survey)
    _notify_open(survey, wave, actor)
    return survey


def org_tree_snapshot() -> dict[str, list[Any]]:
    """The org chart now, as a wave keeps it when it closes: {"id": [parent id, name]}."""
    return {
        str(pk): [parent, name]
        for pk, parent, name in OrgUnit.objects.values_list("id", "parent_id", "name")
    }


def _close_waves(waves: QuerySet[Wave]) -> int:
    """Close these waves, each with the org chart it will be grouped by."""
    tree = org_tree_snapshot()
    closed = 0
    for wave in waves.select_for_update():
        wave.status = Wave.Status.CLOSED
        wave.org_tree = tree
        wave.save(update_fields=["status", "org_tree"])
        closed += 1
    return closed


@transaction.atomic
def wave_close(*, actor: User | None, wave: Wave) -> Wave:
    """Close an open wave: no more answers, its results may be read (under the k rules)."""
    if actor is not None:
        _require_survey_manager(actor)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status != Wave.Status.OPEN:
        raise Conflict("wave_not_open", WAVE_NOT_OPEN)
    _close_waves(Wave.objects.filter(pk=wave.pk))
    wave.refresh_from_db()
    if actor is not None:
        event_record(actor=actor, verb="close", obj=wave, object_type="voice.wave")
    return wave


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    """Close a launched survey and its open wave: no wave will open again."""
    _require_survey_manager(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise Conflict("survey_closed", SURVEY_ALREADY_CLOSED)
    if survey.status != Survey.Status.OPEN:
        raise Conflict("survey_not_open", SURVEY_NOT_OPEN)
    _close_waves(Wave.objects.filter(survey=survey, status=Wave.Status.OPEN))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, verb="close", obj=survey)
    return survey


@transaction.atomic
def waves_roll(*, today: date | None = None) -> dict[str, int]:
    """Close the waves past their last day and open the next wave of recurring pulses when due."""
    today = today or timezone.localdate()
    closed = _close_waves(Wave.objects.filter(status=Wave.Status.OPEN, closes_on__lt=today))
    opened = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, recurrence_days__gt=0):
        last = survey.waves.order_by("-number").first()
        if last is None or last.status == Wave.Status.OPEN:
            continue
        if last.opens_on + timedelta(days=survey.recurrence_days) <= today:
            wave = _open_wave(survey, last.number + 1, today)
            _notify_open(survey, wave, None)
            opened += 1
    return {"closed": closed, "opened": opened}


def _clean_answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """The stored fields of one answer, or None for an empty free text; raises when invalid."""
    field = f"q{question.pk}"
    if question.kind == Question.Kind.TEXT:
        text = _text(raw, field=field, max_length=TEXT_ANSWER_MAX) if raw is not None else ""
        return {"text": text} if text else None
    if raw is None or raw == "" or raw == []:
        raise ApplicationError("answer_missing", ANSWER_MISSING, field=field)
    if question.kind == Question.Kind.MULTIPLE:
        values = [_int(v) for v in raw] if isinstance(raw, list) else [None]
        if any(v is None or not 0 <= v < len(question.choices) for v in values):
            raise ApplicationError("answer_out_of_range", ANSWER_OUT_OF_RANGE, field=field)
        return {"choices": sorted(set(values))}
    value = _int(raw)
    low, high = {
        Question.Kind.LIKERT: (1, 5),
        Question.Kind.ENPS: (0, 10),
        Question.Kind.SINGLE: (0, len(question.choices) - 1),
    }[question.kind]
    if value is None or not low <= value <= high:
        raise ApplicationError("answer_out_of_range", ANSWER_OUT_OF_RANGE, field=field)
    return {"value": value}


def current_wave(*, survey: Survey) -> Wave | None:
    """The survey's open wave, if any."""
    return survey.waves.filter(status=Wave.Status.OPEN).first()


def response_submit(
    *, actor: User, survey: Survey, answers: dict[Any, Any], today: date | None = None
) -> Wave:
    """Answer the survey's open wave anonymously, once.

    The person is recorded only in a Participation row (to refuse a second answer); the answers
    and the Submission that counts the respondent hold their org unit and the day, nothing else.
    """
    today = today or timezone.localdate()
    wave = current_wave(survey=survey)
    # A survey's waves close with it, so an open wave is enough (the survey object may be stale).
    if wave is None or wave.closes_on < today:
        raise Conflict("survey_not_open", WAVE_NOT_OPEN)
    if not in_audience(survey=survey, user=actor):
        raise PermissionDenied("not_in_audience", NOT_IN_AUDIENCE)
    if Participation.objects.filter(wave=wave, user=actor).exists():
        raise Conflict("already_answered", ALREADY_ANSWERED)
    questions = list(survey.questions.all())
    known = {str(q.pk) for q in questions} | {f"q{q.pk}" for q in questions}
    if any(str(key) not in known for key in answers):
        raise ApplicationError("unknown_question", ANSWER_UNKNOWN_QUESTION)
    by_id = {str(key).removeprefix("q"): value for key, value in answers.items()}
    cleaned = [(q, _clean_answer(q, by_id.get(str(q.pk)))) for q in questions]
    unit_id = getattr(getattr(actor, "profile", None), "org_unit_id", None)
    rows = [
        Answer(wave=wave, question=q, org_unit_id=unit_id, answered_on=today, **fields)
        for q, fields in cleaned
        if fields is not None
    ]
    # Rows are written in a random order so that neither their order nor anything else ties
    # them to one another.
    random.SystemRandom().shuffle(rows)
    try:
        with transaction.atomic():
            Participation.objects.create(wave=wave, user=actor)
            Submission.objects.create(wave=wave, org_unit_id=unit_id, submitted_on=today)
            Answer.objects.bulk_create(rows)
            # The event says who took part in which survey (for the adoption journey), never
            # what they answered.
            event_record(actor=actor, verb="participate", obj=survey)
    except IntegrityError:
        raise Conflict("already_answered", ALREADY_ANSWERED) from None
    return wave


def reminders_send(*, today: date | None = None, window_days: int | None = None) -> int:
    """Remind the audience of each open wave who have not answered, at most once per window."""
    from django.conf import settings

    from vivier.voice.models import SurveyReminder

    today = today or timezone.localdate()
    window = max(1, window_days or settings.VIVIER_VOICE_REMINDER_DAYS)
    sent = 0
    waves = Wave.objects.filter(
        status=Wave.Status.OPEN, survey__status=Survey.Status.OPEN, closes_on__gte=today
    ).select_related("survey")
    for wave in waves:
        answered = Participation.objects.filter(wave=wave).values("user_id")
        recent = SurveyReminder.objects.filter(
            wave=wave, sent_on__gt=today - timedelta(days=window)
        ).values("user_id")
        people = (
            audience_users(survey=wave.survey)
            .exclude(pk__in=answered)
            .exclude(pk__in=recent)
            .only("id", "language", "is_active")
        )
        text = format_lazy(
            _("Reminder: the survey “{title}” is open until {day}"),
            title=wave.survey.title,
            day=wave.closes_on,
        )
        url = reverse("voice:answer", args=[wave.survey_id])
        for person in people:
            with transaction.atomic():
                SurveyReminder.objects.update_or_create(
                    wave=wave, user=person, defaults={"sent_on": today}
                )
                notify(recipient=person, type="voice_survey_reminder", text=text, url=url)
            sent += 1
    return sent


# Ideas


def _tags(tags: Any) -> list[str]:
    if tags is None:
        return []
    items = tags if isinstance(tags, list) else str(tags).split(",")
    cleaned = list(
        dict.fromkeys(
            str(t).replace("\x00", "").replace(",", " ").strip().lstrip("#").lower() for t in items
        )
    )
    cleaned = [t for t in cleaned if t]
    if len(cleaned) > TAGS_MAX or any(len(t) > TAG_MAX for t in cleaned):
        raise ApplicationError(
            "too_many_tags", TOO_MANY_TAGS % {"max": TAGS_MAX, "length": TAG_MAX}, field="tags"
        )
    return cleaned


@transaction.atomic
def idea_create(*, actor: User, title: Any, description: Any, tags: Any = None) -> Idea:
    """Post an idea to the idea box."""
    idea = Idea.objects.create(
        title=_text(title, field="title", max_length=TITLE_MAX, required=TITLE_REQUIRED),
        description=_text(
            description, field="description", max_length=IDEA_MAX, required=DESCRIPTION_REQUIRED
        ),
        tags=(cleaned_tags := _tags(tags)),
        tags_text="," + ",".join(cleaned_tags) + "," if cleaned_tags else "",
        author=actor,
    )
    event_record(actor=actor, verb="create", obj=idea)
    return idea


def idea_get(*, idea_id: Any) -> Idea:
    """One idea, or NotFound (every employee may read every idea)."""
    pk = parse_id(idea_id)
    idea = Idea.objects.select_related("author", "owner").filter(pk=pk).first() if pk else None
    if idea is None:
        raise NotFound("idea_not_found", IDEA_NOT_FOUND)
    return idea


@transaction.atomic
def idea_vote(*, actor: User, idea: Idea, vote: bool) -> Idea:
    """Support an idea (or take the support back); idempotent."""
    if idea.author_id == actor.pk:
        raise ApplicationError("own_idea", OWN_IDEA_VOTE)
    if vote:
        _vote, created = IdeaVote.objects.get_or_create(idea=idea, user=actor)
        if created:
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
            event_record(actor=actor, verb="like", obj=idea, target_user=idea.author)
    elif IdeaVote.objects.filter(idea=idea, user=actor).delete()[0]:
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
    idea.refresh_from_db(fields=["vote_count"])
    return idea


@transaction.atomic
def idea_comment(*, actor: User, idea: Idea, body: Any) -> IdeaComment:
    """Comment on an idea; its author is told."""
    comment = IdeaComment.objects.create(
        idea=idea,
        author=actor,
        body=_text(body, field="body", max_length=COMMENT_MAX, required=COMMENT_REQUIRED),
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    event_record(actor=actor, verb="create", obj=comment, target_user=idea.author)
    notify(
        recipient=idea.author,
        type="voice_idea_comment",
        actor=actor,
        text=format_lazy(
            _("{name} commented on your idea “{title}”"),
            name=actor.get_full_name(),
            title=idea.title,
        ),
        url=reverse("voice:idea", args=[idea.pk]),
    )
    return comment


@transaction.atomic
def idea_assign(*, actor: User, idea: Idea, owner_id: Any) -> Idea:
    """Name the person who owns an idea's follow-up (HR)."""
    if not can_moderate_ideas(actor=actor):
        raise PermissionDenied("idea_assign_denied", IDEA_ASSIGN_DENIED)
    pk = parse_id(owner_id)
    owner = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if owner is None:
        raise ApplicationError("owner_not_found", OWNER_NOT_FOUND, field="owner")
    idea.owner = owner
    idea.save(update_fields=["owner", "updated_at"])
    event_record(actor=actor, verb="update", obj=idea, target_user=owner)
    return idea


@transaction.atomic
def idea_set_status(*, actor: User, idea: Idea, status: Any, reason: Any = "") -> Idea:
    """Move an idea to its next status (a declined idea says why); its author is told."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not can_change_idea_status(actor=actor, idea=idea):
        raise PermissionDenied("idea_status_denied", IDEA_STATUS_DENIED)
    if status not in Idea.Status.values or status not in IDEA_TRANSITIONS[idea.status]:
        labels = dict(Idea.Status.choices)
        raise Conflict(
            "invalid_transition",
            INVALID_TRANSITION % {"from": labels[idea.status], "to": labels.get(status, status)},
            field="status",
        )
    reason = _text(reason, field="reason", max_length=DESCRIPTION_MAX)
    if status == Idea.Status.DECLINED and not reason:
        raise ApplicationError("reason_required", REASON_REQUIRED, field="reason")
    idea.status = status
    idea.status_reason = reason
    if idea.owner_id is None:
        idea.owner = actor
    idea.save(update_fields=["status", "status_reason", "owner", "updated_at"])
    event_record(actor=actor, verb="update", obj=idea, target_user=idea.author, status=status)
    notify(
        recipient=idea.author,
        type="voice_idea_status",
        actor=actor,
        text=format_lazy(
            _("Your idea “{title}” is now: {status}"),
            title=idea.title,
            status=Idea.Status(status).label,
        ),
        url=reverse("voice:idea", args=[idea.pk]),
    )
    return idea


# Commitments


def commitment_get(*, commitment_id: Any) -> Commitment:
    """One commitment, or NotFound (everyone may read them)."""
    pk = parse_id(commitment_id)
    found = Commitment.objects.select_related("owner").filter(pk=pk).first() if pk else None
    if found is None:
        raise NotFound("commitment_not_found", COMMITMENT_NOT_FOUND)
    return found


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    title: Any,
    description: Any = "",
    theme: Any = "",
    owner_id: Any = None,
    due_on: date | None = None,
) -> Commitment:
    """Publish a commitment of the company to its employees (HR), with an owner."""
    if not can_manage_commitments(actor=actor):
        raise PermissionDenied("commitment_manage_denied", COMMITMENT_MANAGE_DENIED)
    theme = theme or ""
    if theme not in ("", *Theme.values):
        raise ApplicationError("theme_invalid", THEME_INVALID, field="theme")
    owner = actor
    if owner_id is not None:
        pk = parse_id(owner_id)
        owner = User.objects.filter(pk=pk, is_active=True).first() if pk else None
        if owner is None:
            raise ApplicationError("owner_not_found", OWNER_NOT_FOUND, field="owner_id")
    commitment = Commitment.objects.create(
        title=_text(title, field="title", max_length=TITLE_MAX, required=TITLE_REQUIRED),
        description=_text(description, field="description", max_length=IDEA_MAX),
        theme=theme,
        owner=owner,
        due_on=due_on,
    )
    event_record(actor=actor, verb="create", obj=commitment, target_user=owner)
    return commitment


@transaction.atomic
def commitment_progress(
    *, actor: User, commitment: Commitment, text: Any, progress: Any, status: Any = None
) -> CommitmentUpdate:
    """Report progress on a commitment (owner or HR): a note, a percentage, maybe a new status."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not can_update_commitment(actor=actor, commitment=commitment):
        raise PermissionDenied("commitment_update_denied", COMMITMENT_UPDATE_DENIED)
    percent = _int(progress)
    if percent is None or not 0 <= percent <= 100:
        raise ApplicationError("progress_invalid", PROGRESS_INVALID, field="progress")
    status = status or commitment.status
    if status != commitment.status and (
        status not in Commitment.Status.values
        or status not in COMMITMENT_TRANSITIONS[commitment.status]
    ):
        labels = dict(Commitment.Status.choices)
        raise Conflict(
            "invalid_transition",
            COMMITMENT_TRANSITION
            % {"from": labels[commitment.status], "to": labels.get(status, status)},
            field="status",
        )
    update = CommitmentUpdate.objects.create(
        commitment=commitment,
        author=actor,
        text=_text(text, field="text", max_length=COMMENT_MAX, required=UPDATE_REQUIRED),
        progress=percent,
        status=status,
    )
    commitment.progress = percent
    commitment.status = status
    commitment.save(update_fields=["progress", "status", "updated_at"])
    event_record(actor=actor, verb="update", obj=commitment, progress=percent, status=status)
    return update
