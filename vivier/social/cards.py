"""Feed pages of post cards: what a card shows is rendered once and served from a cache.

A card has two parts. Its head (author, date, text, attachments, tags) is the same for every
reader: it is rendered through `_post_card_head.html` the first time and kept in the "cards"
cache under a key computed from everything it shows, so that a changed post, name, photo,
badge or community name gives a new key and an entry is never stale (decision 19). Its foot
(the reader's reaction, the counts, the CSRF token) is per reader and per request, and is built
here in Python for each card.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.core.cache import caches
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from vivier.accounts.models import User
from vivier.social.models import Post, Reaction
from vivier.social.selectors import encode_cursor, keyset, limit_of

# Reversed in the argument's place, then replaced: valid for the int, slug and str converters.
_SLOT = "8642097531"
# What `reverse` leaves unquoted in a path.
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def url_maker(name: str) -> Callable[[object], str]:
    """A function giving `reverse(name, args=[value])` for one-argument URLs, reversed once."""
    head, tail = reverse(name, args=[_SLOT]).split(_SLOT)

    def make(value: object) -> str:
        return f"{head}{quote(str(value), safe=_SAFE)}{tail}"

    return make


def card_urls(posts: Iterable[Post]) -> None:
    """Set the URLs a post card links to on posts loaded with `with_post_details`."""
    post_url = url_maker("social:post")
    question_url = url_maker("expertise:question")
    react_url = url_maker("social:post_react")
    profile_url = url_maker("people:profile")
    photo_url = url_maker("people:photo")
    community_url = url_maker("social:community")
    tag_url = url_maker("social:tag")
    attachment_url = url_maker("social:attachment")
    for post in posts:
        post.url = (question_url if post.kind == Post.Kind.QUESTION else post_url)(post.pk)
        post.react_url = react_url(post.pk)
        post.author_url = profile_url(post.author_id)
        profile = post.author.profile
        post.photo_url = photo_url(profile.user_id) if profile.photo else ""
        post.community_url = community_url(post.community.slug) if post.community_id else ""
        post.shared_url = post_url(post.shared_from_id) if post.shared_from_id else ""
        for tag in post.tags.all():
            tag.url = tag_url(tag.normalized)
        for attachment in post.attachments.all():
            attachment.url = attachment_url(attachment.pk)


CARD_CACHE = "cards"
HEAD_TEMPLATE = "social/partials/_post_card_head.html"
# Bump when the head template or what the key covers changes: old entries are then ignored.
CARD_VERSION = 1

# The columns of a feed row: what the foot shows, and everything the head shows that can change
# (tags and attachments only change when the post is saved, which changes updated_at).
_ROW_FIELDS = (
    "id",
    "kind",
    "title",
    "body_html",
    "created_at",
    "updated_at",
    "edited_at",
    "comment_count",
    "answer_count",
    "reaction_count",
    "shared_from_id",
    "author_id",
    "author__first_name",
    "author__last_name",
    "author__is_active",
    "author__profile__photo",
    "author__profile__expert_level",
    "community_id",
    "community__name",
    "community__slug",
    "my_reaction",
)


@dataclass
class Card:
    """One post of a feed page: its shared head and what its foot needs."""

    pk: int
    kind: str
    created_at: datetime
    key: str | None  # None: not cached (a share shows another post, which the key does not cover)
    my_reaction: str | None
    reaction_count: int
    comment_count: int
    answer_count: int
    head: str = ""


@dataclass
class CardPage:
    """One page of cards and the cursor to the next page."""

    cards: list[Card]
    next_cursor: str | None


def _key(row: dict[str, Any]) -> str | None:
    """The cache key of a row's head in the active language and time zone, None for a share."""
    if row["shared_from_id"]:
        return None
    shown = [row[field] for field in _ROW_FIELDS[:-4] if not field.endswith("_count")]
    shown += [row["community__name"], row["community__slug"], translation.get_language()]
    shown.append(timezone.get_current_timezone_name())
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"card{CARD_VERSION}:{row['id']}:{digest}"


def card_page(posts: QuerySet[Post], *, viewer: User, cursor: str | None, limit: int) -> CardPage:
    """One keyset-paginated page of `posts` as cards, heads from the cache or rendered now."""
    limit = limit_of(limit)
    mine = Reaction.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk).values("kind")[:1]
    rows = list(
        keyset(posts, cursor).annotate(my_reaction=Subquery(mine)).values(*_ROW_FIELDS)[: limit + 1]
    )
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(Post(pk=last["id"], created_at=last["created_at"]))
    cards = [
        Card(
            pk=row["id"],
            kind=row["kind"],
            created_at=row["created_at"],
            key=_key(row),
            my_reaction=row["my_reaction"],
            reaction_count=row["reaction_count"],
            comment_count=row["comment_count"],
            answer_count=row["answer_count"],
        )
        for row in rows[:limit]
    ]
    _fill_heads(cards)
    return CardPage(cards=cards, next_cursor=next_cursor)


def _fill_heads(cards: Sequence[Card]) -> None:
    """Set each card's head from the cache, rendering (and caching) the missing ones."""
    cache = caches[CARD_CACHE]
    keys = [card.key for card in cards if card.key]
    found = cache.get_many(keys) if keys else {}
    missing = [card for card in cards if card.key not in found]
    for card in cards:
        card.head = found.get(card.key, "") if card.key else ""
    if not missing:
        return
    posts = Post.objects.filter(pk__in=[card.pk for card in missing])
    posts = posts.select_related(
        "author", "author__profile", "community", "shared_from", "shared_from__author"
    ).prefetch_related("tags", "attachments")
    by_id = {post.pk: post for post in posts}
    card_urls(by_id.values())
    template = get_template(HEAD_TEMPLATE)
    rendered = {}
    for card in missing:
        card.head = template.render({"post": by_id[card.pk]})
        if card.key:
            rendered[card.key] = card.head
    if rendered:
        cache.set_many(rendered)


def reaction_labels() -> list[tuple[str, str]]:
    """The reaction kinds and their labels in the active language."""
    return [(value, str(label)) for value, label in Reaction.Kind.choices]


def reaction_form(
    *,
    post_id: int,
    react_url: str,
    mine: str | None,
    count: int,
    csrf_token: str,
    next_path: str,
    labels: Iterable[tuple[str, str]],
) -> str:
    """The reaction buttons of a post for one reader, as HTML."""
    buttons = " ".join(
        f'<button type="submit" name="kind" value="{value}" class="small'
        f'{"" if mine == value else " secondary"}" aria-pressed="{"true" if mine == value else "false"}">'
        f"{escape(label)}</button>"
        for value, label in labels
    )
    counted = ngettext("%(counter)s reaction", "%(counter)s reactions", count) % {"counter": count}
    return (
        f'<form method="post" action="{react_url}" class="reactions" id="reactions-{post_id}"\n'
        f'  hx-post="{react_url}" hx-target="this" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
        f'  <input type="hidden" name="next" value="{escape(next_path)}">\n'
        f'  {buttons}\n  <span class="muted">{escape(counted)}</span>\n</form>'
    )


def card_foot(*, kind: str, url: str, form: str, answer_count: int, comment_count: int) -> str:
    """The end of a card: the reaction form, the answer and comment counts, and `</article>`."""
    answers = ""
    if kind == Post.Kind.QUESTION:
        answers = ngettext("%(counter)s answer", "%(counter)s answers", answer_count)
        answers = escape(answers % {"counter": answer_count})
        answers = f'<a href="{url}#answers">{answers}</a>\n    '
    comments = ngettext("%(counter)s comment", "%(counter)s comments", comment_count)
    comments = escape(comments % {"counter": comment_count})
    return (
        f'  <footer class="post-foot">\n    {form}\n    {answers}'
        f'<a href="{url}#comments">{comments}</a>\n  </footer>\n</article>\n'
    )


def cards_html(request: HttpRequest, cards: Sequence[Card]) -> SafeString:
    """The cards of a page with each reader's foot: reactions, answers and comments."""
    if not cards:
        return mark_safe("")
    post_url = url_maker("social:post")
    question_url = url_maker("expertise:question")
    react_url = url_maker("social:post_react")
    csrf_token, next_path, labels = get_token(request), request.get_full_path(), reaction_labels()
    parts = []
    for card in cards:
        url = (question_url if card.kind == Post.Kind.QUESTION else post_url)(card.pk)
        form = reaction_form(
            post_id=card.pk,
            react_url=react_url(card.pk),
            mine=card.my_reaction,
            count=card.reaction_count,
            csrf_token=csrf_token,
            next_path=next_path,
            labels=labels,
        )
        foot = card_foot(
            kind=card.kind,
            url=url,
            form=form,
            answer_count=card.answer_count,
            comment_count=card.comment_count,
        )
        parts.append(f"{card.head}{foot}")
    return mark_safe("".join(parts))
