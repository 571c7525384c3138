"""Template helpers for the expert programme: the expert card on a profile."""

from django import template

from vivier.programme.selectors import valid_awards, visibility_for

register = template.Library()


@register.inclusion_tag("programme/partials/_profile_card.html")
def expert_programme_card(person) -> dict:
    """A labelled expert's domains, governance seats and strategic projects; nothing (and no
    query) for anyone without a valid label, as their profile says."""
    profile = getattr(person, "profile", None)
    if profile is not None and not profile.expert_level:
        return {"awards": []}
    awards = list(valid_awards().filter(user=person).select_related("domain"))
    if not awards:
        return {"awards": []}
    seats, projects = visibility_for(user=person)
    return {"awards": awards, "seats": seats, "projects": projects}


@register.filter
def is_hr(user) -> bool:
    """Whether the user is an HR administrator."""
    from vivier.accounts.roles import is_hr_admin

    return is_hr_admin(user)


@register.filter
def get_item(mapping: dict, key):
    """mapping[key], or None."""
    return mapping.get(key)


@register.filter
def state_label(code: str) -> str:
    """The translated name of a nomination or award state."""
    from vivier.programme.models import Award, Nomination

    for states in (Nomination.State, Award.State):
        if code in states.values:
            return str(states(code).label)
    return code
