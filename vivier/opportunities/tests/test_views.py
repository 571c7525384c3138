"""The opportunities pages: they render, show form errors (422), and keep their query counts."""

import pytest
from django.urls import reverse

from vivier.opportunities.models import Application, Opportunity
from vivier.opportunities.services import application_create, mobility_update
from vivier.people.models import ProfileSkill


@pytest.fixture
def owner(make_person):
    return make_person("owner@example.test", first_name="Odile")


def test_pages_render(client_for, owner, alice, make_opportunity, python_skill):
    opportunity = make_opportunity(owner)
    ProfileSkill.objects.create(user=alice, skill=python_skill, level=4)
    mobility_update(actor=alice, open_to_move=True, suggestible=True)
    application_create(actor=alice, opportunity=opportunity, message="Je postule")
    client = client_for(owner)
    for name in ("list", "for_me", "new", "mine", "preferences", "dashboard"):
        assert client.get(reverse(f"opportunities:{name}")).status_code == 200, name
    for name in ("detail", "edit", "people"):
        response = client.get(reverse(f"opportunities:{name}", args=[opportunity.pk]))
        assert response.status_code == 200, name
    assert "Je postule" in client.get(reverse("opportunities:detail", args=[opportunity.pk])).text


def test_only_the_owner_sees_people_and_edits(client_for, owner, alice, make_opportunity):
    opportunity = make_opportunity(owner)
    client = client_for(alice)
    assert client.get(reverse("opportunities:people", args=[opportunity.pk])).status_code == 404
    assert client.get(reverse("opportunities:edit", args=[opportunity.pk])).status_code == 404


def test_create_form_errors_keep_nothing(client_for, owner, python_skill):
    response = client_for(owner).post(
        reverse("opportunities:new"),
        {
            "kind": "gig",
            "title": "Atelier",
            "description": "Deux jours",
            "time_share_percent": 10,
            "start_date": "2027-03-10",
            "end_date": "2027-03-01",
            "required_skills": "Python:3, Tricot",
            "visibility": "everyone",
        },
    )
    assert response.status_code == 422
    assert "Tricot" in response.text
    assert not Opportunity.objects.exists()


def test_create_then_publish_from_the_pages(client_for, owner, python_skill):
    client = client_for(owner)
    response = client.post(
        reverse("opportunities:new"),
        {
            "kind": "shadowing",
            "title": "Vis ma vie au support",
            "description": "Une journée avec l'équipe support.",
            "time_share_percent": 5,
            "start_date": "2027-03-10",
            "required_skills": "py:1",
            "visibility": "everyone",
        },
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert list(opportunity.skills.values_list("skill__slug", "level")) == [("python", 1)]
    client.post(reverse("opportunities:status", args=[opportunity.pk]), {"action": "publish"})
    opportunity.refresh_from_db()
    assert opportunity.status == "open"


def test_apply_twice_shows_a_form_error(client_for, owner, alice, make_opportunity):
    opportunity = make_opportunity(owner)
    client = client_for(alice)
    url = reverse("opportunities:apply", args=[opportunity.pk])
    assert client.post(url, {"message": "Oui"}).status_code == 302
    again = client.post(url, {"message": "Encore"})
    assert again.status_code == 422
    assert Application.objects.count() == 1


def test_decisions_from_the_page(client_for, owner, alice, make_opportunity):
    opportunity = make_opportunity(owner)
    application = application_create(actor=alice, opportunity=opportunity, message="Oui")
    url = reverse("opportunities:decide", args=[application.pk])
    client_for(alice).post(url, {"action": "accept"})
    application.refresh_from_db()
    assert application.status == "submitted"
    client_for(owner).post(url, {"action": "shortlist"})
    application.refresh_from_db()
    assert application.status == "shortlisted"


def test_preferences_form(client_for, alice, python_skill):
    client = client_for(alice)
    bad = client.post(reverse("opportunities:preferences"), {"interests": "Tricot"})
    assert bad.status_code == 422
    good = client.post(
        reverse("opportunities:preferences"), {"interests": "Python", "suggestible": "on"}
    )
    assert good.status_code == 302
    assert alice.mobility.suggestible and list(alice.mobility.interests.all()) == [python_skill]


def test_list_page_query_count_is_pinned(
    client_for, owner, alice, make_opportunity, django_assert_num_queries
):
    client = client_for(alice)
    make_opportunity(owner, title="Un")
    client.get(reverse("opportunities:list"))
    for n in range(5):
        make_opportunity(owner, title=f"Projet {n}")
    with django_assert_num_queries(8):
        response = client.get(reverse("opportunities:list"))
    assert response.text.count('class="card opportunity-item"') == 6
