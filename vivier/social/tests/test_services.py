"""Posts, comments, reactions, communities, follows, notifications and digests."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.models import ActivityEvent
from vivier.social import selectors
from vivier.social.models import (
    Attachment,
    Comment,
    Community,
    Membership,
    Notification,
    Post,
    PostRevision,
)
from vivier.social.notifications import (
    digest_send,
    digest_send_due,
    notification_mark_read,
    notification_settings_update,
)
from vivier.social.services import (
    comment_create,
    community_create,
    community_join,
    community_leave,
    follow,
    membership_decide,
    membership_set_role,
    post_create,
    post_delete,
    post_update,
    reaction_remove,
    reaction_set,
    tag_get_or_create,
    unfollow,
    view_record,
)


def test_post_renders_markdown_tags_and_mentions(alice, bob, make_skill):
    kube = make_skill("kubernetes", "Kubernetes", aliases=["k8s"])
    post = post_create(actor=alice, body="Migré vers **#k8s** avec @bob et #NouveauTag <b>x</b>")
    assert "<strong>" in post.body_html and "<b>" not in post.body_html
    assert f'href="/people/{bob.pk}/"' in post.body_html
    tags = {t.normalized: t for t in post.tags.all()}
    assert tags["k8s"].skill == kube and tags["nouveautag"].skill is None
    assert list(post.mentions.all()) == [bob]
    assert Notification.objects.get(recipient=bob).type == "mention"
    assert post.language == "fr"
    assert ActivityEvent.objects.filter(actor=alice, verb="create", object_id=post.pk).exists()


def test_article_needs_a_title_and_gets_a_toc(alice):
    with pytest.raises(ApplicationError) as exc:
        post_create(actor=alice, kind="article", body="## Part\ntext")
    assert exc.value.code == "title_required"
    article = post_create(
        actor=alice, kind="article", title="Guide", body="## Install\nx\n### Details\ny\n## Use\nz"
    )
    assert [item["title"] for item in article.toc] == ["Install", "Details", "Use"]
    assert 'id="s-install"' in article.body_html


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"body": ""}, "post_empty"),
        ({"body": "   "}, "post_empty"),
        ({"body": "x" * 3001}, "post_too_long"),
        ({"body": "nul \x00 char"}, "invalid_characters"),
        ({"body": "ok", "kind": "poem"}, "kind_invalid"),
    ],
)
def test_bad_posts_are_refused_and_nothing_saved(alice, kwargs, code):
    with pytest.raises(ApplicationError) as exc:
        post_create(actor=alice, **kwargs)
    assert exc.value.code == code
    assert not Post.objects.exists()


def test_posting_needs_membership(alice, carol, communities):
    with pytest.raises(PermissionDenied) as exc:
        post_create(actor=carol, body="hello", community=communities["open"])
    assert exc.value.code == "not_a_member"
    assert not Post.objects.exists()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, format="PNG")
    return out.getvalue()


def test_attachments_are_checked_by_content(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = SimpleUploadedFile("schema.png", _png())
    pdf = SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    post = post_create(actor=alice, body="Docs", attachments=[image, pdf])
    kinds = sorted(a.kind for a in post.attachments.all())
    assert kinds == ["image", "pdf"]
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ApplicationError) as exc:
        post_create(actor=alice, body="Bad", attachments=[fake])
    assert exc.value.code == "attachment_invalid"
    assert Post.objects.count() == 1 and Attachment.objects.count() == 2


def test_edit_keeps_history_and_only_author_edits(alice, bob):
    post = post_create(actor=alice, body="v1")
    post_update(actor=alice, post=post, body="v2 #edited")
    post.refresh_from_db()
    assert post.body == "v2 #edited" and post.edited_at is not None
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["v1"]
    assert [t.normalized for t in post.tags.all()] == ["edited"]
    with pytest.raises(PermissionDenied):
        post_update(actor=bob, post=post, body="hacked")


def test_soft_delete_by_author_or_animator_only(alice, bob, carol, communities):
    post = post_create(actor=bob, body="in open", community=communities["open"])
    with pytest.raises(PermissionDenied):
        post_delete(actor=carol, post=post)
    post_delete(actor=alice, post=post)  # alice owns the community
    post.refresh_from_db()
    assert post.deleted_at is not None and post.deleted_by == alice
    with pytest.raises(NotFound):
        selectors.post_get(viewer=bob, post_id=post.pk)


def test_comments_reply_one_level_and_notify(alice, bob, carol):
    post = post_create(actor=alice, body="Question?")
    top = comment_create(actor=bob, post=post, body="Answer")
    reply = comment_create(actor=carol, post=post, body="Reply", parent=top)
    deeper = comment_create(actor=alice, post=post, body="Deeper", parent=reply)
    assert reply.parent == top and deeper.parent == top
    tree = selectors.post_comments(post=post)
    assert [c.pk for c in tree] == [top.pk]
    assert [c.pk for c in tree[0].reply_list] == [reply.pk, deeper.pk]
    assert Notification.objects.filter(recipient=alice, type="comment").count() == 2
    assert Notification.objects.filter(recipient=bob, type="reply").count() == 2
    post.refresh_from_db()
    assert post.comment_count == 3
    other = post_create(actor=alice, body="Other")
    with pytest.raises(ApplicationError):
        comment_create(actor=bob, post=other, body="x", parent=top)
    with pytest.raises(ApplicationError):
        comment_create(actor=bob, post=post, body="")
    assert Comment.objects.count() == 3


def test_reactions_one_per_person(alice, bob):
    post = post_create(actor=alice, body="Bravo l'équipe")
    reaction_set(actor=bob, post=post, kind="like")
    reaction_set(actor=bob, post=post, kind="celebrate")
    post.refresh_from_db()
    assert post.reaction_count == 1 and post.reactions.get().kind == "celebrate"
    with pytest.raises(ApplicationError):
        reaction_set(actor=bob, post=post, kind="angry")
    reaction_remove(actor=bob, post=post)
    post.refresh_from_db()
    assert post.reaction_count == 0
    assert Notification.objects.filter(recipient=alice, type="reaction").count() == 1


def test_community_lifecycle(alice, bob, carol):
    closed = community_create(actor=alice, name="Data", visibility="closed")
    request = community_join(actor=carol, community=closed)
    assert request.status == "pending"
    assert Notification.objects.filter(recipient=alice, type="join_request").exists()
    with pytest.raises(Conflict):
        community_join(actor=carol, community=closed)
    membership_decide(actor=alice, community=closed, user_id=carol.pk, accept=True)
    closed.refresh_from_db()
    assert closed.member_count == 2
    with pytest.raises(PermissionDenied):
        membership_set_role(actor=carol, community=closed, user_id=carol.pk, role="owner")
    with pytest.raises(ApplicationError) as exc:
        community_leave(actor=alice, community=closed)
    assert exc.value.code == "last_owner"
    secret = community_create(actor=alice, name="Board", visibility="secret")
    with pytest.raises(NotFound):
        community_join(actor=bob, community=secret)
    with pytest.raises(ApplicationError):
        community_create(actor=alice, name="  ")
    assert Community.objects.count() == 2
    assert Membership.objects.filter(community=closed, status="active").count() == 2


def test_follows_and_home_feed_keyset_pagination(alice, bob, carol):
    follow(actor=carol, user=alice)
    with pytest.raises(Conflict):
        follow(actor=carol, user=alice)
    with pytest.raises(ApplicationError):
        follow(actor=carol, user=carol)
    base = timezone.now() - timedelta(days=1)
    for i in range(7):
        post = post_create(actor=alice, body=f"post {i}")
        Post.objects.filter(pk=post.pk).update(created_at=base + timedelta(minutes=i // 2))
    post_create(actor=bob, body="not followed")
    seen, cursor = [], None
    while True:
        page = selectors.feed_home(viewer=carol, cursor=cursor, limit=3)
        seen += [p.body for p in page.posts]
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == [f"post {i}" for i in (6, 5, 4, 3, 2, 1, 0)]
    assert selectors.feed_home(viewer=carol, cursor="garbage").posts
    unfollow(actor=carol, user=alice)
    assert selectors.feed_home(viewer=carol).posts == []


def test_tag_follow_brings_posts(alice, carol):
    tag = tag_get_or_create(name="RGPD")
    follow(actor=carol, tag=tag)
    post_create(actor=alice, body="Nouveau registre #rgpd")
    assert [p.body for p in selectors.feed_home(viewer=carol).posts] == ["Nouveau registre #rgpd"]


def test_discover_feed_is_around_my_skills(alice, carol, make_skill):
    from vivier.people.services import skill_declare

    python = make_skill("python", "Python")
    skill_declare(actor=carol, person=carol, skill_id=python.pk, level=2)
    post_create(actor=alice, body="Astuce #python du jour")
    post_create(actor=alice, body="Rien à voir #cuisine")
    assert [p.body for p in selectors.feed_discover(viewer=carol).posts] == [
        "Astuce #python du jour"
    ]


def test_views_are_recorded_once_a_day(alice, bob):
    post = post_create(actor=alice, body="Lu ?")
    assert view_record(viewer=bob, obj=post) is True
    assert view_record(viewer=bob, obj=post) is False
    assert ActivityEvent.objects.filter(actor=bob, verb="view").count() == 1


def test_muted_types_and_mark_read(alice, bob):
    notification_settings_update(user=alice, digest="daily", muted_types=["reaction"])
    post = post_create(actor=alice, body="x")
    reaction_set(actor=bob, post=post, kind="like")
    comment_create(actor=bob, post=post, body="y")
    assert list(Notification.objects.filter(recipient=alice).values_list("type", flat=True)) == [
        "comment"
    ]
    assert selectors.notification_unread_count(viewer=alice) == 1
    assert notification_mark_read(user=alice) == 1
    assert selectors.notification_unread_count(viewer=alice) == 0


def test_digest_groups_per_thread_and_never_repeats(alice, bob, carol, mailoutbox):
    post = post_create(actor=alice, body="Thread one")
    other = post_create(actor=alice, body="Thread two")
    comment_create(actor=bob, post=post, body="first")
    comment_create(actor=carol, post=post, body="second")
    comment_create(actor=bob, post=other, body="third")
    assert digest_send(user=alice) == 3
    body = mailoutbox[0].body
    assert body.count("== Thread one") == 1 and body.count("== Thread two") == 1
    assert digest_send(user=alice) == 0
    assert len(mailoutbox) == 1
    comment_create(actor=carol, post=other, body="fourth")
    now = timezone.now()
    assert digest_send_due(now=now) == 0  # daily: the last one was just sent
    assert digest_send_due(now=now + timedelta(days=1, minutes=1)) == 1
    assert "fourth" in mailoutbox[1].body and "first" not in mailoutbox[1].body


def test_immediate_digest_and_never(alice, bob, mailoutbox, django_capture_on_commit_callbacks):
    notification_settings_update(user=alice, digest="immediately", muted_types=[])
    post = post_create(actor=alice, body="x")
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(actor=bob, post=post, body="now")
    assert len(mailoutbox) == 1
    notification_settings_update(user=alice, digest="never", muted_types=[])
    comment_create(actor=bob, post=post, body="later")
    assert digest_send_due(now=timezone.now() + timedelta(days=30)) == 0


def test_tags_that_fold_to_nothing_are_refused(db):
    with pytest.raises(ApplicationError) as exc:
        tag_get_or_create(name="🐍")
    assert exc.value.code == "tag_invalid"


def test_other_apps_notify_with_their_own_type_text_and_link(client_for, alice, bob, mailoutbox):
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy

    from vivier.social.notifications import NOTIFICATION_TYPES, notify, register_notification_type

    register_notification_type("test_pairing", gettext_lazy("A test pairing"))
    try:
        bob.language = "en"
        bob.save(update_fields=["language"])
        text = format_lazy(gettext_lazy("{name} posted"), name="Alice")
        created = notify(recipient=bob, type="test_pairing", actor=alice, text=text, url="/x/7")
        assert created.text == "Alice posted" and created.url == "/x/7"
        assert digest_send(user=bob) == 1
        assert "Alice posted" in mailoutbox[0].body and "/x/7" in mailoutbox[0].body
        page = client_for(bob).get("/notifications/").content.decode()
        assert '<a href="/x/7">Alice posted' in page
        # Muting works for registered types, and unknown types are refused loudly.
        notification_settings_update(user=bob, digest="daily", muted_types=["test_pairing", "nope"])
        assert notify(recipient=bob, type="test_pairing", actor=alice, text=text) is None
        with pytest.raises(ValueError):
            notify(recipient=bob, type="nope", actor=alice, text=text)
    finally:
        NOTIFICATION_TYPES.pop("test_pairing")
