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


@register.inclusion_tag("expertise/partials/_label_badge.html")
def expert_badge(person: object) -> dict[str, str | None]:
    """The Expert label badge next to a person's name, from their profile (a User or a Profile).

    The level is kept on the profile (expert_levels_refresh), which the pages showing names
    already load: no query of its own.
    """
    profile = getattr(person, "profile", person)
    level = getattr(profile, "expert_level", "")
    # Deactivated accounts (docs/integration.md) keep their content, marked as former staff.
    user = getattr(person, "user", person)
    former = getattr(user, "is_active", True) is False
    return {"level": None if former else (level or None), "former": former}
