"""Who may see which journey data: HR everything, managers their subtree's aggregates, people their own."""

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.journey.models import Ambassador
from vivier.people.models import OrgUnit


def _active(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def managed_units(*, user: User) -> list[OrgUnit]:
    """The units `user` manages; their subtrees are the managed scope."""
    if not _active(user):
        return []
    cache = getattr(user, "_journey_managed_units", None)
    if cache is None:
        cache = list(OrgUnit.objects.filter(manager=user).order_by("path"))
        user._journey_managed_units = cache
    return cache


def can_view_all(*, viewer: User) -> bool:
    """HR administrators see every aggregate and every person's journey."""
    return _active(viewer) and is_hr_admin(viewer)


def can_view_aggregates(*, viewer: User) -> bool:
    """HR administrators, and managers for their own subtrees."""
    return can_view_all(viewer=viewer) or bool(managed_units(user=viewer))


def can_view_person(*, viewer: User, person: User) -> bool:
    """People see their own journey; HR sees anyone's; managers never see individual stages."""
    return _active(viewer) and (viewer.pk == person.pk or can_view_all(viewer=viewer))


def can_manage_playbooks(*, viewer: User) -> bool:
    """HR administrators read the playbooks and their measured effect."""
    return can_view_all(viewer=viewer)


def is_ambassador(*, user: User) -> bool:
    """Whether `user` accepted to be an ambassador."""
    if not _active(user):
        return False
    return Ambassador.objects.filter(user=user, status=Ambassador.Status.ACCEPTED).exists()
