"""Vision pages and lists: rendering, forms, the pulse under the anonymity rules, query counts."""

import pytest
from django.urls import reverse

from vivier.social import services as social
from vivier.vision import services
from vivier.vision.tests.conftest import make_objective
from vivier.voice import services as voice
from vivier.voice.question_bank import VISION_CONTRIBUTION


def _grow(world, n: int) -> None:
    """n more objectives, each with an indicator and n linked posts by n authors."""
    for i in range(n):
        objective = make_objective(world.hr, world.axes["client"], f"Objectif {i}")
        services.indicator_save(
            actor=world.hr, objective=objective, name_fr="Taux", target_value=100, current_value=i
        )
        sub = make_objective(world.hr, world.axes["client"], f"Sous-objectif {i}", parent=objective)
        for j in range(n):
            post = social.post_create(actor=world.author, body=f"Avancement {i}-{j}")
            services.link_create(
                actor=world.author, objective_id=sub.pk, kind="post", object_id=post.pk
            )
        services.link_create(
            actor=world.animator,
            objective_id=objective.pk,
            kind="community",
            object_id=world.items["community"].pk,
        ) if i == 0 else None


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_map_query_count_does_not_grow(
    world, client_for, api_for, django_assert_max_num_queries, n
):
    _grow(world, n)
    client, api = client_for(world.author), api_for(world.author)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("vision:map"))
    assert page.status_code == 200
    assert f"Sous-objectif {n - 1}" in page.content.decode()
    with django_assert_max_num_queries(14):
        assert api.get("/api/v1/vision/map").status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/vision/objectives").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_objective_page_query_count(world, client_for, api_for, django_assert_max_num_queries, n):
    objective = world.objectives["digital"]
    for i in range(n):
        post = social.post_create(actor=world.author, body=f"Appli {i}")
        services.link_create(
            actor=world.author, objective_id=objective.pk, kind="post", object_id=post.pk
        )
        services.indicator_save(
            actor=world.hr, objective=objective, name_fr=f"I{i}", target_value=10
        )
    for kind, item, actor in [
        ("idea", "idea", world.author),
        ("opportunity", "opportunity", world.author),
        ("commitment", "commitment", world.author),
        ("community", "community", world.animator),
    ]:
        services.link_create(
            actor=actor, objective_id=objective.pk, kind=kind, object_id=world.items[item].pk
        )
    client, api = client_for(world.other), api_for(world.other)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("vision:objective", args=[objective.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Appli 0" in html and "Paiement dans l&#x27;appli" in html and "Mobile" in html
    assert "chart-line" in html  # the monthly activity chart
    with django_assert_max_num_queries(8):
        items = api.get(f"/api/v1/vision/objectives/{objective.pk}/items")
    assert len(items.json()) == n + 4
    dates = [i["date"] for i in items.json()]
    assert dates == sorted(dates, reverse=True)
    page = api.get(f"/api/v1/vision/objectives/{objective.pk}/items", {"limit": 2, "offset": 1})
    assert [i["link_id"] for i in page.json()] == [i["link_id"] for i in items.json()][1:3]
    assert (
        api.get(f"/api/v1/vision/objectives/{objective.pk}/items", {"limit": 0}).status_code == 422
    )


@pytest.mark.django_db
def test_pages_render_for_everyone(world, client_for):
    for user in (world.hr, world.author, world.other):
        client = client_for(user)
        for url in (
            reverse("vision:map"),
            reverse("vision:objective", args=[world.objectives["app"].pk]),
            reverse("vision:me"),
            reverse("vision:links", args=["idea", world.items["idea"].pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
    assert (
        client_for(world.other).get(reverse("vision:objective", args=[999999])).status_code == 404
    )
    assert (
        client_for(world.other).get(reverse("vision:links", args=["podcast", 1])).status_code == 404
    )


@pytest.mark.django_db
def test_hr_authors_the_map_in_pages(world, client_for):
    client = client_for(world.hr)
    assert client.post(reverse("vision:axis_new"), {"title_fr": "Planète"}).status_code == 302
    response = client.post(
        reverse("vision:objective_new"),
        {
            "axis": world.axes["client"].pk,
            "parent": world.objectives["app"].pk,
            "title_fr": "Paiement mobile",
            "owner": world.other.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 302
    # a cycle chosen in the form is a form error, nothing saved
    digital = world.objectives["digital"]
    cycle = client.post(
        reverse("vision:objective_edit", args=[digital.pk]),
        {
            "axis": world.axes["client"].pk,
            "parent": world.objectives["app"].pk,
            "title_fr": digital.title_fr,
            "owner": digital.owner_id,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "status": "active",
        },
    )
    assert cycle.status_code == 422
    assert "cycle" in cycle.content.decode()
    digital.refresh_from_db()
    assert digital.parent_id is None
    archived_parent = client.post(
        reverse("vision:objective_new"),
        {
            "axis": world.axes["people"].pk,
            "parent": world.objectives["old"].pk,
            "title_fr": "Sous",
            "owner": world.other.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert archived_parent.status_code == 422
    # employees may not open the authoring pages
    for url in (
        reverse("vision:statement"),
        reverse("vision:axis_new"),
        reverse("vision:objective_new"),
    ):
        assert client_for(world.other).get(url).status_code == 403


@pytest.mark.django_db
def test_owner_edits_texts_and_indicators_in_pages(world, client_for):
    objective = world.objectives["digital"]  # owned by the manager
    client = client_for(world.manager)
    form = client.get(reverse("vision:objective_edit", args=[objective.pk]))
    assert "owner" not in form.context["form"].fields
    saved = client.post(
        reverse("vision:objective_edit", args=[objective.pk]),
        {"title_fr": objective.title_fr, "title_en": "Digital first"},
    )
    assert saved.status_code == 302
    added = client.post(
        reverse("vision:indicator_new", args=[objective.pk]),
        {"name_fr": "Ventes en ligne", "unit": "%", "target_value": "40", "current_value": "10"},
    )
    assert added.status_code == 302
    bad = client.post(reverse("vision:indicator_new", args=[objective.pk]), {"name_fr": "X"})
    assert bad.status_code == 422
    page = client.get(reverse("vision:objective", args=[objective.pk])).content.decode()
    assert "Ventes en ligne" in page and "25 %" in page
    assert (
        client_for(world.other)
        .get(reverse("vision:objective_edit", args=[objective.pk]))
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_link_slot_is_on_every_linkable_page(world, client_for):
    client = client_for(world.author)
    pages = [
        (reverse("social:post", args=[world.items["post"].pk]), "post"),
        (reverse("expertise:question", args=[world.items["question"].pk]), "post"),
        (reverse("voice:idea", args=[world.items["idea"].pk]), "idea"),
        (reverse("voice:commitment", args=[world.items["commitment"].pk]), "commitment"),
        (reverse("opportunities:detail", args=[world.items["opportunity"].pk]), "opportunity"),
    ]
    for url, kind in pages:
        html = client.get(url).content.decode()
        assert "/vision/links/" + kind + "/" in html, url
    community = client_for(world.animator).get(
        reverse("social:community", args=[world.items["community"].slug])
    )
    assert "/vision/links/community/" in community.content.decode()


@pytest.mark.django_db
def test_my_part_lists_my_objectives_and_where_to_contribute(world, client_for, python_skill):
    from vivier.opportunities.models import OpportunitySkill
    from vivier.people.models import ProfileSkill

    services.link_create(
        actor=world.author,
        objective_id=world.objectives["app"].pk,
        kind="idea",
        object_id=world.items["idea"].pk,
    )
    services.link_create(
        actor=world.author,
        objective_id=world.objectives["skills"].pk,
        kind="opportunity",
        object_id=world.items["opportunity"].pk,
    )
    services.link_create(
        actor=world.animator,
        objective_id=world.objectives["skills"].pk,
        kind="community",
        object_id=world.items["community"].pk,
    )
    OpportunitySkill.objects.create(
        opportunity=world.items["opportunity"], skill=python_skill, level=2
    )
    ProfileSkill.objects.create(user=world.other, skill=python_skill, level=3)
    author = client_for(world.author).get(reverse("vision:me"))
    assert author.context["part"].objectives[0].objective in (
        world.objectives["app"],
        world.objectives["skills"],
    )
    assert {m.objective for m in author.context["part"].objectives} == {
        world.objectives["app"],
        world.objectives["skills"],
    }
    # the author owns the opportunity: not offered to them
    assert not author.context["part"].opportunities
    other = client_for(world.other).get(reverse("vision:me")).context["part"]
    assert not other.objectives
    assert [c.item for c in other.opportunities] == [world.items["opportunity"]]
    assert other.opportunities[0].score > 0
    assert [c.item for c in other.communities] == [world.items["community"]]


@pytest.mark.django_db
def test_my_part_query_count(world, api_for, django_assert_max_num_queries):
    for i in range(5):
        post = social.post_create(actor=world.author, body=f"Mobile {i}")
        services.link_create(
            actor=world.author,
            objective_id=world.objectives["app"].pk,
            kind="post",
            object_id=post.pk,
        )
    api = api_for(world.author)
    with django_assert_max_num_queries(16):
        body = api.get("/api/v1/vision/me").json()
    assert len(body["objectives"][0]["items"]) == 5


def _vision_survey(world, respondents):
    survey = voice.survey_create(actor=world.hr, title="Baromètre", min_group_size=5)
    voice.question_add(actor=world.hr, survey=survey, template=VISION_CONTRIBUTION)
    voice.survey_launch(actor=world.hr, survey=survey)
    question = survey.questions.get()
    for person, value in zip(respondents, [5, 4, 4, 2, 5, 3], strict=False):
        voice.response_submit(actor=person, survey=survey, answers={question.pk: value})
    voice.survey_close(actor=world.hr, survey=survey)
    return survey


@pytest.mark.django_db
def test_vision_pulse_is_shown_only_when_anonymity_allows(world, make_person, client_for, api_for):
    # given five respondents (k = 5)
    extra = [make_person(f"x{i}@example.test", org_unit=world.units["RH"]) for i in range(2)]
    people = [world.author, world.other, world.animator, *extra]
    _vision_survey(world, people)
    # then HR read the company result, employees do not, on the page and in the API
    hr_page = client_for(world.hr).get(reverse("vision:map")).content.decode()
    assert 'id="vision-pulse"' in hr_page
    pulse = api_for(world.hr).get("/api/v1/vision/map").json()["pulse"]
    assert (pulse["respondents"], pulse["mean"], pulse["favourable"]) == (5, 4.0, 80.0)
    assert (
        'id="vision-pulse"'
        not in client_for(world.author).get(reverse("vision:map")).content.decode()
    )
    assert api_for(world.author).get("/api/v1/vision/map").json()["pulse"] is None
    # the DSI manager's subtree has 3 respondents of 5: below k, so not shown to them
    assert api_for(world.manager).get("/api/v1/vision/map").json()["pulse"] is None


@pytest.mark.django_db
def test_vision_pulse_hidden_below_k(world, client_for):
    _vision_survey(world, [world.author, world.other, world.animator])
    assert (
        'id="vision-pulse"' not in client_for(world.hr).get(reverse("vision:map")).content.decode()
    )


@pytest.mark.django_db
def test_vision_question_is_offered_when_building_surveys(world, client_for):
    survey = voice.survey_create(actor=world.hr, title="Pulse")
    page = client_for(world.hr).get(reverse("voice:survey", args=[survey.pk]))
    assert f'value="{VISION_CONTRIBUTION}"' in page.content.decode()


@pytest.mark.django_db
def test_htmx_panel_links_in_place(world, client_for):
    client = client_for(world.author)
    url = reverse("vision:links", args=["post", world.items["post"].pk])
    panel = client.get(url, HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert panel.status_code == 200
    assert html.startswith('<section class="card vision-links" id="vision-links"')
    assert "<html" not in html
    # the app objective is suggested first for a post about the mobile app
    assert panel.context["found"].suggestions[0].objective == world.objectives["app"]
    linked = client.post(url, {"objective": world.objectives["app"].pk}, HTTP_HX_REQUEST="true")
    assert linked.status_code == 200
    assert f'href="/vision/objectives/{world.objectives["app"].pk}/"' in linked.content.decode()
    again = client.post(url, {"objective": world.objectives["app"].pk}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    assert 'role="alert"' in again.content.decode()
