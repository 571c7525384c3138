"""The header's unread count, written in SQL, counts exactly the unread notifications listed."""

import random

from django.utils import timezone

from vivier.social import selectors
from vivier.social.forms import PostForm
from vivier.social.models import Community, Membership, Notification
from vivier.social.notifications import notification_mark_read, notify
from vivier.social.services import (
    comment_create,
    community_create,
    community_join,
    community_leave,
    membership_add,
    post_create,
    post_delete,
)
from vivier.social.tests.varied import enrol, somewhere


def _listed_unread(viewer):
    """The oracle: the unread notifications the notifications page lists."""
    return len(list(selectors.notification_list(viewer=viewer, unread_only=True)))


def test_unread_count_sql_matches_the_listed_notifications(
    make_person, communities, alice, bob, carol
):
    rng = random.Random(11)
    people = [alice, bob, carol] + [make_person() for _ in range(5)]
    members = enrol(alice, communities, people[3:6])
    posts = []
    for i in range(40):
        author = rng.choice(people)
        community = somewhere(rng, author, members)
        mentioned = rng.sample(people, 2)
        handles = " ".join(f"@{p.email.split('@')[0]}" for p in mentioned)
        post = post_create(actor=author, body=f"Note {i} {handles}", community=community)
        posts.append(post)
        commenter = rng.choice([p for p in people if p != author])
        if post.community is None or commenter.pk in members[post.community]:
            comment_create(actor=commenter, post=post, body=f"Reply to {i}")
    # Notifications without a post count whatever happens to posts.
    for person in people[::2]:
        notify(recipient=person, type="follow", actor=rng.choice(people[1:]))
    # Read, deleted, and left behind: each hides notifications in its own way.
    for person in people[::3]:
        ids = list(Notification.objects.filter(recipient=person).values_list("pk", flat=True)[:2])
        notification_mark_read(user=person, notification_ids=ids)
    for post in posts[::7]:
        post_delete(actor=post.author, post=post)
    for person in people[3:5]:
        community_leave(actor=person, community=communities["secret"])
    assert Membership.objects.filter(status="pending").exists()

    hidden = 0
    for viewer in people:
        stored_unread = Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()
        expected = _listed_unread(viewer)
        hidden += stored_unread - expected
        assert selectors.notification_unread_count(viewer=viewer) == expected, viewer
        # The home page reads it with the profile, in one statement.
        assert selectors.home_facts(viewer=viewer).extra["unread"] == expected, viewer
    # The data exercised the visibility rule: some stored unread notifications are not counted.
    assert hidden > 0
    assert sum(_listed_unread(p) for p in people) > len(people)


def test_home_facts_list_the_communities_the_composer_offers(make_person, communities, alice, bob):
    """Active memberships of communities not archived, by name: what PostForm accepts."""
    carol = make_person()
    for visibility in ("open", "closed"):
        community_join(actor=carol, community=communities[visibility])  # closed: pending
    extra = community_create(actor=alice, name="Atelier à l'arrêt", visibility="open")
    membership_add(actor=alice, community=extra, user=bob)
    Community.objects.filter(pk=extra.pk).update(archived_at=timezone.now())
    for viewer in (alice, bob, carol):
        expected = list(selectors.postable_communities(viewer).values_list("pk", "name"))
        facts = selectors.home_facts(viewer=viewer)
        assert facts.extra["communities"] == expected, viewer
        form = PostForm(user=viewer)
        assert [pk for pk, _name in expected] == [c.pk for c in form.fields["community"].queryset]
    assert len(selectors.home_facts(viewer=bob).extra["communities"]) == 3
    assert selectors.home_facts(viewer=carol).extra["communities"] == [
        (communities["open"].pk, communities["open"].name)
    ]
