"""The people API over HTTP, with tokens and with the session."""

import json

import pytest

from vivier.people.models import Endorsement, Location, ProfileSkill
from vivier.people.services import profile_update, skill_declare


def _json(response):
    return json.loads(response.content)


def test_me_with_a_token(client, alice, token_for, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    response = client.get("/api/v1/me", **token_for(alice))
    assert response.status_code == 200
    body = _json(response)
    assert body["email"] == "alice@example.test" and body["roles"] == ["employee"]
    assert body["skills"][0]["slug"] == "python" and body["skills"][0]["level"] == 3
    assert 0 <= body["completeness"] <= 100
    assert {p["key"] for p in body["completeness_parts"]} >= {"skills", "photo"}


def test_people_directory_with_filters(
    client, alice, bob, token_for, python_skill, make_unit, hr_admin
):
    unit = make_unit("DSI")
    profile_update(actor=hr_admin, person=bob, data={"org_unit": unit})
    skill_declare(actor=bob, person=bob, skill_id=python_skill.pk, level=4)
    headers = token_for(alice)
    everyone = _json(client.get("/api/v1/people", **headers))
    assert everyone["count"] == 3
    assert set(everyone["items"][0]) >= {"id", "name", "email", "title", "org_unit"}
    by_skill = _json(client.get("/api/v1/people?skill=PY", **headers))
    assert [p["email"] for p in by_skill["items"]] == ["bob@example.test"]
    by_unit = _json(client.get(f"/api/v1/people?org_unit={unit.pk}", **headers))
    assert by_unit["items"][0]["org_unit"]["code"] == "DSI"
    page = _json(client.get("/api/v1/people?limit=1&offset=1", **headers))
    assert page["count"] == 3 and len(page["items"]) == 1
    by_name = _json(client.get("/api/v1/people?q=lefevre", **headers))
    assert [p["email"] for p in by_name["items"]] == ["bob@example.test"]


def test_people_list_query_count_is_flat(
    client, make_person, token_for, alice, django_assert_max_num_queries
):
    headers = token_for(alice)
    for _ in range(30):
        make_person()
    # rate limit, token, count, page
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/people?limit=50", **headers)
    assert len(_json(response)["items"]) == 31


def test_person_detail_and_unknown_ids(client, alice, bob, token_for):
    headers = token_for(alice)
    body = _json(client.get(f"/api/v1/people/{bob.pk}", **headers))
    assert body["name"] == "Bob Lefèvre" and body["skills"] == []
    missing = client.get("/api/v1/people/987654", **headers)
    assert missing.status_code == 404 and _json(missing)["code"] == "person_not_found"
    huge = client.get(f"/api/v1/people/{2**70}", **headers)
    assert huge.status_code in (404, 422)
    assert "code" in _json(huge)


def test_skills_search(client, alice, token_for, security_skill, python_skill):
    body = _json(client.get("/api/v1/skills?q=securite", **token_for(alice)))
    assert [s["slug"] for s in body["items"]] == ["security"]
    assert body["items"][0]["label_fr"] == "Sécurité"
    assert "sécurité informatique" in body["items"][0]["aliases"]


def test_declare_list_and_remove_my_skills(client, alice, token_for, python_skill):
    headers = token_for(alice)
    created = client.post(
        "/api/v1/me/skills",
        {"skill_id": python_skill.pk, "level": 2},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201 and _json(created)["level"] == 2
    updated = client.post(
        "/api/v1/me/skills",
        {"skill_id": python_skill.pk, "level": 4},
        content_type="application/json",
        **headers,
    )
    assert updated.status_code == 200 and _json(updated)["level"] == 4
    assert [s["level"] for s in _json(client.get("/api/v1/me/skills", **headers))] == [4]
    assert client.delete(f"/api/v1/me/skills/{python_skill.pk}", **headers).status_code == 204
    again = client.delete(f"/api/v1/me/skills/{python_skill.pk}", **headers)
    assert again.status_code == 404 and _json(again)["code"] == "skill_not_declared"


@pytest.mark.parametrize(
    "payload",
    [
        {"skill_id": 1, "level": 9},
        {"skill_id": "x", "level": 2},
        {"level": 2},
        {},
        [],
        {"skill_id": 2**80, "level": 2},
    ],
)
def test_bad_skill_payloads_are_422(client, alice, token_for, python_skill, payload):
    response = client.post(
        "/api/v1/me/skills", payload, content_type="application/json", **token_for(alice)
    )
    assert response.status_code == 422
    assert _json(response)["code"] == "validation_error"
    assert not ProfileSkill.objects.exists()


def test_unknown_skill_is_404(client, alice, token_for):
    response = client.post(
        "/api/v1/me/skills",
        {"skill_id": 424242, "level": 2},
        content_type="application/json",
        **token_for(alice),
    )
    assert response.status_code == 404 and _json(response)["code"] == "skill_not_found"


def test_endorsements_over_the_api(client, alice, bob, token_for, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    url = f"/api/v1/people/{alice.pk}/skills/{python_skill.pk}/endorsements"
    first = client.post(url, **token_for(bob))
    assert first.status_code == 201 and _json(first)["endorsement_count"] == 1
    duplicate = client.post(url, **token_for(bob))
    assert duplicate.status_code == 409 and _json(duplicate)["code"] == "already_endorsed"
    own = client.post(url, **token_for(alice))
    assert own.status_code == 400 and _json(own)["code"] == "self_endorsement"
    assert client.delete(url, **token_for(bob)).status_code == 204
    assert not Endorsement.objects.exists()
    gone = client.delete(url, **token_for(bob))
    assert gone.status_code == 404 and _json(gone)["code"] == "not_endorsed"


def test_patch_me(client, alice, token_for):
    lyon = Location.objects.create(name="Lyon")
    headers = token_for(alice)
    response = client.patch(
        "/api/v1/me",
        {
            "title": "Data engineer",
            "location_id": lyon.pk,
            "languages": ["fr", "en"],
            "availability_percent": 40,
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    body = _json(response)
    assert body["title"] == "Data engineer" and body["location"]["name"] == "Lyon"
    assert body["languages"] == ["fr", "en"] and body["availability_percent"] == 40
    bad = client.patch(
        "/api/v1/me",
        {"availability_percent": 300, "title": "Ignored"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    assert _json(client.get("/api/v1/me", **headers))["title"] == "Data engineer"
    unknown = client.patch(
        "/api/v1/me", {"location_id": 99999}, content_type="application/json", **headers
    )
    assert unknown.status_code == 404 and _json(unknown)["code"] == "location_not_found"


def test_session_writes_need_csrf(alice, python_skill):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/me/skills",
        {"skill_id": python_skill.pk, "level": 2},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not ProfileSkill.objects.exists()


def test_openapi_and_docs_are_served_without_cdn(client, alice):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = _json(schema)["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/skills",
        "/api/v1/me/skills",
        "/api/v1/people/{person_id}/skills/{skill_id}/endorsements",
    ]:
        assert path in paths
    client.force_login(alice)
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/ninja/" in docs
