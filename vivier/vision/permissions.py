"""Who may author the vision map and edit objectives."""

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.vision.models import Objective


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_map(*, actor: User) -> bool:
    """HR administrators write the vision, its axes and objectives."""
    return _active(actor) and is_hr_admin(actor)


def can_edit_objective(*, actor: User, objective: Objective) -> bool:
    """An objective's owner edits its texts and indicators; HR administrators edit everything."""
    return _active(actor) and (objective.owner_id == actor.pk or is_hr_admin(actor))


def can_view_coverage(*, viewer: User) -> bool:
    """HR administrators see coverage for everyone, managers for their subtrees."""
    from vivier.voice.permissions import managed_units

    return can_manage_map(actor=viewer) or bool(managed_units(user=viewer))
