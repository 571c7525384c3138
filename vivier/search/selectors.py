"""Search reads: ranked results the viewer may see, with highlighted snippets."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.fields import FloatField
from django.db.models.functions import Substr
from django.utils.text import Truncator

from vivier.accounts.models import User
from vivier.expertise.models import Answer
from vivier.search.backends import SearchBackend, backend
from vivier.search.models import SearchEntry
from vivier.search.text import ParsedQuery, parse_query, snippet_html
from vivier.social.models import Comment, Community, Post, Tag
from vivier.social.selectors import member_community_ids, readable_posts_filter

Kind = SearchEntry.Kind
# What the search box finds. Comments are indexed for the expertise model, not listed here.
SEARCHABLE_KINDS = (Kind.PERSON, Kind.POST, Kind.COMMUNITY, Kind.TAG, Kind.ANSWER)

MAX_LIMIT = 50
MAX_OFFSET = 10_000
# A post's relevance is multiplied by 1 + 1 / (1 + age / RECENCY_DAYS): x2 today, x1.5 at 30 days.
RECENCY_DAYS = 30.0
UNTITLED_LENGTH = 80


@dataclass(frozen=True)
class SearchResult:
    """One thing found: what it is, where it is, and why it matched."""

    kind: str
    object_id: int
    title: str
    snippet_html: str  # escaped text with <mark> around the matches: safe to render as is
    url: str
    score: float
    created_at: datetime


@dataclass(frozen=True)
class SearchPage:
    """A page of results and how many there are in all."""

    results: list[SearchResult]
    total: int


def visible_entries_filter(viewer: User, kinds: Iterable[str] = SEARCHABLE_KINDS) -> Q:
    """The entries of `kinds` the viewer may find, checked against the live data, not the index.

    Posts follow the feeds' rule (readable_posts_filter), so search never shows more than the
    feeds; communities the listing's (secret ones for members, archived ones nowhere); people
    must be active; a tag shows once a skill stands behind it or a post the viewer may read uses
    it, so a secret community's hashtags stay secret.
    """
    readable_posts = Post.objects.filter(readable_posts_filter(viewer))
    visible_communities = Community.objects.filter(archived_at__isnull=True).filter(
        ~Q(visibility=Community.Visibility.SECRET) | Q(pk__in=member_community_ids(viewer))
    )
    visible_tags = Tag.objects.filter(
        Q(skill__isnull=False) | Q(Exists(readable_posts.filter(tags=OuterRef("pk"))))
    )
    visible = {
        Kind.POST: readable_posts,
        Kind.ANSWER: Answer.objects.filter(deleted_at__isnull=True, question__in=readable_posts),
        Kind.COMMENT: Comment.objects.filter(deleted_at__isnull=True, post__in=readable_posts),
        Kind.COMMUNITY: visible_communities,
        Kind.PERSON: User.objects.filter(is_active=True),
        Kind.TAG: visible_tags,
    }
    condition = Q(pk__in=[])  # no kind asked: nothing
    for kind in (k for k in kinds if k in visible):
        condition |= Q(kind=kind) & Q(Exists(visible[kind].filter(pk=OuterRef("object_id"))))
    return condition


def _kinds(kinds: Iterable[str] | str | None) -> list[str]:
    """The known kinds among those asked for (all when None)."""
    if kinds is None:
        return list(SEARCHABLE_KINDS)
    asked = {kinds} if isinstance(kinds, str) else set(kinds)
    return [k for k in SEARCHABLE_KINDS if k in asked]


def _title(title: str, body: str) -> str:
    """The entry's title, or the beginning of its body (an update has no title)."""
    return title or Truncator(body).chars(UNTITLED_LENGTH)


def _ranked(
    engine: SearchBackend, matched: QuerySet[SearchEntry], query: ParsedQuery
) -> QuerySet[SearchEntry]:
    """The matches with their score: relevance, times a recency boost for posts."""
    boost = Value(1.0) + Value(1.0) / (Value(1.0) + engine.age_days() / Value(RECENCY_DAYS))
    return matched.annotate(relevance=engine.relevance(query)).annotate(
        score=F("relevance")
        * Case(When(kind=Kind.POST, then=boost), default=Value(1.0), output_field=FloatField()),
        # Enough of the body to title an untitled update, without fetching a whole article.
        head=Substr("body", 1, UNTITLED_LENGTH * 2),
    )


def _page_rows(
    engine: SearchBackend,
    matched: QuerySet[SearchEntry],
    query: ParsedQuery,
    *,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of matches, best first, and how many matches there are."""
    fields = ["id", "kind", "object_id", "title", "head", "url", "score", "created_at"]
    if not engine.window_total:
        total = matched.count()
        if offset >= total:
            return [], total
        ranked = _ranked(engine, matched, query).order_by("-score", "-created_at", "-id")
        return list(ranked.values(*fields)[offset : offset + limit]), total
    # The total rides along with the page: one pass over the matches instead of two.
    ranked = _ranked(engine, matched.annotate(total=Window(Count("*"))), query)
    ranked = ranked.order_by("-score", "-created_at", "-id")
    rows = list(ranked.values(*fields, "total")[offset : offset + limit])
    if rows:
        return rows, rows[0]["total"]
    # Past the last page no row carries the total: count them (rare: a stale link).
    return [], matched.count() if offset else 0


def search(
    *,
    viewer: User,
    q: object,
    kinds: Iterable[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Entries matching `q` that the viewer may see, best first (recent posts boosted)."""
    query = parse_query(q)
    wanted = _kinds(kinds)
    if query is None or not wanted or not (viewer.is_authenticated and viewer.is_active):
        return SearchPage(results=[], total=0)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    engine = backend()
    with engine.reading():
        visible = SearchEntry.objects.filter(visible_entries_filter(viewer, wanted))
        rows, total = _page_rows(
            engine, engine.match(visible, query), query, offset=offset, limit=limit
        )
        snippets = engine.snippets([row["id"] for row in rows], query)
    return SearchPage(
        results=[
            SearchResult(
                kind=row["kind"],
                object_id=row["object_id"],
                title=_title(row["title"], row["head"]),
                snippet_html=snippet_html(snippets.get(row["id"])),
                url=row["url"],
                score=float(row["score"] or 0.0),
                created_at=row["created_at"],
            )
            for row in rows
        ],
        total=total,
    )
