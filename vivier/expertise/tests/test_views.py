"""Q&A and "who knows" pages over HTTP: main paths, htmx and plain forms, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vivier.expertise import services
from vivier.expertise.models import Answer, AnswerVote, QuestionRouting
from vivier.people.models import Location
from vivier.people.services import profile_update
from vivier.social.models import Comment, Community, Post
from vivier.social.services import community_create, membership_add, post_create

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def carol(make_person):
    return make_person("carol@example.test", first_name="Carol", last_name="Petit")


@pytest.fixture
def expert_bob(bob):
    """Bob wrote about Kubernetes: the finder and routing know him."""
    post_create(actor=bob, body="Déployer sur #kubernetes : mes notes sur les pods et helm")
    return bob


@pytest.fixture
def question(alice, expert_bob):
    return services.question_ask(
        actor=alice,
        title="Comment déployer sur kubernetes ?",
        body="Je débute avec les pods.",
        tags=["kubernetes"],
    )


@pytest.fixture
def answered(question, expert_bob, carol):
    """Bob and Carol answered; Carol's answer was voted up by Alice."""
    bob_answer = services.answer_create(actor=expert_bob, question=question, body="Utilise helm.")
    carol_answer = services.answer_create(actor=carol, question=question, body="Lis la doc.")
    return bob_answer, carol_answer


def test_navigation_links_questions_and_experts(client_for, alice):
    page = client_for(alice).get("/").content.decode()
    assert f'href="{reverse("expertise:questions")}"' in page
    assert f'href="{reverse("expertise:experts")}"' in page


# Asking


def test_question_form_shows_fields_and_live_suggestions(client_for, alice):
    response = client_for(alice).get(reverse("expertise:question_new"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'hx-trigger="keyup changed delay:600ms"' in page
    assert f'hx-post="{reverse("expertise:question_suggest")}"' in page
    assert 'id="suggested-experts"' in page
    for name in ("title", "body", "tags", "community"):
        assert f'name="{name}"' in page


def test_suggest_shows_the_experts_who_would_be_asked(client_for, alice, expert_bob):
    response = client_for(alice).post(
        reverse("expertise:question_suggest"),
        {"title": "Un souci kubernetes", "body": "", "tags": "helm"},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="expert-{expert_bob.pk}"' in page
    assert "<mark>" in page  # the evidence snippet
    assert not Post.objects.filter(kind=Post.Kind.QUESTION).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": "   ", "body": ""},
        {"title": "kubernetes\x00", "body": "\x00"},
        {"title": "x" * 10_000, "body": "y" * 100_000, "tags": "," * 5000},
        {"title": "kubernetes", "community": "999999999999999999999"},
        {"title": "kubernetes", "community": "abc"},
    ],
)
def test_suggest_bad_input_is_an_empty_panel_not_an_error(client_for, alice, expert_bob, data):
    response = client_for(alice).post(reverse("expertise:question_suggest"), data, **HTMX)
    assert response.status_code == 200
    assert 'id="suggested-experts"' in response.content.decode()


def test_suggest_ignores_a_community_the_asker_cannot_post_in(client_for, alice, bob, carol):
    secret = community_create(actor=bob, name="Cercle", visibility=Community.Visibility.SECRET)
    response = client_for(carol).post(
        reverse("expertise:question_suggest"), {"title": "x", "community": secret.pk}, **HTMX
    )
    assert response.status_code == 200


def test_suggest_needs_post(client_for, alice):
    assert client_for(alice).get(reverse("expertise:question_suggest")).status_code == 405


def test_ask_routes_the_question_and_names_who_was_notified(client_for, alice, expert_bob):
    client = client_for(alice)
    response = client.post(
        reverse("expertise:question_new"),
        {
            "title": "Comment scaler kubernetes ?",
            "body": "Des pods qui tombent.",
            "tags": "k8s, #helm",
        },
        follow=True,
    )
    question = Post.objects.get(kind=Post.Kind.QUESTION)
    assert response.redirect_chain[-1][0] == reverse("expertise:question", args=[question.pk])
    assert QuestionRouting.objects.filter(question=question, expert=expert_bob).exists()
    assert expert_bob.get_full_name() in response.content.decode()
    assert sorted(t.normalized for t in question.tags.all()) == ["helm", "k8s"]


def test_preview_button_shows_experts_without_publishing(client_for, alice, expert_bob):
    response = client_for(alice).post(
        reverse("expertise:question_new"),
        {"title": "Kubernetes ?", "body": "Des pods.", "preview": "1"},
    )
    assert response.status_code == 200
    assert f'id="expert-{expert_bob.pk}"' in response.content.decode()
    assert not Post.objects.filter(kind=Post.Kind.QUESTION).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "body": "Des détails"},
        {"title": "Titre", "body": "   "},
        {"title": "Titre\x00", "body": "Des détails"},
        {"title": "T" * 201, "body": "Des détails"},
        {"title": "Titre", "body": "x" * 3001},
        {"title": "Titre", "body": "Des détails", "tags": "a,b,c,d,e,f"},
        {"title": "Titre", "body": "Des détails", "tags": "t" * 65},
        {"title": "Titre", "body": "Des détails", "community": "999999"},
        {"title": "Titre", "body": "Des détails", "community": "abc"},
    ],
)
def test_ask_bad_input_is_a_form_error_and_saves_nothing(client_for, alice, data):
    response = client_for(alice).post(reverse("expertise:question_new"), data)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not Post.objects.exists()


def test_ask_in_a_community_i_am_not_a_member_of_is_refused(client_for, alice, bob):
    closed = community_create(actor=bob, name="Fermé", visibility=Community.Visibility.CLOSED)
    response = client_for(alice).post(
        reverse("expertise:question_new"),
        {"title": "Titre", "body": "Détails", "community": closed.pk},
    )
    assert response.status_code == 422
    assert not Post.objects.filter(kind=Post.Kind.QUESTION).exists()


def test_ask_in_my_community(client_for, alice, bob):
    club = community_create(actor=alice, name="Club", visibility=Community.Visibility.CLOSED)
    response = client_for(alice).post(
        reverse("expertise:question_new"),
        {"title": "Titre", "body": "Détails", "community": club.pk},
    )
    assert response.status_code == 302
    assert Post.objects.get(kind=Post.Kind.QUESTION).community == club


# The question page


def test_question_page_shows_answers_accepted_first_with_anchors(
    client_for, alice, question, answered
):
    bob_answer, carol_answer = answered
    services.answer_accept(actor=alice, answer=carol_answer)
    response = client_for(alice).get(reverse("expertise:question", args=[question.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(f'id="answer-{carol_answer.pk}"') < page.index(f'id="answer-{bob_answer.pk}"')
    assert 'id="routed-h"' in page  # the asker sees who was asked
    assert reverse("expertise:answer_accept", args=[bob_answer.pk]) in page
    assert reverse("expertise:answer_vote", args=[bob_answer.pk]) in page


def test_question_page_for_an_answerer(client_for, question, answered, expert_bob):
    bob_answer, carol_answer = answered
    page = client_for(expert_bob).get(reverse("expertise:question", args=[question.pk]))
    page = page.content.decode()
    assert 'id="routed-h"' not in page  # only the asker sees the routing
    assert reverse("expertise:answer_accept", args=[bob_answer.pk]) not in page
    # No vote on one's own answer; votes on the others.
    assert reverse("expertise:answer_vote", args=[bob_answer.pk]) not in page
    assert reverse("expertise:answer_vote", args=[carol_answer.pk]) in page
    assert reverse("expertise:answer_edit", args=[bob_answer.pk]) in page
    assert reverse("expertise:answer_edit", args=[carol_answer.pk]) not in page


def test_question_page_query_count(
    client_for, alice, question, answered, django_assert_num_queries
):
    client = client_for(alice)
    url = reverse("expertise:question", args=[question.pk])
    client.get(url)  # the daily view is recorded once
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("question_id", ["0", "999999", "99999999999999999999"])
def test_unknown_question_is_404(client_for, alice, question_id):
    assert client_for(alice).get(f"/questions/{question_id}/").status_code == 404


def test_a_post_that_is_not_a_question_is_404(client_for, alice):
    post = post_create(actor=alice, body="Une mise à jour")
    assert client_for(alice).get(reverse("expertise:question", args=[post.pk])).status_code == 404


# Answers


def test_answer_with_htmx_returns_the_answers_block(client_for, bob, question):
    response = client_for(bob).post(
        reverse("expertise:answer_add", args=[question.pk]), {"body": "Avec **helm**."}, **HTMX
    )
    assert response.status_code == 200
    answer = Answer.objects.get()
    page = response.content.decode()
    assert page.startswith('<section id="answers"')
    assert f'id="answer-{answer.pk}"' in page
    assert "<strong>helm</strong>" in page


def test_answer_without_js_redirects_to_the_answer(client_for, bob, question):
    response = client_for(bob).post(
        reverse("expertise:answer_add", args=[question.pk]), {"body": "Avec helm."}
    )
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("expertise:question", args=[question.pk]) + (
        f"#answer-{answer.pk}"
    )
    question.refresh_from_db()
    assert question.answer_count == 1


@pytest.mark.parametrize("body", ["", "   ", "a\x00b", "x" * 20_001])
def test_bad_answer_is_refused_and_saves_nothing(client_for, bob, question, body):
    client = client_for(bob)
    url = reverse("expertise:answer_add", args=[question.pk])
    response = client.post(url, {"body": body}, **HTMX)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    response = client.post(url, {"body": body})
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_accept_and_unaccept_with_htmx(client_for, alice, answered):
    bob_answer, _carol_answer = answered
    client = client_for(alice)
    url = reverse("expertise:answer_accept", args=[bob_answer.pk])
    response = client.post(url, {"action": "accept"}, **HTMX)
    assert response.status_code == 200
    bob_answer.refresh_from_db()
    assert bob_answer.accepted_at is not None
    assert 'value="unaccept"' in response.content.decode()
    client.post(url, {"action": "unaccept"}, **HTMX)
    bob_answer.refresh_from_db()
    assert bob_answer.accepted_at is None


def test_accept_without_js_redirects(client_for, alice, answered):
    bob_answer, _ = answered
    response = client_for(alice).post(
        reverse("expertise:answer_accept", args=[bob_answer.pk]), {"action": "accept"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#answer-{bob_answer.pk}")
    bob_answer.refresh_from_db()
    assert bob_answer.accepted_at is not None


def test_only_the_asker_accepts(client_for, carol, answered):
    bob_answer, _ = answered
    client = client_for(carol)
    url = reverse("expertise:answer_accept", args=[bob_answer.pk])
    assert client.post(url, {"action": "accept"}, **HTMX).status_code == 403
    response = client.post(url, {"action": "accept"}, follow=True)
    assert response.status_code == 200
    bob_answer.refresh_from_db()
    assert bob_answer.accepted_at is None


def test_vote_up_toggle_and_down(client_for, alice, answered):
    bob_answer, _ = answered
    client = client_for(alice)
    url = reverse("expertise:answer_vote", args=[bob_answer.pk])
    response = client.post(url, {"value": "1"}, **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true" data-vote="up"' in response.content.decode()
    bob_answer.refresh_from_db()
    assert bob_answer.score == 1
    client.post(url, {"value": "0"}, **HTMX)
    bob_answer.refresh_from_db()
    assert bob_answer.score == 0
    response = client.post(url, {"value": "-1"})
    assert response.status_code == 302
    bob_answer.refresh_from_db()
    assert bob_answer.score == -1


@pytest.mark.parametrize("value", ["", "2", "up", "1.0", "\x00"])
def test_bad_vote_is_refused(client_for, alice, answered, value):
    bob_answer, _ = answered
    response = client_for(alice).post(
        reverse("expertise:answer_vote", args=[bob_answer.pk]), {"value": value}, **HTMX
    )
    assert response.status_code == 400
    assert not AnswerVote.objects.exists()


def test_no_vote_on_my_own_answer(client_for, expert_bob, answered):
    bob_answer, _ = answered
    response = client_for(expert_bob).post(
        reverse("expertise:answer_vote", args=[bob_answer.pk]), {"value": "1"}, **HTMX
    )
    assert response.status_code == 403
    assert not AnswerVote.objects.exists()


def test_edit_my_answer(client_for, expert_bob, answered):
    bob_answer, _ = answered
    client = client_for(expert_bob)
    url = reverse("expertise:answer_edit", args=[bob_answer.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": ""}).status_code == 422
    assert client.post(url, {"body": "x\x00"}).status_code == 422
    response = client.post(url, {"body": "Utilise helm 3."})
    assert response.status_code == 302
    bob_answer.refresh_from_db()
    assert bob_answer.body == "Utilise helm 3." and bob_answer.edited_at is not None


def test_cannot_edit_someone_elses_answer(client_for, carol, answered):
    bob_answer, _ = answered
    url = reverse("expertise:answer_edit", args=[bob_answer.pk])
    assert client_for(carol).get(url).status_code == 403
    assert client_for(carol).post(url, {"body": "Piraté"}).status_code == 403
    bob_answer.refresh_from_db()
    assert bob_answer.body == "Utilise helm."


def test_delete_answer_author_only(client_for, carol, expert_bob, answered, question):
    bob_answer, _ = answered
    url = reverse("expertise:answer_delete", args=[bob_answer.pk])
    client_for(carol).post(url)
    bob_answer.refresh_from_db()
    assert bob_answer.deleted_at is None
    assert client_for(expert_bob).post(url).status_code == 302
    bob_answer.refresh_from_db()
    assert bob_answer.deleted_at is not None
    question.refresh_from_db()
    assert question.answer_count == 1
    assert client_for(expert_bob).get(url.replace("delete", "edit")).status_code == 404


@pytest.mark.parametrize("name", ["answer_edit", "answer_delete", "answer_accept", "answer_vote"])
def test_unknown_answer_is_404(client_for, alice, name):
    client = client_for(alice)
    url = reverse(f"expertise:{name}", args=[999999])
    assert client.post(url, {"body": "x", "value": "1"}).status_code == 404


# Comments and removal


def test_comment_on_a_question_with_htmx_and_without(client_for, bob, question):
    client = client_for(bob)
    url = reverse("expertise:question_comment", args=[question.pk])
    response = client.post(url, {"body": "Quelle version ?"}, **HTMX)
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in response.content.decode()
    response = client.post(url, {"body": "Et quel cloud ?", "parent": comment.pk})
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert reply.parent_id == comment.pk
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    assert client.post(url, {"body": ""}, **HTMX).status_code == 422
    assert client.post(url, {"body": "x\x00"}).status_code == 302
    assert Comment.objects.count() == 2


def test_remove_a_question(client_for, alice, bob, question):
    url = reverse("expertise:question_delete", args=[question.pk])
    client_for(bob).post(url)
    question.refresh_from_db()
    assert question.deleted_at is None
    response = client_for(alice).post(url)
    assert response.status_code == 302 and response["Location"] == reverse("expertise:questions")
    assert (
        client_for(alice).get(reverse("expertise:question", args=[question.pk])).status_code == 404
    )


# The list


def test_question_list_with_counts_and_filters(client_for, alice, question, answered):
    services.answer_accept(actor=alice, answer=answered[0])
    other = services.question_ask(
        actor=alice, title="Une question sur Excel", body="?", route=False
    )
    client = client_for(alice)
    page = client.get(reverse("expertise:questions")).content.decode()
    assert page.index(f'id="question-{other.pk}"') < page.index(f'id="question-{question.pk}"')
    assert '<span class="answer-count">2 ' in page
    page = client.get(reverse("expertise:questions"), {"unanswered": "1"}).content.decode()
    assert f'id="question-{other.pk}"' in page and f'id="question-{question.pk}"' not in page
    page = client.get(reverse("expertise:questions"), {"tag": "#Kubernetes"}).content.decode()
    assert f'id="question-{question.pk}"' in page and f'id="question-{other.pk}"' not in page
    for bad in ({"tag": "nope"}, {"tag": "\x00"}, {"cursor": "garbage"}, {"cursor": "\x00_1"}):
        assert client.get(reverse("expertise:questions"), bad).status_code == 200


def test_question_list_pages_with_a_cursor(client_for, alice):
    for n in range(23):
        services.question_ask(actor=alice, title=f"Question {n}", body="?", route=False)
    client = client_for(alice)
    first = client.get(reverse("expertise:questions"))
    assert first.content.decode().count('class="card question-item"') == 20
    cursor = first.context["next_cursor"]
    second = client.get(reverse("expertise:questions"), {"cursor": cursor})
    assert second.content.decode().count('class="card question-item"') == 3


# Who knows?


def test_experts_empty_query_is_a_helpful_page(client_for, alice):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client_for(alice).get(reverse("expertise:experts"), params)
        assert response.status_code == 200
        assert 'id="expert-results"' in response.content.decode()
        assert response.context["results"] == []


def test_experts_ranks_people_with_evidence(client_for, alice, expert_bob, question, answered):
    services.answer_accept(actor=alice, answer=answered[0])
    response = client_for(alice).get(reverse("expertise:experts"), {"q": "kubernetes helm"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="expert-{expert_bob.pk}"' in page
    assert 'class="badge accepted"' in page
    assert "<mark>" in page
    assert 'role="progressbar"' in page


def test_experts_htmx_returns_the_results_only(client_for, alice, expert_bob):
    response = client_for(alice).get(reverse("expertise:experts"), {"q": "kubernetes"}, **HTMX)
    assert response.content.decode().startswith('<section id="expert-results"')


def test_experts_filters(client_for, alice, expert_bob, make_unit):
    lyon = Location.objects.create(name="Lyon")
    unit = make_unit("DSI")
    profile_update(
        actor=expert_bob, person=expert_bob, data={"location": lyon, "languages": ["fr"]}
    )
    client = client_for(alice)
    url = reverse("expertise:experts")
    assert expert_bob in _found(client.get(url, {"q": "kubernetes", "location": lyon.pk}))
    assert expert_bob in _found(client.get(url, {"q": "kubernetes", "language": "fr"}))
    assert expert_bob not in _found(client.get(url, {"q": "kubernetes", "language": "de"}))
    assert expert_bob not in _found(client.get(url, {"q": "kubernetes", "org_unit": unit.pk}))
    assert expert_bob in _found(client.get(url, {"q": "kubernetes", "available": "on"}))


def _found(response):
    assert response.status_code == 200
    return [r.user for r in response.context["results"]]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "kubernetes", "org_unit": "999999"},
        {"q": "kubernetes", "location": "abc"},
        {"q": "kubernetes", "language": "xx"},
        {"q": "k" * 5001},
    ],
)
def test_experts_bad_filters_are_form_errors(client_for, alice, params):
    response = client_for(alice).get(reverse("expertise:experts"), params)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


def test_experts_query_with_nul_or_only_punctuation(client_for, alice, expert_bob):
    client = client_for(alice)
    assert client.get(reverse("expertise:experts"), {"q": "kuber\x00netes"}).status_code == 422
    response = client.get(reverse("expertise:experts"), {"q": "?!…"})
    assert response.status_code == 200
    assert response.context["error"]


def test_pages_need_sign_in(client):
    for name in ("questions", "question_new", "experts"):
        response = client.get(reverse(f"expertise:{name}"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_secret_question_is_hidden_from_a_non_member(client_for, alice, bob, carol):
    secret = community_create(actor=alice, name="Secret", visibility=Community.Visibility.SECRET)
    membership_add(actor=alice, community=secret, user=bob)
    question = services.question_ask(
        actor=alice, title="Question secrète", body="Chut", community=secret, route=False
    )
    url = reverse("expertise:question", args=[question.pk])
    assert client_for(bob).get(url).status_code == 200
    assert client_for(carol).get(url).status_code == 404
    page = client_for(carol).get(reverse("expertise:questions")).content.decode()
    assert "Question secrète" not in page


def test_experts_page_queries_do_not_grow_with_the_people_shown(
    client_for, alice, make_person, make_unit, hr_admin
):
    """Each person's card (name, title, unit, site, photo, Expert level) comes with the
    ranking's statements: a second and a third expert cost no query of their own."""
    dsi = make_unit("DSI", "DSI")
    lyon = Location.objects.create(name="Lyon", city="Lyon", country="FR")
    client = client_for(alice)
    url = reverse("expertise:experts")
    client.get(url, {"q": "fromage"})  # the session's and the page's first-visit writes
    counts = []
    for i in range(3):
        person = make_person()
        profile_update(actor=hr_admin, person=person, data={"org_unit": dsi, "title": "Affineur"})
        profile_update(actor=person, person=person, data={"location": lyon})
        post_create(actor=person, body=f"Le fromage de Lyon, épisode {i}")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, {"q": "fromage"}).content.decode()
        assert page.count('class="card person-card expert"') == i + 1
        assert "Affineur" in page and "Lyon" in page
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2], counts
