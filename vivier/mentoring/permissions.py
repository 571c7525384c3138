"""Who may do what in mentoring: the pair, and HR for programmes (never the private notes)."""

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.mentoring.models import Mentorship, Programme


def is_in_pair(*, user: User, mentorship: Mentorship) -> bool:
    """Whether `user` is the mentor or the mentee."""
    return user.pk in (mentorship.mentor_id, mentorship.mentee_id)


def can_view_mentorship(*, user: User, mentorship: Mentorship) -> bool:
    """The pair sees its relationship; HR sees programme relationships (not their notes)."""
    if is_in_pair(user=user, mentorship=mentorship):
        return True
    return mentorship.programme_id is not None and is_hr_admin(user)


def can_read_notes(*, user: User, mentorship: Mentorship) -> bool:
    """Private notes are for the two people of the pair only, HR included out."""
    return is_in_pair(user=user, mentorship=mentorship)


def can_manage_programmes(user: User) -> bool:
    """HR administrators open, assign, adjust, publish and close programmes."""
    return is_hr_admin(user)


def can_view_programme(*, user: User, programme: Programme, is_participant: bool) -> bool:
    """HR sees every programme; participants see the programmes they are in."""
    return is_hr_admin(user) or is_participant
