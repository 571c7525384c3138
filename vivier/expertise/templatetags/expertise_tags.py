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


def _label_levels() -> dict[int, str]:
    """Everyone holding a valid Expert label: user id -> highest level ("referent" first)."""
    from django.db.models import Q
    from django.utils import timezone

    from vivier.expertise.models import ExpertLabel

    levels: dict[int, str] = {}
    valid = ExpertLabel.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )
    for user_id, level in valid.values_list("user_id", "level"):
        if levels.get(user_id) != "referent":
            levels[user_id] = level
    return levels


@register.inclusion_tag("expertise/partials/_label_badge.html", takes_context=True)
def expert_badge(context: template.Context, user_id: int) -> dict[str, str]:
    """The Expert label badge next to a person's name: one query per page, however many names."""
    request = context.get("request")
    if request is not None:
        levels = getattr(request, "_expert_label_levels", None)
        if levels is None:
            levels = request._expert_label_levels = _label_levels()
    else:  # e-mails: once per rendering
        levels = context.render_context.get("_expert_label_levels")
        if levels is None:
            levels = context.render_context["_expert_label_levels"] = _label_levels()
    return {"level": levels.get(user_id)}
