"""Account writes: users, roles, language and personal API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import ApiToken, Role, User
from vivier.accounts.sessions import sessions_end_for_user
from vivier.core.errors import ApplicationError, NotFound
from vivier.core.events import event_record
from vivier.core.prepared import prepared_cursor
from vivier.core.rows import columns_of

TOKEN_PREFIX = "viv_"
TOKEN_NAME_REQUIRED = _("Give the token a name.")
TOKEN_NAME_TOO_LONG = _("A token name has at most 100 characters.")
TOKEN_NOT_FOUND = _("This token does not exist.")
LANGUAGE_UNKNOWN = _("This language is not available.")


def token_hash(secret: str) -> str:
    """The stored digest of a token secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token for `user`; return it with its secret (shown once)."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("token_name_required", TOKEN_NAME_REQUIRED, field="name")
    if len(name) > 100:
        raise ApplicationError("token_name_too_long", TOKEN_NAME_TOO_LONG, field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], key_hash=token_hash(secret)
    )
    event_record(actor=user, verb="create", obj=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens; revoking twice is harmless."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("token_not_found", TOKEN_NOT_FOUND)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        event_record(actor=user, verb="delete", obj=token)
    return token


def api_token_authenticate(*, secret: str) -> User | None:
    """Return the active user owning the active token `secret`, else None."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = _live_token(token_hash(secret))
    if token is None:
        return None
    now = timezone.now()
    # Record use coarsely: one write a minute per token, not one per request.
    stale = now - timedelta(seconds=settings.VIVIER_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or token.last_used_at < stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _live_token(key_hash: str) -> ApiToken | None:
    """The unrevoked token with `key_hash` of an active user, its user loaded: one statement.

    Every API request asks this: written by hand, not built by the ORM each time (decision 27).
    """
    using = router.db_for_read(ApiToken)
    token, user = columns_of(ApiToken, "t", using), columns_of(User, "u", using)
    with prepared_cursor(connections[using]) as cursor:
        cursor.execute(
            f"SELECT {token.sql}, {user.sql} FROM {ApiToken._meta.db_table} t "
            f"JOIN {User._meta.db_table} u ON u.id = t.user_id "
            "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active "
            "ORDER BY t.created_at DESC LIMIT 1",
            [key_hash],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    found = token.instance(row[: len(token)])
    ApiToken._meta.get_field("user").set_cached_value(found, user.instance(row[len(token) :]))
    return found


def user_set_language(*, user: User, language: str) -> User:
    """Store `user`'s interface language."""
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError("language_unknown", LANGUAGE_UNKNOWN, field="language")
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: list[Role]) -> User:
    """Give `user` exactly these roles."""
    groups = [Group.objects.get_or_create(name=role.value)[0] for role in roles]
    user.groups.set(groups)
    user.__dict__.pop("_role_cache", None)
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Deactivate `user`: end every session and API token at once; their content stays."""
    # Deferred: the search app imports every content app, several of which import this module.
    from vivier.search import services as search

    now = timezone.now()
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    user.__dict__.pop("_role_cache", None)
    sessions_end_for_user(user.pk)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    search.index_person(user)
    event_record(actor=actor or user, verb="deactivate", obj=user, target_user=user)
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User | None = None) -> User:
    """Let a deactivated `user` sign in again (their old sessions and tokens stay ended)."""
    from vivier.search import services as search

    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    search.index_person(user)
    event_record(actor=actor or user, verb="reactivate", obj=user, target_user=user)
    return user
