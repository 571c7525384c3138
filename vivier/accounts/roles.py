"""Role checks: roles are groups; a manager is whoever manages a unit or a person."""

from vivier.accounts.models import Role, User


def has_role(user: User, role: Role) -> bool:
    """Whether `user` holds `role` (superusers hold every role)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or role == Role.EMPLOYEE:
        # Every active account is an employee; superusers hold every role.
        return True
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_cache = cache
    return role.value in cache


def is_hr_admin(user: User) -> bool:
    """Whether `user` administers HR data (org placement, programmes)."""
    return has_role(user, Role.HR_ADMIN)


def is_it_admin(user: User) -> bool:
    """Whether `user` administers the platform (tokens, provisioning)."""
    return has_role(user, Role.IT_ADMIN)


def role_names(user: User) -> list[str]:
    """The role codes `user` holds."""
    return [role.value for role in Role if has_role(user, role)]
