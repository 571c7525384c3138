"""Template tags of post cards: the per-reader parts built by `vivier.social.cards`."""

from typing import Any

from django import template
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vivier.social import cards

register = template.Library()


def _form(context: dict[str, Any], post: Any) -> str:
    request = context["request"]
    return cards.reaction_form(
        post_id=post.pk,
        react_url=post.react_url,
        mine=post.my_reaction,
        count=post.reaction_count,
        csrf_token=get_token(request),
        next_path=request.get_full_path(),
        labels=cards.reaction_labels(),
    )


@register.simple_tag(takes_context=True)
def reaction_form(context: dict[str, Any], post: Any) -> SafeString:
    """A post's reaction buttons for the reader (a post loaded with `with_post_details`)."""
    return mark_safe(_form(context, post))


@register.simple_tag(takes_context=True)
def post_card_foot(context: dict[str, Any], post: Any) -> SafeString:
    """The end of a post card for the reader: reactions, answer and comment counts."""
    return mark_safe(
        cards.card_foot(
            kind=post.kind,
            url=post.url,
            form=_form(context, post),
            answer_count=post.answer_count,
            comment_count=post.comment_count,
        )
    )


@register.simple_tag(takes_context=True)
def composer(context: Any, form: Any, community: Any = None) -> SafeString:
    """The composer: an empty one from the cache (per language and list of communities), a form
    with the reader's input and errors rendered each time."""
    request = context["request"]
    template = "social/partials/_composer_form.html"
    if form.is_bound:
        return mark_safe(
            render_to_string(template, {"form": form, "community": community}, request)
        )
    field = form.fields["community"]
    choices = getattr(form, "community_choices", None)
    if choices is None:
        choices = [(c.pk, c.name) for c in field.queryset]
    key = cards.fragment_key(
        "composer", community.slug if community else "", field.initial or "", choices
    )
    fragments = caches[cards.CARD_CACHE]
    html = fragments.get(key)
    if html is None:
        # The choices already read: rendering the select must not read them again.
        field.choices = [("", field.empty_label), *choices]
        context = {"form": form, "community": community, "csrf_token": cards.CSRF_SLOT}
        html = render_to_string(template, context)
        fragments.set(key, html)
    return mark_safe(html.replace(cards.CSRF_SLOT, escape(get_token(request))))
