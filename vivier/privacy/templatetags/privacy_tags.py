"""Template helpers for the privacy and audit links."""

from typing import Any

from django import template

from vivier.audit.permissions import can_read_audit_log
from vivier.privacy.permissions import can_manage_privacy

register = template.Library()


@register.filter
def manages_privacy(user: Any) -> bool:
    """Whether `user` may open the erasure and legal-hold pages."""
    return bool(user and user.is_authenticated and can_manage_privacy(actor=user))


@register.filter
def reads_audit_log(user: Any) -> bool:
    """Whether `user` may open the audit log."""
    return bool(user and user.is_authenticated and can_read_audit_log(actor=user))
