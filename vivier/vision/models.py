"""The vision map (vision, strategic axes, objectives with indicators) and links to everyday work."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


def in_language(french: str, english: str) -> str:
    """The English text for English readers, the French one otherwise; the other when empty."""
    if (get_language() or "fr").startswith("en"):
        return english or french
    return french or english


class Vision(BaseModel):
    """The company's vision statement (one row: the current vision)."""

    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    statement_fr = models.TextField(_("statement (French)"), max_length=4000)
    statement_en = models.TextField(_("statement (English)"), max_length=4000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)

    @property
    def statement(self) -> str:
        return in_language(self.statement_fr, self.statement_en)


class Axis(BaseModel):
    """A strategic axis of the vision, grouping objectives."""

    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_fr, self.description_en)


class Objective(BaseModel):
    """An objective of an axis, owned by someone, over a period; may refine a parent objective."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    axis = models.ForeignKey(
        Axis, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("axis")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent objective"),
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="vision_objectives",
        verbose_name=_("owner"),
    )
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="vision_objective_period"
            ),
            # The database refuses the shortest cycle; longer ones are refused by the service.
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="vision_objective_not_own_parent",
            ),
        ]
        indexes = [models.Index(fields=["status", "axis"], name="vision_objective_status")]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return in_language(self.title_fr, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_fr, self.description_en)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Indicator(BaseModel):
    """A measure of an objective: where it stands and where it should go."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=24, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    current_value = models.DecimalField(
        _("current value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name_fr

    @property
    def name(self) -> str:
        return in_language(self.name_fr, self.name_en)

    @property
    def progress(self) -> int | None:
        """The current value as a share of the target, 0 to 100 (None without a value)."""
        if self.current_value is None or not self.target_value:
            return None
        return max(0, min(100, round(100 * float(self.current_value) / float(self.target_value))))

    @property
    def progress_bar(self) -> int:
        """The progress rounded to 5 %, for the progress bar's width class."""
        return 5 * round((self.progress or 0) / 5)


# One nullable foreign key per kind of linked thing (decision 15): the database keeps each link
# pointing at a real row, deletes it with its target, and coverage joins without generic lookups.
LINK_FIELDS = ("post", "opportunity", "idea", "commitment", "community")


class ObjectiveLink(models.Model):
    """A piece of everyday work (post, question, opportunity, idea, commitment, community) tied to
    an objective by its author or owner."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="links")
    post = models.ForeignKey(
        "social.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    idea = models.ForeignKey(
        "voice.Idea", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commitment = models.ForeignKey(
        "voice.Commitment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "social.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("link to an objective")
        verbose_name_plural = _("links to objectives")
        constraints = [
            # Exactly one target: the sum of the "is set" flags is 1.
            models.CheckConstraint(
                condition=(
                    Q(
                        post__isnull=False,
                        opportunity__isnull=True,
                        idea__isnull=True,
                        commitment__isnull=True,
                        community__isnull=True,
                    )
                    | Q(
                        post__isnull=True,
                        opportunity__isnull=False,
                        idea__isnull=True,
                        commitment__isnull=True,
                        community__isnull=True,
                    )
                    | Q(
                        post__isnull=True,
                        opportunity__isnull=True,
                        idea__isnull=False,
                        commitment__isnull=True,
                        community__isnull=True,
                    )
                    | Q(
                        post__isnull=True,
                        opportunity__isnull=True,
                        idea__isnull=True,
                        commitment__isnull=False,
                        community__isnull=True,
                    )
                    | Q(
                        post__isnull=True,
                        opportunity__isnull=True,
                        idea__isnull=True,
                        commitment__isnull=True,
                        community__isnull=False,
                    )
                ),
                name="vision_link_one_target",
            ),
            *[
                models.UniqueConstraint(
                    fields=["objective", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"vision_link_unique_{name}",
                )
                for name in LINK_FIELDS
            ],
        ]
        indexes = [
            models.Index(fields=[name, "objective"], name=f"vision_link_by_{name}")
            for name in LINK_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target_id}->{self.objective_id}"

    @property
    def kind(self) -> str:
        """The kind of the linked thing: the name of its set foreign key."""
        return next((name for name in LINK_FIELDS if getattr(self, f"{name}_id")), "")

    @property
    def target_id(self) -> int | None:
        kind = self.kind
        return getattr(self, f"{kind}_id") if kind else None

    @property
    def target(self) -> models.Model | None:
        kind = self.kind
        return getattr(self, kind) if kind else None
