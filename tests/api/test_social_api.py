"""The social API over HTTP: its main paths, what stays hidden, and its error contract."""

import pytest
from django.core.cache import caches
from django.test import Client

from vivier.accounts.services import api_token_create
from vivier.social.models import Comment, Community, Membership, Notification, Post, Tag
from vivier.social.services import (
    comment_create,
    community_create,
    follow,
    membership_add,
    post_create,
    reaction_set,
    tag_get_or_create,
)

ERROR_KEYS = {"code", "message", "field", "details"}
OPEN, CLOSED, SECRET = Community.Visibility.values


def error(response, status: int, code: str) -> dict:
    """The JSON error body of `response`, checked against the contract and its code."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code, body
    assert body["message"]
    return body


class Api:
    """A client speaking JSON with one person's bearer token."""

    def __init__(self, user):
        _token, secret = api_token_create(user=user, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def get(self, path, params=None):
        return self.client.get(f"/api/v1{path}", params or {})

    def post(self, path, data=None):
        return self.client.post(f"/api/v1{path}", data or {}, content_type="application/json")

    def put(self, path, data):
        return self.client.put(f"/api/v1{path}", data, content_type="application/json")

    def patch(self, path, data):
        return self.client.patch(f"/api/v1{path}", data, content_type="application/json")

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}")


@pytest.fixture
def me(make_person):
    return make_person("me@example.test", first_name="Camille", last_name="Api")


@pytest.fixture
def other(make_person):
    return make_person("bastien@example.test", first_name="Bastien", last_name="Other")


@pytest.fixture
def api(me):
    return Api(me)


@pytest.fixture
def spaces(me, other):
    """Communities of `other`: `me` is a member of "member", not of the others."""
    made = {
        name: community_create(actor=other, name=f"Club {name}", visibility=visibility)
        for name, visibility in [
            ("open", OPEN),
            ("closed", CLOSED),
            ("secret", SECRET),
            ("member", CLOSED),
        ]
    }
    membership_add(actor=other, community=made["member"], user=me)
    return made


@pytest.fixture
def secret_post(other, spaces):
    return post_create(actor=other, body="Board minutes #python", community=spaces["secret"])


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# Posts


def test_post_create_list_get_patch_delete(api, me):
    created = api.post("/posts", {"body": "Hello #python @nobody"})
    assert created.status_code == 201, created.content
    post = created.json()
    assert post["kind"] == "update"
    assert post["author"] == {"id": me.pk, "name": "Camille Api"}
    assert post["tags"] == ["python"]
    assert post["community"] is None
    assert post["url"].endswith(f"/{post['id']}/")

    assert _ids(api.get("/posts", {"author": me.pk})) == [post["id"]]
    assert _ids(api.get("/posts", {"tag": "Python"})) == [post["id"]]
    assert api.get(f"/posts/{post['id']}").json()["body"] == "Hello #python @nobody"

    patched = api.patch(f"/posts/{post['id']}", {"body": "Hello #django"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["tags"] == ["django"]
    assert patched.json()["edited_at"] is not None
    assert Post.objects.get(pk=post["id"]).revisions.get().body == "Hello #python @nobody"

    assert api.delete(f"/posts/{post['id']}").status_code == 204
    error(api.get(f"/posts/{post['id']}"), 404, "post_not_found")
    error(api.delete(f"/posts/{post['id']}"), 404, "post_not_found")
    assert _ids(api.get("/posts", {"author": me.pk})) == []


def test_article_needs_a_title(api):
    body = error(
        api.post("/posts", {"kind": "article", "body": "Long read"}), 400, "title_required"
    )
    assert body["field"] == "title"
    error(
        api.post("/posts", {"kind": "article", "title": "   ", "body": "Long read"}),
        400,
        "title_required",
    )
    assert not Post.objects.exists()
    created = api.post("/posts", {"kind": "article", "title": "Why", "body": "# Because"})
    assert created.status_code == 201
    assert created.json()["title"] == "Why"


def test_update_body_is_limited_by_kind(api):
    error(api.post("/posts", {"body": "x" * 3001}), 400, "post_too_long")
    assert api.post(
        "/posts", {"kind": "article", "title": "T", "body": "x" * 3001}
    ).status_code == (201)


def test_only_authors_edit_and_remove(api, other):
    post = post_create(actor=other, body="Mine, not yours")
    error(api.patch(f"/posts/{post.pk}", {"body": "Hijacked"}), 403, "post_edit_denied")
    error(api.delete(f"/posts/{post.pk}"), 403, "post_delete_denied")
    post.refresh_from_db()
    assert (post.body, post.deleted_at) == ("Mine, not yours", None)


def test_posting_into_a_community_takes_membership(api, spaces):
    for name in ("open", "closed"):
        body = api.post("/posts", {"body": "Hi all", "community_id": spaces[name].pk})
        assert error(body, 403, "not_a_member")["field"] == "community"
    error(
        api.post("/posts", {"body": "Hi all", "community_id": spaces["secret"].pk}),
        404,
        "community_not_found",
    )
    assert not Post.objects.exists()
    created = api.post("/posts", {"body": "Hi all", "community_id": spaces["member"].pk})
    assert created.status_code == 201
    assert created.json()["community"]["id"] == spaces["member"].pk


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"body": ""},
        {"body": " \n\t\x1c"},
        {"body": "a\x00b"},
        {"body": "ok", "kind": "essay"},
        {"body": "ok", "community_id": "1"},
        {"body": "ok", "community_id": True},
        {"body": "ok", "community_id": 2**63},
        {"body": "ok", "title": "t" * 201},
    ],
)
def test_invalid_post_is_422(api, payload):
    error(api.post("/posts", payload), 422, "validation_error")
    assert not Post.objects.exists()


@pytest.mark.parametrize("payload", ["[]", '["body"]', "1", "null", '"body"'])
def test_bodies_must_be_objects(api, me, payload):
    post = post_create(actor=me, body="Hello")
    for method, path in [
        ("post", "/api/v1/posts"),
        ("patch", f"/api/v1/posts/{post.pk}"),
        ("post", f"/api/v1/posts/{post.pk}/comments"),
        ("put", f"/api/v1/posts/{post.pk}/reaction"),
        ("post", f"/api/v1/posts/{post.pk}/share"),
        ("post", "/api/v1/communities"),
        ("post", "/api/v1/notifications/read"),
    ]:
        response = getattr(api.client, method)(path, payload, content_type="application/json")
        error(response, 422, "validation_error")


# What a secret community holds stays invisible to non-members.


def test_secret_post_is_not_found_for_non_members(api, spaces, secret_post):
    error(api.get(f"/posts/{secret_post.pk}"), 404, "post_not_found")
    error(api.get("/posts", {"community": spaces["secret"].pk}), 404, "community_not_found")
    error(api.get(f"/communities/{spaces['secret'].pk}"), 404, "community_not_found")
    error(api.get(f"/posts/{secret_post.pk}/comments"), 404, "post_not_found")
    error(api.post(f"/posts/{secret_post.pk}/comments", {"body": "Hi"}), 404, "post_not_found")
    error(api.put(f"/posts/{secret_post.pk}/reaction", {"kind": "like"}), 404, "post_not_found")
    error(api.delete(f"/posts/{secret_post.pk}/reaction"), 404, "post_not_found")
    error(api.post(f"/posts/{secret_post.pk}/share", {}), 404, "post_not_found")
    error(api.patch(f"/posts/{secret_post.pk}", {"body": "x"}), 404, "post_not_found")
    error(api.delete(f"/posts/{secret_post.pk}"), 404, "post_not_found")
    assert secret_post.pk not in _ids(api.get("/posts", {"tag": "python"}))
    assert secret_post.pk not in _ids(api.get("/feed"))
    assert secret_post.pk not in _ids(api.get("/feed/discover"))
    assert spaces["secret"].pk not in [c["id"] for c in api.get("/communities").json()]
    assert not Comment.objects.exists()
    assert not secret_post.reactions.exists()


def test_secret_post_is_visible_to_members(other, spaces, secret_post):
    member = Api(other)
    assert member.get(f"/posts/{secret_post.pk}").status_code == 200
    assert _ids(member.get("/posts", {"community": spaces["secret"].pk})) == [secret_post.pk]


def test_secret_comment_cannot_be_removed_by_non_members(api, other, secret_post):
    comment = comment_create(actor=other, post=secret_post, body="Noted")
    # The same answer as for a comment that does not exist: nothing tells it is there.
    body = error(api.delete(f"/comments/{comment.pk}"), 404, "comment_not_found")
    assert body == error(api.delete("/comments/999999"), 404, "comment_not_found")
    comment.refresh_from_db()
    assert comment.deleted_at is None


# Comments and reactions


def test_comment_and_reply(api, me, other):
    post = post_create(actor=other, body="Question?")
    first = api.post(f"/posts/{post.pk}/comments", {"body": "An **answer**"})
    assert first.status_code == 201, first.content
    comment = first.json()
    assert (comment["post_id"], comment["parent_id"]) == (post.pk, None)
    assert "<strong>answer</strong>" in comment["body_html"]

    reply = api.post(f"/posts/{post.pk}/comments", {"body": "Thanks", "parent_id": comment["id"]})
    assert reply.status_code == 201
    assert reply.json()["parent_id"] == comment["id"]
    # Replies stay one level deep: a reply to a reply goes under the first comment.
    deeper = api.post(
        f"/posts/{post.pk}/comments", {"body": "Again", "parent_id": reply.json()["id"]}
    )
    assert deeper.json()["parent_id"] == comment["id"]

    listed = api.get(f"/posts/{post.pk}/comments").json()
    assert [c["id"] for c in listed] == [comment["id"], reply.json()["id"], deeper.json()["id"]]
    assert api.get(f"/posts/{post.pk}").json()["comment_count"] == 3
    assert Notification.objects.filter(recipient=other, type="comment").count() == 3

    elsewhere = post_create(actor=other, body="Another")
    error(
        api.post(f"/posts/{elsewhere.pk}/comments", {"body": "x", "parent_id": comment["id"]}),
        404,
        "comment_not_found",
    )
    error(api.post(f"/posts/{post.pk}/comments", {"body": "   "}), 422, "validation_error")

    assert api.delete(f"/comments/{reply.json()['id']}").status_code == 204
    error(api.delete(f"/comments/{reply.json()['id']}"), 404, "comment_not_found")
    theirs = comment_create(actor=other, post=elsewhere, body="Mine")
    error(api.delete(f"/comments/{theirs.pk}"), 403, "comment_delete_denied")


def test_reaction_put_and_delete(api, other):
    post = post_create(actor=other, body="Shipped!")
    liked = api.put(f"/posts/{post.pk}/reaction", {"kind": "like"})
    assert liked.status_code == 200, liked.content
    assert liked.json() == {"post_id": post.pk, "kind": "like", "reaction_count": 1}
    changed = api.put(f"/posts/{post.pk}/reaction", {"kind": "celebrate"})
    assert changed.json() == {"post_id": post.pk, "kind": "celebrate", "reaction_count": 1}
    assert api.get(f"/posts/{post.pk}").json()["my_reaction"] == "celebrate"
    assert Notification.objects.filter(recipient=other, type="reaction").count() == 1

    assert api.delete(f"/posts/{post.pk}/reaction").status_code == 204
    got = api.get(f"/posts/{post.pk}").json()
    assert (got["my_reaction"], got["reaction_count"]) == (None, 0)
    error(api.delete(f"/posts/{post.pk}/reaction"), 404, "reaction_not_found")
    error(api.put(f"/posts/{post.pk}/reaction", {"kind": "love"}), 422, "validation_error")


# Communities


def test_join_open_closed_and_secret(api, me, spaces):
    joined = api.post(f"/communities/{spaces['open'].pk}/join")
    assert joined.status_code == 201, joined.content
    assert joined.json() == {
        "community_id": spaces["open"].pk,
        "status": "active",
        "role": "member",
    }
    asked = api.post(f"/communities/{spaces['closed'].pk}/join")
    assert asked.status_code == 201
    assert asked.json()["status"] == "pending"
    error(api.post(f"/communities/{spaces['secret'].pk}/join"), 404, "community_not_found")
    error(api.post(f"/communities/{spaces['open'].pk}/join"), 409, "already_member")
    assert set(Membership.objects.filter(user=me).values_list("community_id", "status")) == {
        (spaces["open"].pk, "active"),
        (spaces["closed"].pk, "pending"),
        (spaces["member"].pk, "active"),
    }
    community = api.get(f"/communities/{spaces['open'].pk}").json()
    assert (community["my_status"], community["my_role"], community["member_count"]) == (
        "active",
        "member",
        2,
    )


def test_leave(api, me, spaces):
    assert api.post(f"/communities/{spaces['member'].pk}/leave").status_code == 204
    assert not Membership.objects.filter(user=me, community=spaces["member"]).exists()
    error(api.post(f"/communities/{spaces['member'].pk}/leave"), 404, "not_member")
    error(api.post(f"/communities/{spaces['secret'].pk}/leave"), 404, "community_not_found")
    created = api.post("/communities", {"name": "Mine", "visibility": "closed"})
    assert created.status_code == 201, created.content
    assert (created.json()["my_role"], created.json()["visibility"]) == ("owner", "closed")
    error(api.post(f"/communities/{created.json()['id']}/leave"), 400, "last_owner")


def test_members_of_closed_community_are_for_members(api, other, spaces):
    assert api.get(f"/communities/{spaces['closed'].pk}/members").json() == []
    members = api.get(f"/communities/{spaces['member'].pk}/members").json()
    assert {(m["user_id"], m["role"]) for m in members} == {
        (other.pk, "owner"),
        (Membership.objects.get(community=spaces["member"], role="member").user_id, "member"),
    }
    assert [m["user_id"] for m in api.get(f"/communities/{spaces['open'].pk}/members").json()] == [
        other.pk
    ]
    error(api.get(f"/communities/{spaces['secret'].pk}/members"), 404, "community_not_found")


def test_community_create_refuses_blank_names(api):
    error(api.post("/communities", {"name": " \u3000 "}), 422, "validation_error")
    error(
        api.post("/communities", {"name": "Club", "visibility": "hidden"}), 422, "validation_error"
    )
    assert not Community.objects.exists()


# Follows and the feed


def test_follows(api, me, other, spaces):
    assert api.post(f"/follows/people/{other.pk}").status_code == 204
    assert api.post("/follows/tags/Python").status_code == 204
    assert api.post(f"/follows/communities/{spaces['open'].pk}").status_code == 204
    assert api.get("/follows").json() == {
        "people": [other.pk],
        "tags": ["python"],
        "communities": [spaces["open"].pk],
    }
    error(api.post(f"/follows/people/{other.pk}"), 409, "already_following")
    error(api.post(f"/follows/people/{me.pk}"), 400, "follow_self")
    error(api.post("/follows/people/999999"), 404, "person_not_found")
    error(api.post("/follows/people/abc"), 404, "person_not_found")
    error(api.post(f"/follows/communities/{spaces['secret'].pk}"), 404, "community_not_found")
    error(api.post("/follows/groups/1"), 422, "validation_error")
    error(api.post("/follows/tags/.hidden"), 422, "validation_error")

    assert api.delete("/follows/tags/python").status_code == 204
    error(api.delete("/follows/tags/python"), 404, "not_following")
    # Unfollowing a tag nobody ever used is a 404 that creates nothing.
    error(api.delete("/follows/tags/never-used"), 404, "tag_not_found")
    assert not Tag.objects.filter(normalized="never-used").exists()
    assert api.delete(f"/follows/people/{other.pk}").status_code == 204
    assert api.get("/follows").json() == {
        "people": [],
        "tags": [],
        "communities": [spaces["open"].pk],
    }


def test_feed_follows_people_tags_and_communities(api, me, other, spaces, make_person):
    stranger = make_person(first_name="Zoé")
    mine = post_create(actor=me, body="My own news")
    by_followed = post_create(actor=other, body="From a colleague I follow")
    tagged = post_create(actor=stranger, body="About #python")
    in_community = post_create(actor=other, body="Club news", community=spaces["open"])
    in_my_community = post_create(actor=other, body="Members news", community=spaces["member"])
    post_create(actor=stranger, body="Unrelated")
    post_create(actor=stranger, body="Also unrelated #cooking")

    assert _ids(api.get("/feed")) == [in_my_community.pk, mine.pk]
    api.post(f"/follows/people/{other.pk}")
    api.post("/follows/tags/python")
    api.post(f"/follows/communities/{spaces['open'].pk}")
    expected = [in_my_community.pk, in_community.pk, tagged.pk, by_followed.pk, mine.pk]
    assert _ids(api.get("/feed")) == expected


def test_feed_pages_through_with_the_cursor(api, me):
    posts = [post_create(actor=me, body=f"Post {n}") for n in range(23)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = api.get("/feed", params)
        assert page.status_code == 200, page.content
        seen += [item["id"] for item in page.json()["items"]]
        cursor, pages = page.json()["next_cursor"], pages + 1
        if cursor is None:
            break
    assert pages == 5
    assert seen == [p.pk for p in reversed(posts)]


@pytest.mark.parametrize(
    "cursor",
    ["nope", "2024-01-01T00:00:00_5", "2024-01-01T00:00:00+02:00_5", "2024-01-01_" + "9" * 20],
)
def test_malformed_cursor_is_422(api, cursor):
    error(api.get("/feed", {"cursor": cursor}), 422, "validation_error")


def test_feed_query_count_does_not_grow_with_the_page(
    api, me, other, spaces, django_assert_max_num_queries
):
    follow(actor=me, user=other)
    follow(actor=me, tag=tag_get_or_create(name="python"))
    for n in range(60):
        post = post_create(
            actor=other,
            body=f"Post {n} #python #t{n % 7} @me",
            community=spaces["member"] if n % 3 == 0 else None,
        )
        if n % 2:
            reaction_set(actor=me, post=post, kind="like")
            comment_create(actor=me, post=post, body="Seen")
    api.get("/feed")  # the token records its use at most once a minute: not the feed's cost
    counts = {}
    for limit in (5, 50):
        for cached in (False, True):
            if not cached:
                caches["cards"].clear()
            with django_assert_max_num_queries(10) as captured:
                response = api.get("/feed", {"limit": limit})
            assert len(response.json()["items"]) == limit
            counts[limit, cached] = len(captured.captured_queries)
    # Rate limit, token, the page's rows; then posts, tags, attachments for posts not cached.
    assert counts[5, True] == counts[50, True] == 3
    assert counts[5, False] == counts[50, False] == 6


# Notifications


def test_notifications_list_and_mark_read(api, me, other):
    post = post_create(actor=me, body="My post")
    comment_create(actor=other, post=post, body="Nice")
    reaction_set(actor=other, post=post, kind="like")
    follow(actor=other, user=me)

    listed = api.get("/notifications").json()
    assert (listed["count"], listed["unread"]) == (3, 3)
    assert [n["type"] for n in listed["items"]] == ["follow", "reaction", "comment"]
    assert listed["items"][0]["actor"] == {"id": other.pk, "name": "Bastien Other"}
    assert listed["items"][1]["post_id"] == post.pk

    newest = listed["items"][0]["id"]
    assert api.post("/notifications/read", {"ids": [newest]}).json() == {"marked": 1}
    unread = api.get("/notifications", {"unread": "true"}).json()
    assert (unread["count"], unread["unread"]) == (2, 2)
    assert newest not in [n["id"] for n in unread["items"]]
    assert api.post("/notifications/read", {}).json() == {"marked": 2}
    assert api.get("/notifications").json()["unread"] == 0
    error(api.post("/notifications/read", {"ids": ["1"]}), 422, "validation_error")


def test_others_notifications_are_not_marked(api, me, other, make_person):
    third = make_person(first_name="Chloé")
    follow(actor=third, user=other)
    theirs = Notification.objects.get(recipient=other)
    assert api.post("/notifications/read", {"ids": [theirs.pk]}).json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_social_endpoints_need_a_token(db):
    response = Client().get("/api/v1/feed")
    error(response, 401, "unauthenticated")


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("get", "/posts/{n}", "post_not_found"),
        ("delete", "/posts/{n}", "post_not_found"),
        ("get", "/posts/{n}/comments", "post_not_found"),
        ("delete", "/posts/{n}/reaction", "post_not_found"),
        ("delete", "/comments/{n}", "comment_not_found"),
        ("get", "/communities/{n}", "community_not_found"),
        ("post", "/communities/{n}/join", "community_not_found"),
        ("get", "/posts?community={n}", "community_not_found"),
        ("get", "/posts?author={n}", "person_not_found"),
    ],
)
@pytest.mark.parametrize("n", [2**63 - 1, 2**63, 10**40])
def test_huge_ids_are_404_or_422(api, method, path, code, n):
    response = getattr(api.client, method)(f"/api/v1{path.format(n=n)}")
    if n < 2**63:
        error(response, 404, code)
    else:
        error(response, 422, "validation_error")


@pytest.mark.parametrize("key", [str(2**63 - 1), str(2**63), "9" * 64])
def test_huge_follow_keys_are_404(api, key):
    error(api.post(f"/follows/people/{key}"), 404, "person_not_found")
    error(api.post(f"/follows/communities/{key}"), 404, "community_not_found")
