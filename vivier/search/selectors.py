"""Search reads: ranked results the viewer may see, with highlighted snippets."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.fields import FloatField
from django.db.models.functions import Substr
from django.utils.text import Truncator

from vivier.accounts.models import User
from vivier.search.backends import backend
from vivier.search.models import SearchEntry
from vivier.search.text import parse_query, snippet_html
from vivier.social.models import Community, Post, Tag
from vivier.social.selectors import member_community_ids, readable_posts_filter

Kind = SearchEntry.Kind

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


EMPTY_PAGE = SearchPage(results=[], total=0)


def visible_entries_filter(viewer: User) -> Q:
    """The entries the viewer may find, checked against the live data rather than the index.

    Posts follow the feeds' rule (readable_posts_filter), so search cannot show more than the
    feeds; communities the listing's (secret ones for members, archived ones nowhere); people
    must be active; a tag shows once a skill stands behind it or a post the viewer may read uses
    it, so a secret community's hashtags stay secret.
    """
    readable_posts = Post.objects.filter(readable_posts_filter(viewer))
    visible_communities = Community.objects.filter(archived_at__isnull=True).filter(
        ~Q(visibility=Community.Visibility.SECRET) | Q(pk__in=member_community_ids(viewer))
    )
    used_tags = Post.tags.through.objects.filter(
        tag_id=OuterRef("pk"), post_id__in=readable_posts.values("pk")
    )
    visible_tags = Tag.objects.filter(Q(skill__isnull=False) | Q(Exists(used_tags)))
    return (
        (Q(kind=Kind.POST) & Q(Exists(readable_posts.filter(pk=OuterRef("object_id")))))
        | (Q(kind=Kind.COMMUNITY) & Q(Exists(visible_communities.filter(pk=OuterRef("object_id")))))
        | (
            Q(kind=Kind.PERSON)
            & Q(Exists(User.objects.filter(pk=OuterRef("object_id"), is_active=True)))
        )
        | (Q(kind=Kind.TAG) & Q(Exists(visible_tags.filter(pk=OuterRef("object_id")))))
    )


def _kinds(kinds: Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(Kind.values)
    return [k for k in Kind.values if k in set(kinds)]


def _title(title: str, body: str) -> str:
    return title or Truncator(body).chars(UNTITLED_LENGTH)


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
        return EMPTY_PAGE
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    engine = backend()
    matched = engine.match(
        SearchEntry.objects.filter(kind__in=wanted).filter(visible_entries_filter(viewer)), query
    )
    total = matched.count()
    if offset >= total:
        return SearchPage(results=[], total=total)
    boost = Value(1.0) + Value(1.0) / (Value(1.0) + engine.age_days() / Value(RECENCY_DAYS))
    ranked = matched.annotate(relevance=engine.relevance(query)).annotate(
        score=F("relevance")
        * Case(When(kind=Kind.POST, then=boost), default=Value(1.0), output_field=FloatField()),
        # Enough of the body to title an untitled update, without fetching a whole article.
        head=Substr("body", 1, UNTITLED_LENGTH * 2),
    )
    rows = list(
        ranked.order_by("-score", "-created_at", "-id").values(
            "id", "kind", "object_id", "title", "head", "url", "score", "created_at"
        )[offset : offset + limit]
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
