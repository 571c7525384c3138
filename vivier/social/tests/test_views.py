"""Social pages over HTTP: feed, composer, posts, communities, tags, notifications."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from vivier.social import selectors
from vivier.social.models import Comment, Membership, Notification, Post
from vivier.social.services import (
    comment_create,
    follow,
    post_create,
    post_share,
    reaction_set,
    tag_get_or_create,
)


def test_home_feed_and_composer(client_for, alice, bob):
    follow(actor=bob, user=alice)
    client = client_for(alice)
    response = client.post(reverse("home"), {"kind": "update", "body": "Bonjour #équipe"})
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.author == alice
    feed = client_for(bob).get(reverse("home")).content.decode()
    assert "Bonjour" in feed and f'id="post-{post.pk}"' in feed


def test_empty_or_oversized_posts_are_form_errors(client_for, alice):
    client = client_for(alice)
    empty = client.post(reverse("home"), {"kind": "update", "body": ""})
    assert empty.status_code == 422
    huge = client.post(reverse("home"), {"kind": "update", "body": "x" * 3001})
    assert huge.status_code == 422 and "3000" in huge.content.decode()
    article = client.post(reverse("social:post_new"), {"kind": "article", "body": "## x"})
    assert article.status_code == 422
    assert not Post.objects.exists()


def test_posting_in_a_community_one_is_not_in_is_refused(client_for, carol, communities):
    response = client_for(carol).post(
        reverse("home"),
        {"kind": "update", "body": "intrus", "community": communities["open"].pk},
    )
    assert response.status_code == 422
    assert not Post.objects.exists()


def test_image_attachment_is_served_only_to_readers(
    client_for, bob, carol, communities, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG")
    client = client_for(bob)
    response = client.post(
        reverse("home"),
        {
            "kind": "update",
            "body": "Schéma",
            "community": communities["secret"].pk,
            "attachments": [SimpleUploadedFile("s.png", out.getvalue())],
        },
    )
    assert response.status_code == 302
    attachment = Post.objects.get().attachments.get()
    url = reverse("social:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 200
    assert client_for(carol).get(url).status_code == 404


def test_post_page_comments_and_reactions_with_htmx(client_for, alice, bob):
    post = post_create(actor=alice, body="Question sur #python")
    client = client_for(bob)
    assert client.get(reverse("social:post", args=[post.pk])).status_code == 200
    comment = client.post(
        reverse("social:comment_add", args=[post.pk]), {"body": "Réponse"}, HTTP_HX_REQUEST="true"
    )
    assert comment.status_code == 200 and "Réponse" in comment.content.decode()
    empty = client.post(
        reverse("social:comment_add", args=[post.pk]), {"body": ""}, HTTP_HX_REQUEST="true"
    )
    assert empty.status_code == 422
    assert Comment.objects.count() == 1
    react = client.post(
        reverse("social:post_react", args=[post.pk]), {"kind": "like"}, HTTP_HX_REQUEST="true"
    )
    assert react.status_code == 200 and 'aria-pressed="true"' in react.content.decode()
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_secret_community_pages_are_404_for_outsiders(client_for, bob, carol, communities):
    secret = communities["secret"]
    post = post_create(actor=bob, body="confidentiel", community=secret)
    outsider = client_for(carol)
    for url in [
        reverse("social:community", args=[secret.slug]),
        reverse("social:community_members", args=[secret.slug]),
        reverse("social:post", args=[post.pk]),
    ]:
        assert outsider.get(url).status_code == 404, url
    listing = outsider.get(reverse("social:communities")).content.decode()
    assert secret.name not in listing
    assert client_for(bob).get(reverse("social:community", args=[secret.slug])).status_code == 200


def test_closed_community_join_request_and_acceptance(client_for, alice, carol, communities):
    closed = communities["closed"]
    page = client_for(carol).get(reverse("social:community", args=[closed.slug])).content
    assert "Club closed" in page.decode()
    client_for(carol).post(
        reverse("social:community_membership", args=[closed.slug]), {"action": "join"}
    )
    assert Membership.objects.get(community=closed, user=carol).status == "pending"
    client_for(alice).post(
        reverse("social:community_members", args=[closed.slug]),
        {"action": "accept", "user": carol.pk},
    )
    assert Membership.objects.get(community=closed, user=carol).status == "active"


def test_tag_page_and_follow(client_for, alice, carol):
    post_create(actor=alice, body="Retour d'expérience #Kubernetes")
    client = client_for(carol)
    page = client.get(reverse("social:tag", args=["kubernetes"]))
    assert page.status_code == 200 and "Retour" in page.content.decode()
    client.post(reverse("social:follow", args=["tag", "kubernetes"]), {"action": "follow"})
    assert tag_get_or_create(name="kubernetes").followers.filter(follower=carol).exists()
    assert client.get(reverse("social:tag", args=["nope"])).status_code == 404


def test_notifications_page_marks_read(client_for, alice, bob):
    post = post_create(actor=alice, body="x")
    comment_create(actor=bob, post=post, body="y")
    client = client_for(alice)
    assert "badge" in client.get(reverse("social:communities")).content.decode()
    page = client.get(reverse("social:notifications"))
    assert page.status_code == 200
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def _home_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home"), params).status_code == 200
    return len(ctx.captured_queries)


def test_home_feed_query_count_is_flat(client_for, make_person, alice, communities):
    """Session, user, feed rows, then the profile with its skills, the unread count and the
    composer's communities in one statement: 4 queries when every card is in the cache; 3 more
    (posts, tags, attachments) for the cards not yet rendered; the same whatever the number of
    posts (Expert label badges come with the authors' profiles)."""
    reader = make_person()
    follow(actor=reader, user=alice)
    for community in communities.values():
        Membership.objects.get_or_create(community=community, user=reader)
    client = client_for(reader)
    for i in range(3):
        post = post_create(actor=alice, body=f"post {i} #tag{i} #python")
        reaction_set(actor=reader, post=post, kind="like")
    assert _home_queries(client) == 7
    assert _home_queries(client) == 4
    for i in range(30):
        post = post_create(
            actor=alice, body=f"more {i} #tag{i} @carol", community=communities["open"]
        )
        comment_create(actor=alice, post=post, body="c")
        reaction_set(actor=reader, post=post, kind="celebrate")
    assert _home_queries(client) == 7
    assert _home_queries(client) == 4
    # My reaction still shows on every card, without a query per card.
    assert client.get(reverse("home")).content.decode().count('aria-pressed="true"') == 20
    # The htmx page 2: session, user, feed rows, then posts, tags, attachments when not cached.
    cursor = selectors.feed_home(viewer=reader).next_cursor
    for expected in (6, 3):
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("home"), {"cursor": cursor}, headers={"HX-Request": "true"})
        assert len(ctx.captured_queries) == expected
    # A share shows another post, which its card's key does not cover: never cached.
    for post in Post.objects.filter(community=communities["open"])[:5]:
        post_share(actor=alice, post=post, community=None)
    assert _home_queries(client) == 7
    assert _home_queries(client) == 7


def test_odd_cursors_are_ignored_not_errors(client_for, alice):
    post_create(actor=alice, body="x")
    client = client_for(alice)
    for cursor in ["2024-01-01T00:00:00_5", "0001-01-01T00:00:00+14:00_5", "garbage", "_", "x_1"]:
        assert client.get(reverse("home"), {"cursor": cursor}).status_code == 200, cursor
        assert client.get(reverse("social:discover"), {"cursor": cursor}).status_code == 200


def test_tags_fold_the_same_way_everywhere(alice, client_for):
    post = post_create(actor=alice, body="Voyage à #北京 et #Île-de-France")
    names = sorted(t.normalized for t in post.tags.all())
    assert names == ["bei-jing", "ile-de-france"]
    client = client_for(alice)
    assert client.get(reverse("social:tag", args=["北京"])).status_code == 200
    assert client.get(reverse("social:tag", args=["ile-de-france"])).status_code == 200
