"""The home feed's SQL condition gives what the ORM's formulation of the same rule gives."""

import random

from django.db.models import Exists, OuterRef, Q, Subquery

from vivier.social import selectors
from vivier.social.models import Follow, Membership, Post
from vivier.social.services import (
    community_join,
    follow,
    membership_add,
    post_create,
    post_delete,
    tag_get_or_create,
)


def _orm_home(viewer):
    """The home feed as the ORM wrote it before the condition became SQL: the oracle."""
    follows = Follow.objects.filter(follower=viewer)
    followed_tag = Subquery(
        Post.tags.through.objects.filter(
            post_id=OuterRef("pk"),
            tag_id__in=follows.filter(tag__isnull=False).values("tag_id"),
        ).values("post_id")[:1]
    )
    wanted = (
        Q(author=viewer)
        | Q(author_id__in=follows.filter(user__isnull=False).values("user_id"))
        | Q(community_id__in=selectors.member_community_ids(viewer))
        | Q(community_id__in=follows.filter(community__isnull=False).values("community_id"))
        | Q(followed_tag__isnull=False)
        | Q(Exists(Post.mentions.through.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk)))
    )
    posts = (
        Post.objects.alias(followed_tag=followed_tag)
        .filter(selectors.readable_posts_filter(viewer))
        .filter(wanted)
    )
    return list(posts.order_by("-created_at", "-id").values_list("pk", flat=True))


def _sql_home(viewer):
    """Every page of the home feed, as post ids."""
    ids, cursor = [], None
    while True:
        page = selectors.feed_home(viewer=viewer, cursor=cursor, limit=7)
        ids += [post.pk for post in page.posts]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def test_home_feed_sql_matches_the_orm_rule(make_person, communities, alice, bob, carol):
    rng = random.Random(7)
    people = [alice, bob, carol] + [make_person() for _ in range(5)]
    tags = ["python", "rgpd", "kubernetes", "cuisine"]
    for visibility, community in communities.items():
        for person in people[3:6]:
            if visibility == "secret":
                membership_add(actor=alice, community=community, user=person)
            else:
                community_join(actor=person, community=community)  # closed: a pending request
    for person in people:
        for other in rng.sample([p for p in people if p != person], 2):
            follow(actor=person, user=other)
        follow(actor=person, tag=tag_get_or_create(name=rng.choice(tags)))
    follow(actor=carol, community=communities["open"])
    members = {
        c: set(c.memberships.filter(status="active").values_list("user_id", flat=True))
        for c in communities.values()
    }
    posts = []
    for i in range(60):
        author = rng.choice(people)
        where = [c for c in communities.values() if author.pk in members[c]]
        community = rng.choice([None, *where]) if where else None
        mention = f" @{rng.choice(people).email.split('@')[0]}" if i % 7 == 0 else ""
        body = f"Note {i} #{rng.choice(tags)}{mention}"
        posts.append(post_create(actor=author, body=body, community=community))
    for post in posts[::11]:
        post_delete(actor=post.author, post=post)
    assert Membership.objects.filter(status="pending").exists()
    for viewer in people:
        expected = _orm_home(viewer)
        assert expected, viewer
        assert _sql_home(viewer) == expected, viewer
