"""Coverage on a constructed example: exact shares per objective and per org unit."""

import pytest

from vivier.opportunities.models import Application
from vivier.social import services as social
from vivier.vision import selectors, services


def _links(world):
    # the author's post → "app" (a sub-objective of "digital")
    services.link_create(
        actor=world.author,
        objective_id=world.objectives["app"].pk,
        kind="post",
        object_id=world.items["post"].pk,
    )
    # the animator's secret post → "digital"
    services.link_create(
        actor=world.animator,
        objective_id=world.objectives["digital"].pk,
        kind="post",
        object_id=world.items["secret_post"].pk,
    )
    # the animator's open community and the author's opportunity → "skills"
    services.link_create(
        actor=world.animator,
        objective_id=world.objectives["skills"].pk,
        kind="community",
        object_id=world.items["community"].pk,
    )
    services.link_create(
        actor=world.author,
        objective_id=world.objectives["skills"].pk,
        kind="opportunity",
        object_id=world.items["opportunity"].pk,
    )
    # "other" is staffed on the opportunity; the manager merely joined the community
    Application.objects.create(
        opportunity=world.items["opportunity"],
        applicant=world.other,
        message="Partante",
        status=Application.Status.ACCEPTED,
    )
    social.community_join(actor=world.manager, community=world.items["community"])


def _rows(rows):
    return {row.label: (row.contributors, row.people, row.share) for row in rows}


@pytest.mark.django_db
def test_coverage_for_hr_counts_the_whole_company(world):
    _links(world)
    found = selectors.coverage(viewer=world.hr)
    # five people: HR (no unit), the manager (DSI), the author and "other" (DEV), the animator (OPS)
    assert (found.total.contributors, found.total.people, found.total.share) == (3, 5, 60.0)
    assert _rows(found.objectives) == {
        # digital counts its sub-objective: the author (post on app) and the animator
        "Digitaliser le parcours client": (2, 5, 40.0),
        "Lancer l'application mobile": (1, 5, 20.0),
        # animator (owns the community), author (owns the opportunity), other (staffed on it)
        "Développer les talents": (3, 5, 60.0),
    }
    assert _rows(found.units) == {
        "Direction générale": (3, 4, 75.0),
        "Direction des SI": (3, 4, 75.0),
        "Développement": (2, 2, 100.0),
        "Exploitation": (1, 1, 100.0),
        "Ressources humaines": (0, 0, None),
    }
    assert [row.depth for row in found.units] == [0, 1, 2, 2, 1]


@pytest.mark.django_db
def test_coverage_for_a_manager_is_their_subtree(world, api_for):
    _links(world)
    body = api_for(world.manager).get("/api/v1/vision/coverage").json()
    assert body["scope"] == [world.units["DSI"].pk]
    assert (body["total"]["contributors"], body["total"]["people"], body["total"]["share"]) == (
        3,
        4,
        75.0,
    )
    shares = {row["label"]: row["share"] for row in body["objectives"]}
    assert shares == {
        "Digitaliser le parcours client": 50.0,
        "Lancer l'application mobile": 25.0,
        "Développer les talents": 75.0,
    }
    assert [row["label"] for row in body["units"]] == [
        "Direction des SI",
        "Développement",
        "Exploitation",
    ]


@pytest.mark.django_db
def test_deleted_posts_and_archived_objectives_do_not_count(world):
    _links(world)
    social.post_delete(actor=world.author, post=world.items["post"])
    services.objective_update(
        actor=world.hr, objective=world.objectives["skills"], data={"status": "archived"}
    )
    found = selectors.coverage(viewer=world.hr)
    assert _rows(found.objectives) == {
        "Digitaliser le parcours client": (1, 5, 20.0),
        "Lancer l'application mobile": (0, 5, 0.0),
    }
    assert (found.total.contributors, found.total.share) == (1, 20.0)


@pytest.mark.django_db
def test_coverage_is_refused_to_employees(world, api_for, client_for):
    response = api_for(world.author).get("/api/v1/vision/coverage")
    assert (response.status_code, response.json()["code"]) == (403, "coverage_denied")
    assert client_for(world.author).get("/vision/coverage/").status_code == 403


@pytest.mark.django_db
def test_coverage_page_shows_the_figures(world, client_for):
    _links(world)
    html = client_for(world.hr).get("/vision/coverage/").content.decode()
    assert ("3 / 5" in html and "60,0 %" in html) or "60.0 %" in html
    assert "Direction des SI" in html
