"""API schemas for the social layer: one input or output type per operation."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from ninja import Schema
from pydantic import BaseModel, Field, StringConstraints

from vivier.core.api import JSON_INTEGER, MAX_ID, NO_NUL, InputSchema
from vivier.social.models import Community, Post, Reaction

Id = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]

# Services strip texts (Python's str.strip) and refuse what is left empty: a required text holds
# a character that is neither NUL nor such whitespace. The blanks are spelled out because `\s`
# differs between Python, the Rust regex pydantic uses and ECMAScript ("\x1c" is blank to Python
# only). The group changes nothing for validation; it keeps schemathesis from unrolling `*` into
# 50,000-fold repetitions, whose regex takes about a second to build for each generated schema.
_BLANK = r"\x00\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NOT_BLANK = rf"^[^\x00]*([^{_BLANK}][^\x00]*)$"


# Texts refuse NUL, which PostgreSQL cannot store: a 422, not a 500.
Title = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]
PostBody = Annotated[str, StringConstraints(max_length=50_000, pattern=NOT_BLANK)]
ShareBody = Annotated[str, StringConstraints(max_length=3000, pattern=NO_NUL)]
CommentBody = Annotated[str, StringConstraints(max_length=3000, pattern=NOT_BLANK)]
CommunityName = Annotated[str, StringConstraints(max_length=120, pattern=NOT_BLANK)]
Description = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)]
Rules = Annotated[str, StringConstraints(max_length=4000, pattern=NO_NUL)]


# Named enums: ninja names a component after the enum class, so the models' `Kind` choices
# (skills, posts, reactions) would overwrite one another in the OpenAPI schema.
class PostKind(StrEnum):
    UPDATE = Post.Kind.UPDATE.value
    ARTICLE = Post.Kind.ARTICLE.value


class ReactionKind(StrEnum):
    LIKE = Reaction.Kind.LIKE.value
    CELEBRATE = Reaction.Kind.CELEBRATE.value
    INSIGHTFUL = Reaction.Kind.INSIGHTFUL.value
    SUPPORT = Reaction.Kind.SUPPORT.value
    CURIOUS = Reaction.Kind.CURIOUS.value


class CommunityVisibility(StrEnum):
    OPEN = Community.Visibility.OPEN.value
    CLOSED = Community.Visibility.CLOSED.value
    SECRET = Community.Visibility.SECRET.value


class FollowKind(StrEnum):
    PEOPLE = "people"
    TAGS = "tags"
    COMMUNITIES = "communities"


# A post's output: plain pydantic models. The operations return dicts, and ninja's Schema wraps
# every nested object to read attributes (0.05 ms per post, a millisecond per feed page), for the
# same OpenAPI schema and the same JSON.
class AuthorOut(BaseModel):
    id: int
    name: str


class CommunityRef(BaseModel):
    id: int
    slug: str
    name: str
    visibility: str


class AttachmentOut(BaseModel):
    id: int
    kind: str
    name: str
    url: str


class PostOut(BaseModel):
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


class PostPageOut(BaseModel):
    items: list[PostOut]
    next_cursor: str | None


class PostIn(InputSchema):
    """A new post. An article needs a title (400 `title_required`); an update's body has at
    most 3,000 characters, an article's 50,000 (400 `post_too_long`)."""

    kind: PostKind = PostKind.UPDATE
    title: Title = ""
    body: PostBody
    community_id: Id | None = None


class PostPatchIn(InputSchema):
    """The new text of a post; the title is kept when not sent. The kind's rules apply."""

    title: Title | None = None
    body: PostBody


class ShareIn(InputSchema):
    community_id: Id | None = None
    body: ShareBody = ""


class CommentOut(Schema):
    id: int
    post_id: int
    parent_id: int | None
    author: AuthorOut
    body: str
    body_html: str
    created_at: datetime


class CommentIn(InputSchema):
    body: CommentBody
    parent_id: Id | None = None


class ReactionIn(InputSchema):
    kind: ReactionKind


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


class CommunityIn(InputSchema):
    name: CommunityName
    description: Description = ""
    rules: Rules = ""
    visibility: CommunityVisibility = CommunityVisibility.OPEN


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


class MarkReadIn(InputSchema):
    """The notifications to mark read; all of them when `ids` is absent or null."""

    ids: Annotated[list[Id], Field(max_length=500)] | None = None


class MarkReadOut(Schema):
    marked: int
