"""The page's header and main navigation, rendered once per language, section and URL
configuration; the reader's own values (CSRF token, unread count, path) are put in after."""

from functools import lru_cache
from typing import Any

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=2048)
def _nav(language: str, prefix: str, urlconf: Any, url_name: str, app_name: str) -> str:
    """The navigation's HTML; the arguments are everything it depends on."""
    return get_template("_main_nav.html").render({"url_name": url_name, "app_name": app_name})


# Stand-ins for the reader's values in a cached header (never in a real token, count or path).
_CSRF_SLOT, _COUNT_SLOT, _NEXT_SLOT = "vivier-csrf-7c1e", "vivier-count-7c1e", "vivier-next-7c1e"


@lru_cache(maxsize=2048)
def _header(
    language: str,
    prefix: str,
    urlconf: Any,
    url_name: str,
    app_name: str,
    authenticated: bool,
    staff: bool,
    counted: bool,
) -> str:
    """The header's HTML with stand-ins; the arguments are everything else it depends on."""
    context = {
        "LANGUAGE_CODE": language,
        "nav": mark_safe(_nav(language, prefix, urlconf, url_name, app_name)),
        "authenticated": authenticated,
        "staff": staff,
        "count": _COUNT_SLOT if counted else 0,
        "csrf_slot": _CSRF_SLOT,
        "next_slot": _NEXT_SLOT,
    }
    return get_template("_site_header.html").render(context)


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> SafeString:
    """The site header: brand, main navigation, account menu with the unread count, language
    switch. Rendered once per kind of page and reader, then filled in: every page showed it,
    and its sixteen links and forms cost more than many a page's content."""
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    # A lazy object (vivier.social.context_processors) or a number: truth and text only.
    count = (context.get("unread_notifications") or 0) if authenticated else 0
    match = getattr(request, "resolver_match", None)
    html = _header(
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        (match.url_name or "") if match else "",
        (match.app_name or "") if match else "",
        authenticated,
        bool(authenticated and user.is_staff),
        bool(count),
    )
    # The page's token (the csrf context processor's, lazy): the one its htmx headers carry.
    token = str(context.get("csrf_token", ""))
    path = request.get_full_path() if request is not None else ""
    html = html.replace(_CSRF_SLOT, escape(token)).replace(_NEXT_SLOT, escape(path))
    return mark_safe(html.replace(_COUNT_SLOT, str(count)))
