"""Who may do what with a question, as a matrix: actor by audience by action, in the API and
the pages. A secret community's question does not exist for a non-member."""

import pytest
from django.test import Client
from django.urls import reverse

from vivier.accounts.services import api_token_create
from vivier.expertise import services
from vivier.expertise.models import Answer, AnswerVote
from vivier.social.models import Community
from vivier.social.services import community_create, membership_add

HTMX = {"HTTP_HX_REQUEST": "true"}
ACTORS = ["asker", "member", "outsider", "hr"]
AUDIENCES = ["public", "secret"]

# (actor, audience) -> expected status, per action. "member" belongs to the secret community,
# "outsider" and "hr" (an HR administrator) do not.
VIEW = {
    ("asker", "public"): 200,
    ("member", "public"): 200,
    ("outsider", "public"): 200,
    ("hr", "public"): 200,
    ("asker", "secret"): 200,
    ("member", "secret"): 200,
    ("outsider", "secret"): 404,
    ("hr", "secret"): 404,
}
ANSWER = {key: 201 if status == 200 else status for key, status in VIEW.items()}
ACCEPT = {
    key: 200 if key[0] == "asker" else (403 if status == 200 else status)
    for key, status in VIEW.items()
}
VOTE = VIEW
# Answers are removed by their author and the question's moderators: its asker, HR.
DELETE = {
    key: 204 if key[0] in ("asker", "hr") and status == 200 else (403 if status == 200 else status)
    for key, status in VIEW.items()
}


@pytest.fixture
def world(make_person, alice, bob, hr_admin):
    """Alice asks in public and in her secret community (Bob and Dave are members); Dave
    answered both."""
    carol = make_person("carol@example.test", first_name="Carol", last_name="Petit")
    dave = make_person("dave@example.test", first_name="Dave", last_name="Roux")
    secret = community_create(actor=alice, name="Secret", visibility=Community.Visibility.SECRET)
    membership_add(actor=alice, community=secret, user=bob)
    membership_add(actor=alice, community=secret, user=dave)
    questions = {
        "public": services.question_ask(actor=alice, title="Public ?", body="Détails"),
        "secret": services.question_ask(
            actor=alice, title="Secret ?", body="Détails", community=secret
        ),
    }
    answers = {
        audience: services.answer_create(actor=dave, question=question, body="Réponse de Dave")
        for audience, question in questions.items()
    }
    actors = {"asker": alice, "member": bob, "outsider": carol, "hr": hr_admin}
    return actors, questions, answers


def _api(user) -> Client:
    _token, secret = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


MATRIX = [(actor, audience) for actor in ACTORS for audience in AUDIENCES]


@pytest.mark.parametrize(("actor", "audience"), MATRIX)
def test_view(world, actor, audience):
    actors, questions, _answers = world
    user, question = actors[actor], questions[audience]
    api = _api(user).get(f"/api/v1/questions/{question.pk}")
    assert api.status_code == VIEW[actor, audience]
    if api.status_code == 404:
        assert api.json()["code"] == "question_not_found"
    client = Client()
    client.force_login(user)
    page = client.get(reverse("expertise:question", args=[question.pk]))
    assert page.status_code == VIEW[actor, audience]
    listed = [q["id"] for q in _api(user).get("/api/v1/questions").json()["items"]]
    assert (question.pk in listed) == (VIEW[actor, audience] == 200)
    html = client.get(reverse("expertise:questions")).content.decode()
    assert (f'id="question-{question.pk}"' in html) == (VIEW[actor, audience] == 200)


@pytest.mark.parametrize(("actor", "audience"), MATRIX)
def test_answer(world, actor, audience):
    actors, questions, _answers = world
    user, question = actors[actor], questions[audience]
    before = Answer.objects.count()
    response = _api(user).post(
        f"/api/v1/questions/{question.pk}/answers",
        {"body": "Ma réponse"},
        content_type="application/json",
    )
    assert response.status_code == ANSWER[actor, audience]
    client = Client()
    client.force_login(user)
    page = client.post(
        reverse("expertise:answer_add", args=[question.pk]), {"body": "Encore"}, **HTMX
    )
    assert page.status_code == (200 if ANSWER[actor, audience] == 201 else 404)
    created = 2 if ANSWER[actor, audience] == 201 else 0
    assert Answer.objects.count() == before + created


@pytest.mark.parametrize(("actor", "audience"), MATRIX)
def test_accept(world, actor, audience):
    actors, _questions, answers = world
    user, answer = actors[actor], answers[audience]
    response = _api(user).post(f"/api/v1/answers/{answer.pk}/accept")
    assert response.status_code == ACCEPT[actor, audience]
    answer.refresh_from_db()
    assert (answer.accepted_at is not None) == (ACCEPT[actor, audience] == 200)
    client = Client()
    client.force_login(user)
    page = client.post(
        reverse("expertise:answer_accept", args=[answer.pk]), {"action": "unaccept"}, **HTMX
    )
    assert page.status_code == ACCEPT[actor, audience]
    answer.refresh_from_db()
    assert answer.accepted_at is None


@pytest.mark.parametrize(("actor", "audience"), MATRIX)
def test_vote(world, actor, audience):
    actors, _questions, answers = world
    user, answer = actors[actor], answers[audience]
    response = _api(user).put(
        f"/api/v1/answers/{answer.pk}/vote", {"value": 1}, content_type="application/json"
    )
    assert response.status_code == VOTE[actor, audience]
    client = Client()
    client.force_login(user)
    page = client.post(reverse("expertise:answer_vote", args=[answer.pk]), {"value": "-1"}, **HTMX)
    assert page.status_code == VOTE[actor, audience]
    votes = AnswerVote.objects.filter(answer=answer, user=user)
    assert list(votes.values_list("value", flat=True)) == (
        [-1] if VOTE[actor, audience] == 200 else []
    )


@pytest.mark.parametrize(("actor", "audience"), MATRIX)
def test_delete_answer(world, actor, audience):
    actors, _questions, answers = world
    user, answer = actors[actor], answers[audience]
    response = _api(user).delete(f"/api/v1/answers/{answer.pk}")
    assert response.status_code == DELETE[actor, audience]
    answer.refresh_from_db()
    assert (answer.deleted_at is not None) == (DELETE[actor, audience] == 204)


@pytest.mark.parametrize(("actor", "audience"), MATRIX)
def test_edit_answer_is_the_authors_only(world, actor, audience):
    actors, _questions, answers = world
    user, answer = actors[actor], answers[audience]
    response = _api(user).patch(
        f"/api/v1/answers/{answer.pk}", {"body": "Changé"}, content_type="application/json"
    )
    assert response.status_code == (403 if VIEW[actor, audience] == 200 else 404)
    answer.refresh_from_db()
    assert answer.body == "Réponse de Dave"


@pytest.mark.parametrize("actor", ACTORS)
def test_secret_answers_never_raise_anyone_for_a_non_member(world, actor):
    actors, _questions, _answers = world
    # Dave's answers are his only evidence: the public one counts for all, the secret one only
    # for members. Both say "Réponse de Dave"; the secret question's title says "Secret".
    response = _api(actors[actor]).get("/api/v1/experts", {"q": "secret"})
    ids = [r["person"]["id"] for r in response.json()["results"]]
    member = VIEW[actor, "secret"] == 200
    for result in response.json()["results"]:
        for evidence in result["evidence"]:
            assert member or "Secret" not in evidence["title"], evidence
    if not member:
        assert ids == []
