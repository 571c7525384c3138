"""The home feed's SQL condition gives what the ORM's formulation of the same rule gives."""

import random

from django.db.models import Exists, OuterRef, Q, Subquery

from vivier.social import cards, selectors
from vivier.social.models import Follow, Membership, Post
from vivier.social.services import (
    follow,
    post_create,
    post_delete,
    reaction_set,
    tag_get_or_create,
)
from vivier.social.tests.varied import enrol, somewhere


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
    members = enrol(alice, communities, people[3:6])
    for person in people:
        for other in rng.sample([p for p in people if p != person], 2):
            follow(actor=person, user=other)
        follow(actor=person, tag=tag_get_or_create(name=rng.choice(tags)))
    follow(actor=carol, community=communities["open"])
    posts = []
    for i in range(60):
        author = rng.choice(people)
        community = somewhere(rng, author, members)
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


def _pages(posts, viewer, limit):
    """Every page of `posts` as feed_rows gives it: the rows and the cursors."""
    pages, cursor = [], None
    while True:
        rows, cursor = cards.feed_rows(posts, viewer=viewer, cursor=cursor, limit=limit)
        pages.append((rows, cursor))
        assert len(pages) <= 100, "the cursor does not advance"
        if cursor is None:
            return pages


def test_home_rows_statement_gives_the_orm_rows(make_person, communities, alice, bob, carol):
    """The cards and API pagers read the home feed with one hand-written statement: the same
    rows, values and types, page after page, as the ORM's query of the same posts."""
    rng = random.Random(13)
    people = [alice, bob, carol] + [make_person() for _ in range(4)]
    members = enrol(alice, communities, people[3:5])
    for person in people:
        for other in rng.sample([p for p in people if p != person], 2):
            follow(actor=person, user=other)
        follow(actor=person, tag=tag_get_or_create(name=rng.choice(["python", "rgpd"])))
    for i in range(45):
        author = rng.choice(people)
        community = somewhere(rng, author, members)
        post = post_create(
            actor=author, body=f"Note {i} #{rng.choice(['python', 'rgpd'])}", community=community
        )
        if i % 4 == 0:
            readers = [p for p in people if not community or p.pk in members[community]]
            reaction_set(actor=rng.choice(readers), post=post, kind="like")
    Post.objects.filter(pk__in=Post.objects.order_by("pk").values("pk")[:3]).update(
        created_at=Post.objects.order_by("pk").first().created_at  # ties on the timestamp
    )
    deleted = Post.objects.order_by("pk")[5]
    post_delete(actor=deleted.author, post=deleted)
    checked = 0
    for viewer in people:
        home = selectors.HomeFeed(viewer)
        for limit in (1, 4, 20):
            expected = _pages(home.queryset(), viewer, limit)
            got = _pages(home, viewer, limit)
            assert got == expected, (viewer, limit)
            for (rows, _cursor), (orm_rows, _c) in zip(got, expected, strict=True):
                for row, orm_row in zip(rows, orm_rows, strict=True):
                    assert [type(v) for v in row.values()] == [type(v) for v in orm_row.values()]
                checked += len(rows)
    assert checked > 300
