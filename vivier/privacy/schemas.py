"""Privacy API schemas (prefixed: ninja schema names are global)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from vivier.core.api import InputSchema


class PrivacyEraseIn(InputSchema):
    content: Literal["keep", "delete"] = Field(
        "keep", description="`keep` authored content under the pseudonym, or `delete` it"
    )


class PrivacyErasureOut(Schema):
    person_id: int
    erased_at: datetime
    content: str


class PrivacyLegalHoldIn(InputSchema):
    # At least one visible character, and no NUL (which databases cannot store).
    reason: str = Field(..., max_length=300, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")


class PrivacyLegalHoldOut(Schema):
    person_id: int
    reason: str
    created_at: datetime


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_ip: str | None
    action: str
    target_type: str
    target_id: str
    target_user_id: int | None
    details: dict
    request_id: str


class AuditPageOut(Schema):
    items: list[AuditEventOut]
    next_before: int | None
