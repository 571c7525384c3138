"""The opportunities API: the main path, errors with stable codes, nothing half-saved."""

import pytest

from vivier.opportunities.models import Application, Opportunity, OpportunitySkill
from vivier.opportunities.services import mobility_update
from vivier.people.models import Profile, ProfileSkill

BODY = {
    "kind": "project",
    "title": "Plateforme data",
    "description": "Construire la plateforme.",
    "time_share_percent": 30,
    "start_date": "2027-01-04",
    "end_date": "2027-06-30",
    "strategic": True,
    "skills": [{"skill": "python", "level": 3}, {"skill": "SQL", "level": 2, "required": False}],
}


@pytest.fixture
def owner(make_person):
    return make_person("owner@example.test", first_name="Odile")


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_create_publish_recommend_apply_and_accept(
    client, owner, alice, token_for, python_skill, sql_skill
):
    owner_headers, alice_headers = token_for(owner), token_for(alice)
    created = _post(client, "/api/v1/opportunities", BODY, owner_headers)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "draft" and data["strategic"] is True
    assert [s["slug"] for s in data["skills"]] == ["python", "sql"]
    pk = data["id"]
    assert client.get(f"/api/v1/opportunities/{pk}", **alice_headers).status_code == 404
    published = _post(
        client, f"/api/v1/opportunities/{pk}/status", {"action": "publish"}, owner_headers
    )
    assert published.json()["status"] == "open"

    ProfileSkill.objects.create(user=alice, skill=python_skill, level=4)
    Profile.objects.filter(user=alice).update(availability_percent=50)
    mobility_update(actor=alice, open_to_move=True, suggestible=True)
    mine = client.get("/api/v1/opportunities/for-me", **alice_headers).json()
    assert mine[0]["opportunity"]["id"] == pk
    missing = mine[0]["match"]["missing"]
    assert missing[0]["label"] == "SQL" and missing[0]["experts_url"] == "/experts/?q=SQL"
    assert missing[0]["learn_url"].startswith("/mentoring/mentors/?skill=")
    people = client.get(f"/api/v1/opportunities/{pk}/people", **owner_headers).json()
    assert people[0]["person"]["id"] == alice.pk
    assert client.get(f"/api/v1/opportunities/{pk}/people", **alice_headers).status_code == 403

    applied = _post(
        client, f"/api/v1/opportunities/{pk}/applications", {"message": "Partante"}, alice_headers
    )
    assert applied.status_code == 201
    again = _post(
        client, f"/api/v1/opportunities/{pk}/applications", {"message": "Encore"}, alice_headers
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_applied")
    application_id = applied.json()["id"]
    decision = f"/api/v1/opportunities/applications/{application_id}/decision"
    refused = _post(client, decision, {"action": "accept"}, alice_headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    accepted = _post(client, decision, {"action": "accept"}, owner_headers)
    assert accepted.json()["status"] == "accepted" and accepted.json()["staffed_percent"] == 30
    assert Profile.objects.get(user=alice).availability_percent == 20
    twice = _post(client, decision, {"action": "decline", "reason": "Non"}, owner_headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")
    listed = client.get(f"/api/v1/opportunities/{pk}/applications", **owner_headers).json()
    assert [a["status"] for a in listed] == ["accepted"]
    dashboard = client.get("/api/v1/opportunities/dashboard", **owner_headers).json()
    assert dashboard[-1] | {} and dashboard[-1]["filled_inside"] == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"end_date": "2026-01-01"}, 400, "invalid_dates"),
        ({"skills": [{"skill": "basket-weaving"}]}, 400, "unknown_skill"),
        ({"skills": [{"skill": "python", "level": 7}]}, 422, "validation_error"),
        ({"time_share_percent": 0}, 422, "validation_error"),
        ({"location_id": 999}, 400, "location_not_found"),
        ({"visibility": "units"}, 400, "units_required"),
        ({"kind": "party"}, 422, "validation_error"),
    ],
)
def test_bad_opportunities_are_refused(
    client, owner, token_for, python_skill, sql_skill, change, status, code
):
    response = _post(client, "/api/v1/opportunities", BODY | change, token_for(owner))
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Opportunity.objects.exists() and not OpportunitySkill.objects.exists()


def test_applying_to_a_closed_opportunity_is_a_conflict(
    client, owner, alice, token_for, make_opportunity
):
    opportunity = make_opportunity(owner)
    _post(
        client,
        f"/api/v1/opportunities/{opportunity.pk}/status",
        {"action": "close"},
        token_for(owner),
    )
    response = _post(
        client,
        f"/api/v1/opportunities/{opportunity.pk}/applications",
        {"message": "Hop"},
        token_for(alice),
    )
    assert (response.status_code, response.json()["code"]) == (409, "opportunity_not_open")
    assert not Application.objects.exists()


def test_preferences_round_trip(client, alice, token_for, python_skill):
    headers = token_for(alice)
    body = {"open_to_move": True, "suggestible": True, "interests": ["py"], "location_ids": []}
    response = client.put(
        "/api/v1/opportunities/preferences", body, content_type="application/json", **headers
    )
    assert response.status_code == 200
    assert response.json()["interests"] == [
        {"id": python_skill.pk, "slug": "python", "label": "Python"}
    ]
    bad = client.put(
        "/api/v1/opportunities/preferences",
        {"interests": ["nope"]},
        content_type="application/json",
        **headers,
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "unknown_skill")
    assert client.get("/api/v1/opportunities/preferences", **headers).json()["suggestible"] is True


def test_list_query_count_is_pinned(
    client, owner, alice, token_for, make_opportunity, django_assert_num_queries
):
    headers = token_for(alice)
    for n in range(5):
        make_opportunity(owner, title=f"Projet {n}")
    client.get("/api/v1/opportunities", **headers)  # token touch
    # The same 7 queries whatever the number of opportunities (no query per opportunity), the
    # rate-limit count included.
    with django_assert_num_queries(7):
        response = client.get("/api/v1/opportunities", **headers)
    assert response.json()["count"] == 5
