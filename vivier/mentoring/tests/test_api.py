"""Mentoring API: intents, requests to a mentor, the pair's log, programmes; errors as JSON."""

import json

import pytest

from vivier.mentoring import services
from vivier.mentoring.models import MenteeRequest, Mentorship, Programme

BASE = "/api/v1/mentoring"


def call(client, method, path, body=None):
    return getattr(client, method)(
        BASE + path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_intents_suggestions_request_and_accept(client_for, make_mentor, make_person, python_skill):
    mentor = make_mentor({python_skill: 4})
    mentee = make_person()
    api = client_for(mentee)
    assert call(api, "get", "/request").status_code == 404
    response = call(api, "put", "/request", {"goals": [{"skill": "nope", "target_level": 2}]})
    assert response.status_code == 400 and response.json()["code"] == "unknown_skill"
    assert not MenteeRequest.objects.exists()
    response = call(api, "put", "/request", {"goals": [{"skill": "python", "target_level": 3}]})
    assert response.status_code == 200, response.content
    assert response.json()["goals"][0]["skill"]["slug"] == "python"

    [suggestion] = call(api, "get", "/suggestions").json()
    assert suggestion["mentor"]["id"] == mentor.pk
    assert {"skill_fit", "capacity_left"} <= {r["code"] for r in suggestion["reasons"]}

    response = call(api, "post", "/mentorships", {"mentor_id": mentee.pk})
    assert response.status_code == 400 and response.json()["code"] == "self_request"
    response = call(api, "post", "/mentorships", {"mentor_id": mentor.pk, "message": "Salut"})
    assert response.status_code == 201
    mentorship_id = response.json()["id"]
    response = call(api, "post", "/mentorships", {"mentor_id": mentor.pk})
    assert response.status_code == 409 and response.json()["code"] == "already_requested"

    assert call(api, "post", f"/mentorships/{mentorship_id}/accept").status_code == 403
    mentor_api = client_for(mentor)
    response = call(mentor_api, "post", f"/mentorships/{mentorship_id}/accept")
    assert response.status_code == 200 and response.json()["status"] == "active"
    response = call(mentor_api, "post", f"/mentorships/{mentorship_id}/decline")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


def test_mentor_offer_and_mentors_for_skill(client_for, make_person, python_skill):
    from vivier.people.models import ProfileSkill

    mentor = make_person()
    api = client_for(mentor)
    response = call(api, "put", "/offer", {"skills": ["python"], "capacity": 2})
    assert response.status_code == 400 and response.json()["code"] == "skill_not_declared"
    ProfileSkill.objects.create(user=mentor, skill=python_skill, level=3)
    response = call(api, "put", "/offer", {"skills": ["python"], "capacity": 2, "reverse": True})
    assert response.status_code == 200 and response.json()["capacity_left"] == 2
    other = client_for(make_person())
    body = other.get(f"{BASE}/mentors?skill=python").json()
    assert [m["mentor"]["id"] for m in body["mentors"]] == [mentor.pk]
    response = other.get(f"{BASE}/mentors?skill=unknown")
    assert response.status_code == 404 and response.json()["code"] == "unknown_skill"


@pytest.fixture
def running_pair(make_mentor, make_mentee, python_skill):
    mentor = make_mentor({python_skill: 4})
    mentee = make_mentee({python_skill: 2})
    mentorship = services.mentorship_request(actor=mentee, mentor_id=mentor.pk)
    services.mentorship_answer(actor=mentor, mentorship=mentorship, accept=True)
    services.note_add(actor=mentee, mentorship=mentorship, body="Secret de la paire")
    return mentor, mentee, mentorship


@pytest.mark.parametrize(
    ("who", "status", "sees_notes"),
    [("mentor", 200, True), ("mentee", 200, True), ("hr", 404, False), ("stranger", 404, False)],
)
def test_one_to_one_relationship_visibility_matrix(
    who, status, sees_notes, running_pair, hr_admin, make_person, client_for
):
    mentor, mentee, mentorship = running_pair
    viewer = {"mentor": mentor, "mentee": mentee, "hr": hr_admin, "stranger": make_person()}[who]
    response = client_for(viewer).get(f"{BASE}/mentorships/{mentorship.pk}")
    assert response.status_code == status
    if status == 200:
        notes = response.json()["notes"]
        assert (notes is not None and notes[0]["body"] == "Secret de la paire") == sees_notes


@pytest.mark.parametrize(
    ("who", "status", "sees_notes"),
    [("mentor", 200, True), ("mentee", 200, True), ("hr", 200, False), ("stranger", 404, False)],
)
def test_programme_relationship_notes_stay_private_even_for_hr(
    who,
    status,
    sees_notes,
    make_mentor,
    make_mentee,
    python_skill,
    hr_admin,
    make_person,
    client_for,
):
    mentor = make_mentor({python_skill: 4})
    mentee = make_mentee({python_skill: 2})
    programme = services.programme_create(
        actor=hr_admin, name="P", mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
    )
    services.programme_assign(actor=hr_admin, programme=programme)
    services.programme_publish(actor=hr_admin, programme=programme)
    mentorship = Mentorship.objects.get(programme=programme)
    services.note_add(actor=mentor, mentorship=mentorship, body="Note secrete 42")
    viewer = {"mentor": mentor, "mentee": mentee, "hr": hr_admin, "stranger": make_person()}[who]
    response = client_for(viewer).get(f"{BASE}/mentorships/{mentorship.pk}")
    assert response.status_code == status
    if status == 200:
        assert (response.json()["notes"] is not None) == sees_notes
        assert ("Note secrete 42" in response.content.decode()) == sees_notes
    page = client_for(viewer).get(f"/mentoring/pairs/{mentorship.pk}/")
    assert page.status_code == status
    assert ("Note secrete 42" in page.content.decode()) == sees_notes


@pytest.mark.parametrize(
    ("action", "actor", "status"),
    [
        ("notes", "mentor", 201),
        ("notes", "mentee", 201),
        ("notes", "hr", 404),
        ("sessions", "mentee", 201),
        ("sessions", "stranger", 404),
        ("end", "mentee", 200),
        ("end", "hr", 404),
        ("accept", "mentee", 403),
    ],
)
def test_pair_action_matrix(action, actor, status, running_pair, hr_admin, make_person, client_for):
    mentor, mentee, mentorship = running_pair
    user = {"mentor": mentor, "mentee": mentee, "hr": hr_admin, "stranger": make_person()}[actor]
    body = {
        "notes": {"body": "Une note"},
        "sessions": {"held_on": "2024-01-15", "duration_minutes": 30},
    }.get(action)
    response = call(client_for(user), "post", f"/mentorships/{mentorship.pk}/{action}", body)
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("role", "create", "view_other"), [("hr", 201, 200), ("employee", 403, 404)]
)
def test_programme_permission_matrix(
    role, create, view_other, make_mentor, make_mentee, python_skill, hr_admin, alice, client_for
):
    mentor = make_mentor({python_skill: 4})
    mentee = make_mentee({python_skill: 2})
    user = hr_admin if role == "hr" else alice
    body = {"name": "Cohorte", "mentor_ids": [mentor.pk], "mentee_ids": [mentee.pk]}
    response = call(client_for(user), "post", "/programmes", body)
    assert response.status_code == create, response.content
    programme = services.programme_create(
        actor=hr_admin, name="Autre", mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
    )
    assert client_for(user).get(f"{BASE}/programmes/{programme.pk}").status_code == view_other
    response = call(client_for(user), "post", f"/programmes/{programme.pk}/assign")
    assert response.status_code == (200 if role == "hr" else 404)
    # A participant sees the programme, but neither HR's unmatched list nor others' proposals.
    body = client_for(mentee).get(f"{BASE}/programmes/{programme.pk}").json()
    assert body["unmatched"] is None
    assert body["pairs"] == []


def test_programme_api_flow_with_adjust_and_publish(
    make_mentor, make_mentee, python_skill, hr_admin, client_for
):
    m1 = make_mentor({python_skill: 4}, capacity=1)
    m2 = make_mentor({python_skill: 3}, capacity=1)
    a = make_mentee({python_skill: 2})
    api = client_for(hr_admin)
    response = call(
        api,
        "post",
        "/programmes",
        {"name": "P", "mentor_ids": [m1.pk, m2.pk], "mentee_ids": [a.pk]},
    )
    pid = response.json()["id"]
    body = call(api, "post", f"/programmes/{pid}/assign").json()
    assert body["stats"]["matched"] == 1 and body["unmatched"] == []
    body = call(api, "put", f"/programmes/{pid}/assignments/{a.pk}", {"mentor_id": m2.pk}).json()
    assert [p["mentor"]["id"] for p in body["pairs"]] == [m2.pk]
    response = call(api, "put", f"/programmes/{pid}/assignments/{m1.pk}", {"mentor_id": m2.pk})
    assert response.status_code == 404 and response.json()["code"] == "not_participant"
    body = call(api, "post", f"/programmes/{pid}/publish").json()
    assert body["status"] == "published" and body["stats"]["active"] == 1
    response = call(api, "post", f"/programmes/{pid}/publish")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert Programme.objects.get(pk=pid).status == "published"


def test_list_endpoints_query_counts(running_pair, client_for, django_assert_max_num_queries):
    _mentor, mentee, _mentorship = running_pair
    api = client_for(mentee)
    api.get(f"{BASE}/mentorships")
    with django_assert_max_num_queries(6):
        assert len(api.get(f"{BASE}/mentorships").json()) == 1
