"""Linking work to objectives: who may link what, bad input, and what each viewer sees."""

import pytest
from django.urls import reverse

from vivier.social import services as social
from vivier.vision import selectors, services
from vivier.vision.models import ObjectiveLink

KIND_OF = {
    "post": "post",
    "question": "question",
    "opportunity": "opportunity",
    "idea": "idea",
    "commitment": "commitment",
    "community": "community",
    "secret_community": "community",
}

# (item, role) -> expected status of POST /api/v1/vision/links. The owner is the author (posts,
# questions, ideas), the owner (opportunity, commitment) or the animator (communities). HR may
# link opportunities, commitments (they manage both) and ideas (they moderate the idea box),
# never someone's post or a community they do not animate; a secret community does not exist
# for non-members (404), HR included.
MATRIX = {
    "post": {"owner": 201, "other": 403, "hr": 403, "stranger": 403},
    "question": {"owner": 201, "other": 403, "hr": 403, "stranger": 403},
    "opportunity": {"owner": 201, "other": 403, "hr": 201, "stranger": 403},
    "idea": {"owner": 201, "other": 403, "hr": 201, "stranger": 403},
    "commitment": {"owner": 201, "other": 403, "hr": 201, "stranger": 403},
    "community": {"owner": 201, "other": 403, "hr": 403, "stranger": 403},
    "secret_community": {"owner": 201, "other": 404, "hr": 404, "stranger": 404},
}


def _actor(world, item: str, role: str):
    if role == "owner":
        return world.animator if "community" in item else world.author
    if role == "hr":
        return world.hr
    if role == "stranger":
        return world.manager  # not a member of any community, owns nothing
    return world.other


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("item", "role"), [(item, role) for item, roles in MATRIX.items() for role in roles]
)
def test_link_permission_matrix(world, api_for, item, role):
    # given an item of each kind and a person in each role
    actor = _actor(world, item, role)
    target = world.items[item]
    # when they link it to an active objective through the API
    response = api_for(actor).post(
        "/api/v1/vision/links",
        {
            "objective_id": world.objectives["digital"].pk,
            "kind": KIND_OF[item],
            "object_id": target.pk,
        },
        content_type="application/json",
    )
    # then the registry's rule decides, and a refusal leaves nothing behind
    expected = MATRIX[item][role]
    assert response.status_code == expected, response.json()
    if expected == 201:
        assert ObjectiveLink.objects.filter(pk=response.json()["id"]).exists()
    else:
        assert response.json()["code"] in {"link_denied", "item_not_found"}
        assert not ObjectiveLink.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"objective_id": 999999, "kind": "post", "object_id": "ITEM"}, 404, "objective_not_found"),
        ({"objective_id": "OLD", "kind": "post", "object_id": "ITEM"}, 422, "objective_archived"),
        ({"objective_id": "ACTIVE", "kind": "post", "object_id": 999999}, 404, "item_not_found"),
        (
            {"objective_id": "ACTIVE", "kind": "podcast", "object_id": "ITEM"},
            422,
            "validation_error",
        ),
        (
            {"objective_id": "ACTIVE", "kind": "question", "object_id": "ITEM"},
            404,
            "item_not_found",
        ),
        ({"objective_id": "ACTIVE", "kind": "post", "object_id": True}, 422, "validation_error"),
        ({"objective_id": 2**70, "kind": "post", "object_id": "ITEM"}, 422, "validation_error"),
    ],
)
def test_link_bad_input(world, api_for, payload, status, code):
    post = world.items["post"]
    ids = {"OLD": world.objectives["old"].pk, "ACTIVE": world.objectives["digital"].pk}
    body = {
        key: ids.get(value, post.pk if value == "ITEM" else value)
        if isinstance(value, str)
        else value
        for key, value in payload.items()
    }
    body["kind"] = payload["kind"]
    response = api_for(world.author).post(
        "/api/v1/vision/links", body, content_type="application/json"
    )
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not ObjectiveLink.objects.exists()


@pytest.mark.django_db
def test_link_twice_is_a_conflict_and_question_alias_works(world, api_for):
    client = api_for(world.author)
    body = {
        "objective_id": world.objectives["app"].pk,
        "kind": "question",
        "object_id": world.items["question"].pk,
    }
    first = client.post("/api/v1/vision/links", body, content_type="application/json")
    again = client.post("/api/v1/vision/links", body, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["kind"] == "post"
    assert (again.status_code, again.json()["code"]) == (409, "link_exists")
    assert ObjectiveLink.objects.count() == 1


@pytest.mark.django_db
def test_deleted_post_cannot_be_linked(world, api_for):
    social.post_delete(actor=world.author, post=world.items["post"])
    response = api_for(world.author).post(
        "/api/v1/vision/links",
        {
            "objective_id": world.objectives["digital"].pk,
            "kind": "post",
            "object_id": world.items["post"].pk,
        },
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (404, "item_not_found")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("owner", 204), ("hr", 204), ("other", 403), ("stranger", 404)]
)
def test_unlink_matrix(world, api_for, role, status):
    # given the secret community's post linked by its author (the animator)
    link = services.link_create(
        actor=world.animator,
        objective_id=world.objectives["digital"].pk,
        kind="post",
        object_id=world.items["secret_post"].pk,
    )
    member = world.other
    social.membership_add(
        actor=world.animator, community=world.items["secret_community"], user=member
    )
    actor = {
        "owner": world.animator,
        "hr": world.hr,
        "other": member,
        "stranger": world.author,
    }[role]
    if role == "hr":
        # HR remove links of what they can see: make them a member of the secret community.
        social.membership_add(
            actor=world.animator, community=world.items["secret_community"], user=world.hr
        )
    response = api_for(actor).delete(f"/api/v1/vision/links/{link.pk}")
    assert response.status_code == status
    assert ObjectiveLink.objects.filter(pk=link.pk).exists() == (status != 204)


def _link_everything(world):
    """Link every item of the world to the 'digital' objective, each by its owner."""
    objective = world.objectives["digital"].pk
    for name, owner in [
        ("post", world.author),
        ("question", world.author),
        ("opportunity", world.author),
        ("idea", world.author),
        ("commitment", world.author),
        ("community", world.animator),
        ("secret_community", world.animator),
    ]:
        services.link_create(
            actor=owner, objective_id=objective, kind=KIND_OF[name], object_id=world.items[name].pk
        )
    services.link_create(
        actor=world.animator,
        objective_id=objective,
        kind="post",
        object_id=world.items["secret_post"].pk,
    )


SECRET_TITLES = {"Projet Phénix", "Phénix : lancement en mars."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "sees_secret"),
    [("animator", True), ("member", True), ("author", False), ("hr", False), ("manager", False)],
)
def test_objective_never_reveals_what_the_viewer_cannot_see(
    world, client_for, api_for, viewer, sees_secret
):
    # given every kind linked, including a secret community and one of its posts
    _link_everything(world)
    member = world.other
    social.membership_add(
        actor=world.animator, community=world.items["secret_community"], user=member
    )
    user = {
        "animator": world.animator,
        "member": member,
        "author": world.author,
        "hr": world.hr,
        "manager": world.manager,
    }[viewer]
    objective = world.objectives["digital"]
    # when they open the objective page, the API list, and the map
    page = client_for(user).get(reverse("vision:objective", args=[objective.pk]))
    items = api_for(user).get(f"/api/v1/vision/objectives/{objective.pk}/items").json()
    tree = api_for(user).get("/api/v1/vision/map").json()
    # then secret items appear only for members, in titles and in counts alike
    html = page.content.decode()
    titles = {i["title"] for i in items}
    assert (titles >= SECRET_TITLES) == sees_secret
    assert not sees_secret or titles >= SECRET_TITLES
    if not sees_secret:
        assert not (SECRET_TITLES & titles)
        assert "Phénix" not in html
    else:
        assert "Phénix" in html
    node = tree["axes"][0]["objectives"][0]
    assert node["actions"] == (8 if sees_secret else 6)
    assert len(items) == node["actions"]


@pytest.mark.django_db
def test_link_page_form_errors(world, client_for):
    client = client_for(world.author)
    url = reverse("vision:links", args=["post", world.items["post"].pk])
    archived = client.post(url, {"objective": world.objectives["old"].pk})
    unknown = client.post(url, {"objective": "999999"})
    assert archived.status_code == 422
    assert "archived" in archived.content.decode() or "archivé" in archived.content.decode()
    assert unknown.status_code == 422
    # someone else's post: the panel shows no form, a forged POST is refused
    other = client_for(world.other).post(url, {"objective": world.objectives["digital"].pk})
    assert other.status_code == 403
    assert not ObjectiveLink.objects.exists()
    # a secret community's post does not exist for a non-member
    hidden = reverse("vision:links", args=["post", world.items["secret_post"].pk])
    assert client.get(hidden).status_code == 404
    ok = client.post(url, {"objective": world.objectives["digital"].pk})
    assert ok.status_code == 302
    assert ObjectiveLink.objects.filter(post=world.items["post"]).count() == 1


@pytest.mark.django_db
def test_link_notifies_the_objective_owner_only_when_they_may_see(
    world, django_capture_on_commit_callbacks
):
    from vivier.social.models import Notification

    # the manager owns 'digital'; the secret post is invisible to them
    with django_capture_on_commit_callbacks(execute=True):
        services.link_create(
            actor=world.animator,
            objective_id=world.objectives["digital"].pk,
            kind="post",
            object_id=world.items["secret_post"].pk,
        )
    assert not Notification.objects.filter(recipient=world.manager).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.link_create(
            actor=world.author,
            objective_id=world.objectives["digital"].pk,
            kind="idea",
            object_id=world.items["idea"].pk,
        )
    note = Notification.objects.get(recipient=world.manager, type="vision_link")
    assert note.url == reverse("vision:objective", args=[world.objectives["digital"].pk])


@pytest.mark.django_db
def test_item_links_lists_objectives_and_suggestions_for_the_owner_only(world):
    services.link_create(
        actor=world.author,
        objective_id=world.objectives["app"].pk,
        kind="post",
        object_id=world.items["post"].pk,
    )
    mine = selectors.item_links(viewer=world.author, kind="post", object_id=world.items["post"].pk)
    theirs = selectors.item_links(viewer=world.other, kind="post", object_id=world.items["post"].pk)
    assert [link.objective for link in mine.links] == [world.objectives["app"]]
    assert mine.can_link and mine.options
    assert world.objectives["app"] not in mine.options
    assert world.objectives["old"] not in mine.options
    assert not theirs.can_link and not theirs.suggestions and not theirs.options
    assert [link.objective for link in theirs.links] == [world.objectives["app"]]
