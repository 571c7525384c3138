"""A person's skill suggestions: services, the profile block (htmx and without JS), the API."""

import json

import pytest

from vivier.core.errors import Conflict, NotFound
from vivier.expertise.inference import infer_skills
from vivier.expertise.models import InferredSkill
from vivier.expertise.selectors_skills import skill_suggestions
from vivier.expertise.services_skills import inferred_skill_confirm, inferred_skill_hide
from vivier.people.models import ProfileSkill
from vivier.people.services import skill_declare
from vivier.social.services import post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggested(alice, python_skill):
    """Alice wrote twice about Python: Python is suggested to her."""
    post_create(actor=alice, kind="article", title="Python au quotidien", body="Nos scripts.")
    post_create(actor=alice, body="Encore un script Python")
    infer_skills()
    assert InferredSkill.objects.filter(user=alice, skill=python_skill).exists()
    return python_skill


def _status(user, skill):
    return InferredSkill.objects.get(user=user, skill=skill).status


# Services and selector


def test_confirm_declares_the_skill_at_practice(alice, suggested):
    row = inferred_skill_confirm(actor=alice, skill_id=suggested.pk)
    assert row.status == "confirmed"
    assert ProfileSkill.objects.get(user=alice, skill=suggested).level == 2
    with pytest.raises(Conflict) as exc:
        inferred_skill_confirm(actor=alice, skill_id=suggested.pk)
    assert exc.value.code == "suggestion_already_confirmed"


def test_confirm_at_a_level_and_never_lowers_a_declared_one(alice, suggested):
    skill_declare(actor=alice, person=alice, skill_id=suggested.pk, level=4)
    inferred_skill_confirm(actor=alice, skill_id=suggested.pk, level=1)
    assert ProfileSkill.objects.get(user=alice, skill=suggested).level == 4


def test_hide(alice, suggested):
    assert inferred_skill_hide(actor=alice, skill_id=suggested.pk).status == "hidden"
    assert skill_suggestions(viewer=alice) == []
    with pytest.raises(Conflict):
        inferred_skill_hide(actor=alice, skill_id=suggested.pk)
    # Changing one's mind: a hidden suggestion can still be added.
    inferred_skill_confirm(actor=alice, skill_id=suggested.pk)
    assert _status(alice, suggested) == "confirmed"


@pytest.mark.parametrize("bad", [None, "", "abc", "1\x00", -1, 0, 2**70, True, 10**6])
def test_unknown_or_malformed_skill_ids_are_not_found(alice, suggested, bad):
    for service in (inferred_skill_confirm, inferred_skill_hide):
        with pytest.raises(NotFound) as exc:
            service(actor=alice, skill_id=bad)
        assert exc.value.code == "suggestion_not_found"


def test_nobody_decides_on_someone_elses_suggestion(alice, bob, hr_admin, suggested):
    for actor in (bob, hr_admin):
        with pytest.raises(NotFound):
            inferred_skill_confirm(actor=actor, skill_id=suggested.pk)
        with pytest.raises(NotFound):
            inferred_skill_hide(actor=actor, skill_id=suggested.pk)
    assert _status(alice, suggested) == "suggested"


def test_suggestions_carry_their_texts_and_skip_declared_skills(alice, suggested):
    [suggestion] = skill_suggestions(viewer=alice)
    assert suggestion.evidence_count == 2
    assert [t.kind for t in suggestion.texts] == ["post", "post"]
    assert suggestion.texts[0].title.startswith("Python au quotidien")  # the article weighs more
    skill_declare(actor=alice, person=alice, skill_id=suggested.pk, level=3)
    assert skill_suggestions(viewer=alice) == []


# Pages


def test_the_owner_sees_the_block_others_do_not(client_for, alice, bob, suggested):
    page = client_for(alice).get(f"/people/{alice.pk}/").content.decode()
    assert "Compétences suggérées" in page
    assert "Ajouter à mon profil" in page and "Masquer" in page
    assert "Python au quotidien" in page and "/posts/" in page
    other = client_for(bob).get(f"/people/{alice.pk}/").content.decode()
    assert "Compétences suggérées" not in other


def test_confirm_without_javascript(client_for, alice, suggested):
    response = client_for(alice).post(f"/me/skill-suggestions/{suggested.pk}/confirm/")
    assert response.status_code == 302 and response.url == f"/people/{alice.pk}/"
    assert ProfileSkill.objects.get(user=alice, skill=suggested).level == 2
    page = client_for(alice).get(response.url).content.decode()
    assert "Compétences suggérées" not in page


def test_confirm_with_htmx_returns_both_blocks(client_for, alice, suggested):
    response = client_for(alice).post(
        f"/me/skill-suggestions/{suggested.pk}/confirm/", {"level": "3"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="skill-suggestions"' in body and 'id="skills"' in body
    assert ProfileSkill.objects.get(user=alice, skill=suggested).level == 3


def test_hide_with_and_without_htmx(client_for, alice, suggested):
    client = client_for(alice)
    response = client.post(f"/me/skill-suggestions/{suggested.pk}/hide/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="skill-suggestions"' in response.content.decode()
    assert _status(alice, suggested) == "hidden"
    response = client.post(f"/me/skill-suggestions/{suggested.pk}/hide/")
    assert response.status_code == 302  # already hidden: a message, not an error page


@pytest.mark.parametrize("htmx", [True, False])
def test_bad_page_input_is_a_4xx(client_for, alice, bob, suggested, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    client = client_for(bob)
    for url, data in [
        (f"/me/skill-suggestions/{suggested.pk}/confirm/", {}),  # Alice's, not Bob's
        ("/me/skill-suggestions/999999/confirm/", {}),
        ("/me/skill-suggestions/99999999999999999999999/hide/", {}),
        (f"/me/skill-suggestions/{suggested.pk}/confirm/", {"level": "2\x00"}),
        (f"/me/skill-suggestions/{suggested.pk}/confirm/", {"level": "9"}),
    ]:
        response = client.post(url, data, **headers)
        assert response.status_code in ((400, 404) if htmx else (302,)), url
    response = client_for(alice).post(
        f"/me/skill-suggestions/{suggested.pk}/confirm/", {"level": "\x00"}, **headers
    )
    assert response.status_code in ((400,) if htmx else (302,))
    assert _status(alice, suggested) == "suggested"
    assert client.get(f"/me/skill-suggestions/{suggested.pk}/confirm/").status_code == 405


def test_anonymous_is_sent_to_sign_in(client, suggested):
    response = client.post(f"/me/skill-suggestions/{suggested.pk}/confirm/")
    assert response.status_code == 302 and "/accounts/" in response.url


# API


def test_api_lists_confirms_and_hides(client, alice, token_for, suggested, make_skill):
    headers = token_for(alice)
    listed = client.get("/api/v1/me/skill-suggestions", **headers).json()
    assert [s["slug"] for s in listed] == ["python"]
    assert listed[0]["evidence_count"] == 2 and len(listed[0]["texts"]) == 2
    response = client.post(
        f"/api/v1/me/skill-suggestions/{suggested.pk}/confirm",
        data=json.dumps({"level": 3}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json() == {"skill_id": suggested.pk, "status": "confirmed", "level": 3}
    assert client.get("/api/v1/me/skill-suggestions", **headers).json() == []
    response = client.post(f"/api/v1/me/skill-suggestions/{suggested.pk}/hide", **headers)
    assert (response.status_code, response.json()["code"]) == (409, "suggestion_already_confirmed")


def test_api_confirm_without_a_body_is_practice(client, alice, token_for, suggested):
    # A POST without any body, as `curl -X POST` sends it.
    response = client.post(
        f"/api/v1/me/skill-suggestions/{suggested.pk}/confirm",
        data="",
        content_type="application/json",
        **token_for(alice),
    )
    assert response.status_code == 200 and response.json()["level"] == 2


def test_api_hide(client, alice, token_for, suggested):
    url = f"/api/v1/me/skill-suggestions/{suggested.pk}/hide"
    response = client.post(url, **token_for(alice))
    assert response.json() == {"skill_id": suggested.pk, "status": "hidden", "level": None}


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("999999/confirm", None, 404, "suggestion_not_found"),
        ("999999/hide", None, 404, "suggestion_not_found"),
        ("0/hide", None, 422, "validation_error"),
        ("abc/hide", None, 422, "validation_error"),
        ("99999999999999999999999/confirm", None, 422, "validation_error"),
        ("{skill}/confirm", {"level": 5}, 422, "validation_error"),
        ("{skill}/confirm", {"level": "3"}, 422, "validation_error"),
        ("{skill}/confirm", {"level": True}, 422, "validation_error"),
        ("{skill}/confirm", {"level": "\x00"}, 422, "validation_error"),
        ("{skill}/confirm", [], 422, "validation_error"),
    ],
)
def test_api_bad_input_is_a_4xx(client, alice, token_for, suggested, path, body, status, code):
    url = "/api/v1/me/skill-suggestions/" + path.format(skill=suggested.pk)
    data = json.dumps(body) if body is not None else ""
    response = client.post(url, data=data, content_type="application/json", **token_for(alice))
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert _status(alice, suggested) == "suggested"


def test_api_someone_elses_suggestion_and_anonymous(client, bob, token_for, suggested):
    response = client.post(
        f"/api/v1/me/skill-suggestions/{suggested.pk}/confirm",
        data="",
        content_type="application/json",
        **token_for(bob),
    )
    assert (response.status_code, response.json()["code"]) == (404, "suggestion_not_found")
    assert client.get("/api/v1/me/skill-suggestions").status_code == 401
    assert client.post(f"/api/v1/me/skill-suggestions/{suggested.pk}/hide").status_code == 401
