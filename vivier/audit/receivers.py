"""Listeners that write the audit log: sign-ins, role and flag changes, token life cycle.

The audit trail is the one consumer that listens to signals: it must see every sign-in and
every group change, whichever code path (page, admin, SCIM, shell) made it.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from vivier.audit.services import audit_record
from vivier.core.models import ActivityEvent

# Account flags whose change is a permission change.
FLAGS = ("is_active", "is_staff", "is_superuser")

# Activity events that are also audit actions: (verb, object type) -> action.
EVENT_ACTIONS = {
    ("create", "accounts.apitoken"): "token.create",
    ("delete", "accounts.apitoken"): "token.revoke",
    ("deactivate", "accounts.user"): "account.deactivate",
    ("reactivate", "accounts.user"): "account.reactivate",
}


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A successful sign-in."""
    backend = getattr(user, "backend", "") or ""
    audit_record(
        action="auth.login", actor=user, target=user, request=request, method=backend[-60:]
    )


def on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    """A failed sign-in: the attempted e-mail only, never the password."""
    attempted = credentials.get("email") or credentials.get("username") or ""
    audit_record(
        action="auth.login_failed",
        actor=None,
        request=request,
        email=str(attempted)[:254],
        source=str(credentials.get("source", ""))[:40],
    )


def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A sign-out (user is None when the session had already expired)."""
    if user is not None and user.is_authenticated:
        audit_record(action="auth.logout", actor=user, target=user, request=request)


def on_groups_changed(
    sender: Any, instance: Any, action: str, pk_set: set | None, model: Any, **kwargs: Any
) -> None:
    """Role changes through User.groups, from either side of the relation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    User = get_user_model()
    if isinstance(instance, User):
        users = [instance.pk]
        if action == "pre_clear":
            names = list(instance.groups.values_list("name", flat=True))
        else:
            names = list(model.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    else:
        names = [instance.name]
        if action == "pre_clear":
            users = list(instance.user_set.values_list("pk", flat=True))
        else:
            users = sorted(pk_set or ())
    if not names:
        return
    verb = "role.grant" if action == "post_add" else "role.revoke"
    for user_id in users:
        audit_record(
            action=verb,
            target_type="accounts.user",
            target_id=user_id,
            target_user=user_id,
            roles=sorted(names),
        )


def on_user_pre_save(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Remember the flags as stored, to audit what the save changes."""
    if instance.pk is None or (update_fields is not None and not set(FLAGS) & set(update_fields)):
        instance._audit_flags = None
        return
    instance._audit_flags = (
        sender.objects.filter(pk=instance.pk).values(*FLAGS).first()
        if not kwargs.get("raw")
        else None
    )


def on_user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Audit account creation and changes of the active, staff and superuser flags."""
    if created:
        audit_record(
            action="account.create", target=instance, **{f: getattr(instance, f) for f in FLAGS}
        )
        return
    before = getattr(instance, "_audit_flags", None)
    if not before:
        return
    changed = {f: getattr(instance, f) for f in FLAGS if before[f] != getattr(instance, f)}
    if changed:
        audit_record(action="account.flags", target=instance, **changed)


def on_activity_event(sender: Any, instance: ActivityEvent, created: bool, **kwargs: Any) -> None:
    """Token and account life-cycle events, recorded by their services, enter the audit log."""
    if not created:
        return
    action = EVENT_ACTIONS.get((instance.verb, instance.object_type))
    if action is None:
        return
    audit_record(
        action=action,
        actor=instance.actor,
        target_type=instance.object_type,
        target_id=instance.object_id,
        target_user=instance.target_user_id or (instance.actor_id if "token" in action else None),
    )


def connect() -> None:
    """Connect every listener once."""
    User = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="audit_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="audit_logout")
    m2m_changed.connect(on_groups_changed, sender=User.groups.through, dispatch_uid="audit_groups")
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="audit_user_pre")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="audit_user_post")
    post_save.connect(on_activity_event, sender=ActivityEvent, dispatch_uid="audit_activity")
