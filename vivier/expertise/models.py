"""Answers to questions (a question is a social post), votes, labels, routing, inferred skills."""

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class Answer(BaseModel):
    """An answer to a question; the asker may accept one."""

    question = models.ForeignKey(
        "social.Post", on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    body = models.TextField(_("answer"))
    body_html = models.TextField(blank=True, editable=False)
    language = models.CharField(max_length=8, blank=True, editable=False)
    score = models.IntegerField(default=0, editable=False)  # up-votes minus down-votes
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        # The accepted answer first on both databases (PostgreSQL sorts NULLs first when
        # descending).
        ordering = [F("accepted_at").desc(nulls_last=True), "-score", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(accepted_at__isnull=False),
                name="answer_one_accepted_per_question",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "created_at"], name="answer_question"),
            # Partial, so the activity prior over thousands of candidates reads the index only.
            models.Index(
                fields=["author", "-created_at"],
                condition=Q(deleted_at__isnull=True),
                name="answer_author_live_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


# The activity prior's answers are summed as 2 ** ((created_at - ANSWER_MASS_EPOCH) / half-life)
# (AnswerCount.mass): a sum that needs no `now` to be kept, and that one factor turns into the
# decayed count at any later moment. The triggers (migration 0006) hold the same two values: a
# test compares the kept sum with one computed from the answers and the ranking's half-life.
ANSWER_MASS_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
ANSWER_MASS_HALF_LIFE_DAYS = 180.0


class AnswerCount(models.Model):
    """Each person's live (not deleted) answers, counted and summed: kept by database triggers.

    The expert ranking reads each candidate's activity prior from it (docs/expertise.md).
    Triggers on `expertise_answer` (migrations 0005 and 0006) keep it exact for every way of
    writing answers: services, bulk inserts, COPY, soft deletes and undeletes, a changed author
    or date. Never written by the application.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="answer_count",
    )
    live = models.IntegerField(default=0)
    # Sum over the live answers of 2 ** ((created_at - ANSWER_MASS_EPOCH) / half-life, in days).
    mass = models.FloatField(default=0.0)
    # The latest created_at summed in `mass` (never lowered when one is deleted: a bound). A
    # ranking replayed at an earlier moment computes the prior from the answers instead.
    newest = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.live}"


def mass_factor(now: datetime) -> float:
    """What turns AnswerCount.mass into the decayed count of answers at `now`."""
    days = (now - ANSWER_MASS_EPOCH).total_seconds() / 86400.0
    return 2.0 ** (-days / ANSWER_MASS_HALF_LIFE_DAYS)


class AnswerVote(models.Model):
    """One person's vote on an answer: +1 or -1."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "user"], name="answer_vote_one_per_person"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="answer_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.value:+d}@{self.answer_id}"


class ExpertLabel(BaseModel):
    """The Expert label on one skill: granted by the expert programme, for a limited time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_labels"
    )
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set by the expert programme: the grade ("expert", "referent") and the award behind it.
    level = models.CharField(max_length=10, blank=True, default="")
    award = models.ForeignKey(
        "programme.Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="labels"
    )

    class Meta:
        verbose_name = _("expert label")
        verbose_name_plural = _("expert labels")
        indexes = [models.Index(fields=["skill", "user"], name="label_skill_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.skill_id}"


class QuestionRouting(models.Model):
    """A question suggested to an expert: what the weekly cap and the fairness weights count."""

    question = models.ForeignKey("social.Post", on_delete=models.CASCADE, related_name="routings")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routed_questions"
    )
    score = models.FloatField()
    routed_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "expert"], name="routing_unique"),
        ]
        indexes = [models.Index(fields=["expert", "-routed_at"], name="routing_expert_recent")]

    def __str__(self) -> str:
        return f"{self.question_id}->{self.expert_id}"


class InferredSkill(models.Model):
    """A skill that a person's writing shows, suggested to them until confirmed or hidden."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        HIDDEN = "hidden", _("Hidden")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inferred_skills"
    )
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    evidence_count = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inferred skill")
        verbose_name_plural = _("inferred skills")
        ordering = ["-score", "skill_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="inferred_skill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.skill_id} {self.score:.2f}"


class ImportRecord(models.Model):
    """What an import created for one object of its source: a second import finds it here."""

    source = models.CharField(max_length=100)  # e.g. "beer.stackexchange.com"
    key = models.CharField(max_length=40)  # e.g. "post:123", "user:7", "comment:9"
    object_type = models.CharField(max_length=48)
    object_id = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="import_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"
