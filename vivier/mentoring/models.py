"""Mentoring: mentor offers, mentee requests, cohort programmes, relationships and their log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel

MAX_CAPACITY = 10


class Format(models.TextChoices):
    """How a pair meets."""

    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")


class MentorOffer(BaseModel):
    """What a person offers as a mentor: skills, how many mentees, how and in which languages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer"
    )
    skills = models.ManyToManyField(
        "people.Skill", related_name="mentor_offers", verbose_name=_("skills offered")
    )
    capacity = models.PositiveSmallIntegerField(_("number of mentees"), default=2)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    reverse = models.BooleanField(
        _("reverse mentoring"),
        default=False,
        help_text=_("I mentor more senior colleagues on digital practice and new tools."),
    )
    active = models.BooleanField(_("open to new mentees"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mentor offer")
        verbose_name_plural = _("mentor offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="mentoroffer_capacity_range",
            ),
        ]
        indexes = [models.Index(fields=["active", "reverse"])]

    def __str__(self) -> str:
        return f"offer:{self.user_id}"


class MenteeRequest(BaseModel):
    """What a person seeks as a mentee: goals (skills at a target level) and preferences."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_request"
    )
    formats = models.JSONField(_("formats"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    reverse = models.BooleanField(
        _("reverse mentoring"),
        default=False,
        help_text=_("I want a more junior colleague to mentor me on digital practice."),
    )
    prefer_other_department = models.BooleanField(
        _("prefer a mentor from another department"), default=True
    )
    active = models.BooleanField(_("looking for a mentor"), default=True)
    note = models.CharField(_("what I hope for"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mentee request")
        verbose_name_plural = _("mentee requests")

    def __str__(self) -> str:
        return f"request:{self.user_id}"


class MenteeGoal(models.Model):
    """A skill a mentee wants to reach, at a target level from 1 to 4."""

    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="goals")
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="+")
    target_level = models.PositiveSmallIntegerField(_("target level"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["request", "skill"], name="menteegoal_unique"),
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=4),
                name="menteegoal_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.skill_id}>={self.target_level}"


class Programme(BaseModel):
    """A cohort programme HR runs: participants, an optimal assignment, reviewed then published."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assignment to review")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    reverse = models.BooleanField(_("reverse mentoring programme"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A person in a programme, as mentor or mentee; an unmatched mentee keeps the reason."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_participations"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    unmatched_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="participant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.role}:{self.user_id}"


class Mentorship(BaseModel):
    """A mentoring relationship: requested, proposed by a programme, active, then ended."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PROPOSED = "proposed", _("Proposed by the programme")
        ACTIVE = "active", _("Running")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="mentorships"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    reverse = models.BooleanField(_("reverse mentoring"), default=False)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    gaps = models.JSONField(default=list, blank=True)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    goals = models.TextField(_("goals of the pair"), blank=True, max_length=3000)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentorship_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id}->{self.mentee_id}:{self.status}"


class Session(BaseModel):
    """A meeting of the pair, logged by one of them."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    summary = models.TextField(_("summary"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.mentorship_id}@{self.held_on}"


class Note(BaseModel):
    """A note only the two people of the pair can read."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("note"), max_length=3000)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note:{self.mentorship_id}"


class Feedback(BaseModel):
    """What one side thought of an ended relationship: a rating from 1 to 5 and a comment."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "author"], name="feedback_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback:{self.mentorship_id}:{self.author_id}"
