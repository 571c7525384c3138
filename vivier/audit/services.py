"""Writing the audit log, and the retention purge that is the only way rows ever leave it."""

from datetime import datetime
from typing import Any

from django.db import models, transaction

from vivier.audit.context import current
from vivier.audit.models import AuditEvent, PurgePermit

# Detail keys that never reach the audit log, whatever a caller passes.
SECRET_KEYS = ("password", "token", "secret", "authorization", "cookie", "session", "answer")


def _clean_details(details: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in details.items():
        if any(word in key.lower() for word in SECRET_KEYS):
            continue
        if isinstance(value, str):
            value = value[:200]
        elif not isinstance(value, int | float | bool | list | type(None)):
            value = str(value)[:200]
        clean[key] = value
    return clean


def _user_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    target_user: Any = None,
    request: Any = None,
    **details: Any,
) -> AuditEvent:
    """Append one audit row; actor, IP and request id default to the request being served."""
    ctx = current()
    if actor is None:
        actor = getattr(request, "user", None) if request is not None else ctx.user
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target.pk
        if target_user is None and target._meta.label_lower == "accounts.user":
            target_user = target
    ip = ctx.ip
    if request is not None and ip is None:
        ip = request.META.get("REMOTE_ADDR") or None
    if isinstance(target_user, int):
        target_user_id = target_user
    else:
        target_user_id = getattr(target_user, "pk", None)
    return AuditEvent.objects.create(
        actor_id=_user_id(actor),
        actor_ip=ip,
        action=action,
        target_type=target_type or "",
        target_id="" if target_id in (None, "") else str(target_id)[:64],
        target_user_id=target_user_id,
        details=_clean_details(details),
        request_id=ctx.request_id,
    )


@transaction.atomic
def audit_purge_before(*, cutoff: datetime, dry_run: bool = False) -> int:
    """Delete audit rows older than `cutoff` (the retention task only); return how many."""
    rows = AuditEvent.objects.filter(occurred_at__lt=cutoff)
    count = rows.count()
    if dry_run or not count:
        return count
    # The trigger refuses DELETE unless a permit row exists in this very transaction.
    permit = PurgePermit.objects.create()
    # A plain DELETE built by the ORM (the queryset's own delete() refuses, by design).
    deleted = rows._raw_delete(rows.db)
    PurgePermit.objects.filter(pk=permit.pk).delete()
    return deleted
