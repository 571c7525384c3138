"""The audit log page and its exports, for IT administrators."""

import json
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from vivier.audit import selectors
from vivier.audit.models import AuditEvent
from vivier.audit.permissions import can_read_audit_log
from vivier.audit.services import audit_record
from vivier.core.csv_export import ExcelCsv

COLUMNS = [
    "id",
    "occurred_at",
    "actor_id",
    "actor_ip",
    "action",
    "target_type",
    "target_id",
    "target_user_id",
    "details",
    "request_id",
]


def _row(event: AuditEvent) -> dict:
    return {
        "id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_ip": event.actor_ip,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_user_id": event.target_user_id,
        "details": event.details,
        "request_id": event.request_id,
    }


def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, filtered by actor, action, dates and person, 50 rows a page."""
    if not can_read_audit_log(actor=request.user):
        return render(request, "403.html", status=403)
    filters = selectors.AuditFilters.parse(request.GET)
    rows, next_cursor = selectors.audit_page(
        viewer=request.user, filters=filters, before=request.GET.get("before")
    )
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "filters": filters,
        "actions": selectors.audit_actions(),
        "query": query.urlencode(),
    }
    return render(request, "audit/log.html", context)


def _csv(rows: Iterator[AuditEvent]) -> Iterator[str]:
    csv = ExcelCsv()
    yield csv.header(COLUMNS)
    for event in rows:
        data = _row(event)
        data["details"] = json.dumps(data["details"], ensure_ascii=False, sort_keys=True)
        yield csv.row(data[c] for c in COLUMNS)


def _jsonl(rows: Iterator[AuditEvent]) -> Iterator[str]:
    for event in rows:
        yield json.dumps(_row(event), ensure_ascii=False) + "\n"


def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (`?format=csv`) or JSON lines; the export is itself audited."""
    if not can_read_audit_log(actor=request.user):
        return render(request, "403.html", status=403)
    fmt = "csv" if request.GET.get("format") == "csv" else "jsonl"
    filters = selectors.AuditFilters.parse(request.GET)
    # Recorded first, so the export shows who exported and with which filters.
    audit_record(
        action="audit.export",
        actor=request.user,
        request=request,
        format=fmt,
        filter_actor=filters.actor_id,
        filter_person=filters.target_user_id,
        filter_action=filters.action,
        since=filters.since.isoformat() if filters.since else None,
        until=filters.until.isoformat() if filters.until else None,
    )
    rows = selectors.audit_iter(viewer=request.user, filters=filters)
    lines = _csv(rows) if fmt == "csv" else _jsonl(rows)
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
