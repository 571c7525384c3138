"""Who reads the audit log."""

from typing import Any

from vivier.accounts.roles import is_it_admin


def can_read_audit_log(*, actor: Any) -> bool:
    """IT administrators (and superusers) read and export the audit log."""
    return is_it_admin(actor)
