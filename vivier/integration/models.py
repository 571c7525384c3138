"""Integration records: OIDC links, SCIM tokens, SCIM identities and groups."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class OidcLink(BaseModel):
    """A person's account at the identity provider: later sign-ins match on (issuer, sub)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_links"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidclink_unique_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class ScimToken(BaseModel):
    """A bearer token for the identity provider's SCIM client; only its SHA-256 is stored."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScimIdentity(BaseModel):
    """What SCIM knows about a person beyond the account: userName, externalId, e-mail type."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim_identity"
    )
    user_name = models.CharField(_("user name"), max_length=255, unique=True)
    external_id = models.CharField(_("external id"), max_length=255, blank=True, db_index=True)
    email_type = models.CharField(max_length=32, blank=True, default="work")
    email_primary = models.BooleanField(null=True, default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("SCIM identity")
        verbose_name_plural = _("SCIM identities")

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(BaseModel):
    """A SCIM group: a role (hr_admin, it_admin) or an org unit, by its display name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    display_name = models.CharField(_("display name"), max_length=200, unique=True)
    external_id = models.CharField(_("external id"), max_length=255, blank=True, db_index=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    org_unit = models.OneToOneField(
        "people.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scim_group",
        verbose_name=_("org unit"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("SCIM group")
        verbose_name_plural = _("SCIM groups")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class RateCount(models.Model):
    """Events counted in one rate-limit window for one client, when no Redis is configured.

    UNLOGGED on PostgreSQL (migration 0004): emptied by a crash, like Redis without persistence.
    """

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit count")
        verbose_name_plural = _("rate-limit counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
