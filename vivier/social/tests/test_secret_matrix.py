"""Members-only content never reaches anyone else: a matrix of viewer by surface."""

import pytest

from vivier.core.errors import ApplicationError, NotFound
from vivier.social import selectors
from vivier.social.models import Notification
from vivier.social.notifications import digest_send
from vivier.social.services import (
    comment_create,
    follow,
    post_create,
    post_share,
    reaction_set,
    tag_get_or_create,
)


@pytest.fixture
def world(alice, bob, carol, hr_admin, communities):
    """One post per audience, each mentioning Carol and tagged #kubernetes; Carol follows all."""
    posts = {
        "public": post_create(actor=alice, body="Public news #kubernetes @carol"),
        **{
            visibility: post_create(
                actor=alice, community=community, body=f"{visibility} news #kubernetes @carol"
            )
            for visibility, community in communities.items()
        },
    }
    for viewer in (carol, hr_admin):
        follow(actor=viewer, user=alice)
        follow(actor=viewer, tag=tag_get_or_create(name="kubernetes"))
    follow(actor=carol, community=communities["closed"])
    return posts


READABLE = {
    # viewer: audiences whose posts they may read
    "alice": {"public", "open", "closed", "secret"},
    "bob": {"public", "open", "closed", "secret"},
    "carol": {"public", "open"},
    "hr_admin": {"public", "open"},
}


def _audiences(posts, world):
    by_id = {post.pk: name for name, post in world.items()}
    return {by_id[p.pk] for p in posts if p.pk in by_id}


@pytest.mark.parametrize("viewer_name", list(READABLE))
def test_post_page(request, world, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    for audience, post in world.items():
        if audience in READABLE[viewer_name]:
            assert selectors.post_get(viewer=viewer, post_id=post.pk).pk == post.pk
        else:
            with pytest.raises(NotFound):
                selectors.post_get(viewer=viewer, post_id=post.pk)


@pytest.mark.parametrize("viewer_name", list(READABLE))
def test_home_feed_tag_and_author_lists(request, world, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    expected = READABLE[viewer_name]
    author_posts = selectors.post_list(viewer=viewer, author=world["public"].author)
    tag = tag_get_or_create(name="kubernetes")
    assert _audiences(author_posts, world) == expected
    assert _audiences(selectors.post_list(viewer=viewer, tag=tag), world) == expected
    home = selectors.feed_home(viewer=viewer, limit=50).posts
    assert _audiences(home, world) <= expected


@pytest.mark.parametrize("viewer_name", list(READABLE))
def test_discover_feed(request, world, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    found = selectors.feed_discover(viewer=viewer, limit=50).posts
    assert _audiences(found, world) <= READABLE[viewer_name]


def test_community_listing_and_counts(world, communities, carol, bob):
    visible_to_carol = {c.slug for c in selectors.community_list(viewer=carol)}
    assert communities["secret"].slug not in visible_to_carol
    assert {communities["open"].slug, communities["closed"].slug} <= visible_to_carol
    with pytest.raises(NotFound):
        selectors.community_get(viewer=carol, slug_or_id=communities["secret"].slug)
    assert selectors.community_get(viewer=bob, slug_or_id=communities["secret"].pk)
    # Closed: listed, but its members are not shown to outsiders.
    assert list(selectors.community_members(viewer=carol, community=communities["closed"])) == []
    assert selectors.community_members(viewer=bob, community=communities["closed"]).count() == 2


def test_mentions_notify_only_people_who_can_read(world, carol, alice):
    about = set(
        Notification.objects.filter(recipient=carol, type="mention").values_list(
            "post_id", flat=True
        )
    )
    assert about == {world["public"].pk, world["open"].pk}
    assert {n.post_id for n in selectors.notification_list(viewer=carol)} <= about | {None}


def test_no_interaction_with_unreadable_posts(world, carol):
    for audience in ("closed", "secret"):
        post = world[audience]
        with pytest.raises(NotFound):
            comment_create(actor=carol, post=post, body="hello")
        with pytest.raises(NotFound):
            reaction_set(actor=carol, post=post, kind="like")
        with pytest.raises(NotFound):
            post_share(actor=carol, post=post, community=None)


def test_members_cannot_leak_by_sharing(world, bob):
    for audience in ("closed", "secret"):
        with pytest.raises(ApplicationError) as exc:
            post_share(actor=bob, post=world[audience], community=None)
        assert exc.value.code == "share_denied"
    shared = post_share(actor=bob, post=world["open"], community=None)
    assert shared.shared_from_id == world["open"].pk


def test_comment_notifications_follow_the_same_rule(world, alice, bob, carol):
    comment_create(actor=bob, post=world["secret"], body="Great @carol, thanks @alice")
    assert not Notification.objects.filter(recipient=carol, post=world["secret"]).exists()
    assert Notification.objects.filter(recipient=alice, post=world["secret"]).exists()


def test_digest_never_carries_unreadable_items(world, carol, mailoutbox):
    digest_send(user=carol)
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Public news" in body or "open news" in body
    assert "secret news" not in body and "closed news" not in body
