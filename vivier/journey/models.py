"""Journey data: rules and settings, daily snapshots, playbooks and their runs, ambassadors, kudos."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class Stage(models.TextChoices):
    """The adoption stages, in the order of the funnel."""

    INFORMATION = "information", _("Information")
    DISCOVERY = "discovery", _("Discovery")
    PARTICIPATION = "participation", _("Participation")
    CONTRIBUTION = "contribution", _("Contribution")
    PROMOTION = "promotion", _("Promotion")
    DISAPPOINTMENT = "disappointment", _("Disappointment")


STAGE_ORDER = [s.value for s in Stage]
# Progress rank: disappointment ranks with discovery, so leaving it for participation or beyond
# counts as progress, and falling into it never does.
STAGE_RANK = {
    "information": 0,
    "discovery": 1,
    "disappointment": 1,
    "participation": 2,
    "contribution": 3,
    "promotion": 4,
}


def better_stages(stage: str) -> list[str]:
    """The stages that are progress from `stage` (the outcome a playbook aims at)."""
    return [s for s in STAGE_ORDER if STAGE_RANK[s] > STAGE_RANK[stage]]


class ActivityKind(models.TextChoices):
    """How the journey counts an activity event."""

    IGNORE = "ignore", _("Not counted")
    SIGNIN = "signin", _("Sign-in")
    VIEW = "view", _("View")
    LIGHT = "light", _("Light interaction")
    AUTHORING = "authoring", _("Authoring")
    PROMOTION = "promotion", _("Promotion")


class VerbRule(models.Model):
    """Which kind of activity an event verb (optionally on one object type) is."""

    verb = models.CharField(_("verb"), max_length=32)
    object_type = models.CharField(
        _("object type"),
        max_length=48,
        blank=True,
        help_text=_("Empty: any object type. A rule with an object type wins over one without."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)

    class Meta:
        verbose_name = _("activity rule")
        verbose_name_plural = _("activity rules")
        ordering = ["verb", "object_type"]
        constraints = [
            models.UniqueConstraint(fields=["verb", "object_type"], name="journey_verbrule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type or '*'} → {self.kind}"


class JourneySettings(models.Model):
    """The stage rules' thresholds and the playbooks' limits (one row, edited in the admin)."""

    active_days = models.PositiveSmallIntegerField(
        _("activity window (days)"), default=30, validators=[MinValueValidator(1)]
    )
    baseline_days = models.PositiveSmallIntegerField(
        _("baseline window (days)"), default=90, validators=[MinValueValidator(1)]
    )
    baseline_percent = models.PositiveSmallIntegerField(
        _("disappointment threshold (% of the baseline rate)"),
        default=25,
        validators=[MaxValueValidator(100)],
    )
    promotion_others = models.PositiveSmallIntegerField(
        _("distinct people engaging with me for promotion"), default=5
    )
    nudge_every_days = models.PositiveSmallIntegerField(
        _("at most one nudge per person every (days)"), default=7
    )
    control_percent = models.PositiveSmallIntegerField(
        _("default control group share (%)"), default=20, validators=[MaxValueValidator(90)]
    )
    uplift_days = models.PositiveSmallIntegerField(
        _("uplift window after entering a stage (days)"), default=30
    )
    min_group = models.PositiveSmallIntegerField(
        _("smallest group shown in aggregates"), default=5, validators=[MinValueValidator(2)]
    )

    class Meta:
        verbose_name = _("journey settings")
        verbose_name_plural = _("journey settings")

    def __str__(self) -> str:
        return str(_("Journey settings"))

    @classmethod
    def current(cls) -> "JourneySettings":
        """The settings row, created with the defaults the first time."""
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class JourneySnapshot(models.Model):
    """A person's stage on one day, with the counts that decided it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_snapshots"
    )
    date = models.DateField(_("date"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    views = models.PositiveIntegerField(default=0)
    light = models.PositiveIntegerField(default=0)
    authored = models.PositiveIntegerField(default=0)
    promoted = models.PositiveIntegerField(default=0)
    others = models.PositiveIntegerField(default=0)
    recent = models.PositiveIntegerField(default=0)
    baseline = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journey snapshot")
        verbose_name_plural = _("journey snapshots")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="journey_snapshot_unique")
        ]
        indexes = [models.Index(fields=["date", "stage"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date} {self.stage}"


class JourneyPreference(models.Model):
    """A person's choice about nudges (tips, e-mails, check-ins from their manager)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_preference"
    )
    opted_out = models.BooleanField(_("no journey nudges"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("journey preference")
        verbose_name_plural = _("journey preferences")

    def __str__(self) -> str:
        return f"{self.user_id} opted_out={self.opted_out}"


class Playbook(BaseModel):
    """The accompaniment for people entering one stage."""

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    name_fr = models.CharField(_("name (French)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    is_active = models.BooleanField(_("active"), default=True)
    control_percent = models.PositiveSmallIntegerField(
        _("control group share (%)"), default=20, validators=[MaxValueValidator(90)]
    )

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["stage", "pk"]

    def __str__(self) -> str:
        return self.name_fr

    def name(self, language: str = "fr") -> str:
        """The name in `language` (French when missing)."""
        return (self.name_en if language.startswith("en") else "") or self.name_fr


class PlaybookAction(models.Model):
    """One thing a playbook does: an in-app tip, an e-mail, or a task for managers and animators."""

    class Kind(models.TextChoices):
        TIP = "tip", _("In-app tip")
        EMAIL = "email", _("E-mail")
        TASK = "task", _("Task for the manager and animators")

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    subject_fr = models.CharField(_("subject (French)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_fr = models.TextField(
        _("text (French)"), help_text=_("Placeholders: {first_name}, {name}, {url}.")
    )
    body_en = models.TextField(_("text (English)"))
    link = models.CharField(
        _("link"), max_length=200, blank=True, help_text=_("A path in Vivier, e.g. /communities/.")
    )

    class Meta:
        verbose_name = _("playbook action")
        verbose_name_plural = _("playbook actions")
        ordering = ["playbook", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_fr}"


class PlaybookAssignment(models.Model):
    """Whether a person is treated or held out (control) for a playbook; drawn once, kept."""

    class Group(models.TextChoices):
        TREATED = "treated", _("Treated")
        CONTROL = "control", _("Control")

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=8, choices=Group.choices)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["playbook", "user"], name="journey_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.playbook_id}:{self.user_id} {self.group}"


class PlaybookRun(models.Model):
    """A person entered a playbook's stage on `date`: what was done (or why not)."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Nudged")
        CONTROL = "control", _("Held out (control group)")
        OPTED_OUT = "opted_out", _("Opted out")
        RATE_LIMITED = "rate_limited", _("Nudged recently")

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="runs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    group = models.CharField(max_length=8, choices=PlaybookAssignment.Group.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "user", "date"], name="journey_playbookrun_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "outcome", "date"])]

    def __str__(self) -> str:
        return f"{self.playbook_id}:{self.user_id} {self.date} {self.outcome}"


class JourneyTip(models.Model):
    """An in-app tip shown on a person's journey page until dismissed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_tips"
    )
    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="tips")
    action = models.ForeignKey(PlaybookAction, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "dismissed_at"])]

    def __str__(self) -> str:
        return self.subject


class JourneyTask(models.Model):
    """A task for a manager or animator: accompany a person who entered a stage."""

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_tasks"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="tasks")
    action = models.ForeignKey(PlaybookAction, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["assignee", "done_at"])]

    def __str__(self) -> str:
        return self.subject


class Ambassador(models.Model):
    """A person invited to be an ambassador, and their answer."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Ambassador")
        DECLINED = "declined", _("Declined")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_ambassador"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"


class Invitation(models.Model):
    """A colleague invited by someone: to come and see (join) or to contribute."""

    class Kind(models.TextChoices):
        JOIN = "join", _("Come and see")
        CONTRIBUTE = "contribute", _("Contribute")

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_invitations_sent"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["inviter", "created_at"])]

    def __str__(self) -> str:
        return f"{self.inviter_id} → {self.invitee_id} ({self.kind})"


class Kudos(models.Model):
    """A thank-you from one colleague to another."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received"
    )
    message = models.CharField(_("message"), max_length=280)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id}"
