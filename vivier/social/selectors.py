"""Social reads: communities, posts, the feeds and notifications, filtered for the viewer."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, connections, router
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import NotFound
from vivier.core.ids import parse_id
from vivier.core.prepared import prepared_cursor
from vivier.core.text import normalize
from vivier.people.models import ProfileSkill, Skill
from vivier.people.selectors import OwnProfile, own_profile_with_skills
from vivier.social.models import (
    Comment,
    Community,
    Follow,
    Membership,
    Notification,
    Post,
    Reaction,
    Tag,
)
from vivier.social.permissions import can_read_community, can_see_community, can_view_post

POST_NOT_FOUND = _("This post does not exist.")
COMMUNITY_NOT_FOUND = _("This community does not exist.")
COMMENT_NOT_FOUND = _("This comment does not exist.")
FEED_MAX_LIMIT = 100


def member_community_ids(viewer: User) -> QuerySet[Membership]:
    """A subquery of the communities the viewer is an active member of."""
    return Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "community_id"
    )


def readable_posts_filter(viewer: User) -> Q:
    """The condition for posts the viewer may read (secret and closed: members only)."""
    return Q(deleted_at__isnull=True) & (
        Q(community__isnull=True)
        | Q(community__visibility=Community.Visibility.OPEN)
        | Q(community_id__in=member_community_ids(viewer))
    )


def post_list(
    *,
    viewer: User,
    community: Community | None = None,
    tag: Tag | None = None,
    author: User | None = None,
) -> QuerySet[Post]:
    """Readable posts, newest first, optionally of one community, tag or author."""
    posts = Post.objects.filter(readable_posts_filter(viewer))
    if community is not None:
        posts = posts.filter(community=community)
    if tag is not None:
        posts = posts.filter(tags=tag)
    if author is not None:
        posts = posts.filter(author=author)
    return posts.order_by("-created_at", "-id")


def with_post_details(posts: QuerySet[Post], *, viewer: User) -> QuerySet[Post]:
    """Attach what a post card shows (`my_reaction`: the viewer's kind or None) in a fixed number
    of queries, plus one when the page holds a share."""
    my_reaction = Reaction.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk)
    return (
        posts.select_related("author", "author__profile", "community")
        .annotate(my_reaction=Subquery(my_reaction.values("kind")[:1]))
        .prefetch_related(
            # Shares are 1% of posts: joining the shared post, its author and community on every
            # page doubled the feed query's planning time; the prefetch runs only for a share.
            Prefetch(
                "shared_from", queryset=Post.objects.select_related("author", "author__profile")
            ),
            "tags",
            "attachments",
        )
    )


@dataclass
class FeedPage:
    """One page of a feed and the cursor to the next page."""

    posts: list[Post]
    next_cursor: str | None

    def __len__(self) -> int:
        return len(self.posts)


def encode_cursor(post: Post) -> str:
    """The keyset cursor after `post`."""
    return f"{post.created_at.isoformat()}_{post.pk}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The (created_at, id) of a cursor, or None when absent or malformed."""
    if not cursor:
        return None
    try:
        stamp, _sep, pk = cursor.rpartition("_")
        when = datetime.fromisoformat(stamp)
        if timezone.is_naive(when):
            when = when.replace(tzinfo=UTC)
        # Out-of-range dates (year 1 in a far time zone) fail here, not in the database.
        when = when.astimezone(UTC)
        post_id = parse_id(pk)
        if post_id is None:
            return None
        return when, post_id
    except (ValueError, TypeError, OverflowError):
        return None


# A function giving one page of a posts query: `feed_page`, or `cards.card_page` for HTML.
Pager = Callable[..., Any]


def limit_of(limit: int) -> int:
    """A page size within 1..FEED_MAX_LIMIT."""
    return max(1, min(limit, FEED_MAX_LIMIT))


def keyset(posts: QuerySet[Post], cursor: str | None) -> QuerySet[Post]:
    """`posts` newest first, after the cursor's post when there is one."""
    after = decode_cursor(cursor)
    if after is not None:
        when, pk = after
        # The plain bound makes the cursor an index condition; the OR alone is only a filter,
        # so each page would rescan every row above it.
        posts = posts.filter(created_at__lte=when).filter(
            Q(created_at__lt=when) | Q(created_at=when, id__lt=pk)
        )
    return posts.order_by("-created_at", "-id")


def feed_page(posts: QuerySet[Post], *, viewer: User, cursor: str | None, limit: int) -> FeedPage:
    """One keyset-paginated page of `posts`, newest first, with what cards show."""
    limit = limit_of(limit)
    rows = list(with_post_details(keyset(posts, cursor), viewer=viewer)[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return FeedPage(posts=rows[:limit], next_cursor=next_cursor)


def _home_wanted_sql() -> str:
    """The home feed's condition on a post, as SQL with seven placeholders (see _home_wanted)."""
    post, follow = Post._meta.db_table, Follow._meta.db_table
    membership = Membership._meta.db_table
    post_tags, mentions = Post.tags.through._meta.db_table, Post.mentions.through._meta.db_table
    # A scalar subquery with LIMIT 1 is probed per scanned post on the (post, tag) index; as an
    # EXISTS in the OR, PostgreSQL hashed every post of every followed tag before scanning.
    return f"""(
  "{post}"."author_id" = %s
  OR "{post}"."author_id" IN (
    SELECT f."user_id" FROM "{follow}" f WHERE f."follower_id" = %s AND f."user_id" IS NOT NULL)
  OR "{post}"."community_id" IN (
    SELECT m."community_id" FROM "{membership}" m WHERE m."user_id" = %s AND m."status" = %s)
  OR "{post}"."community_id" IN (
    SELECT f."community_id" FROM "{follow}" f
    WHERE f."follower_id" = %s AND f."community_id" IS NOT NULL)
  OR (SELECT pt."post_id" FROM "{post_tags}" pt WHERE pt."post_id" = "{post}"."id" AND pt."tag_id" IN (
        SELECT f."tag_id" FROM "{follow}" f WHERE f."follower_id" = %s AND f."tag_id" IS NOT NULL)
      LIMIT 1) IS NOT NULL
  OR EXISTS (SELECT 1 FROM "{mentions}" pm WHERE pm."post_id" = "{post}"."id" AND pm."user_id" = %s)
)"""


HOME_WANTED_SQL = _home_wanted_sql()


def _home_wanted(viewer: User) -> RawSQL:
    """What I follow, my communities, my mentions and my own posts: a condition on a post.

    Written in SQL because the ORM took ten times longer to build and compile the same condition
    (five subqueries in an OR) than PostgreSQL took to run the whole feed query
    (benchmarks/README.md, section 8); vivier/social/tests/test_feed_sql.py checks it against the ORM's.
    """
    return RawSQL(HOME_WANTED_SQL, home_wanted_params(viewer), output_field=BooleanField())


def home_wanted_params(viewer: User) -> list[Any]:
    """The seven parameters of HOME_WANTED_SQL for `viewer`."""
    me = viewer.pk
    return [me, me, me, Membership.Status.ACTIVE, me, me, me]


@dataclass(frozen=True)
class HomeFeed:
    """The home feed's posts for a viewer; the cards pagers read its rows in one statement."""

    viewer: User

    def queryset(self) -> QuerySet[Post]:
        """The same posts as a QuerySet (readable, wanted), unordered."""
        return Post.objects.filter(readable_posts_filter(self.viewer)).filter(
            _home_wanted(self.viewer)
        )


def feed_home(
    *, viewer: User, cursor: str | None = None, limit: int = 20, pager: Pager = feed_page
) -> Any:
    """What I follow, my communities, my mentions and my own posts, newest first.

    `pager` turns the posts into a page: Post objects by default, cards for the HTML pages and
    items for the API, which read the rows with one hand-written statement (cards.home_rows).
    """
    home = HomeFeed(viewer)
    if pager is feed_page:
        return feed_page(home.queryset(), viewer=viewer, cursor=cursor, limit=limit)
    return pager(home, viewer=viewer, cursor=cursor, limit=limit)


def feed_discover(
    *, viewer: User, cursor: str | None = None, limit: int = 20, pager: Pager = feed_page
) -> Any:
    """Recent readable posts around my skills (tags of my skills and their neighbours)."""
    my_skills = ProfileSkill.objects.filter(user=viewer).values("skill_id")
    related = Skill.objects.filter(
        Q(pk__in=my_skills)
        | Q(parent_id__in=my_skills)
        | Q(pk__in=Skill.objects.filter(pk__in=my_skills).values("parent_id"))
    ).values("pk")
    since = timezone.now() - timedelta(days=90)
    posts = (
        Post.objects.filter(readable_posts_filter(viewer), created_at__gte=since)
        .filter(
            Exists(
                Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag__skill_id__in=related)
            )
        )
        .exclude(author=viewer)
    )
    page = pager(posts, viewer=viewer, cursor=cursor, limit=limit)
    if cursor or len(page):
        return page
    # Nothing around my skills yet (a newcomer with an empty profile): what is active now.
    active = Post.objects.filter(readable_posts_filter(viewer), created_at__gte=since).exclude(
        author=viewer
    )
    return pager(active, viewer=viewer, cursor=cursor, limit=limit)


def post_get(*, viewer: User, post_id: Any) -> Post:
    """One post the viewer may read, or NotFound (also for posts they may not see)."""
    try:
        pk = int(post_id)
    except (TypeError, ValueError):
        raise NotFound("post_not_found", POST_NOT_FOUND) from None
    post = with_post_details(Post.objects.filter(pk=pk), viewer=viewer).first()
    if post is None or not can_view_post(user=viewer, post=post):
        raise NotFound("post_not_found", POST_NOT_FOUND)
    return post


def post_comments(*, post: Post) -> list[Comment]:
    """Top-level comments with their replies attached, in two queries."""
    comments = list(
        Comment.objects.filter(post=post, deleted_at__isnull=True)
        .select_related("author", "author__profile")
        .order_by("created_at", "id")
    )
    top = [c for c in comments if c.parent_id is None]
    by_parent: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            by_parent.setdefault(comment.parent_id, []).append(comment)
    for comment in top:
        comment.reply_list = by_parent.get(comment.pk, [])
    return top


def community_list(*, viewer: User, q: str = "") -> QuerySet[Community]:
    """Communities the viewer may see: open and closed ones, and secret ones they belong to."""
    communities = Community.objects.filter(archived_at__isnull=True).filter(
        ~Q(visibility=Community.Visibility.SECRET) | Q(pk__in=member_community_ids(viewer))
    )
    if q:
        communities = communities.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return communities.annotate(
        is_member=Exists(
            Membership.objects.filter(
                community=OuterRef("pk"), user=viewer, status=Membership.Status.ACTIVE
            )
        )
    ).order_by("-is_member", "name")


def community_get(*, viewer: User, slug_or_id: Any) -> Community:
    """One community the viewer may see, or NotFound (a secret one for non-members too)."""
    text = str(slug_or_id)
    lookup: dict[str, object] = {"slug": text[:140]}
    if text.isdecimal():
        lookup = {"pk": parse_id(text) or 0}
    try:
        community = Community.objects.get(**lookup)
    except Community.DoesNotExist:
        raise NotFound("community_not_found", COMMUNITY_NOT_FOUND) from None
    if not can_see_community(user=viewer, community=community):
        raise NotFound("community_not_found", COMMUNITY_NOT_FOUND)
    return community


def community_members(
    *, viewer: User, community: Community, status: str = Membership.Status.ACTIVE
) -> QuerySet[Membership]:
    """Members of a community, owners and animators first (members-only for closed ones)."""
    if not can_read_community(user=viewer, community=community):
        return Membership.objects.none()
    return (
        Membership.objects.filter(community=community, status=status, user__is_active=True)
        .select_related("user", "user__profile")
        .order_by("role", "user__last_name", "user__first_name")
    )


def notification_list(*, viewer: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first, never about something they cannot read."""
    notifications = Notification.objects.filter(recipient=viewer).filter(
        # A correlated EXISTS looks at one post; "post IN (readable posts)" scanned them all.
        Q(post__isnull=True)
        | Exists(Post.objects.filter(readable_posts_filter(viewer), pk=OuterRef("post_id")))
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.select_related("actor", "post", "comment", "community").order_by(
        "-created_at", "-id"
    )


def _unread_count_sql() -> str:
    """notification_list(unread_only=True)'s count as SQL, with four placeholders."""
    notification, post = Notification._meta.db_table, Post._meta.db_table
    community, membership = Community._meta.db_table, Membership._meta.db_table
    return f"""SELECT COUNT(*) FROM "{notification}" n
WHERE n."recipient_id" = %s AND n."read_at" IS NULL AND (n."post_id" IS NULL OR EXISTS (
  SELECT 1 FROM "{post}" p LEFT JOIN "{community}" c ON c."id" = p."community_id"
  WHERE p."id" = n."post_id" AND p."deleted_at" IS NULL AND (
    p."community_id" IS NULL OR c."visibility" = %s OR p."community_id" IN (
      SELECT m."community_id" FROM "{membership}" m WHERE m."user_id" = %s AND m."status" = %s))))"""


UNREAD_COUNT_SQL = _unread_count_sql()


def _unread_count_params(viewer: User) -> list[Any]:
    """The four parameters of UNREAD_COUNT_SQL for `viewer`."""
    return [viewer.pk, Community.Visibility.OPEN, viewer.pk, Membership.Status.ACTIVE]


def notification_unread_count(*, viewer: User) -> int:
    """How many notifications the viewer has not read (those notification_list shows).

    Every page's header shows it: written in SQL because building and compiling the ORM's
    query (an EXISTS over the readable posts) cost several times what PostgreSQL takes to run
    it; vivier/social/tests/test_notification_sql.py checks it against notification_list.
    """
    with prepared_cursor(connections[router.db_for_read(Notification)]) as cursor:
        cursor.execute(UNREAD_COUNT_SQL, _unread_count_params(viewer))
        return cursor.fetchone()[0]


def _postable_communities_sql() -> str:
    """The (id, name) of the communities PostForm offers, by name, as one JSON array."""
    community, membership = Community._meta.db_table, Membership._meta.db_table
    rows = (
        f'SELECT c."id", c."name" FROM "{community}" c '
        f'INNER JOIN "{membership}" m ON m."community_id" = c."id" '
        'WHERE m."user_id" = %s AND m."status" = %s AND c."archived_at" IS NULL'
    )
    if connection.vendor == "postgresql":
        return (
            'SELECT COALESCE(json_agg(json_build_array(x."id", x."name") ORDER BY x."name"), '
            f"'[]'::json)::text FROM ({rows}) x"
        )
    # SQLite aggregates in the order of its input (no ORDER BY inside an aggregate before 3.44).
    return (
        f'SELECT json_group_array(json_array(x."id", x."name")) FROM ({rows} ORDER BY c."name") x'
    )


def home_facts(*, viewer: User) -> OwnProfile:
    """My profile and skills, my unread notification count ("unread") and the communities I
    may post in ("communities", [(id, name)] by name): what the home page shows besides the
    feed, in one statement."""
    facts = own_profile_with_skills(
        viewer=viewer,
        extra={
            "unread": (UNREAD_COUNT_SQL, _unread_count_params(viewer)),
            "communities": (_postable_communities_sql(), [viewer.pk, Membership.Status.ACTIVE]),
        },
    )
    if not facts.extra:  # no profile yet: it was just created
        facts.extra = {
            "unread": notification_unread_count(viewer=viewer),
            "communities": list(postable_communities(viewer).values_list("pk", "name")),
        }
    else:
        facts.extra["communities"] = [tuple(c) for c in json.loads(facts.extra["communities"])]
    return facts


def postable_communities(viewer: User) -> QuerySet[Community]:
    """The communities `viewer` may post in (active member, not archived), by name."""
    return Community.objects.filter(
        memberships__user=viewer,
        memberships__status=Membership.Status.ACTIVE,
        archived_at__isnull=True,
    ).order_by("name")


def tag_fold(name: str) -> str:
    """The stored form of a hashtag: accents removed, lower case, spaces as hyphens."""
    return normalize(name).replace(" ", "-")[:64]


def tag_get(*, name: str) -> Tag:
    """A tag by its name (any case or accents), or NotFound."""
    tag = Tag.objects.select_related("skill").filter(normalized=tag_fold(name)).first()
    if tag is None:
        raise NotFound("tag_not_found", _("This tag does not exist."))
    return tag


def follows_of(*, viewer: User) -> dict[str, set[int]]:
    """The ids of the people, tags and communities the viewer follows."""
    result: dict[str, set[int]] = {"user": set(), "tag": set(), "community": set()}
    for user_id, tag_id, community_id in Follow.objects.filter(follower=viewer).values_list(
        "user_id", "tag_id", "community_id"
    ):
        if user_id:
            result["user"].add(user_id)
        elif tag_id:
            result["tag"].add(tag_id)
        elif community_id:
            result["community"].add(community_id)
    return result


def is_following(*, viewer: User, user: User) -> bool:
    """Whether the viewer follows this person."""
    return Follow.objects.filter(follower=viewer, user=user).exists()
