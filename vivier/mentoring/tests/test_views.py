"""Mentoring pages: forms with clear errors, suggestions, mentors by skill, programmes; query counts."""

import pytest

from vivier.mentoring import services
from vivier.mentoring.models import MenteeRequest, MentorOffer, Mentorship, Programme


def test_request_form_refuses_half_goals_and_saves_good_ones(client_for, alice, python_skill):
    client = client_for(alice)
    assert client.get("/mentoring/request/").status_code == 200
    response = client.post("/mentoring/request/", {"goal_1_skill": "python", "goal_1_level": ""})
    assert response.status_code == 422
    assert not MenteeRequest.objects.exists()
    response = client.post(
        "/mentoring/request/",
        {
            "goal_1_skill": "python",
            "goal_1_level": "2",
            "prefer_other_department": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert MenteeRequest.objects.get(user=alice).goals.get().target_level == 2


def test_offer_form_only_lists_declared_skills(client_for, alice, python_skill, security_skill):
    from vivier.people.models import ProfileSkill

    ProfileSkill.objects.create(user=alice, skill=python_skill, level=3)
    client = client_for(alice)
    page = client.get("/mentoring/offer/").content.decode()
    assert 'value="python"' in page and 'value="security"' not in page
    response = client.post("/mentoring/offer/", {"skills": ["security"], "capacity": "2"})
    assert response.status_code == 422
    response = client.post(
        "/mentoring/offer/", {"skills": ["python"], "capacity": "2", "active": "on"}
    )
    assert response.status_code == 302
    assert MentorOffer.objects.get(user=alice).capacity == 2


def test_suggestions_page_then_ask(client_for, make_mentor, make_mentee, python_skill):
    mentor = make_mentor({python_skill: 4}, first_name="Mathilde")
    mentee = make_mentee({python_skill: 3})
    client = client_for(mentee)
    page = client.get("/mentoring/suggestions/").content.decode()
    assert f'id="suggestion-{mentor.pk}"' in page
    response = client.post(f"/mentoring/mentors/{mentor.pk}/ask/", {"message": "Bonjour"})
    mentorship = Mentorship.objects.get()
    assert response.status_code == 302 and response.url == f"/mentoring/pairs/{mentorship.pk}/"
    # Asking oneself comes back as a message, nothing saved.
    response = client.post(f"/mentoring/mentors/{mentee.pk}/ask/", follow=True)
    assert Mentorship.objects.count() == 1
    assert b'role="status"' in response.content


def test_mentors_by_skill_page(client_for, make_mentor, alice, python_skill):
    mentor = make_mentor({python_skill: 4})
    client = client_for(alice)
    page = client.get("/mentoring/mentors/?skill=python").content.decode()
    assert f'id="mentor-{mentor.pk}"' in page
    assert client.get("/mentoring/mentors/?skill=nope").status_code == 404
    assert client.get("/mentoring/mentors/").status_code == 200


def test_feedback_form_errors_are_shown(client_for, make_mentor, make_mentee, python_skill):
    mentor = make_mentor({python_skill: 4})
    mentee = make_mentee({python_skill: 2})
    m = services.mentorship_request(actor=mentee, mentor_id=mentor.pk)
    services.mentorship_answer(actor=mentor, mentorship=m, accept=True)
    client = client_for(mentee)
    response = client.post(f"/mentoring/pairs/{m.pk}/feedback/", {"rating": "4"})
    assert response.status_code == 422  # not ended yet: the form says so
    assert client.post(f"/mentoring/pairs/{m.pk}/end/").status_code == 302
    assert client.post(f"/mentoring/pairs/{m.pk}/feedback/", {"rating": "9"}).status_code == 422
    assert client.post(f"/mentoring/pairs/{m.pk}/feedback/", {"rating": "4"}).status_code == 302
    assert client.post(f"/mentoring/pairs/{m.pk}/nonsense/").status_code == 404


def test_programme_pages_for_hr_and_not_for_others(
    client_for, make_mentor, make_mentee, python_skill, hr_admin, alice
):
    mentor = make_mentor({python_skill: 4})
    mentee = make_mentee({python_skill: 2})
    hr = client_for(hr_admin)
    assert hr.get("/mentoring/programmes/new/").status_code == 200
    response = hr.post(
        "/mentoring/programmes/new/",
        {"name": "Cohorte", "mentors": [str(mentor.pk)], "mentees": [str(mentee.pk)]},
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert hr.post(f"/mentoring/programmes/{programme.pk}/assign/").status_code == 302
    page = hr.get(f"/mentoring/programmes/{programme.pk}/").content.decode()
    assert 'id="publish-form"' in page and "adjust" in page
    assert client_for(alice).get("/mentoring/programmes/new/").status_code == 404
    assert client_for(alice).get(f"/mentoring/programmes/{programme.pk}/").status_code == 404
    assert (
        client_for(alice).post(f"/mentoring/programmes/{programme.pk}/publish/").status_code == 404
    )
    assert hr.post(f"/mentoring/programmes/{programme.pk}/publish/").status_code == 302
    programme.refresh_from_db()
    assert programme.status == "published"


@pytest.mark.parametrize("pairs", [1, 6])
def test_home_and_programme_pages_query_counts_do_not_grow(
    pairs, client_for, make_mentor, make_mentee, python_skill, hr_admin, django_assert_num_queries
):
    mentor = make_mentor({python_skill: 4}, capacity=10)
    mentees = [make_mentee({python_skill: 2}) for _ in range(pairs)]
    for mentee in mentees:
        m = services.mentorship_request(actor=mentee, mentor_id=mentor.pk)
        services.mentorship_answer(actor=mentor, mentorship=m, accept=True)
    other = make_mentor({python_skill: 4}, capacity=10)
    programme = services.programme_create(
        actor=hr_admin, name="P", mentor_ids=[other.pk], mentee_ids=[m.pk for m in mentees]
    )
    services.programme_assign(actor=hr_admin, programme=programme)
    assert programme.mentorships.count() == pairs
    client = client_for(mentor)
    client.get("/mentoring/")  # warm the session and role caches
    with django_assert_num_queries(8):
        assert client.get("/mentoring/").status_code == 200
    hr = client_for(hr_admin)
    hr.get(f"/mentoring/programmes/{programme.pk}/")
    with django_assert_num_queries(15):
        assert hr.get(f"/mentoring/programmes/{programme.pk}/").status_code == 200
    with django_assert_num_queries(5):
        assert hr.get("/mentoring/programmes/").status_code == 200
