"""Template helpers for the Q&A and "who knows" pages."""

from django import template

from vivier.people.models import ProfileSkill

register = template.Library()


@register.filter
def level_label(level: int) -> str:
    """The translated name of a declared skill level (1 to 4)."""
    try:
        return str(ProfileSkill.Level(int(level)).label)
    except (TypeError, ValueError):
        return ""
