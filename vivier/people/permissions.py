"""Who may change what about people."""

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin


def can_edit_profile(*, actor: User, person: User) -> bool:
    """A person edits their own profile; HR administrators edit anyone's."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.pk == person.pk or is_hr_admin(actor)


def can_edit_placement(*, actor: User, person: User) -> bool:
    """Org unit, manager and job role come from HR, not from the person."""
    return actor.is_authenticated and actor.is_active and is_hr_admin(actor)


def can_endorse(*, actor: User, person: User) -> bool:
    """Anyone but the person themself may endorse their skills."""
    return actor.is_authenticated and actor.is_active and actor.pk != person.pk
