"""What can be linked to an objective: per kind, who may link it, who may see it, its text.

Each kind reads visibility through its own app's rules (social's readable posts and visible
communities, opportunities' audience), so an objective page shows exactly what the viewer could
open elsewhere. A question is a post of kind "question": both are stored in `ObjectiveLink.post`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.opportunities.models import Opportunity
from vivier.opportunities.selectors import can_manage_opportunity, visible_filter
from vivier.social.models import Community, Post
from vivier.social.permissions import can_see_community, can_view_post, is_animator
from vivier.social.selectors import member_community_ids, readable_posts_filter
from vivier.voice.models import Commitment, Idea
from vivier.voice.permissions import can_update_commitment


@dataclass(frozen=True)
class LinkKind:
    """One kind of linkable thing and the rules that apply to it."""

    code: str
    field: str  # the ObjectiveLink foreign key holding it
    label: Any
    model: type[Model]
    visible: Callable[[User], Q]  # a filter on `model` for what the viewer may see
    can_see: Callable[[User, Any], bool]
    can_link: Callable[[User, Any], bool]
    text: Callable[[Any], str]  # what suggestions read
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    when: Callable[[Any], datetime]  # the date the activity chart counts it at


def _post_visible(viewer: User) -> Q:
    return readable_posts_filter(viewer)


def _post_title(post: Post) -> str:
    return post.title or (post.body[:100] + ("…" if len(post.body) > 100 else ""))


def _post_url(post: Post) -> str:
    if post.kind == Post.Kind.QUESTION:
        return reverse("expertise:question", args=[post.pk])
    return reverse("social:post", args=[post.pk])


def _post_can_link(user: User, post: Post) -> bool:
    return post.deleted_at is None and post.author_id == user.pk


def _community_visible(viewer: User) -> Q:
    return Q(archived_at__isnull=True) & (
        ~Q(visibility=Community.Visibility.SECRET) | Q(pk__in=member_community_ids(viewer))
    )


def _community_can_see(user: User, community: Community) -> bool:
    return community.archived_at is None and can_see_community(user=user, community=community)


def _community_can_link(user: User, community: Community) -> bool:
    return community.archived_at is None and is_animator(user=user, community=community)


def _idea_can_link(user: User, idea: Idea) -> bool:
    # HR moderate the idea box and may tie an idea they follow up to the strategy.
    return idea.author_id == user.pk or is_hr_admin(user)


def _opportunity_can_see(user: User, opportunity: Opportunity) -> bool:
    return Opportunity.objects.filter(visible_filter(user), pk=opportunity.pk).exists()


KINDS: dict[str, LinkKind] = {
    kind.code: kind
    for kind in (
        LinkKind(
            code="post",
            field="post",
            label=_("Post"),
            model=Post,
            visible=_post_visible,
            can_see=lambda user, post: can_view_post(user=user, post=post),
            can_link=_post_can_link,
            text=lambda post: f"{post.title}\n{post.body}",
            title=_post_title,
            url=_post_url,
            when=lambda post: post.created_at,
        ),
        LinkKind(
            code="opportunity",
            field="opportunity",
            label=_("Opportunity"),
            model=Opportunity,
            visible=visible_filter,
            can_see=_opportunity_can_see,
            can_link=lambda user, o: can_manage_opportunity(user=user, opportunity=o),
            text=lambda o: f"{o.title}\n{o.description}",
            title=lambda o: o.title,
            url=lambda o: reverse("opportunities:detail", args=[o.pk]),
            when=lambda o: o.published_at or o.created_at,
        ),
        LinkKind(
            code="idea",
            field="idea",
            label=_("Idea"),
            model=Idea,
            visible=lambda viewer: Q(),  # the idea box is open to every employee
            can_see=lambda user, idea: True,
            can_link=_idea_can_link,
            text=lambda idea: f"{idea.title}\n{idea.description}\n{' '.join(idea.tags or [])}",
            title=lambda idea: idea.title,
            url=lambda idea: reverse("voice:idea", args=[idea.pk]),
            when=lambda idea: idea.created_at,
        ),
        LinkKind(
            code="commitment",
            field="commitment",
            label=_("Commitment"),
            model=Commitment,
            visible=lambda viewer: Q(),  # the company's commitments are public inside
            can_see=lambda user, c: True,
            can_link=lambda user, c: can_update_commitment(actor=user, commitment=c),
            text=lambda c: f"{c.title}\n{c.description}",
            title=lambda c: c.title,
            url=lambda c: reverse("voice:commitment", args=[c.pk]),
            when=lambda c: c.created_at,
        ),
        LinkKind(
            code="community",
            field="community",
            label=_("Community"),
            model=Community,
            visible=_community_visible,
            can_see=_community_can_see,
            can_link=_community_can_link,
            text=lambda c: f"{c.name}\n{c.description}",
            title=lambda c: c.name,
            url=lambda c: reverse("social:community", args=[c.slug]),
            when=lambda c: c.created_at,
        ),
    )
}
# Clients may say "question" for a post that is a question; it is stored as a post.
KIND_ALIASES = {"question": "post"}
KIND_CODES = [*KINDS, *KIND_ALIASES]


def kind_get(code: str) -> LinkKind | None:
    """The kind named `code` (or its alias), or None."""
    return KINDS.get(KIND_ALIASES.get(code, code))


def kind_label(link_kind: LinkKind, obj: Any) -> Any:
    """The label shown for `obj`: questions are posts shown as questions."""
    if link_kind.code == "post" and getattr(obj, "kind", "") == Post.Kind.QUESTION:
        return _("Question")
    return link_kind.label


def visible_links_filter(viewer: User, prefix: str = "") -> Q:
    """The condition on ObjectiveLink rows whose target the viewer may see."""
    condition = Q()
    for kind in KINDS.values():
        visible: QuerySet = kind.model.objects.filter(kind.visible(viewer)).values("pk")
        condition |= Q(**{f"{prefix}{kind.field}__in": visible})
    return condition
