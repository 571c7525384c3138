"""Legal holds (which block erasure) and the record that a person was erased."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class LegalHold(BaseModel):
    """A person whose data must be kept (litigation, investigation): erasure and retention skip
    them until the hold is lifted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="legal_hold",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason}"


class Erasure(models.Model):
    """The fact that a person's account was anonymised, and how; never the erased data."""

    class Content(models.TextChoices):
        KEEP = "keep", _("Kept, shown as a former employee")
        DELETE = "delete", _("Deleted")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure",
        verbose_name=_("person"),
    )
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("erased by"),
    )
    content = models.CharField(_("authored content"), max_length=8, choices=Content.choices)
    automatic = models.BooleanField(_("by the retention task"), default=False)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.user_id} {self.erased_at:%Y-%m-%d}"
