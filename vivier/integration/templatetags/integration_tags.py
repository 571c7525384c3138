"""Template helpers: who sees the Integration page."""

from django import template

from vivier.accounts.roles import is_hr_admin, is_it_admin

register = template.Library()


@register.filter
def can_integrate(user: object) -> bool:
    """Whether `user` administers single sign-on, provisioning or the HR import."""
    return bool(getattr(user, "is_authenticated", False)) and (
        is_hr_admin(user) or is_it_admin(user)
    )
