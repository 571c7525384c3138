"""Social API: posts, comments, reactions, communities, follows, feeds and notifications."""

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from vivier.accounts.models import User
from vivier.core.api import MAX_ID, NO_NUL, errors
from vivier.core.errors import NotFound
from vivier.core.ids import parse_id
from vivier.social import selectors, services
from vivier.social.cards import ItemPage, card_urls, item_page
from vivier.social.models import Comment, Community, Membership, Notification, Post, Tag
from vivier.social.notifications import notification_mark_read
from vivier.social.permissions import can_view_post, membership_of
from vivier.social.schemas import (
    CommentIn,
    CommentOut,
    CommunityIn,
    CommunityOut,
    FollowKind,
    FollowsOut,
    MarkReadIn,
    MarkReadOut,
    MemberOut,
    MembershipOut,
    NotificationPageOut,
    PostIn,
    PostOut,
    PostPageOut,
    PostPatchIn,
    ReactionIn,
    ReactionOut,
    ShareIn,
)

router = Router(tags=["social"])

PERSON_NOT_FOUND = "This person does not exist."
# A keyset cursor as feeds write it: the last post's creation time (UTC) and id.
CURSOR = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00_[1-9][0-9]{0,17}$"
)

PostId = Annotated[int, Path(ge=1, le=MAX_ID)]
CommunityId = Annotated[int, Path(ge=1, le=MAX_ID)]
Cursor = Annotated[
    str | None,
    Query(max_length=80, pattern=CURSOR, description="`next_cursor` of the previous page"),
]
Limit = Annotated[int, Query(ge=1, le=100)]
# A person's or a community's id, or a tag's name (ASCII, as GET /follows lists it).
FollowKey = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
]


def community_ref(community: Community | None) -> dict[str, Any] | None:
    """The short form of a post's community in API output (None outside any)."""
    if community is None:
        return None
    return {
        "id": community.pk,
        "slug": community.slug,
        "name": community.name,
        "visibility": community.visibility,
    }


def post_out(post: Post) -> dict[str, Any]:
    """The API view of a post loaded with `with_post_details`."""
    if not hasattr(post, "url"):
        card_urls([post])
    return {
        "id": post.pk,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "author": {"id": post.author_id, "name": post.author.get_full_name()},
        "community": community_ref(post.community),
        "tags": [t.normalized for t in post.tags.all()],
        "shared_from_id": post.shared_from_id,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "comment_count": post.comment_count,
        "reaction_count": post.reaction_count,
        "my_reaction": post.my_reaction,
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "name": a.original_name,
                "url": a.url,
            }
            for a in post.attachments.all()
        ],
        "url": post.url,
    }


# Per reader, or changing without a new version of the post: taken from each page's query.
_PER_READER = ("comment_count", "reaction_count", "my_reaction")


def _shared_items(posts: list[Post]) -> dict[int, dict[str, Any]]:
    """The API view of `posts` without what differs between readers."""
    card_urls(posts)
    items = {}
    for post in posts:
        post.my_reaction = None
        item = post_out(post)
        for field in _PER_READER:
            del item[field]
        items[post.pk] = item
    return items


def _item_page(posts: QuerySet[Post], *, viewer: User, cursor: str | None, limit: int) -> Any:
    """A page of posts as API items, what every reader sees served from the cards cache."""
    return item_page(posts, viewer=viewer, cursor=cursor, limit=limit, build=_shared_items)


def _items_out(page: ItemPage) -> dict[str, Any]:
    return {"items": page.items, "next_cursor": page.next_cursor}


def _community(request: HttpRequest, community_id: int) -> Community:
    return selectors.community_get(viewer=request.user, slug_or_id=community_id)


def _person(person_id: int) -> User:
    user = User.objects.filter(pk=person_id, is_active=True).first()
    if user is None:
        raise NotFound("person_not_found", PERSON_NOT_FOUND)
    return user


@router.get(
    "/feed",
    response={200: PostPageOut, **errors(401, 422)},
    summary="My home feed: follows, communities, mentions, newest first",
)
def feed(request: HttpRequest, cursor: Cursor = None, limit: Limit = 20) -> Any:
    page = selectors.feed_home(viewer=request.user, cursor=cursor, limit=limit, pager=_item_page)
    return _items_out(page)


@router.get(
    "/feed/discover",
    response={200: PostPageOut, **errors(401, 422)},
    summary="What is active around my skills",
)
def feed_discover(request: HttpRequest, cursor: Cursor = None, limit: Limit = 20) -> Any:
    page = selectors.feed_discover(
        viewer=request.user, cursor=cursor, limit=limit, pager=_item_page
    )
    return _items_out(page)


@router.get(
    "/posts",
    response={200: PostPageOut, **errors(401, 404, 422)},
    summary="Posts I may read, filtered by community, tag or author",
)
def posts_list(
    request: HttpRequest,
    community: int | None = Query(None, ge=1, le=MAX_ID),
    tag: str | None = Query(None, max_length=64, pattern=NO_NUL),
    author: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Any:
    posts = selectors.post_list(
        viewer=request.user,
        community=_community(request, community) if community else None,
        tag=selectors.tag_get(name=tag) if tag else None,
        author=_person(author) if author else None,
    )
    return _items_out(_item_page(posts, viewer=request.user, cursor=cursor, limit=limit))


@router.post(
    "/posts",
    response={201: PostOut, **errors(400, 401, 403, 404, 422)},
    summary="Publish a post or an article",
)
def posts_create(request: HttpRequest, payload: PostIn) -> Any:
    community = _community(request, payload.community_id) if payload.community_id else None
    post = services.post_create(
        actor=request.user,
        body=payload.body,
        kind=payload.kind.value,
        title=payload.title,
        community=community,
    )
    return Status(201, post_out(selectors.post_get(viewer=request.user, post_id=post.pk)))


@router.get(
    "/posts/{post_id}", response={200: PostOut, **errors(401, 404, 422)}, summary="One post"
)
def posts_get(request: HttpRequest, post_id: PostId) -> Any:
    return post_out(selectors.post_get(viewer=request.user, post_id=post_id))


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit my post (the previous version is kept)",
)
def posts_patch(request: HttpRequest, payload: PostPatchIn, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    services.post_update(actor=request.user, post=post, body=payload.body, title=payload.title)
    return post_out(selectors.post_get(viewer=request.user, post_id=post_id))


@router.delete(
    "/posts/{post_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove a post (author, animators, HR)",
)
def posts_delete(request: HttpRequest, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    services.post_delete(actor=request.user, post=post)
    return Status(204, None)


@router.post(
    "/posts/{post_id}/share",
    response={201: PostOut, **errors(400, 401, 403, 404, 422)},
    summary="Share a public post into a community or my feed",
)
def posts_share(request: HttpRequest, payload: ShareIn, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    community = _community(request, payload.community_id) if payload.community_id else None
    shared = services.post_share(
        actor=request.user, post=post, community=community, body=payload.body
    )
    return Status(201, post_out(selectors.post_get(viewer=request.user, post_id=shared.pk)))


def _comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": {"id": comment.author_id, "name": comment.author.get_full_name()},
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": comment.created_at,
    }


@router.get(
    "/posts/{post_id}/comments",
    response={200: list[CommentOut], **errors(401, 404, 422)},
    summary="A post's comments, replies after their comment",
)
def comments_list(request: HttpRequest, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    result = []
    for comment in selectors.post_comments(post=post):
        result.append(_comment_out(comment))
        result += [_comment_out(reply) for reply in comment.reply_list]
    return result


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut, **errors(400, 401, 404, 422)},
    summary="Comment on a post, or reply to a comment",
)
def comments_create(request: HttpRequest, payload: CommentIn, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    parent = None
    if payload.parent_id:
        parent = Comment.objects.filter(
            pk=payload.parent_id, post=post, deleted_at__isnull=True
        ).first()
        if parent is None:
            raise NotFound("comment_not_found", selectors.COMMENT_NOT_FOUND)
    comment = services.comment_create(
        actor=request.user, post=post, body=payload.body, parent=parent
    )
    return Status(201, _comment_out(comment))


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Remove a comment (author or moderators)",
)
def comments_delete(request: HttpRequest, comment_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    comment = (
        Comment.objects.select_related("post", "post__community")
        .filter(pk=comment_id, deleted_at__isnull=True)
        .first()
    )
    # A comment on a post one may not read does not exist either: the same 404, the same code.
    if comment is None or not can_view_post(user=request.user, post=comment.post):
        raise NotFound("comment_not_found", selectors.COMMENT_NOT_FOUND)
    services.comment_delete(actor=request.user, comment=comment)
    return Status(204, None)


@router.put(
    "/posts/{post_id}/reaction",
    response={200: ReactionOut, **errors(400, 401, 404, 422)},
    summary="Set my reaction to a post",
)
def reaction_put(request: HttpRequest, payload: ReactionIn, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    services.reaction_set(actor=request.user, post=post, kind=payload.kind.value)
    post.refresh_from_db(fields=["reaction_count"])
    return {"post_id": post.pk, "kind": payload.kind.value, "reaction_count": post.reaction_count}


@router.delete(
    "/posts/{post_id}/reaction",
    response={204: None, **errors(401, 404, 422)},
    summary="Withdraw my reaction",
)
def reaction_delete(request: HttpRequest, post_id: PostId) -> Any:
    post = selectors.post_get(viewer=request.user, post_id=post_id)
    services.reaction_remove(actor=request.user, post=post)
    return Status(204, None)


def _community_out(community: Community, viewer: User) -> dict[str, Any]:
    membership = membership_of(user=viewer, community=community)
    return {
        "id": community.pk,
        "slug": community.slug,
        "name": community.name,
        "description": community.description,
        "rules": community.rules,
        "visibility": community.visibility,
        "is_expert_community": community.is_expert_community,
        "member_count": community.member_count,
        "my_status": membership.status if membership else None,
        "my_role": membership.role if membership else None,
    }


@router.get(
    "/communities",
    response={200: list[CommunityOut], **errors(401, 422)},
    summary="Communities I may see",
)
def communities_list(
    request: HttpRequest, q: str = Query("", max_length=100, pattern=NO_NUL)
) -> Any:
    communities = list(selectors.community_list(viewer=request.user, q=q)[:200])
    mine = {
        m.community_id: m
        for m in Membership.objects.filter(user=request.user, community__in=communities)
    }
    request.user.__dict__["_membership_cache"] = {c.pk: mine.get(c.pk) for c in communities}
    return [_community_out(c, request.user) for c in communities]


@router.post(
    "/communities",
    response={201: CommunityOut, **errors(400, 401, 422)},
    summary="Create a community (I become its owner)",
)
def communities_create(request: HttpRequest, payload: CommunityIn) -> Any:
    community = services.community_create(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        rules=payload.rules,
        visibility=payload.visibility.value,
    )
    request.user.__dict__.pop("_membership_cache", None)
    return Status(201, _community_out(community, request.user))


@router.get(
    "/communities/{community_id}",
    response={200: CommunityOut, **errors(401, 404, 422)},
    summary="One community",
)
def communities_get(request: HttpRequest, community_id: CommunityId) -> Any:
    return _community_out(_community(request, community_id), request.user)


@router.post(
    "/communities/{community_id}/join",
    response={201: MembershipOut, **errors(401, 403, 404, 409, 422)},
    summary="Join an open community, or ask to join a closed one",
)
def communities_join(request: HttpRequest, community_id: CommunityId) -> Any:
    membership = services.community_join(
        actor=request.user, community=_community(request, community_id)
    )
    return Status(
        201, {"community_id": community_id, "status": membership.status, "role": membership.role}
    )


@router.post(
    "/communities/{community_id}/leave",
    response={204: None, **errors(400, 401, 404, 422)},
    summary="Leave a community or withdraw my request",
)
def communities_leave(request: HttpRequest, community_id: CommunityId) -> Any:
    services.community_leave(actor=request.user, community=_community(request, community_id))
    return Status(204, None)


@router.get(
    "/communities/{community_id}/members",
    response={200: list[MemberOut], **errors(401, 404, 422)},
    summary="A community's members (members only, for closed and secret ones)",
)
def communities_members(request: HttpRequest, community_id: CommunityId) -> Any:
    community = _community(request, community_id)
    return [
        {"user_id": m.user_id, "name": m.user.get_full_name(), "role": m.role, "status": m.status}
        for m in selectors.community_members(viewer=request.user, community=community)[:1000]
    ]


@router.get("/follows", response={200: FollowsOut, **errors(401)}, summary="Who and what I follow")
def follows_list(request: HttpRequest) -> Any:
    follows = selectors.follows_of(viewer=request.user)
    return {
        "people": sorted(follows["user"]),
        "tags": sorted(
            Tag.objects.filter(pk__in=follows["tag"]).values_list("normalized", flat=True)
        ),
        "communities": sorted(follows["community"]),
    }


def _follow_target(
    request: HttpRequest, kind: FollowKind, key: str, *, create_tag: bool
) -> dict[str, Any]:
    if kind == FollowKind.PEOPLE:
        person_id = parse_id(key)
        if person_id is None:
            raise NotFound("person_not_found", PERSON_NOT_FOUND)
        return {"user": _person(person_id)}
    if kind == FollowKind.TAGS:
        # Following a tag nobody used yet creates it; unfollowing never does.
        tag = services.tag_get_or_create(name=key) if create_tag else selectors.tag_get(name=key)
        return {"tag": tag}
    community_id = parse_id(key)
    if community_id is None:
        raise NotFound("community_not_found", selectors.COMMUNITY_NOT_FOUND)
    return {"community": _community(request, community_id)}


@router.post(
    "/follows/{kind}/{key}",
    response={204: None, **errors(400, 401, 404, 409, 422)},
    summary="Follow a person (id), a tag (name) or a community (id)",
)
def follows_create(request: HttpRequest, kind: FollowKind, key: FollowKey) -> Any:
    services.follow(actor=request.user, **_follow_target(request, kind, key, create_tag=True))
    return Status(204, None)


@router.delete(
    "/follows/{kind}/{key}", response={204: None, **errors(401, 404, 422)}, summary="Stop following"
)
def follows_delete(request: HttpRequest, kind: FollowKind, key: FollowKey) -> Any:
    target = _follow_target(request, kind, key, create_tag=False)
    services.unfollow(actor=request.user, **target)
    return Status(204, None)


def _notification_out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "type": n.type,
        "actor": {"id": n.actor_id, "name": n.actor.get_full_name()} if n.actor else None,
        "post_id": n.post_id,
        "comment_id": n.comment_id,
        "community_id": n.community_id,
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **errors(401, 422)},
    summary="My notifications, newest first",
)
def notifications_list(
    request: HttpRequest,
    unread: bool = False,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=100_000),
) -> Any:
    notifications = selectors.notification_list(viewer=request.user, unread_only=unread)
    return {
        "count": notifications.count(),
        "unread": selectors.notification_unread_count(viewer=request.user),
        "items": [_notification_out(n) for n in notifications[offset : offset + limit]],
    }


@router.post(
    "/notifications/read",
    response={200: MarkReadOut, **errors(400, 401, 422)},
    summary="Mark some (ids) or all of my notifications read",
)
def notifications_read(request: HttpRequest, payload: MarkReadIn) -> Any:
    return {"marked": notification_mark_read(user=request.user, notification_ids=payload.ids)}
