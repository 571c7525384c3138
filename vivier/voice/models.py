"""Employee voice: surveys and their waves, anonymous answers, ideas, commitments.

Anonymity is by construction (decision 12): `Answer` and `Submission` rows hold no person, no
time finer than the day and a random UUID key; `Participation` says who answered a wave, with
no time and no key shared with the answers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel

# The smallest group whose results may ever be shown; a survey's own k may only be larger.
MIN_GROUP_SIZE_FLOOR = 3
DEFAULT_MIN_GROUP_SIZE = 5
# Free-text answers are shown only for groups at least this large (and at least k).
TEXT_MIN_GROUP_SIZE = 10


class Theme(models.TextChoices):
    """What a question is about; commitments answer a theme."""

    VISION = "vision", _("Vision and meaning")
    MANAGEMENT = "management", _("Management")
    WORKLOAD = "workload", _("Workload")
    RECOGNITION = "recognition", _("Recognition")
    GROWTH = "growth", _("Growth and skills")
    COLLABORATION = "collaboration", _("Collaboration")
    WELLBEING = "wellbeing", _("Well-being")
    ENGAGEMENT = "engagement", _("Engagement")


class Survey(BaseModel):
    """A survey HR writes: its questions, audience, threshold k and rhythm."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Launched")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    audience_units = models.ManyToManyField(
        "people.OrgUnit",
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
        help_text=_("Empty: everyone. Sub-units are included."),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size (k)"), default=DEFAULT_MIN_GROUP_SIZE
    )
    recurrence_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), default=0, help_text=_("0: a one-off survey.")
    )
    wave_days = models.PositiveSmallIntegerField(_("each wave stays open (days)"), default=14)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    launched_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="survey_k_at_least_floor",
            ),
            models.CheckConstraint(condition=Q(wave_days__gte=1), name="survey_wave_days_min"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.recurrence_days > 0


class Question(models.Model):
    """One question of a survey, in French and English."""

    class Kind(models.TextChoices):
        LIKERT = "likert", _("Agreement (1 to 5)")
        ENPS = "enps", _("eNPS (0 to 10)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text_fr = models.CharField(_("question (French)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    # [{"fr": "...", "en": "..."}, ...] for single and multiple choice.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices, blank=True)
    template_code = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        if (get_language() or "fr").startswith("en"):
            return self.text_en or self.text_fr
        return self.text_fr or self.text_en

    def choice_labels(self) -> list[str]:
        """The choices in the active language."""
        english = (get_language() or "fr").startswith("en")
        return [
            (c.get("en") or c.get("fr", "")) if english else (c.get("fr") or c.get("en", ""))
            for c in self.choices
        ]

    @property
    def is_text(self) -> bool:
        return self.kind == self.Kind.TEXT


class Wave(models.Model):
    """One round of a survey: a one-off survey has one, a recurring pulse one per period."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # The org chart as it was when the wave closed, {"unit id": [parent id, name]}: results are
    # grouped by it, so moving or deleting units later cannot carve new groups out of old answers.
    org_tree = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="wave_number_unique"),
            models.UniqueConstraint(
                fields=["survey"], condition=Q(status="open"), name="wave_one_open_per_survey"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.number}"


class Participation(models.Model):
    """That a person answered a wave, only so they cannot answer twice: no time, no answer key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "user"], name="participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.wave_id}"


class Submission(models.Model):
    """One anonymous respondent of a wave, counted in their org unit; linked to nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="submissions")
    # No database constraint and nothing done on delete: deleting a unit must not move its
    # respondents elsewhere (that would change the groups' counts after the fact).
    org_unit = models.ForeignKey(
        "people.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    submitted_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["wave", "org_unit"], name="submission_wave_unit")]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.org_unit_id}"


class Answer(models.Model):
    """One anonymous answer to one question: no person, no submission key, the day only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # No database constraint and nothing done on delete: deleting a unit must not move its
    # respondents elsewhere (that would change the groups' counts after the fact).
    org_unit = models.ForeignKey(
        "people.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    answered_on = models.DateField()
    value = models.SmallIntegerField(null=True, blank=True)  # Likert, eNPS, single choice index
    choices = models.JSONField(default=list, blank=True)  # multiple choice indexes
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["wave", "question"], name="answer_wave_question")]

    def __str__(self) -> str:
        return f"{self.wave_id}:{self.question_id}"


class SurveyReminder(models.Model):
    """When a person was last reminded of a wave they had not answered."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "user"], name="reminder_one_row"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.wave_id} {self.sent_on}"


class Idea(BaseModel):
    """An idea for the company, with votes, comments and a status owned by someone."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # ",tag1,tag2," so that a tag filter is one indexed-friendly LIKE on both databases.
    tags_text = models.CharField(max_length=250, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_ideas"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voice_ideas_owned",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    status_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    vote_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="idea_status_recent"),
            models.Index(fields=["-vote_count", "-id"], name="idea_votes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(status_reason=""),
                name="idea_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaVote(models.Model):
    """One person's support for an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}->{self.idea_id}"


class IdeaComment(BaseModel):
    """A comment on an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=3000)

    class Meta:
        ordering = ["created_at", "id"]


class Commitment(BaseModel):
    """Something the company commits to do for its employees, answering a survey theme."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="voice_commitments",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    due_on = models.DateField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_progress_max"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def progress_bar(self) -> int:
        """The progress rounded to 5 %, for the progress bar's width class."""
        return min(100, 5 * round(self.progress / 5))


class CommitmentUpdate(BaseModel):
    """A progress note on a commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("update"), max_length=3000)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(max_length=16, choices=Commitment.Status.choices)

    class Meta:
        ordering = ["-created_at", "-id"]
