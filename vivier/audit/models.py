"""The audit log: one append-only row per security-relevant action, ids only, no secrets."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "The audit log is append-only: rows are never changed or deleted."


class AppendOnlyError(Exception):
    """An attempt to change or delete audit rows outside the retention task."""


class AuditEventQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes; only the retention purge may delete."""

    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(APPEND_ONLY)

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise AppendOnlyError(APPEND_ONLY)

    def update_or_create(self, *args: object, **kwargs: object) -> object:
        raise AppendOnlyError(APPEND_ONLY)


class AuditEvent(models.Model):
    """Who did what to which object or person, from where, when."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint and DO_NOTHING: deleting a user must never touch audit rows, and
    # the ids stay meaningful (the person is shown under their pseudonym after erasure).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_ip = models.GenericIPAddressField(_("actor IP"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="audit_time_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["target_user", "-occurred_at"], name="audit_target_idx"),
            models.Index(fields=["action", "-occurred_at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(APPEND_ONLY)


class PurgePermit(models.Model):
    """A row present only inside the retention task's transaction; the database trigger lets
    DELETE through only while one exists, so nothing else can delete audit rows."""

    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit purge permit")

    def __str__(self) -> str:
        return f"purge permit {self.pk}"
