"""Opportunities (projects, gigs, internal jobs, job shadowing), mobility preferences, applications."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class Opportunity(BaseModel):
    """Work offered inside the company, with the skills it needs and who may see it."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        GIG = "gig", _("Gig")
        JOB = "job", _("Internal job")
        SHADOWING = "shadowing", _("Job shadowing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        UNITS = "units", _("Some org units")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    strategic = models.BooleanField(_("strategic project"), default=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    description_html = models.TextField(blank=True, editable=False)
    time_share_percent = models.PositiveSmallIntegerField(_("time share (%)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    location = models.ForeignKey(
        "people.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("location"),
    )
    remote = models.BooleanField(_("remote possible"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="owned_opportunities",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "people.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    job_role = models.ForeignKey(
        "people.JobRole",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("role in the job map"),
    )
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    visible_units = models.ManyToManyField(
        "people.OrgUnit", blank=True, related_name="+", verbose_name=_("visible to these units")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    filled_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Filled without any accepted internal application: the dashboards count it as "outside".
    filled_externally = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_share_percent__gte=1, time_share_percent__lte=100),
                name="opportunity_time_share_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="opportunity_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="opportunity_status_recent"),
            models.Index(fields=["owner", "status"], name="opportunity_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class OpportunitySkill(models.Model):
    """A skill an opportunity asks for, with the level wanted; required or nice to have."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["-required", "-level", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "skill"], name="opportunity_skill_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="opportunity_skill_level_range"
            ),
        ]
        indexes = [models.Index(fields=["skill", "opportunity"], name="opportunity_skill_by_skill")]

    def __str__(self) -> str:
        return f"{self.opportunity_id}:{self.skill_id}={self.level}"


class MobilityPreference(BaseModel):
    """What a person wants next, and whether owners may be suggested them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mobility"
    )
    open_to_move = models.BooleanField(_("open to a move"), default=False)
    desired_roles = models.ManyToManyField(
        "people.JobRole", blank=True, related_name="+", verbose_name=_("desired roles")
    )
    locations = models.ManyToManyField(
        "people.Location", blank=True, related_name="+", verbose_name=_("locations I would work at")
    )
    interests = models.ManyToManyField(
        "people.Skill", blank=True, related_name="+", verbose_name=_("skills I want to develop")
    )
    suggestible = models.BooleanField(_("owners may be suggested my profile"), default=False)

    class Meta:
        verbose_name = _("mobility preference")
        verbose_name_plural = _("mobility preferences")
        indexes = [models.Index(fields=["suggestible", "user"], name="mobility_suggestible")]

    def __str__(self) -> str:
        return str(self.user_id)


class Application(BaseModel):
    """A person's application to an opportunity, and the decisions on it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        AWAITING_MANAGER = "awaiting_manager", _("Awaiting the manager's approval")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_applications"
    )
    message = models.TextField(_("message"), max_length=5000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The share of time taken off the person's availability when staffed, given back on release.
    staffed_percent = models.PositiveSmallIntegerField(default=0)
    staffed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "applicant"], name="application_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(staffed_percent__lte=100), name="application_staffed_percent_max"
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="application_applicant"),
            models.Index(fields=["opportunity", "status"], name="application_opportunity"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id}->{self.opportunity_id} {self.status}"
