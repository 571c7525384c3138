"""Who erases people and sets legal holds."""

from typing import Any

from vivier.accounts.roles import is_hr_admin, is_it_admin


def can_manage_privacy(*, actor: Any) -> bool:
    """HR and IT administrators erase accounts and set or lift legal holds."""
    return is_hr_admin(actor) or is_it_admin(actor)
