"""The Q&A and expert-finder API over HTTP: main paths, error contract, pinned query counts."""

import pytest
from django.test import Client

from vivier.accounts.services import api_token_create
from vivier.expertise import services
from vivier.expertise.models import Answer, AnswerVote, QuestionRouting
from vivier.people.models import Location
from vivier.people.services import endorsement_create, profile_update, skill_declare
from vivier.social.models import Community, Notification, Post
from vivier.social.services import comment_create, community_create, post_create

ERROR_KEYS = {"code", "message", "field", "details"}


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
def carol(make_person):
    return make_person("carol@example.test", first_name="Carol", last_name="Petit")


@pytest.fixture
def expert_bob(bob, make_skill, alice, carol):
    """Bob wrote on Kubernetes, declared it at the top level, and Alice and Carol endorsed it."""
    skill = make_skill("kubernetes", "Kubernetes", aliases=["k8s"])
    post_create(actor=bob, body="Déployer sur #kubernetes : mes notes sur les pods et helm")
    skill_declare(actor=bob, person=bob, skill_id=skill.pk, level=4)
    endorsement_create(actor=alice, person_id=bob.pk, skill_id=skill.pk)
    endorsement_create(actor=carol, person_id=bob.pk, skill_id=skill.pk)
    services.label_grant(actor=None, user=bob, skill_id=skill.pk)
    return bob


@pytest.fixture
def question(alice, expert_bob):
    return services.question_ask(
        actor=alice, title="Comment déployer sur kubernetes ?", body="Les pods.", tags=["k8s"]
    )


# GET /experts


def test_experts_ranks_with_evidence_declared_and_labels(alice, expert_bob):
    response = Api(alice).get("/experts", {"q": "kubernetes pods"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["query"] == "kubernetes pods"
    top = body["results"][0]
    assert top["person"]["id"] == expert_bob.pk
    assert top["person"]["url"] == f"/people/{expert_bob.pk}/"
    assert set(top["person"]) == {"id", "name", "title", "org_unit", "url"}
    assert top["score"] > 0
    assert top["evidence"][0]["kind"] == "post"
    assert "<mark>" in top["evidence"][0]["snippet_html"]
    assert top["declared"] == [
        {
            "skill_id": top["declared"][0]["skill_id"],
            "slug": "kubernetes",
            "label": "Kubernetes",
            "level": 4,
            "endorsements": 2,
        }
    ]
    assert [label["slug"] for label in top["labels"]] == ["kubernetes"]


def test_experts_filters(alice, expert_bob, make_unit):
    lyon = Location.objects.create(name="Lyon")
    unit = make_unit("DSI")
    profile_update(
        actor=expert_bob, person=expert_bob, data={"location": lyon, "languages": ["fr"]}
    )
    api = Api(alice)

    def ids(**params):
        response = api.get("/experts", {"q": "kubernetes", **params})
        assert response.status_code == 200, response.content
        return [r["person"]["id"] for r in response.json()["results"]]

    assert expert_bob.pk in ids(location=lyon.pk)
    assert expert_bob.pk in ids(language="FR")
    assert expert_bob.pk not in ids(language="de")
    assert expert_bob.pk not in ids(org_unit=unit.pk)
    assert expert_bob.pk in ids(available="true")
    assert len(ids(limit=1)) == 1


@pytest.mark.parametrize("q", ["", "   ", "?!"])
def test_experts_empty_query(alice, q):
    error(Api(alice).get("/experts", {"q": q}), 400, "query_empty")


def test_experts_without_q(alice):
    error(Api(alice).get("/experts"), 400, "query_empty")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "k" * 5001},
        {"q": "kuber\x00netes"},
        {"q": "kubernetes", "limit": 0},
        {"q": "kubernetes", "limit": 51},
        {"q": "kubernetes", "limit": "ten"},
        {"q": "kubernetes", "language": "fra"},
        {"q": "kubernetes", "language": "f1"},
        {"q": "kubernetes", "org_unit": "abc"},
        {"q": "kubernetes", "org_unit": 2**63},
        {"q": "kubernetes", "location": 0},
        {"q": "kubernetes", "available": "maybe"},
    ],
)
def test_experts_invalid_parameters(alice, params):
    error(Api(alice).get("/experts", params), 422, "validation_error")


@pytest.mark.parametrize("name", ["skill", "Q", "unit", "q2", "org_unit[]"])
def test_experts_unknown_filter_is_named(alice, name):
    body = error(Api(alice).get("/experts", {"q": "kubernetes", name: "1"}), 400, "unknown_filter")
    assert body["field"] == name


def test_experts_unknown_org_unit_and_location(alice):
    api = Api(alice)
    error(api.get("/experts", {"q": "x", "org_unit": 999999}), 400, "org_unit_not_found")
    error(api.get("/experts", {"q": "x", "location": 999999}), 400, "location_not_found")


def test_experts_need_authentication(client, db):
    error(client.get("/api/v1/experts", {"q": "kubernetes"}), 401, "unauthenticated")


def test_experts_query_count(alice, expert_bob, carol, django_assert_num_queries):
    for n in range(5):
        post_create(actor=carol, body=f"Kubernetes et helm, épisode {n}")
    api = Api(alice)
    api.get("/experts", {"q": "kubernetes"})  # the token's first use is recorded once
    # The rate limit's upsert, the token; the ranking's 4: texts; skills with holders, labels
    # and the candidates with their answer counts; people; evidence with snippets (no prior:
    # nobody here answered).
    with django_assert_num_queries(6):
        response = api.get("/experts", {"q": "kubernetes helm", "limit": 50})
    assert len(response.json()["results"]) == 2


# Questions


def test_ask_routes_and_returns_the_experts(alice, expert_bob):
    response = Api(alice).post(
        "/questions",
        {"title": "Kubernetes ?", "body": "Des pods qui tombent.", "tags": ["k8s", "#helm"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["routed_to"][0]["id"] == expert_bob.pk
    assert body["tags"] == ["helm", "k8s"]
    assert body["answers"] == [] and body["accepted"] is False
    assert body["url"] == f"/questions/{body['id']}/"
    assert Notification.objects.filter(recipient=expert_bob, type="question_routed").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": "", "body": "x"},
        {"title": "   ", "body": "x"},
        {"title": "x", "body": ""},
        {"title": "x", "body": " \n "},
        {"title": "x\x00", "body": "y"},
        {"title": "x", "body": "y\x00"},
        {"title": "x" * 201, "body": "y"},
        {"title": "x", "body": "y" * 3001},
        {"title": "x", "body": "y", "tags": ["a", "b", "c", "d", "e", "f"]},
        {"title": "x", "body": "y", "tags": ["a b"]},
        {"title": "x", "body": "y", "tags": [""]},
        {"title": "x", "body": "y", "tags": "python"},
        {"title": "x", "body": "y", "tags": [1]},
        {"title": 1, "body": "y"},
        {"title": "x", "body": "y", "community_id": "1"},
        {"title": "x", "body": "y", "community_id": 0},
        {"title": "x", "body": "y", "community_id": True},
        {"title": "x", "body": "y", "extra": 1},
    ],
)
def test_ask_invalid_body_saves_nothing(alice, payload):
    error(Api(alice).post("/questions", payload), 422, "validation_error")
    assert not Post.objects.exists()


def test_ask_body_must_be_an_object(alice):
    response = Api(alice).client.post("/api/v1/questions", "[]", content_type="application/json")
    error(response, 422, "validation_error")


def test_ask_in_communities(alice, bob):
    api = Api(alice)
    closed = community_create(actor=bob, name="Fermé", visibility=Community.Visibility.CLOSED)
    secret = community_create(actor=bob, name="Secret", visibility=Community.Visibility.SECRET)
    error(
        api.post("/questions", {"title": "x", "body": "y", "community_id": closed.pk}),
        403,
        "not_a_member",
    )
    error(
        api.post("/questions", {"title": "x", "body": "y", "community_id": secret.pk}),
        404,
        "community_not_found",
    )
    error(
        api.post("/questions", {"title": "x", "body": "y", "community_id": 999999}),
        404,
        "community_not_found",
    )
    assert not Post.objects.exists()
    mine = community_create(actor=alice, name="Mien", visibility=Community.Visibility.SECRET)
    response = api.post("/questions", {"title": "x", "body": "y", "community_id": mine.pk})
    assert response.status_code == 201
    assert response.json()["community"]["id"] == mine.pk


def test_question_list_and_filters(alice, bob, question):
    other = services.question_ask(actor=bob, title="Excel ?", body="Formules", route=False)
    post_create(actor=alice, body="Pas une question")
    services.answer_create(actor=bob, question=question, body="Helm.")
    api = Api(alice)
    items = api.get("/questions").json()["items"]
    assert [q["id"] for q in items] == [other.pk, question.pk]
    assert items[1]["answer_count"] == 1
    assert [q["id"] for q in api.get("/questions", {"unanswered": "true"}).json()["items"]] == [
        other.pk
    ]
    assert [q["id"] for q in api.get("/questions", {"tag": "K8S"}).json()["items"]] == [question.pk]
    page = api.get("/questions", {"limit": 1}).json()
    assert page["next_cursor"]
    rest = api.get("/questions", {"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [q["id"] for q in rest["items"]] == [question.pk]


def test_question_list_by_community(alice, bob):
    club = community_create(actor=alice, name="Club", visibility=Community.Visibility.OPEN)
    inside = services.question_ask(actor=alice, title="Dedans ?", body="x", community=club)
    services.question_ask(actor=bob, title="Dehors ?", body="x", route=False)
    items = Api(bob).get("/questions", {"community": club.pk}).json()["items"]
    assert [q["id"] for q in items] == [inside.pk]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"tag": "inconnu"}, 404, "tag_not_found"),
        ({"community": 999999}, 404, "community_not_found"),
        ({"community": "abc"}, 422, "validation_error"),
        ({"tag": "a\x00"}, 422, "validation_error"),
        ({"cursor": "garbage"}, 422, "validation_error"),
        ({"limit": 0}, 422, "validation_error"),
        ({"limit": 101}, 422, "validation_error"),
        ({"unanswered": "perhaps"}, 422, "validation_error"),
    ],
)
def test_question_list_bad_filters(alice, params, status, code):
    error(Api(alice).get("/questions", params), status, code)


def test_question_detail_with_answers_in_order(alice, bob, carol, question):
    first = services.answer_create(actor=bob, question=question, body="Helm.")
    second = services.answer_create(actor=carol, question=question, body="La doc.")
    third = services.answer_create(actor=alice, question=question, body="Moi-même.")
    services.answer_vote(actor=alice, answer=second, value=1)
    services.answer_accept(actor=alice, answer=third)
    body = Api(bob).get(f"/questions/{question.pk}").json()
    assert [a["id"] for a in body["answers"]] == [third.pk, second.pk, first.pk]
    assert body["accepted"] is True and body["answers"][0]["accepted"] is True
    assert body["routed_to"] is None  # only the asker sees it
    mine = Api(alice).get(f"/questions/{question.pk}").json()
    assert [p["id"] for p in mine["routed_to"]] == [bob.pk]
    assert mine["answers"][1]["my_vote"] == 1


def test_question_detail_query_count(alice, bob, carol, question, django_assert_num_queries):
    for person in (bob, carol):
        services.answer_create(actor=person, question=question, body="Réponse")
    api = Api(alice)
    # 6, and the rate limit's count.
    with django_assert_num_queries(7):
        assert api.get(f"/questions/{question.pk}").status_code == 200


@pytest.mark.parametrize("path_id", ["0", "999999", "abc", "9" * 30, "-1"])
def test_unknown_question(alice, path_id):
    response = Api(alice).get(f"/questions/{path_id}")
    assert response.status_code in (404, 422)
    assert set(response.json()) == ERROR_KEYS


def test_a_post_is_not_a_question(alice):
    post = post_create(actor=alice, body="Bonjour")
    error(Api(alice).get(f"/questions/{post.pk}"), 404, "question_not_found")
    error(
        Api(alice).post(f"/questions/{post.pk}/answers", {"body": "x"}), 404, "question_not_found"
    )


def test_suggest_experts(alice, expert_bob, carol):
    api = Api(alice)
    response = api.get("/questions/suggest-experts", {"q": "Un souci kubernetes"})
    assert response.status_code == 200, response.content
    assert [r["person"]["id"] for r in response.json()["results"]] == [expert_bob.pk]
    # Busy people are weighed down, away ones left out.
    profile_update(actor=expert_bob, person=expert_bob, data={"availability_status": "away"})
    assert api.get("/questions/suggest-experts", {"q": "kubernetes"}).json()["results"] == []
    assert not QuestionRouting.objects.exists()


def test_suggest_experts_for_a_community_keeps_its_readers(alice, expert_bob):
    closed = community_create(actor=alice, name="Fermé", visibility=Community.Visibility.CLOSED)
    response = Api(alice).get(
        "/questions/suggest-experts", {"q": "kubernetes", "community": closed.pk}
    )
    assert response.json()["results"] == []  # Bob could not read the question there


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "query_empty"),
        ({"q": " "}, 400, "query_empty"),
        ({"q": "x" * 5001}, 422, "validation_error"),
        ({"q": "a\x00"}, 422, "validation_error"),
        ({"q": "kubernetes", "community": 999999}, 404, "community_not_found"),
        ({"q": "kubernetes", "community": "x"}, 422, "validation_error"),
    ],
)
def test_suggest_experts_bad_input(alice, params, status, code):
    error(Api(alice).get("/questions/suggest-experts", params), status, code)


# Answers


def test_answer_edit_delete(alice, bob, question):
    api = Api(bob)
    response = api.post(f"/questions/{question.pk}/answers", {"body": "Avec **helm**."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["body_html"] == "<p>Avec <strong>helm</strong>.</p>\n"
    assert body["url"] == f"/questions/{question.pk}/#answer-{body['id']}"
    assert Notification.objects.filter(recipient=alice, type="answer").exists()
    response = api.patch(f"/answers/{body['id']}", {"body": "Avec helm 3."})
    assert response.status_code == 200 and response.json()["edited_at"]
    assert api.delete(f"/answers/{body['id']}").status_code == 204
    error(api.get(f"/questions/{question.pk}/answers/x"), 404, "not_found")
    error(api.patch(f"/answers/{body['id']}", {"body": "x"}), 404, "answer_not_found")
    question.refresh_from_db()
    assert question.answer_count == 0


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": ""}, {"body": "  "}, {"body": "a\x00"}, {"body": "x" * 20_001}, {"body": 3}],
)
def test_bad_answers_save_nothing(alice, bob, question, payload):
    api = Api(bob)
    error(api.post(f"/questions/{question.pk}/answers", payload), 422, "validation_error")
    assert not Answer.objects.exists()
    answer = services.answer_create(actor=bob, question=question, body="Bien.")
    error(api.patch(f"/answers/{answer.pk}", payload), 422, "validation_error")
    answer.refresh_from_db()
    assert answer.body == "Bien."


def test_edit_and_delete_are_the_authors(alice, bob, carol, question):
    answer = services.answer_create(actor=bob, question=question, body="Bien.")
    error(Api(carol).patch(f"/answers/{answer.pk}", {"body": "Piraté"}), 403, "answer_edit_denied")
    error(Api(carol).delete(f"/answers/{answer.pk}"), 403, "answer_delete_denied")
    # The asker moderates the answers to their question, but edits none.
    error(Api(alice).patch(f"/answers/{answer.pk}", {"body": "Hmm"}), 403, "answer_edit_denied")
    assert Api(alice).delete(f"/answers/{answer.pk}").status_code == 204


def test_accept_and_unaccept(alice, bob, carol, question):
    first = services.answer_create(actor=bob, question=question, body="Helm.")
    second = services.answer_create(actor=carol, question=question, body="Doc.")
    api = Api(alice)
    assert api.post(f"/answers/{first.pk}/accept").json()["accepted"] is True
    assert api.post(f"/answers/{second.pk}/accept").json()["accepted"] is True
    first.refresh_from_db()
    assert first.accepted_at is None  # one accepted answer at a time
    assert Notification.objects.filter(recipient=carol, type="answer_accepted").exists()
    response = api.delete(f"/answers/{second.pk}/accept")
    assert response.status_code == 200 and response.json()["accepted"] is False
    error(Api(bob).post(f"/answers/{first.pk}/accept"), 403, "accept_denied")
    error(Api(bob).delete(f"/answers/{first.pk}/accept"), 403, "accept_denied")
    error(api.post("/answers/999999/accept"), 404, "answer_not_found")


def test_vote(alice, bob, carol, question):
    answer = services.answer_create(actor=bob, question=question, body="Helm.")
    assert Api(alice).put(f"/answers/{answer.pk}/vote", {"value": 1}).json() == {
        "answer_id": answer.pk,
        "score": 1,
        "my_vote": 1,
    }
    assert Api(carol).put(f"/answers/{answer.pk}/vote", {"value": -1}).json()["score"] == 0
    assert Api(carol).put(f"/answers/{answer.pk}/vote", {"value": 1}).json()["score"] == 2
    assert Api(alice).put(f"/answers/{answer.pk}/vote", {"value": 0}).json()["score"] == 1
    error(Api(bob).put(f"/answers/{answer.pk}/vote", {"value": 1}), 403, "vote_own_answer")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"value": 2},
        {"value": -2},
        {"value": "1"},
        {"value": True},
        {"value": None},
        {"value": 1.5},
        {"value": 1, "extra": 1},
    ],
)
def test_bad_votes(alice, bob, question, payload):
    answer = services.answer_create(actor=bob, question=question, body="Helm.")
    error(Api(alice).put(f"/answers/{answer.pk}/vote", payload), 422, "validation_error")
    assert not AnswerVote.objects.exists()


def test_wrong_methods_are_json_405(alice):
    response = Api(alice).client.post("/api/v1/experts")
    error(response, 405, "method_not_allowed")


def test_secret_question_evidence_never_shows(alice, bob, carol):
    """A secret community's question and answer raise nobody for a non-member."""
    secret = community_create(actor=alice, name="Secret", visibility=Community.Visibility.SECRET)
    from vivier.social.services import membership_add

    membership_add(actor=alice, community=secret, user=bob)
    question = services.question_ask(
        actor=alice, title="Zanzibar confidentiel ?", body="zanzibar", community=secret
    )
    services.answer_create(actor=bob, question=question, body="Zanzibar, voici.")
    comment_create(actor=bob, post=question, body="zanzibar encore")
    assert Api(carol).get("/experts", {"q": "zanzibar"}).json()["results"] == []
    found = Api(alice).get("/experts", {"q": "zanzibar"}).json()["results"]
    assert bob.pk in [r["person"]["id"] for r in found]
