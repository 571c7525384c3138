"""The expert programme: domains, nominations, committee reviews, awards, time, paths, events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class Level(models.TextChoices):
    """The grades of the Expert label."""

    EXPERT = "expert", _("Expert")
    REFERENT = "referent", _("Expert référent")


class Domain(BaseModel):
    """A label domain (Data, Sécurité…): its skills, weighted criteria, committee and community."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    skills = models.ManyToManyField("people.Skill", related_name="+", verbose_name=_("skills"))
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="programme_committees",
        blank=True,
        verbose_name=_("committee"),
    )
    community = models.ForeignKey(
        "social.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("expert community"),
    )
    quorum = models.PositiveSmallIntegerField(_("quorum"), default=2)
    label_years = models.PositiveSmallIntegerField(_("label validity (years)"), default=3)

    class Meta:
        verbose_name = _("label domain")
        verbose_name_plural = _("label domains")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__gte=1), name="domain_quorum_positive"),
            models.CheckConstraint(condition=Q(label_years__gte=1), name="domain_years_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A weighted criterion the committee scores from 0 to 5."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["domain_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Nomination(BaseModel):
    """An application for the label in a domain, from the candidate, their manager or a peer."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-application")
        MANAGER = "manager", _("Manager nomination")
        PEER = "peer", _("Peer nomination")
        RENEWAL = "renewal", _("Renewal")

    class State(models.TextChoices):
        MANAGER_REVIEW = "manager_review", _("Manager's opinion")
        COMMITTEE_REVIEW = "committee_review", _("Committee review")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")
        DEFERRED = "deferred", _("Deferred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Opinion(models.TextChoices):
        FAVOURABLE = "favourable", _("Favourable")
        RESERVED = "reserved", _("Reserved")
        UNFAVOURABLE = "unfavourable", _("Unfavourable")

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="nominations")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.EXPERT)
    motivation = models.TextField(_("motivation"), max_length=5000)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    # The manager at the time of the nomination: who gives the opinion, and whom COI excludes.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_opinion = models.CharField(
        _("manager's opinion"), max_length=12, choices=Opinion.choices, blank=True
    )
    manager_comment = models.TextField(_("manager's comment"), blank=True, max_length=3000)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=3000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    renewal_of = models.ForeignKey(
        "Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewals"
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open nomination per person and domain.
            models.UniqueConstraint(
                fields=["candidate", "domain"],
                condition=Q(state__in=["manager_review", "committee_review"]),
                name="nomination_one_open",
            ),
        ]
        indexes = [models.Index(fields=["domain", "state"], name="nomination_domain_state")]

    def __str__(self) -> str:
        return f"{self.candidate_id}@{self.domain_id}:{self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.MANAGER_REVIEW, self.State.COMMITTEE_REVIEW)


class Evidence(models.Model):
    """A piece of evidence attached to a nomination: gathered from activity, or written."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        POST = "post", _("Post")
        ENDORSEMENT = "endorsement", _("Endorsements")
        SKILL = "skill", _("Declared skill")
        OTHER = "other", _("Other")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["nomination_id", "id"]

    def __str__(self) -> str:
        return self.title


class Review(BaseModel):
    """One committee member's review of a nomination: a score per criterion and a comment."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_reviews"
    )
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "reviewer"], name="review_one_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}->{self.nomination_id}"


class Score(models.Model):
    """A score from 0 to 5 on one criterion."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(value__lte=5), name="score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}"


class Award(BaseModel):
    """The Expert label in a domain, at a level, until it expires; renewed in place."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        RENEWAL_DUE = "renewal_due", _("Renewal due")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_awards"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="awards")
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    granted_at = models.DateTimeField(_("granted on"))
    expires_at = models.DateTimeField(_("expires on"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["domain_id", "-granted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "domain"],
                condition=Q(state__in=["active", "renewal_due"]),
                name="award_one_valid_per_domain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.domain_id}:{self.level}"


class Transition(models.Model):
    """The audit trail: who moved a nomination or an award from which state to which, and why."""

    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="transitions"
    )
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nomination__isnull=False) | Q(award__isnull=False),
                name="transition_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state}->{self.to_state}"


class TimeBudget(models.Model):
    """An expert's dedicated share of working time for the programme."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_budget"
    )
    percent = models.PositiveSmallIntegerField(_("dedicated share (%)"), default=20)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="budget_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.percent}%"


class TimeEntry(BaseModel):
    """Time an expert spent on the programme: training, conference, community, mentoring…"""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        CONFERENCE = "conference", _("Conference")
        COMMUNITY = "community", _("Community")
        MENTORING = "mentoring", _("Mentoring")
        STRATEGIC = "strategic", _("Strategic project")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_time"
    )
    kind = models.CharField(_("activity"), max_length=12, choices=Kind.choices)
    day = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["user", "day"], name="time_entry_user_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="time_entry_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}:{self.hours}"


class SkillPath(BaseModel):
    """A soft-skill path (transmission, collaboration, innovation, vision) made of steps."""

    class Axis(models.TextChoices):
        TRANSMISSION = "transmission", _("Transmission")
        COLLABORATION = "collaboration", _("Collaboration")
        INNOVATION = "innovation", _("Innovation")
        VISION = "vision", _("Vision")

    name = models.CharField(_("name"), max_length=120)
    axis = models.CharField(_("axis"), max_length=14, choices=Axis.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        ordering = ["axis", "name"]

    def __str__(self) -> str:
        return self.name


class PathStep(models.Model):
    """One step of a soft-skill path."""

    path = models.ForeignKey(SkillPath, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class PathEnrolment(BaseModel):
    """A person following a path, with the mentor who validates their steps."""

    path = models.ForeignKey(SkillPath, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_paths"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_mentees"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "user"], name="enrolment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.path_id}"


class StepProgress(models.Model):
    """A step done by the person, then validated by their mentor."""

    enrolment = models.ForeignKey(PathEnrolment, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(PathStep, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.step_id}"


class GovernanceSeat(models.Model):
    """An expert's seat in a governance body (architecture board, steering committee…)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_seats"
    )
    body = models.CharField(_("governance body"), max_length=160)
    role = models.CharField(_("role"), max_length=120, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ["body", "id"]

    def __str__(self) -> str:
        return self.body


class StrategicProject(models.Model):
    """A strategic project an expert contributes to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_projects"
    )
    name = models.CharField(_("project"), max_length=160)
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Event(BaseModel):
    """An expert meetup, talk or internal conference held in a community."""

    class Kind(models.TextChoices):
        MEETUP = "meetup", _("Meetup")
        TALK = "talk", _("Talk")
        CONFERENCE = "conference", _("Internal conference")

    community = models.ForeignKey(
        "social.Community", on_delete=models.CASCADE, related_name="programme_events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person registered for an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_registrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.event_id}"
