"""Pages over HTTP: rendering, permissions, htmx partials, bad input and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vivier.core.models import ActivityEvent
from vivier.people.models import Endorsement, Location, Profile, ProfileSkill
from vivier.people.services import endorsement_create, profile_update, skill_declare


def test_pages_need_sign_in(client, alice):
    for url in ["/", "/people/", f"/people/{alice.pk}/", "/skills/", "/org/", "/jobs/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_main_pages_render(client_for, alice, bob, python_skill, make_unit, hr_admin):
    unit = make_unit("DSI", "Direction des SI")
    profile_update(actor=hr_admin, person=alice, data={"org_unit": unit, "manager": bob})
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    client = client_for(alice)
    pages = {
        "/": "Python",
        "/people/": "Python",  # each card shows the main skills
        f"/people/{alice.pk}/": "Direction des SI",
        f"/people/{bob.pk}/": "Alice",  # direct reports
        f"/people/{alice.pk}/edit/": 'name="bio"',
        "/skills/": "Python",
        "/skills/python/": "Alice",
        "/org/": "Direction des SI",
        f"/org/{unit.pk}/": "Alice",
        "/jobs/": "",
        "/accounts/settings/": "",
        "/accounts/tokens/": "",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_french_by_default_and_english_on_request(client_for, alice):
    client = client_for(alice)
    assert '<html lang="fr">' in client.get("/people/").content.decode()
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/people/"})
    alice.refresh_from_db()
    assert alice.language == "en"
    assert '<html lang="en">' in client.get("/people/").content.decode()


def test_unknown_people_and_skills_are_404(client_for, alice):
    client = client_for(alice)
    assert client.get("/people/999999/").status_code == 404
    assert client.get("/skills/no-such-skill/").status_code == 404
    assert client.get("/org/999999/").status_code == 404


def test_someone_elses_profile_cannot_be_edited(client_for, alice, bob):
    client = client_for(bob)
    assert client.get(f"/people/{alice.pk}/edit/").status_code == 403
    response = client.post(
        f"/people/{alice.pk}/edit/",
        {
            "first_name": "X",
            "last_name": "Y",
            "availability_percent": 0,
            "availability_status": "available",
        },
    )
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_profile_edit_form_errors_and_success(client_for, alice):
    client = client_for(alice)
    url = f"/people/{alice.pk}/edit/"
    bad = client.post(
        url,
        {
            "first_name": "",
            "last_name": "Durand",
            "availability_percent": 150,
            "availability_status": "available",
        },
    )
    assert bad.status_code == 422
    assert bad.context["form"].errors.keys() >= {"first_name", "availability_percent"}
    good = client.post(
        url,
        {
            "first_name": "Alicia",
            "last_name": "Durand",
            "title": "Cheffe",
            "languages": ["fr", "en"],
            "availability_percent": 30,
            "availability_status": "busy",
            "bio": "Je fais **du** Python.",
        },
    )
    assert good.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert profile.title == "Cheffe" and profile.languages == ["fr", "en"]
    assert profile.user.first_name == "Alicia"


def test_employee_form_has_no_placement_but_hr_form_does(client_for, alice, hr_admin):
    assert "hr-org_unit" not in client_for(alice).get(f"/people/{alice.pk}/edit/").content.decode()
    page = client_for(hr_admin).get(f"/people/{alice.pk}/edit/").content.decode()
    assert "hr-org_unit" in page and "hr-manager_email" in page


def test_hr_sets_manager_by_email_and_unknown_email_is_a_form_error(
    client_for, alice, bob, hr_admin
):
    client = client_for(hr_admin)
    base = {
        "first_name": "Alice",
        "last_name": "Durand",
        "availability_percent": 0,
        "availability_status": "available",
    }
    bad = client.post(f"/people/{alice.pk}/edit/", base | {"hr-manager_email": "nobody@x.test"})
    assert bad.status_code == 422 and "hr-manager_email" in bad.content.decode()
    cycle = client.post(f"/people/{bob.pk}/edit/", base | {"hr-manager_email": bob.email})
    assert cycle.status_code == 422
    ok = client.post(f"/people/{alice.pk}/edit/", base | {"hr-manager_email": bob.email})
    assert ok.status_code == 302
    assert Profile.objects.get(user=alice).manager == bob


def test_add_skill_with_htmx_by_alias(client_for, alice, python_skill):
    client = client_for(alice)
    response = client.post(
        reverse("people:my_skill_add"), {"skill": "PY", "level": 3}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="skills"' in response.content.decode()
    assert ProfileSkill.objects.get(user=alice, skill=python_skill).level == 3


def test_add_unknown_skill_is_a_form_error(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("people:my_skill_add"), {"skill": "Basket-ball", "level": 3}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not ProfileSkill.objects.exists()


def test_endorse_with_htmx_and_no_self_endorsement(client_for, alice, bob, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    url = reverse("people:endorse", args=[alice.pk, python_skill.pk])
    response = client_for(bob).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Endorsement.objects.filter(endorser=bob, endorsee=alice).count() == 1
    twice = client_for(bob).post(url, HTTP_HX_REQUEST="true")
    assert twice.status_code == 409
    assert Endorsement.objects.count() == 1
    own = client_for(alice).post(url, HTTP_HX_REQUEST="true")
    assert own.status_code == 400
    withdraw = client_for(bob).post(url, {"action": "withdraw"}, HTTP_HX_REQUEST="true")
    assert withdraw.status_code == 200 and not Endorsement.objects.exists()


def test_photo_upload_refuses_non_images(client_for, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("me.png", b"<?php echo 'x'; ?>", content_type="image/png")
    response = client_for(alice).post(
        reverse("people:photo_upload", args=[alice.pk]), {"photo": fake}
    )
    assert response.status_code == 422
    assert not Profile.objects.get(user=alice).photo


def _directory_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/people/?q=&language=fr")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(make_person, hr_admin, unit, location, skills, count):
    for _ in range(count):
        person = make_person()
        profile_update(
            actor=hr_admin,
            person=person,
            data={"org_unit": unit, "location": location, "languages": ["fr"]},
        )
        for level, skill in enumerate(skills, start=1):
            skill_declare(actor=person, person=person, skill_id=skill.pk, level=level)


def test_directory_query_count_does_not_grow_with_people(
    client_for, make_person, make_skill, make_unit, hr_admin, django_assert_num_queries
):
    unit = make_unit("U")
    location = Location.objects.create(name="Lyon")
    skills = [make_skill(f"s{i}", f"Skill {i}") for i in range(3)]
    client = client_for(hr_admin)
    _populate(make_person, hr_admin, unit, location, skills, 3)
    # A first page not full holds every result: no count. session, user, page, skills
    # prefetch, form choice lists (unit, site), unread notifications in the header (the Expert
    # label badges come with the profiles)
    with django_assert_num_queries(7):
        client.get("/people/?q=&language=fr")
    _populate(make_person, hr_admin, unit, location, skills, 30)
    full = _directory_queries(client)
    _populate(make_person, hr_admin, unit, location, skills, 20)
    assert _directory_queries(client) == full
    # The same and the (bounded) count
    with django_assert_num_queries(8):
        client.get("/people/?q=&language=fr")


def test_profile_page_query_count_is_pinned(
    client_for, make_person, make_skill, make_unit, hr_admin, django_assert_num_queries
):
    unit = make_unit("U")
    person = make_person()
    profile_update(actor=hr_admin, person=person, data={"org_unit": unit, "manager": hr_admin})
    for i in range(8):
        skill = make_skill(f"s{i}", f"Skill {i}")
        skill_declare(actor=person, person=person, skill_id=skill.pk, level=2)
        for _ in range(3):
            endorsement_create(actor=make_person(), person_id=person.pk, skill_id=skill.pk)
    for _ in range(4):
        report = make_person()
        profile_update(actor=hr_admin, person=report, data={"manager": person})
    client = client_for(hr_admin)
    client.get(f"/people/{person.pk}/")  # the first view of the day is recorded (2 writes)
    # session, user, profile, the (already recorded) daily view, skills, endorsements,
    # unit path, direct reports, roles, whether I follow them, unread notifications (the badge
    # comes with the profile; the expert card adds no query for someone without a label)
    with django_assert_num_queries(11):
        response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200


def test_profile_views_are_recorded_once_a_day(client_for, alice, bob):
    client = client_for(bob)
    client.get(f"/people/{alice.pk}/")
    client.get(f"/people/{alice.pk}/")
    client_for(alice).get(f"/people/{alice.pk}/")  # one's own profile does not count
    views = ActivityEvent.objects.filter(verb="view", object_type="people.profile")
    assert list(views.values_list("actor_id", "target_user_id")) == [(bob.pk, alice.pk)]


@pytest.mark.parametrize(
    "url",
    [
        "/people/?page=999",
        "/people/?page=abc",
        "/people/?org_unit=x",
        "/skills/?kind=nope&page=-1",
        "/people/?q=%00",
    ],
)
def test_odd_query_strings_do_not_break_pages(client_for, alice, url):
    assert client_for(alice).get(url).status_code == 200


def test_directory_name_search_query_count_is_pinned(
    client_for, make_person, make_skill, make_unit, hr_admin, django_assert_num_queries
):
    unit = make_unit("U")
    location = Location.objects.create(name="Lyon")
    skills = [make_skill(f"s{i}", f"Skill {i}") for i in range(3)]
    _populate(make_person, hr_admin, unit, location, skills, 30)
    target = make_person(first_name="Zélie", last_name="Quenouille")
    client = client_for(hr_admin)
    client.get("/people/?q=quenouille")
    # session, user, the skills the words name, page, skills prefetch, form choice lists
    # (unit, site), unread notifications; no count: the first page holds every result
    with django_assert_num_queries(8):
        response = client.get("/people/?q=quenouille")
    assert response.text.count('class="card person-card"') == 1
    assert f"/people/{target.pk}/" in response.text and "1 personne<" in response.text


def test_directory_says_more_than_past_its_count_limit(
    client_for, make_person, hr_admin, monkeypatch
):
    from vivier.people import views

    monkeypatch.setattr(views, "DIRECTORY_PAGE_SIZE", 4)
    monkeypatch.setattr(views, "DIRECTORY_COUNT_LIMIT", 10)
    for _ in range(12):
        make_person(last_name="Martin")
    client = client_for(hr_admin)
    first = client.get("/people/?q=martin").text
    assert "Plus de 10 personnes" in first and "Page 1<" in first and "Page 1 sur" not in first
    assert first.count('class="card person-card"') == 4 and 'rel="next"' in first
    last = client.get("/people/?q=martin&page=3").text
    assert "Page 3<" in last and 'rel="next"' not in last and 'rel="prev"' in last
    # Under the limit, the exact count and the number of pages, as before.
    monkeypatch.setattr(views, "DIRECTORY_COUNT_LIMIT", 100)
    exact = client.get("/people/?q=martin").text
    assert "12 personnes" in exact and "Page 1 sur 3" in exact
