"""Recording activity events from services."""

from typing import Any

from django.db import models

from vivier.core.models import ActivityEvent


def event_record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    target_user: Any = None,
    **data: Any,
) -> ActivityEvent:
    """Store one activity event for `actor` doing `verb` on `obj`."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    else:
        object_id = None
    return ActivityEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type or "",
        object_id=object_id,
        target_user=target_user,
        data=data,
    )
