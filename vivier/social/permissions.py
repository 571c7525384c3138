"""Who may see and do what in the social layer. Secret content never reaches non-members."""

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.social.models import Comment, Community, Membership, Post


def membership_of(*, user: User, community: Community) -> Membership | None:
    """The user's membership of the community (active or pending), if any."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if community.pk not in cache:
        cache[community.pk] = Membership.objects.filter(community=community, user=user).first()
    return cache[community.pk]


def is_member(*, user: User, community: Community) -> bool:
    """Whether the user is an active member."""
    membership = membership_of(user=user, community=community)
    return membership is not None and membership.status == Membership.Status.ACTIVE


def is_animator(*, user: User, community: Community) -> bool:
    """Whether the user owns or animates the community."""
    membership = membership_of(user=user, community=community)
    return (
        membership is not None
        and membership.status == Membership.Status.ACTIVE
        and membership.role in (Membership.Role.OWNER, Membership.Role.ANIMATOR)
    )


def can_see_community(*, user: User, community: Community) -> bool:
    """Open and closed communities are listed for all; a secret one only for its members."""
    if community.visibility != Community.Visibility.SECRET:
        return True
    return is_member(user=user, community=community)


def can_read_community(*, user: User, community: Community) -> bool:
    """Everyone reads open communities; only members read closed and secret ones."""
    if community.visibility == Community.Visibility.OPEN:
        return True
    return is_member(user=user, community=community)


def can_post_in(*, user: User, community: Community) -> bool:
    """Only active members post in a community, and not once it is archived."""
    return community.archived_at is None and is_member(user=user, community=community)


def can_view_post(*, user: User, post: Post) -> bool:
    """Whether the user may read the post."""
    if post.deleted_at is not None:
        return False
    if post.community_id is None:
        return True
    return can_read_community(user=user, community=post.community)


def can_moderate_post(*, user: User, post: Post) -> bool:
    """Authors, community animators and HR administrators may remove a post."""
    if post.author_id == user.pk or is_hr_admin(user):
        return True
    return post.community_id is not None and is_animator(user=user, community=post.community)


def can_edit_post(*, user: User, post: Post) -> bool:
    """Only the author edits a post."""
    return post.author_id == user.pk and post.deleted_at is None


def can_moderate_comment(*, user: User, comment: Comment) -> bool:
    """Comment authors and the post's moderators may remove a comment."""
    return comment.author_id == user.pk or can_moderate_post(user=user, post=comment.post)
