"""People: the org chart, the job map, profiles and the bilingual skills taxonomy."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


def _localized(obj: models.Model, field: str) -> str:
    """The French or English value of `field` for the active language, falling back to French."""
    if (get_language() or "fr").startswith("en"):
        return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_fr")
    return getattr(obj, f"{field}_fr") or getattr(obj, f"{field}_en")


class Location(BaseModel):
    """A site where people work."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(BaseModel):
    """A node of the org chart; `path` lists ancestor ids so subtrees are one indexed query."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_units",
        verbose_name=_("manager"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class JobFamily(BaseModel):
    """A family of jobs in the job map (e.g. Data, Finance)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("job family")
        verbose_name_plural = _("job families")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")


class JobRole(BaseModel):
    """A role in the job map; expert career paths are roles of their own."""

    class Track(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual contributor")
        MANAGEMENT = "management", _("Management")
        EXPERT = "expert", _("Expert path")

    family = models.ForeignKey(
        JobFamily, on_delete=models.PROTECT, related_name="roles", verbose_name=_("job family")
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160)
    track = models.CharField(
        _("track"), max_length=16, choices=Track.choices, default=Track.INDIVIDUAL
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    skills = models.ManyToManyField(
        "Skill", blank=True, related_name="job_roles", verbose_name=_("key skills")
    )

    class Meta:
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        ordering = ["family__name_fr", "track", "level", "title_fr"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _localized(self, "title")


class Skill(BaseModel):
    """A skill of the bilingual taxonomy."""

    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        DOMAIN = "domain", _("Business domain")
        SOFT = "soft", _("Soft skill")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TECHNICAL)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent skill"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["label_fr"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self, "label")


class SkillAlias(models.Model):
    """A name under which a skill is found: both labels, synonyms, acronyms, folded for search."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(_("alias"), max_length=120)
    normalized = models.CharField(max_length=120, db_index=True)
    is_label = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("skill alias")
        verbose_name_plural = _("skill aliases")
        constraints = [
            models.UniqueConstraint(fields=["skill", "normalized"], name="skillalias_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Profile(BaseModel):
    """What a person shows colleagues: placement, contact, skills, availability."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        BUSY = "busy", _("Busy")
        AWAY = "away", _("Away")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    title = models.CharField(_("job title"), max_length=160, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("org unit"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
        verbose_name=_("manager"),
    )
    job_role = models.ForeignKey(
        JobRole,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holders",
        verbose_name=_("job role"),
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
        verbose_name=_("location"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    languages_text = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    bio = models.TextField(_("about me"), blank=True, max_length=5000)
    bio_html = models.TextField(blank=True, editable=False)
    interests = models.CharField(_("interests"), max_length=500, blank=True)
    availability_percent = models.PositiveSmallIntegerField(
        _("availability for projects (%)"), default=0
    )
    availability_status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AVAILABLE
    )
    availability_note = models.CharField(_("status message"), max_length=140, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    # The highest valid Expert label ("expert", "referent"; "" for none), kept by
    # expertise.services.expert_levels_refresh so that pages show the badge next to every name
    # from the profile they already load, without a query of their own.
    expert_level = models.CharField(max_length=10, blank=True, default="", editable=False)
    search_text = models.CharField(max_length=600, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(availability_percent__lte=100),
                name="profile_availability_percent_max_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ProfileSkill(BaseModel):
    """A skill a person declares, with a level from 1 (notions) to 4 (expert)."""

    class Level(models.IntegerChoices):
        NOTIONS = 1, _("Notions")
        PRACTICE = 2, _("Practice")
        ADVANCED = 3, _("Advanced")
        EXPERT = 4, _("Expert")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        verbose_name = _("declared skill")
        verbose_name_plural = _("declared skills")
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="profileskill_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="profileskill_level_range"
            ),
        ]
        indexes = [models.Index(fields=["skill", "-level"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.skill_id}={self.level}"


class Endorsement(BaseModel):
    """A colleague vouching for a skill someone declared."""

    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given"
    )
    endorsee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_received"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="endorsements")

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["endorser", "endorsee", "skill"], name="endorsement_unique"
            ),
            models.CheckConstraint(
                condition=~Q(endorser=F("endorsee")), name="endorsement_not_self"
            ),
        ]
        indexes = [models.Index(fields=["endorsee", "skill"])]

    def __str__(self) -> str:
        return f"{self.endorser_id}->{self.endorsee_id}:{self.skill_id}"
