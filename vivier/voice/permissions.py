"""Who may do what with surveys, ideas and commitments."""

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.people.models import OrgUnit
from vivier.voice.models import Commitment, Idea


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_surveys(*, actor: User) -> bool:
    """HR administrators write, launch and close surveys."""
    return _active(actor) and is_hr_admin(actor)


def managed_units(*, user: User) -> list[OrgUnit]:
    """The units `user` manages (their subtrees are theirs to read results for)."""
    if not _active(user):
        return []
    cache = getattr(user, "_voice_managed_units", None)
    if cache is None:
        cache = list(OrgUnit.objects.filter(manager=user).order_by("path"))
        user._voice_managed_units = cache
    return cache


def can_view_results(*, viewer: User) -> bool:
    """HR administrators, and managers for their own subtrees (under the k rules)."""
    return can_manage_surveys(actor=viewer) or bool(managed_units(user=viewer))


def can_moderate_ideas(*, actor: User) -> bool:
    """HR administrators assign idea owners and may change any idea's status."""
    return _active(actor) and is_hr_admin(actor)


def can_change_idea_status(*, actor: User, idea: Idea) -> bool:
    """The idea's owner or an HR administrator moves it through its statuses."""
    return _active(actor) and (idea.owner_id == actor.pk or is_hr_admin(actor))


def can_manage_commitments(*, actor: User) -> bool:
    """HR administrators create commitments and name their owners."""
    return _active(actor) and is_hr_admin(actor)


def can_update_commitment(*, actor: User, commitment: Commitment) -> bool:
    """The owner or an HR administrator reports progress."""
    return _active(actor) and (commitment.owner_id == actor.pk or is_hr_admin(actor))
