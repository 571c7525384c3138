"""Social writes: posts, comments, reactions, communities, follows and views."""

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.core.markdown import render_markdown
from vivier.core.text import detect_language
from vivier.people.models import SkillAlias
from vivier.search import services as search
from vivier.social.models import (
    Attachment,
    Comment,
    Community,
    DailyView,
    Follow,
    Membership,
    Post,
    PostRevision,
    Reaction,
    Tag,
)
from vivier.social.notifications import notify
from vivier.social.permissions import (
    can_edit_post,
    can_moderate_comment,
    can_moderate_post,
    can_post_in,
    can_see_community,
    can_view_post,
    is_animator,
    membership_of,
)
from vivier.social.selectors import tag_fold
from vivier.social.text import render_post

UPDATE_MAX_LENGTH = 3000
ARTICLE_MAX_LENGTH = 50_000
COMMENT_MAX_LENGTH = 3000
MAX_ATTACHMENTS = 6

POST_EMPTY = _("Write something before publishing.")
POST_TOO_LONG = _("A post has at most %(max)s characters.")
ARTICLE_NEEDS_TITLE = _("An article needs a title.")
QUESTION_NEEDS_TITLE = _("A question needs a title: the question itself, in one line.")
TITLE_TOO_LONG = _("A title has at most 200 characters.")
NOT_A_MEMBER = _("Only members of this community can post in it.")
POST_EDIT_DENIED = _("Only the author can edit this post.")
POST_DELETE_DENIED = _("You may not remove this post.")
COMMENT_EMPTY = _("Write a comment before sending it.")
COMMENT_TOO_LONG = _("A comment has at most %(max)s characters.")
COMMENT_PARENT_INVALID = _("You can only reply to a comment of the same post.")
COMMENT_DELETE_DENIED = _("You may not remove this comment.")
REACTION_INVALID = _("Unknown reaction.")
SHARE_DENIED = _("Only public posts can be shared into a community.")
COMMUNITY_NAME_REQUIRED = _("Give the community a name.")
COMMUNITY_VISIBILITY_INVALID = _("Unknown visibility.")
COMMUNITY_EDIT_DENIED = _("Only the community's owners and animators may do this.")
COMMUNITY_OWNER_ONLY = _("Only the community's owners may change roles.")
ALREADY_MEMBER = _("You are already a member, or your request is pending.")
NOT_MEMBER = _("You are not a member of this community.")
LAST_OWNER = _("The last owner cannot leave; name another owner first.")
SECRET_JOIN = _("This community is by invitation only.")
MEMBERSHIP_NOT_FOUND = _("This request does not exist.")
ROLE_INVALID = _("Unknown role.")
ALREADY_FOLLOWING = _("You already follow this.")
NOT_FOLLOWING = _("You do not follow this.")
FOLLOW_SELF = _("You cannot follow yourself.")
ATTACHMENT_INVALID = _("Attachments are images (JPEG, PNG, WebP, GIF) or PDF files.")
ATTACHMENT_TOO_LARGE = _("An attachment has at most %(max)s MB.")
TOO_MANY_ATTACHMENTS = _("A post has at most %(max)s attachments.")
POST_NOT_FOUND = _("This post does not exist.")
TAG_INVALID = _("A hashtag needs letters or digits.")
TEXT_HAS_NUL = _("This text holds characters that cannot be stored.")

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _clean_text(text: Any, *, field: str) -> str:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if "\x00" in text:
        raise ApplicationError("invalid_characters", TEXT_HAS_NUL, field=field)
    return text.strip()


def _tag_url(name: str) -> str:
    return reverse("social:tag", args=[tag_fold(name) or "tag"])


def _mention_resolver(cache: dict[str, User | None]):
    def resolve(handle: str) -> str | None:
        if handle not in cache:
            cache[handle] = User.objects.filter(
                email__istartswith=f"{handle}@", is_active=True
            ).first()
        user = cache[handle]
        return reverse("people:profile", args=[user.pk]) if user else None

    return resolve


def tag_get_or_create(*, name: str) -> Tag:
    """The tag for `name`, created and linked to a skill whose name matches, if any."""
    folded = tag_fold(name)
    if not folded:
        raise ApplicationError("tag_invalid", TAG_INVALID, field="tag")
    tag = Tag.objects.filter(normalized=folded).first()
    if tag is None:
        skill_id = (
            SkillAlias.objects.filter(normalized__in={folded, folded.replace("-", " ")})
            .values_list("skill_id", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                tag = Tag.objects.create(name=name[:64], normalized=folded, skill_id=skill_id)
        except IntegrityError:
            tag = Tag.objects.get(normalized=folded)
        else:
            search.index_tag(tag)
    return tag


def _render(post: Post) -> tuple[list[str], list[User]]:
    """Render the post's body; return its tag names and the mentioned people."""
    people: dict[str, User | None] = {}
    rendered = render_post(
        post.body,
        tag_url=_tag_url,
        mention_url=_mention_resolver(people),
        with_toc=post.kind == Post.Kind.ARTICLE,
    )
    post.body_html = rendered.html
    post.toc = rendered.toc
    post.language = detect_language(f"{post.title} {post.body}")
    mentioned = [people[h] for h in rendered.mentions if people.get(h) is not None]
    return rendered.tags, mentioned


def _check_post_text(*, kind: str, title: str, body: str) -> None:
    if kind not in Post.Kind.values:
        raise ApplicationError("kind_invalid", _("Unknown kind of post."), field="kind")
    if not body:
        raise ApplicationError("post_empty", POST_EMPTY, field="body")
    limit = ARTICLE_MAX_LENGTH if kind == Post.Kind.ARTICLE else UPDATE_MAX_LENGTH
    if len(body) > limit:
        raise ApplicationError("post_too_long", POST_TOO_LONG % {"max": limit}, field="body")
    if kind == Post.Kind.ARTICLE and not title:
        raise ApplicationError("title_required", ARTICLE_NEEDS_TITLE, field="title")
    if kind == Post.Kind.QUESTION and not title:
        raise ApplicationError("title_required", QUESTION_NEEDS_TITLE, field="title")
    if len(title) > 200:
        raise ApplicationError("title_too_long", TITLE_TOO_LONG, field="title")


def _attachment_from_upload(upload: Any) -> tuple[str, ContentFile, int | None, int | None]:
    """Check an upload by its content: an image (re-encoded) or a PDF, within the size limit."""
    raw = upload.read(ATTACHMENT_MAX_BYTES + 1)
    if len(raw) > ATTACHMENT_MAX_BYTES:
        raise ApplicationError(
            "attachment_too_large",
            ATTACHMENT_TOO_LARGE % {"max": ATTACHMENT_MAX_BYTES // 2**20},
            field="attachments",
            status=413,
        )
    if raw.startswith(b"%PDF-") and b"%%EOF" in raw[-2048:]:
        return Attachment.Kind.PDF, ContentFile(raw, name=f"{uuid.uuid4().hex}.pdf"), None, None
    try:
        probe = Image.open(io.BytesIO(raw))
        if probe.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
            raise ApplicationError("attachment_invalid", ATTACHMENT_INVALID, field="attachments")
        if probe.width * probe.height > settings.VIVIER_PHOTO_MAX_PIXELS:
            raise ApplicationError("attachment_invalid", ATTACHMENT_INVALID, field="attachments")
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ApplicationError(
            "attachment_invalid", ATTACHMENT_INVALID, field="attachments"
        ) from exc
    image = image.convert("RGB")
    image.thumbnail((1600, 1600))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return (
        Attachment.Kind.IMAGE,
        ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"),
        image.width,
        image.height,
    )


def _notify_mentions(
    *, actor: User, post: Post, people: list[User], comment: Comment | None = None
) -> None:
    for person in people:
        notify(recipient=person, type="mention", actor=actor, post=post, comment=comment)


@transaction.atomic
def post_create(
    *,
    actor: User,
    body: Any,
    kind: str = Post.Kind.UPDATE,
    title: Any = "",
    community: Community | None = None,
    attachments: list[Any] | None = None,
    tags: list[str] | None = None,
) -> Post:
    """Publish a post, personal or in a community the actor is a member of.

    `tags` adds topics to the hashtags of the text (a question's tags are chosen apart).
    """
    body = _clean_text(body, field="body")
    title = _clean_text(title, field="title")
    _check_post_text(kind=kind, title=title, body=body)
    if community is not None and not can_post_in(user=actor, community=community):
        raise PermissionDenied("not_a_member", NOT_A_MEMBER, field="community")
    attachments = attachments or []
    if len(attachments) > MAX_ATTACHMENTS:
        raise ApplicationError(
            "too_many_attachments",
            TOO_MANY_ATTACHMENTS % {"max": MAX_ATTACHMENTS},
            field="attachments",
        )
    files = [(upload, *_attachment_from_upload(upload)) for upload in attachments]
    post = Post(author=actor, kind=kind, title=title, body=body, community=community)
    tag_names, mentioned = _render(post)
    post.save()
    names = list(dict.fromkeys([*tag_names, *(str(t) for t in tags or [])]))
    post.tags.set([tag_get_or_create(name=name) for name in names if tag_fold(name)])
    post.mentions.set(mentioned)
    for upload, file_kind, content, width, height in files:
        Attachment.objects.create(
            post=post,
            kind=file_kind,
            file=content,
            original_name=str(getattr(upload, "name", "file"))[:200],
            size=content.size,
            width=width,
            height=height,
        )
    if community is not None:
        Community.objects.filter(pk=community.pk).update(post_count=F("post_count") + 1)
    event_record(
        actor=actor,
        verb="create",
        obj=post,
        kind=kind,
        community_id=community.pk if community else None,
    )
    _notify_mentions(actor=actor, post=post, people=mentioned)
    search.index_post(post)
    return post


@transaction.atomic
def post_update(*, actor: User, post: Post, body: Any, title: Any = None) -> Post:
    """Edit a post, keeping the previous version in its history."""
    post = Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)
    if not can_edit_post(user=actor, post=post):
        raise PermissionDenied("post_edit_denied", POST_EDIT_DENIED)
    body = _clean_text(body, field="body")
    title = post.title if title is None else _clean_text(title, field="title")
    _check_post_text(kind=post.kind, title=title, body=body)
    PostRevision.objects.create(post=post, title=post.title, body=post.body, edited_by=actor)
    previous_mentions = set(post.mentions.values_list("pk", flat=True))
    post.title, post.body, post.edited_at = title, body, timezone.now()
    tag_names, mentioned = _render(post)
    post.save()
    post.tags.set([tag_get_or_create(name=name) for name in tag_names if tag_fold(name)])
    post.mentions.set(mentioned)
    event_record(actor=actor, verb="update", obj=post)
    _notify_mentions(
        actor=actor, post=post, people=[p for p in mentioned if p.pk not in previous_mentions]
    )
    search.index_post(post)
    return post


@transaction.atomic
def post_delete(*, actor: User, post: Post) -> None:
    """Remove a post (kept for audit, hidden everywhere)."""
    if post.deleted_at is not None:
        raise NotFound("post_not_found", POST_NOT_FOUND)
    if not can_moderate_post(user=actor, post=post):
        raise PermissionDenied("post_delete_denied", POST_DELETE_DENIED)
    post.deleted_at, post.deleted_by = timezone.now(), actor
    post.save(update_fields=["deleted_at", "deleted_by"])
    if post.community_id:
        Community.objects.filter(pk=post.community_id, post_count__gt=0).update(
            post_count=F("post_count") - 1
        )
    event_record(actor=actor, verb="delete", obj=post, target_user=post.author)
    search.remove_post(post)


@transaction.atomic
def post_share(*, actor: User, post: Post, community: Community | None, body: Any = "") -> Post:
    """Share a readable public post into a community (or one's own feed), with a comment."""
    if not can_view_post(user=actor, post=post):
        raise NotFound("post_not_found", POST_NOT_FOUND)
    if post.community_id is not None and post.community.visibility != Community.Visibility.OPEN:
        # Sharing would show members-only content to another audience.
        raise PermissionDenied("share_denied", SHARE_DENIED)
    original = post.shared_from if post.shared_from_id else post
    body = _clean_text(body, field="body") or f"↪ {original.title or original.body[:200]}"
    shared = post_create(actor=actor, body=body, community=community)
    shared.shared_from = original
    shared.save(update_fields=["shared_from"])
    notify(recipient=original.author, type="share", actor=actor, post=shared)
    return shared


@transaction.atomic
def comment_create(*, actor: User, post: Post, body: Any, parent: Comment | None = None) -> Comment:
    """Comment on a readable post, or reply to one of its comments (one level deep)."""
    if not can_view_post(user=actor, post=post):
        raise NotFound("post_not_found", POST_NOT_FOUND)
    body = _clean_text(body, field="body")
    if not body:
        raise ApplicationError("comment_empty", COMMENT_EMPTY, field="body")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ApplicationError(
            "comment_too_long", COMMENT_TOO_LONG % {"max": COMMENT_MAX_LENGTH}, field="body"
        )
    if parent is not None:
        if parent.post_id != post.pk or parent.deleted_at is not None:
            raise ApplicationError("parent_invalid", COMMENT_PARENT_INVALID, field="parent")
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep
    people: dict[str, User | None] = {}
    rendered = render_post(body, tag_url=_tag_url, mention_url=_mention_resolver(people))
    comment = Comment.objects.create(
        post=post, author=actor, parent=parent, body=body, body_html=rendered.html
    )
    mentioned = [people[h] for h in rendered.mentions if people.get(h) is not None]
    comment.mentions.set(mentioned)
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    search.index_comment(comment)
    event_record(actor=actor, verb="create", obj=comment, target_user=post.author, post_id=post.pk)
    notified = {actor.pk}
    if parent is not None and parent.author_id not in notified:
        notify(recipient=parent.author, type="reply", actor=actor, post=post, comment=comment)
        notified.add(parent.author_id)
    if post.author_id not in notified:
        notify(recipient=post.author, type="comment", actor=actor, post=post, comment=comment)
        notified.add(post.author_id)
    _notify_mentions(
        actor=actor,
        post=post,
        comment=comment,
        people=[p for p in mentioned if p.pk not in notified],
    )
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> None:
    """Remove a comment."""
    if comment.deleted_at is not None:
        raise NotFound("comment_not_found", _("This comment does not exist."))
    if not can_moderate_comment(user=actor, comment=comment):
        raise PermissionDenied("comment_delete_denied", COMMENT_DELETE_DENIED)
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    event_record(actor=actor, verb="delete", obj=comment)
    search.index_comment(comment)


@transaction.atomic
def reaction_set(*, actor: User, post: Post, kind: str) -> Reaction:
    """React to a readable post (one reaction per person; a new one replaces the old)."""
    if not can_view_post(user=actor, post=post):
        raise NotFound("post_not_found", POST_NOT_FOUND)
    if kind not in Reaction.Kind.values:
        raise ApplicationError("reaction_invalid", REACTION_INVALID, field="kind")
    reaction, created = Reaction.objects.update_or_create(
        post=post, user=actor, defaults={"kind": kind}
    )
    if created:
        Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
        notify(recipient=post.author, type="reaction", actor=actor, post=post)
    event_record(actor=actor, verb="like", obj=post, target_user=post.author, kind=kind)
    return reaction


@transaction.atomic
def reaction_remove(*, actor: User, post: Post) -> None:
    """Withdraw one's reaction to a post."""
    deleted, _detail = Reaction.objects.filter(post=post, user=actor).delete()
    if not deleted:
        raise NotFound("reaction_not_found", _("You have not reacted to this post."))
    Post.objects.filter(pk=post.pk, reaction_count__gt=0).update(
        reaction_count=F("reaction_count") - 1
    )
    event_record(actor=actor, verb="undo", obj=post, kind="reaction")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "communaute"
    slug, n = base, 1
    while Community.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def community_create(
    *,
    actor: User,
    name: Any,
    description: Any = "",
    rules: Any = "",
    visibility: str = Community.Visibility.OPEN,
    is_expert_community: bool = False,
) -> Community:
    """Create a community; its creator is its first owner."""
    name = _clean_text(name, field="name")
    if not name or len(name) > 120:
        raise ApplicationError("community_name_required", COMMUNITY_NAME_REQUIRED, field="name")
    if visibility not in Community.Visibility.values:
        raise ApplicationError(
            "visibility_invalid", COMMUNITY_VISIBILITY_INVALID, field="visibility"
        )
    rules = _clean_text(rules, field="rules")[:4000]
    community = Community.objects.create(
        name=name,
        slug=_unique_slug(name),
        description=_clean_text(description, field="description")[:2000],
        rules=rules,
        rules_html=render_markdown(rules),
        visibility=visibility,
        is_expert_community=bool(is_expert_community),
        created_by=actor,
        member_count=1,
    )
    Membership.objects.create(community=community, user=actor, role=Membership.Role.OWNER)
    event_record(actor=actor, verb="create", obj=community)
    search.index_community(community)
    return community


@transaction.atomic
def community_update(*, actor: User, community: Community, data: dict[str, Any]) -> Community:
    """Change a community's name, description, rules or visibility (owners and animators)."""
    if not is_animator(user=actor, community=community):
        raise PermissionDenied("community_edit_denied", COMMUNITY_EDIT_DENIED)
    if "name" in data:
        community.name = _clean_text(data["name"], field="name")
        if not community.name or len(community.name) > 120:
            raise ApplicationError("community_name_required", COMMUNITY_NAME_REQUIRED, field="name")
    if "description" in data:
        community.description = _clean_text(data["description"], field="description")[:2000]
    if "rules" in data:
        community.rules = _clean_text(data["rules"], field="rules")[:4000]
        community.rules_html = render_markdown(community.rules)
    if "visibility" in data:
        if data["visibility"] not in Community.Visibility.values:
            raise ApplicationError(
                "visibility_invalid", COMMUNITY_VISIBILITY_INVALID, field="visibility"
            )
        community.visibility = data["visibility"]
    community.save()
    event_record(actor=actor, verb="update", obj=community)
    search.index_community(community)
    return community


def _recount_members(community: Community) -> None:
    Community.objects.filter(pk=community.pk).update(
        member_count=Membership.objects.filter(
            community=community, status=Membership.Status.ACTIVE
        ).count()
    )


@transaction.atomic
def community_join(*, actor: User, community: Community) -> Membership:
    """Join an open community, or ask to join a closed one."""
    if not can_see_community(user=actor, community=community):
        raise NotFound("community_not_found", _("This community does not exist."))
    if membership_of(user=actor, community=community) is not None:
        raise Conflict("already_member", ALREADY_MEMBER)
    if community.visibility == Community.Visibility.SECRET:
        raise PermissionDenied("invitation_only", SECRET_JOIN)
    status = (
        Membership.Status.ACTIVE
        if community.visibility == Community.Visibility.OPEN
        else Membership.Status.PENDING
    )
    membership = Membership.objects.create(community=community, user=actor, status=status)
    actor.__dict__.pop("_membership_cache", None)
    _recount_members(community)
    event_record(actor=actor, verb="join" if status == "active" else "request", obj=community)
    if status == Membership.Status.PENDING:
        for animator in Membership.objects.filter(
            community=community,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.OWNER, Membership.Role.ANIMATOR],
        ).select_related("user"):
            notify(recipient=animator.user, type="join_request", actor=actor, community=community)
    return membership


@transaction.atomic
def community_leave(*, actor: User, community: Community) -> None:
    """Leave a community (or withdraw a pending request)."""
    membership = membership_of(user=actor, community=community)
    if membership is None:
        raise NotFound("not_member", NOT_MEMBER)
    if (
        membership.role == Membership.Role.OWNER
        and not Membership.objects.filter(
            community=community, role=Membership.Role.OWNER, status=Membership.Status.ACTIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ApplicationError("last_owner", LAST_OWNER)
    membership.delete()
    actor.__dict__.pop("_membership_cache", None)
    _recount_members(community)
    event_record(actor=actor, verb="leave", obj=community)


@transaction.atomic
def membership_decide(
    *, actor: User, community: Community, user_id: Any, accept: bool
) -> Membership | None:
    """Accept or refuse a pending request to join (owners and animators)."""
    if not is_animator(user=actor, community=community):
        raise PermissionDenied("community_edit_denied", COMMUNITY_EDIT_DENIED)
    membership = Membership.objects.filter(
        community=community, user_id=user_id, status=Membership.Status.PENDING
    ).first()
    if membership is None:
        raise NotFound("membership_not_found", MEMBERSHIP_NOT_FOUND)
    if not accept:
        membership.delete()
        event_record(actor=actor, verb="reject", obj=community, target_user=membership.user)
        return None
    membership.status = Membership.Status.ACTIVE
    membership.save(update_fields=["status", "updated_at"])
    _recount_members(community)
    event_record(actor=actor, verb="accept", obj=community, target_user=membership.user)
    notify(recipient=membership.user, type="join_accepted", actor=actor, community=community)
    return membership


@transaction.atomic
def membership_add(
    *, actor: User, community: Community, user: User, role: str = Membership.Role.MEMBER
) -> Membership:
    """Add a person to a community directly (owners and animators; the way into secret ones)."""
    if not is_animator(user=actor, community=community):
        raise PermissionDenied("community_edit_denied", COMMUNITY_EDIT_DENIED)
    if role not in Membership.Role.values:
        raise ApplicationError("role_invalid", ROLE_INVALID, field="role")
    if (
        role == Membership.Role.OWNER
        and membership_of(user=actor, community=community).role != Membership.Role.OWNER
    ):
        raise PermissionDenied("owner_only", COMMUNITY_OWNER_ONLY)
    membership, _created = Membership.objects.update_or_create(
        community=community,
        user=user,
        defaults={"status": Membership.Status.ACTIVE, "role": role},
    )
    user.__dict__.pop("_membership_cache", None)
    _recount_members(community)
    event_record(actor=actor, verb="add", obj=community, target_user=user, role=role)
    notify(recipient=user, type="join_accepted", actor=actor, community=community)
    return membership


@transaction.atomic
def membership_set_role(
    *, actor: User, community: Community, user_id: Any, role: str
) -> Membership:
    """Change a member's role (owners only)."""
    mine = membership_of(user=actor, community=community)
    if mine is None or mine.role != Membership.Role.OWNER or mine.status != "active":
        raise PermissionDenied("owner_only", COMMUNITY_OWNER_ONLY)
    if role not in Membership.Role.values:
        raise ApplicationError("role_invalid", ROLE_INVALID, field="role")
    membership = Membership.objects.filter(
        community=community, user_id=user_id, status=Membership.Status.ACTIVE
    ).first()
    if membership is None:
        raise NotFound("not_member", NOT_MEMBER)
    if (
        membership.role == Membership.Role.OWNER
        and role != Membership.Role.OWNER
        and not Membership.objects.filter(community=community, role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ApplicationError("last_owner", LAST_OWNER)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    event_record(actor=actor, verb="update", obj=community, target_user=membership.user, role=role)
    return membership


@transaction.atomic
def follow(
    *,
    actor: User,
    user: User | None = None,
    tag: Tag | None = None,
    community: Community | None = None,
) -> Follow:
    """Follow a person, a tag or a community one can see."""
    if user is not None and user.pk == actor.pk:
        raise ApplicationError("follow_self", FOLLOW_SELF)
    if community is not None and not can_see_community(user=actor, community=community):
        raise NotFound("community_not_found", _("This community does not exist."))
    try:
        with transaction.atomic():
            following = Follow.objects.create(
                follower=actor, user=user, tag=tag, community=community
            )
    except IntegrityError:
        raise Conflict("already_following", ALREADY_FOLLOWING) from None
    target = user or tag or community
    event_record(
        actor=actor, verb="follow", obj=target, target_user=user if user is not None else None
    )
    if user is not None:
        notify(recipient=user, type="follow", actor=actor)
    return following


@transaction.atomic
def unfollow(
    *,
    actor: User,
    user: User | None = None,
    tag: Tag | None = None,
    community: Community | None = None,
) -> None:
    """Stop following a person, a tag or a community."""
    deleted, _detail = Follow.objects.filter(
        follower=actor, user=user, tag=tag, community=community
    ).delete()
    if not deleted:
        raise NotFound("not_following", NOT_FOLLOWING)
    event_record(actor=actor, verb="undo", obj=user or tag or community, kind="follow")


def view_record(*, viewer: User, obj: Any, target_user: User | None = None) -> bool:
    """Record that `viewer` looked at `obj` today; only the first view of the day counts."""
    key = {
        "user": viewer,
        "object_type": obj._meta.label_lower,
        "object_id": obj.pk,
        "day": timezone.localdate(),
    }
    # Most page views are repeats: one cheap read spares them a savepoint and a failed insert.
    if DailyView.objects.filter(**key).exists():
        return False
    try:
        with transaction.atomic():
            DailyView.objects.create(**key)
    except IntegrityError:
        return False
    event_record(actor=viewer, verb="view", obj=obj, target_user=target_user)
    return True
