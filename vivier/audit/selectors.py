"""Reading the audit log: filtered, newest first, keyset-paginated on the id."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.audit.models import AuditEvent
from vivier.audit.permissions import can_read_audit_log
from vivier.core.errors import PermissionDenied
from vivier.core.ids import parse_id

AUDIT_DENIED = _("Only IT administrators read the audit log.")
PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    """The filters of the audit log page and export, already parsed."""

    actor_id: int | None = None
    target_user_id: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, data: Any) -> "AuditFilters":
        """Filters read from a query string; unreadable values are ignored."""

        def day(value: Any) -> date | None:
            try:
                return date.fromisoformat(str(value)) if value else None
            except ValueError:
                return None

        return cls(
            actor_id=parse_id(data.get("actor") or ""),
            target_user_id=parse_id(data.get("person") or ""),
            action=str(data.get("action") or "")[:64],
            since=day(data.get("since")),
            until=day(data.get("until")),
        )


def _check(viewer: Any) -> None:
    if not can_read_audit_log(actor=viewer):
        raise PermissionDenied("audit_denied", AUDIT_DENIED)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, viewer: Any, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit rows matching `filters`, newest first, for an IT administrator."""
    _check(viewer)
    rows = AuditEvent.objects.order_by("-id")
    if filters.actor_id:
        rows = rows.filter(actor_id=filters.actor_id)
    if filters.target_user_id:
        rows = rows.filter(target_user_id=filters.target_user_id)
    if filters.action:
        # A family ("auth.") or one action ("auth.login").
        if filters.action.endswith("."):
            rows = rows.filter(action__startswith=filters.action)
        else:
            rows = rows.filter(action=filters.action)
    # The first and last days of Python's calendar bound nothing, and their midnights, once in
    # UTC, may fall outside it (an OverflowError): they are left out.
    if filters.since and filters.since > date.min + timedelta(days=1):
        rows = rows.filter(occurred_at__gte=_start(filters.since))
    if filters.until and filters.until < date.max - timedelta(days=1):
        rows = rows.filter(occurred_at__lt=_start(filters.until + timedelta(days=1)))
    return rows


def audit_page(
    *, viewer: Any, filters: AuditFilters, before: Any = None, size: int = PAGE_SIZE
) -> tuple[list[AuditEvent], int | None]:
    """One page of rows older than the id `before`, and the cursor of the next page."""
    rows = audit_events(viewer=viewer, filters=filters)
    cursor = parse_id(before) if before else None
    if cursor:
        rows = rows.filter(id__lt=cursor)
    page = list(rows[: size + 1])
    has_more = len(page) > size
    page = page[:size]
    _attach_people(page)
    return page, (page[-1].pk if has_more and page else None)


def _attach_people(rows: list[AuditEvent]) -> None:
    # One query for every name on the page; rows keep ids only.
    ids = {r.actor_id for r in rows} | {r.target_user_id for r in rows}
    ids.discard(None)
    people = User.objects.in_bulk(ids) if ids else {}
    for row in rows:
        row.actor_person = people.get(row.actor_id)
        row.target_person = people.get(row.target_user_id)


def audit_iter(*, viewer: Any, filters: AuditFilters, chunk: int = 2000) -> Iterator[AuditEvent]:
    """Every matching row, newest first, read in keyset chunks (for exports)."""
    rows = audit_events(viewer=viewer, filters=filters)
    cursor = None
    while True:
        batch = list((rows.filter(id__lt=cursor) if cursor else rows)[:chunk])
        if not batch:
            return
        yield from batch
        cursor = batch[-1].pk


def audit_actions() -> list[str]:
    """The action codes present in the log, for the filter."""
    return sorted(AuditEvent.objects.order_by().values_list("action", flat=True).distinct())
