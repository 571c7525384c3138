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
from datetime import UTC
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.core.cache import caches
from django.db import connections, router
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from vivier.accounts.models import User
from vivier.core.prepared import prepared_cursor
from vivier.people.models import Profile
from vivier.social.models import Community, Membership, Post, Reaction
from vivier.social.selectors import (
    HOME_WANTED_SQL,
    HomeFeed,
    decode_cursor,
    encode_cursor,
    home_wanted_params,
    keyset,
    limit_of,
)

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
    "body",
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
    "community__visibility",
    "my_reaction",
)
# What differs between readers or changes without a new version of the post: never in a key.
_PER_READER = {"comment_count", "answer_count", "reaction_count", "my_reaction"}
_SHOWN = tuple(field for field in _ROW_FIELDS if field not in _PER_READER)


@dataclass
class Card:
    """One post of a feed page: its shared head and what its foot needs."""

    pk: int
    kind: str
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

    def __len__(self) -> int:
        return len(self.cards)


@dataclass
class ItemPage:
    """One page of posts as API items and the cursor to the next page."""

    items: list[dict[str, Any]]
    next_cursor: str | None

    def __len__(self) -> int:
        return len(self.items)


# Stands for the reader's CSRF token in a cached fragment; replaced on the way out.
CSRF_SLOT = "vivier-csrf-slot-6f1c"


def _reader_context() -> tuple[Any, ...]:
    """What a fragment depends on besides its own parts: language, URL prefix and URLs."""
    return (translation.get_language(), get_script_prefix(), get_urlconf())


def fragment_key(name: str, *parts: Any, context: tuple[Any, ...] | None = None) -> str:
    """A cache key for a fragment that depends on `parts`, the language and the URL prefix
    (`context`, from _reader_context(), when the caller has it for a whole page)."""
    shown = [*parts, *(context or _reader_context())]
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"{name}{CARD_VERSION}:{digest}"


def _page_context() -> tuple[Any, ...]:
    """What every card key of a page depends on besides the row: the reader's context and
    time zone, looked up once per page rather than once per card."""
    return (*_reader_context(), timezone.get_current_timezone_name())


def _key(row: dict[str, Any], context: tuple[Any, ...], name: str = "card") -> str | None:
    """The cache key of what a row shows to everyone, in the page's `context` (language, time
    zone, URLs); None for a share (it shows another post, which the key does not cover)."""
    if row["shared_from_id"]:
        return None
    return fragment_key(f"{name}:{row['id']}:", *[row[field] for field in _SHOWN], context=context)


# Each row field's column in the home feed's statement: what the ORM's values(*_ROW_FIELDS)
# selects, with the same joins (the author inner, their profile and the community outer).
# {P} is the post table, named in full as HOME_WANTED_SQL names it.
_HOME_COLUMNS = {
    "id": '{P}."id"',
    "kind": '{P}."kind"',
    "title": '{P}."title"',
    "body": '{P}."body"',
    "body_html": '{P}."body_html"',
    "created_at": '{P}."created_at"',
    "updated_at": '{P}."updated_at"',
    "edited_at": '{P}."edited_at"',
    "comment_count": '{P}."comment_count"',
    "answer_count": '{P}."answer_count"',
    "reaction_count": '{P}."reaction_count"',
    "shared_from_id": '{P}."shared_from_id"',
    "author_id": '{P}."author_id"',
    "author__first_name": 'u."first_name"',
    "author__last_name": 'u."last_name"',
    "author__is_active": 'u."is_active"',
    "author__profile__photo": 'pr."photo"',
    "author__profile__expert_level": 'pr."expert_level"',
    "community_id": '{P}."community_id"',
    "community__name": 'c."name"',
    "community__slug": 'c."slug"',
    "community__visibility": 'c."visibility"',
    "my_reaction": '(SELECT r."kind" FROM "{reaction}" r '
    'WHERE r."post_id" = {P}."id" AND r."user_id" = %s LIMIT 1)',
}
_DATETIME_FIELDS = ("created_at", "updated_at", "edited_at")


def _home_rows_sql(*, after: bool) -> str:
    """The home feed's page as one statement; with `after`, the page after a cursor."""
    P = f'"{Post._meta.db_table}"'  # the post table, named in full as in HOME_WANTED_SQL
    user, profile = User._meta.db_table, Profile._meta.db_table
    community, membership = Community._meta.db_table, Membership._meta.db_table
    columns = ", ".join(_HOME_COLUMNS[field] for field in _ROW_FIELDS).format(
        P=P, reaction=Reaction._meta.db_table
    )
    sql = (
        f"SELECT {columns} FROM {P} "
        f'INNER JOIN "{user}" u ON u."id" = {P}."author_id" '
        f'LEFT JOIN "{profile}" pr ON pr."user_id" = u."id" '
        f'LEFT JOIN "{community}" c ON c."id" = {P}."community_id" '
        f'WHERE {P}."deleted_at" IS NULL AND ({P}."community_id" IS NULL OR c."visibility" = %s '
        f'OR {P}."community_id" IN (SELECT m."community_id" FROM "{membership}" m '
        'WHERE m."user_id" = %s AND m."status" = %s)) '
        f"AND {HOME_WANTED_SQL} "
    )
    if after:
        # As keyset(): the plain bound makes the cursor an index condition.
        sql += (
            f'AND {P}."created_at" <= %s AND ({P}."created_at" < %s '
            f'OR ({P}."created_at" = %s AND {P}."id" < %s)) '
        )
    return sql + f'ORDER BY {P}."created_at" DESC, {P}."id" DESC LIMIT %s'


HOME_ROWS_SQL = {after: _home_rows_sql(after=after) for after in (False, True)}


def home_rows(home: HomeFeed, cursor: str | None, count: int) -> list[dict[str, Any]]:
    """Up to `count` rows of the home feed after `cursor`, as feed_rows' ORM query gives them.

    One hand-written statement: building and compiling the ORM's query cost more than
    PostgreSQL takes to run it (benchmarks/README.md, section 9); test_feed_sql.py compares the
    rows with the ORM's for many people and pages.
    """
    viewer = home.viewer
    database = connections[router.db_for_read(Post)]
    params: list[Any] = [viewer.pk, Community.Visibility.OPEN, viewer.pk, Membership.Status.ACTIVE]
    params += home_wanted_params(viewer)
    after = decode_cursor(cursor)
    if after is not None:
        when, pk = after
        stamp = database.ops.adapt_datetimefield_value(when)
        params += [stamp, stamp, stamp, pk]
    params.append(count)
    with prepared_cursor(database) as db_cursor:
        db_cursor.execute(HOME_ROWS_SQL[after is not None], params)
        rows = [dict(zip(_ROW_FIELDS, values, strict=True)) for values in db_cursor.fetchall()]
    for row in rows:
        for field in _DATETIME_FIELDS:
            value = row[field]
            if value is not None and timezone.is_naive(value):  # SQLite keeps naive UTC
                row[field] = timezone.make_aware(value, UTC)
    return rows


def feed_rows(
    posts: QuerySet[Post] | HomeFeed, *, viewer: User, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """One keyset-paginated page of `posts` as plain rows, and the cursor to the next page."""
    limit = limit_of(limit)
    if isinstance(posts, HomeFeed):
        rows = home_rows(posts, cursor, limit + 1)
    else:
        mine = Reaction.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk).values("kind")
        rows = list(
            keyset(posts, cursor)
            .annotate(my_reaction=Subquery(mine[:1]))
            .values(*_ROW_FIELDS)[: limit + 1]
        )
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(Post(pk=last["id"], created_at=last["created_at"]))
    return rows[:limit], next_cursor


def shared_parts(
    keys: dict[int, str | None], build: Callable[[list[Post]], dict[int, Any]]
) -> dict[int, Any]:
    """What each post id shows to everyone: from the cache, or built by `build` from the posts
    (loaded with their authors, community, share, tags and attachments) and then kept."""
    cache = caches[CARD_CACHE]
    found = cache.get_many([key for key in keys.values() if key])
    parts = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in parts]
    if not missing:
        return parts
    posts = Post.objects.filter(pk__in=missing).select_related(
        "author", "author__profile", "community", "shared_from", "shared_from__author"
    )
    built = build(list(posts.prefetch_related("tags", "attachments")))
    parts.update(built)
    cache.set_many({keys[pk]: built[pk] for pk in built if keys[pk]})
    return parts


def _heads(posts: list[Post]) -> dict[int, str]:
    """The card heads of `posts`, rendered."""
    card_urls(posts)
    template = get_template(HEAD_TEMPLATE)
    return {post.pk: template.render({"post": post}) for post in posts}


def item_page(
    posts: QuerySet[Post] | HomeFeed,
    *,
    viewer: User,
    cursor: str | None,
    limit: int,
    build: Callable[[list[Post]], dict[int, dict[str, Any]]],
) -> ItemPage:
    """One keyset-paginated page of `posts` as API items: what everyone sees from the cache or
    `build`, and the reader's reaction and the counts from the page's own query."""
    rows, next_cursor = feed_rows(posts, viewer=viewer, cursor=cursor, limit=limit)
    context = _page_context()
    shared = shared_parts({row["id"]: _key(row, context, "api") for row in rows}, build)
    items = [
        {
            **shared[row["id"]],
            "comment_count": row["comment_count"],
            "reaction_count": row["reaction_count"],
            "my_reaction": row["my_reaction"],
        }
        for row in rows
    ]
    return ItemPage(items=items, next_cursor=next_cursor)


def card_page(
    posts: QuerySet[Post] | HomeFeed, *, viewer: User, cursor: str | None, limit: int
) -> CardPage:
    """One keyset-paginated page of `posts` as cards, heads from the cache or rendered now."""
    rows, next_cursor = feed_rows(posts, viewer=viewer, cursor=cursor, limit=limit)
    context = _page_context()
    heads = shared_parts({row["id"]: _key(row, context) for row in rows}, _heads)
    cards = [
        Card(
            pk=row["id"],
            kind=row["kind"],
            my_reaction=row["my_reaction"],
            reaction_count=row["reaction_count"],
            comment_count=row["comment_count"],
            answer_count=row["answer_count"],
            head=heads[row["id"]],
        )
        for row in rows
    ]
    return CardPage(cards=cards, next_cursor=next_cursor)


def reaction_labels() -> tuple[tuple[str, str], ...]:
    """The reaction kinds and their labels in the active language."""
    return tuple((value, str(label)) for value, label in Reaction.Kind.choices)


@lru_cache(maxsize=256)
def _reaction_buttons(mine: str | None, labels: tuple[tuple[str, str], ...]) -> str:
    """The reaction buttons with `mine` pressed: the same for every card with that reaction."""
    return " ".join(
        f'<button type="submit" name="kind" value="{value}" class="small'
        f'{"" if mine == value else " secondary"}" aria-pressed="{"true" if mine == value else "false"}">'
        f"{escape(label)}</button>"
        for value, label in labels
    )


@lru_cache(maxsize=4096)
def _counted(language: str, noun: str, count: int) -> str:
    """`count` reactions, answers or comments (`noun`) in `language`, the active one, escaped:
    cards repeat a few counts, each one translated once."""
    if noun == "reaction":
        text = ngettext("%(counter)s reaction", "%(counter)s reactions", count)
    elif noun == "answer":
        text = ngettext("%(counter)s answer", "%(counter)s answers", count)
    else:
        text = ngettext("%(counter)s comment", "%(counter)s comments", count)
    return escape(text % {"counter": count})


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
    buttons = _reaction_buttons(mine, tuple(labels))
    counted = _counted(get_language(), "reaction", count)
    return (
        f'<form method="post" action="{react_url}" class="reactions" id="reactions-{post_id}"\n'
        f'  hx-post="{react_url}" hx-target="this" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
        f'  <input type="hidden" name="next" value="{escape(next_path)}">\n'
        f'  {buttons}\n  <span class="muted">{counted}</span>\n</form>'
    )


def card_foot(*, kind: str, url: str, form: str, answer_count: int, comment_count: int) -> str:
    """The end of a card: the reaction form, the answer and comment counts, and `</article>`."""
    language = get_language()
    answers = ""
    if kind == Post.Kind.QUESTION:
        answers = _counted(language, "answer", answer_count)
        answers = f'<a href="{url}#answers">{answers}</a>\n    '
    comments = _counted(language, "comment", comment_count)
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
