"""The main navigation, rendered once per language, section and URL configuration."""

from functools import lru_cache
from typing import Any

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=2048)
def _nav(language: str, prefix: str, urlconf: Any, url_name: str, app_name: str) -> str:
    """The navigation's HTML; the arguments are everything it depends on."""
    return get_template("_main_nav.html").render({"url_name": url_name, "app_name": app_name})


@register.simple_tag(takes_context=True)
def main_nav(context: Any) -> SafeString:
    """The main navigation with the current section marked (16 links, each reversed: every
    page paid for them before they were kept)."""
    match = getattr(context.get("request"), "resolver_match", None)
    url_name = (match.url_name or "") if match else ""
    app_name = (match.app_name or "") if match else ""
    return mark_safe(_nav(get_language(), get_script_prefix(), get_urlconf(), url_name, app_name))
