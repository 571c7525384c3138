"""API schemas for the social layer: one input or output type per operation."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from vivier.core.api import MAX_ID, NO_NUL
from vivier.social.models import Community, Post, Reaction

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class AuthorOut(Schema):
    id: int
    name: str


class CommunityRef(Schema):
    id: int
    slug: str
    name: str
    visibility: str


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    url: str


class PostOut(Schema):
    """A post as feeds and lists show it."""

    id: int
    kind: str
    title: str
    body: str
    body_html: str
    author: AuthorOut
    community: CommunityRef | None
    tags: list[str]
    shared_from_id: int | None
    created_at: datetime
    edited_at: datetime | None
    comment_count: int
    reaction_count: int
    my_reaction: str | None
    attachments: list[AttachmentOut]
    url: str


class PostPageOut(Schema):
    items: list[PostOut]
    next_cursor: str | None


class PostIn(Schema):
    kind: Post.Kind = Post.Kind.UPDATE
    title: Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] = ""
    body: Annotated[str, StringConstraints(min_length=1, max_length=50_000, pattern=NO_NUL)]
    community_id: Id | None = None


class PostPatchIn(Schema):
    title: Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] | None = None
    body: Annotated[str, StringConstraints(min_length=1, max_length=50_000, pattern=NO_NUL)]


class ShareIn(Schema):
    community_id: Id | None = None
    body: Annotated[str, StringConstraints(max_length=3000, pattern=NO_NUL)] = ""


class CommentOut(Schema):
    id: int
    post_id: int
    parent_id: int | None
    author: AuthorOut
    body: str
    body_html: str
    created_at: datetime


class CommentIn(Schema):
    body: Annotated[str, StringConstraints(min_length=1, max_length=3000, pattern=NO_NUL)]
    parent_id: Id | None = None


class ReactionIn(Schema):
    kind: Reaction.Kind


class ReactionOut(Schema):
    post_id: int
    kind: str | None
    reaction_count: int


class CommunityOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    rules: str
    visibility: str
    is_expert_community: bool
    member_count: int
    my_status: str | None
    my_role: str | None


class CommunityIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=NO_NUL)]
    description: Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)] = ""
    rules: Annotated[str, StringConstraints(max_length=4000, pattern=NO_NUL)] = ""
    visibility: Community.Visibility = Community.Visibility.OPEN


class MemberOut(Schema):
    user_id: int
    name: str
    role: str
    status: str


class MembershipOut(Schema):
    community_id: int
    status: str
    role: str


class FollowsOut(Schema):
    people: list[int]
    tags: list[str]
    communities: list[int]


class NotificationOut(Schema):
    id: int
    type: str
    actor: AuthorOut | None
    post_id: int | None
    comment_id: int | None
    community_id: int | None
    created_at: datetime
    read: bool


class NotificationPageOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class MarkReadIn(Schema):
    ids: list[Id] | None = Field(default=None, max_length=500)


class MarkReadOut(Schema):
    marked: int
