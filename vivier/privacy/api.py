"""Privacy and audit in the JSON API: my data export, erasure, legal holds, the audit log."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from vivier.audit import selectors as audit_selectors
from vivier.audit.services import audit_record
from vivier.core.api import MAX_ID, errors
from vivier.privacy import services
from vivier.privacy.export import export_zip
from vivier.privacy.schemas import (
    AuditPageOut,
    PrivacyEraseIn,
    PrivacyErasureOut,
    PrivacyLegalHoldIn,
    PrivacyLegalHoldOut,
)

router = Router(tags=["privacy"])

PersonId = Annotated[int, Path(ge=1, le=MAX_ID)]
# ASCII digits: `\d` is any Unicode digit to Python and to pydantic's Rust regex, but not to
# JSON Schema (ECMAScript), which the OpenAPI document speaks.
ISO_DAY_OR_EMPTY = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"


@router.get(
    "/me/export",
    response={200: bytes, **errors(401)},
    summary="Download my data: a zip of JSON files with my own data only",
    openapi_extra={
        "responses": {
            200: {
                "description": "A zip file",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def my_export(request: HttpRequest) -> HttpResponse:
    content = export_zip(request.user)
    audit_record(
        action="privacy.export", actor=request.user, target=request.user, size=len(content)
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="vivier-my-data.zip"'
    return response


@router.post(
    "/privacy/people/{person_id}/erase",
    response={200: PrivacyErasureOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="HR/IT: erase (anonymise) a person; refused under a legal hold",
)
def person_erase(request: HttpRequest, person_id: PersonId, payload: PrivacyEraseIn) -> Any:
    person = services.person_get(person_id=person_id)
    erasure = services.person_erase(actor=request.user, person=person, content=payload.content)
    return {"person_id": person.pk, "erased_at": erasure.erased_at, "content": erasure.content}


@router.put(
    "/privacy/people/{person_id}/legal-hold",
    response={200: PrivacyLegalHoldOut, **errors(400, 401, 403, 404, 422)},
    summary="HR/IT: put a person under a legal hold (or change its reason)",
)
def legal_hold_set(request: HttpRequest, person_id: PersonId, payload: PrivacyLegalHoldIn) -> Any:
    person = services.person_get(person_id=person_id)
    hold = services.legal_hold_set(actor=request.user, person=person, reason=payload.reason)
    return {"person_id": person.pk, "reason": hold.reason, "created_at": hold.created_at}


@router.delete(
    "/privacy/people/{person_id}/legal-hold",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="HR/IT: lift a person's legal hold",
)
def legal_hold_lift(request: HttpRequest, person_id: PersonId) -> Any:
    person = services.person_get(person_id=person_id)
    services.legal_hold_lift(actor=request.user, person=person)
    return Status(204, None)


@router.get(
    "/audit/events",
    response={200: AuditPageOut, **errors(401, 403, 422)},
    summary="IT: the audit log, newest first; pass `before` = `next_before` for the next page",
)
def audit_events(
    request: HttpRequest,
    actor: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    person: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: Annotated[str, Query(max_length=64, pattern=r"^[a-z0-9_.]*$")] = "",
    since: Annotated[str, Query(max_length=10, pattern=ISO_DAY_OR_EMPTY)] = "",
    until: Annotated[str, Query(max_length=10, pattern=ISO_DAY_OR_EMPTY)] = "",
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    filters = audit_selectors.AuditFilters.parse(
        {"actor": actor, "person": person, "action": action, "since": since, "until": until}
    )
    rows, next_before = audit_selectors.audit_page(
        viewer=request.user, filters=filters, before=before, size=limit
    )
    return {"items": rows, "next_before": next_before}
