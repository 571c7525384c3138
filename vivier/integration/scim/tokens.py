"""SCIM tokens: created by IT administrators, stored as SHA-256 like personal API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_it_admin
from vivier.accounts.services import token_hash
from vivier.core.errors import ApplicationError, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.integration.models import ScimToken

SCIM_TOKEN_PREFIX = "scim_"
SCIM_TOKEN_DENIED = _("Only IT administrators manage SCIM tokens.")
SCIM_TOKEN_NAME_REQUIRED = _("Give the token a name.")


@transaction.atomic
def scim_token_create(*, actor: User, name: str) -> tuple[ScimToken, str]:
    """Create a SCIM token; return it with its secret (shown once)."""
    if not is_it_admin(actor):
        raise PermissionDenied("scim_token_denied", SCIM_TOKEN_DENIED)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApplicationError("token_name_required", SCIM_TOKEN_NAME_REQUIRED, field="name")
    secret = SCIM_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(
        name=name,
        prefix=secret[: len(SCIM_TOKEN_PREFIX) + 6],
        key_hash=token_hash(secret),
        created_by=actor,
    )
    event_record(actor=actor, verb="create", obj=token)
    return token, secret


@transaction.atomic
def scim_token_revoke(*, actor: User, token_id: int) -> ScimToken:
    """Revoke a SCIM token at once."""
    if not is_it_admin(actor):
        raise PermissionDenied("scim_token_denied", SCIM_TOKEN_DENIED)
    token = ScimToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise NotFound("token_not_found", _("This token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        event_record(actor=actor, verb="delete", obj=token)
    return token


def scim_token_authenticate(*, secret: str) -> ScimToken | None:
    """The active SCIM token with this secret, else None."""
    if not secret or not secret.startswith(SCIM_TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ScimToken.objects.select_related("created_by")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - timedelta(
        seconds=settings.VIVIER_TOKEN_TOUCH_SECONDS
    ):
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
