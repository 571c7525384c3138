"""Template context for every page: the unread notification count."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vivier.social.selectors import notification_unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """The signed-in person's unread notification count, computed only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: notification_unread_count(viewer=user))
    }
