"""The idea box and the commitments: services, API, state machines and bad input."""

import pytest

from vivier.core.errors import ApplicationError
from vivier.social.models import Notification
from vivier.voice import services
from vivier.voice.models import Commitment, Idea, IdeaVote


@pytest.fixture
def idea(alice):
    return services.idea_create(
        actor=alice, title="Une salle calme", description="Pour se concentrer.", tags=["Bureaux"]
    )


def test_post_vote_and_comment(idea, alice, bob):
    assert idea.tags == ["bureaux"]
    services.idea_vote(actor=bob, idea=idea, vote=True)
    services.idea_vote(actor=bob, idea=idea, vote=True)  # idempotent
    idea.refresh_from_db()
    assert idea.vote_count == 1
    with pytest.raises(ApplicationError) as exc:
        services.idea_vote(actor=alice, idea=idea, vote=True)
    assert exc.value.code == "own_idea"
    services.idea_vote(actor=bob, idea=idea, vote=False)
    idea.refresh_from_db()
    assert idea.vote_count == 0 and not IdeaVote.objects.exists()
    services.idea_comment(actor=bob, idea=idea, body="Bonne idée")
    note = Notification.objects.get(type="voice_idea_comment")
    assert note.recipient == alice and "Une salle calme" in note.text


STATUS_PATHS = [
    ("new", "under_review", True),
    ("new", "accepted", False),
    ("new", "done", False),
    ("under_review", "accepted", True),
    ("accepted", "done", True),
    ("done", "declined", False),
    ("declined", "under_review", False),
]


@pytest.mark.parametrize(("start", "target", "allowed"), STATUS_PATHS)
def test_idea_state_machine(idea, hr_admin, start, target, allowed):
    Idea.objects.filter(pk=idea.pk).update(status=start, status_reason="x")
    idea.refresh_from_db()
    if allowed:
        services.idea_set_status(actor=hr_admin, idea=idea, status=target)
        idea.refresh_from_db()
        assert idea.status == target and idea.owner == hr_admin
    else:
        with pytest.raises(ApplicationError) as exc:
            services.idea_set_status(actor=hr_admin, idea=idea, status=target)
        assert (exc.value.code, exc.value.status) == ("invalid_transition", 409)
        idea.refresh_from_db()
        assert idea.status == start


def test_declining_needs_a_reason_and_tells_the_author(idea, hr_admin, alice):
    with pytest.raises(ApplicationError) as exc:
        services.idea_set_status(actor=hr_admin, idea=idea, status="declined", reason="  ")
    assert exc.value.code == "reason_required"
    services.idea_set_status(actor=hr_admin, idea=idea, status="declined", reason="Pas de place.")
    idea.refresh_from_db()
    assert idea.status_reason == "Pas de place."
    assert Notification.objects.filter(type="voice_idea_status", recipient=alice).exists()


def test_the_owner_moves_an_idea_on(idea, hr_admin, bob):
    with pytest.raises(ApplicationError) as exc:
        services.idea_set_status(actor=bob, idea=idea, status="under_review")
    assert exc.value.status == 403
    with pytest.raises(ApplicationError):
        services.idea_assign(actor=bob, idea=idea, owner_id=bob.pk)
    services.idea_assign(actor=hr_admin, idea=idea, owner_id=bob.pk)
    services.idea_set_status(actor=bob, idea=idea, status="under_review")
    idea.refresh_from_db()
    assert idea.status == "under_review"


def test_ideas_api(client, token_for, alice, bob, hr_admin):
    headers = token_for(alice)
    created = client.post(
        "/api/v1/voice/ideas",
        {"title": "Covoiturage", "description": "Une plateforme interne", "tags": ["mobilité"]},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    idea_id = created.json()["id"]
    assert client.put(f"/api/v1/voice/ideas/{idea_id}/vote", **headers).json()["code"] == "own_idea"
    voted = client.put(f"/api/v1/voice/ideas/{idea_id}/vote", **token_for(bob))
    assert voted.status_code == 200 and voted.json()["vote_count"] == 1
    listed = client.get("/api/v1/voice/ideas?tag=mobilité&sort=votes", **token_for(bob)).json()
    assert [i["id"] for i in listed["items"]] == [idea_id] and listed["items"][0]["voted"]
    assert client.get("/api/v1/voice/ideas?tag=autre", **headers).json()["count"] == 0
    bad = client.post(
        f"/api/v1/voice/ideas/{idea_id}/status",
        {"status": "done"},
        content_type="application/json",
        **token_for(hr_admin),
    )
    assert bad.status_code == 409 and bad.json()["code"] == "invalid_transition"
    denied = client.post(
        f"/api/v1/voice/ideas/{idea_id}/status",
        {"status": "under_review"},
        content_type="application/json",
        **token_for(bob),
    )
    assert denied.status_code == 403
    blank = client.post(
        "/api/v1/voice/ideas",
        {"title": " ", "description": "x"},
        content_type="application/json",
        **headers,
    )
    assert blank.status_code == 422
    assert client.get("/api/v1/voice/ideas/999999", **headers).status_code == 404


def test_commitments(hr_admin, alice, bob, client, token_for):
    with pytest.raises(ApplicationError) as exc:
        services.commitment_create(actor=alice, title="X")
    assert exc.value.status == 403
    commitment = services.commitment_create(
        actor=hr_admin, title="Droit à la déconnexion", theme="workload", owner_id=alice.pk
    )
    with pytest.raises(ApplicationError) as exc:
        services.commitment_progress(actor=bob, commitment=commitment, text="x", progress=10)
    assert exc.value.status == 403
    services.commitment_progress(
        actor=alice, commitment=commitment, text="Charte rédigée", progress=40, status="in_progress"
    )
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.status) == (40, "in_progress")
    with pytest.raises(ApplicationError) as exc:
        services.commitment_progress(
            actor=alice, commitment=commitment, text="x", progress=50, status="planned"
        )
    assert exc.value.code == "invalid_transition"
    for progress in (-1, 101, True, "50"):
        with pytest.raises(ApplicationError) as exc:
            services.commitment_progress(
                actor=alice, commitment=commitment, text="x", progress=progress
            )
        assert exc.value.code == "progress_invalid"
    commitment.refresh_from_db()
    assert commitment.progress == 40 and commitment.updates.count() == 1
    body = client.get(f"/api/v1/voice/commitments/{commitment.pk}", **token_for(bob)).json()
    assert body["owner"]["id"] == alice.pk and body["updates"][0]["text"] == "Charte rédigée"
    created = client.post(
        "/api/v1/voice/commitments",
        {"title": "Formation", "owner_id": 999999},
        content_type="application/json",
        **token_for(hr_admin),
    )
    assert created.status_code == 400 and created.json()["code"] == "owner_not_found"
    assert Commitment.objects.count() == 1
