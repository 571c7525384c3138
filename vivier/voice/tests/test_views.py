"""Voice pages and API as matrices (role x action), the main pages, bad input in forms, and
pinned query counts of the list pages and endpoints."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from vivier.core.charts import bar_chart, line_chart
from vivier.voice import services
from vivier.voice.models import Answer, Commitment, Idea, Participation, Survey
from vivier.voice.tests.conftest import answer, make_survey

ROLES = ["employee", "manager", "hr"]


def _actor(company, role):
    return {"employee": company.people["RH"][0], "manager": company.manager, "hr": company.hr}[role]


@pytest.fixture
def closed(company):
    survey = make_survey(company.hr)
    for person in company.everyone:
        answer(survey, person)
    services.survey_close(actor=company.hr, survey=survey)
    return survey


# role -> expected status, per API action.
MATRIX = {
    "create_survey": {"employee": 403, "manager": 403, "hr": 201},
    "results_all": {"employee": 403, "manager": 403, "hr": 200},
    "results_dsi": {"employee": 403, "manager": 200, "hr": 200},
    "create_commitment": {"employee": 403, "manager": 403, "hr": 201},
    "post_idea": {"employee": 201, "manager": 201, "hr": 201},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_api_permission_matrix(company, closed, api_for, role, action):
    api = api_for(_actor(company, role))
    dsi = company.units["DSI"].pk
    if action == "create_survey":
        response = api.post(
            "/api/v1/voice/surveys", {"title": "T"}, content_type="application/json"
        )
    elif action == "results_all":
        response = api.get(
            f"/api/v1/voice/surveys/{closed.pk}/results?unit={company.units['DG'].pk}"
        )
    elif action == "results_dsi":
        response = api.get(f"/api/v1/voice/surveys/{closed.pk}/results?unit={dsi}")
    elif action == "create_commitment":
        response = api.post(
            "/api/v1/voice/commitments", {"title": "T"}, content_type="application/json"
        )
    else:
        response = api.post(
            "/api/v1/voice/ideas",
            {"title": "T", "description": "D"},
            content_type="application/json",
        )
    assert response.status_code == MATRIX[action][role], response.content


PAGE_MATRIX = {
    "survey_new": {"employee": 403, "manager": 403, "hr": 200},
    "results": {"employee": 403, "manager": 200, "hr": 200},
    "commitment_new": {"employee": 403, "manager": 403, "hr": 200},
    "ideas": {"employee": 200, "manager": 200, "hr": 200},
    "home": {"employee": 200, "manager": 200, "hr": 200},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGE_MATRIX))
def test_page_permission_matrix(company, closed, client_for, role, page):
    args = [closed.pk] if page == "results" else []
    response = client_for(_actor(company, role)).get(reverse(f"voice:{page}", args=args))
    assert response.status_code == PAGE_MATRIX[page][role]


def test_drafts_are_invisible_to_employees(company, client_for, api_for):
    draft = services.survey_create(actor=company.hr, title="Brouillon")
    employee = company.people["DEV"][0]
    assert api_for(employee).get(f"/api/v1/voice/surveys/{draft.pk}").status_code == 404
    assert client_for(employee).get(reverse("voice:answer", args=[draft.pk])).status_code == 404
    assert draft.pk not in [s["id"] for s in api_for(employee).get("/api/v1/voice/surveys").json()]


def test_hr_builds_and_launches_a_survey_in_pages(company, client_for):
    client = client_for(company.hr)
    bad = client.post(
        reverse("voice:survey_new"),
        {"title": "P", "min_group_size": 2, "recurrence_days": 0, "wave_days": 14},
    )
    assert bad.status_code == 422 and not Survey.objects.exists()
    created = client.post(
        reverse("voice:survey_new"),
        {"title": "Pulse", "min_group_size": 5, "recurrence_days": 30, "wave_days": 7},
    )
    survey = Survey.objects.get()
    assert created.url == reverse("voice:survey", args=[survey.pk])
    url = reverse("voice:survey", args=[survey.pk])
    client.post(url, {"template": "vision_contribution"})
    no_choices = client.post(url, {"kind": "single", "text_fr": "Choix ?", "choices": "Un seul"})
    assert no_choices.status_code == 422
    client.post(url, {"kind": "single", "text_fr": "Site ?", "choices": "Paris | Paris\nLyon"})
    assert survey.questions.count() == 2
    for bad in ("abc", "99999999999999999999", ""):
        assert client.post(url, {"action": "remove", "question": bad}).status_code == 404
    client.post(url, {"action": "launch"})
    survey.refresh_from_db()
    assert survey.status == "open"
    page = client.get(url).content.decode()
    assert "Je comprends comment mon travail contribue à la vision." in page


def test_answer_page(company, client_for):
    survey = make_survey(company.hr, kinds=("likert", "enps", "multiple", "text"))
    likert, enps, multiple, text = survey.questions.all()
    person = company.people["DEV"][0]
    client = client_for(person)
    url = reverse("voice:answer", args=[survey.pk])
    page = client.get(url).content.decode()
    assert f'name="q{likert.pk}"' in page and 'id="anonymity-note"' in page
    missing = client.post(url, {f"q{enps.pk}": 7})
    assert missing.status_code == 422 and not Participation.objects.exists()
    out_of_range = client.post(url, {f"q{likert.pk}": 9, f"q{enps.pk}": 7, f"q{multiple.pk}": [0]})
    assert out_of_range.status_code == 422 and not Answer.objects.exists()
    done = client.post(
        url,
        {f"q{likert.pk}": 4, f"q{enps.pk}": 7, f"q{multiple.pk}": [0, 2], f"q{text.pk}": "Rien"},
    )
    assert done.status_code == 302 and Answer.objects.count() == 4
    again = client.get(url).content.decode()
    assert 'id="already-answered"' in again and 'id="answer-form"' not in again
    twice = client.post(url, {f"q{likert.pk}": 4, f"q{enps.pk}": 7, f"q{multiple.pk}": [0]})
    assert twice.status_code == 409 and Answer.objects.count() == 4


def test_idea_pages(company, client_for):
    author, other = company.people["DEV"][:2]
    client = client_for(author)
    bad = client.post(reverse("voice:ideas"), {"title": "", "description": ""})
    assert bad.status_code == 422 and not Idea.objects.exists()
    client.post(
        reverse("voice:ideas"),
        {"title": "Potager", "description": "Sur le toit", "tags": "rse, bien-être"},
    )
    idea = Idea.objects.get()
    assert idea.tags == ["rse", "bien-être"]
    voted = client_for(other).post(
        reverse("voice:idea_vote", args=[idea.pk]), {"vote": "1"}, HTTP_HX_REQUEST="true"
    )
    assert voted.status_code == 200 and 'aria-pressed="true"' in voted.content.decode()
    own = client.post(
        reverse("voice:idea_vote", args=[idea.pk]), {"vote": "1"}, HTTP_HX_REQUEST="true"
    )
    assert own.status_code == 400
    hr = client_for(company.hr)
    declined = hr.post(
        reverse("voice:idea_status", args=[idea.pk]), {"status": "declined", "reason": ""}
    )
    assert declined.status_code == 422
    hr.post(reverse("voice:idea_status", args=[idea.pk]), {"status": "under_review"})
    idea.refresh_from_db()
    assert idea.status == "under_review"
    assert (
        client.post(
            reverse("voice:idea_status", args=[idea.pk]), {"status": "accepted"}
        ).status_code
        == 403
    )
    client_for(other).post(reverse("voice:idea_comment", args=[idea.pk]), {"body": "Oui !"})
    page = client.get(reverse("voice:idea", args=[idea.pk])).content.decode()
    assert "Oui !" in page and 'id="status-form"' not in page


def test_commitment_pages(company, client_for):
    hr = client_for(company.hr)
    owner = company.people["RH"][0]
    hr.post(
        reverse("voice:commitment_new"),
        {"title": "Télétravail", "theme": "wellbeing", "owner": owner.pk},
    )
    commitment = Commitment.objects.get()
    url = reverse("voice:commitment", args=[commitment.pk])
    assert (
        client_for(company.people["DEV"][0])
        .post(url, {"text": "x", "progress": 5, "status": "planned"})
        .status_code
        == 403
    )
    bad = client_for(owner).post(url, {"text": "x", "progress": 150, "status": "planned"})
    assert bad.status_code == 422
    wrong = client_for(owner).post(url, {"text": "x", "progress": 5, "status": "done"})
    assert wrong.status_code == 409
    client_for(owner).post(url, {"text": "Accord signé", "progress": 60, "status": "in_progress"})
    page = client_for(company.people["DEV"][0]).get(reverse("voice:commitments")).content.decode()
    assert "Télétravail" in page and 'aria-valuenow="60"' in page


# Query counts


def _ideas(company, n):
    for i in range(n):
        idea = services.idea_create(
            actor=company.people["DEV"][i % 6], title=f"Idée {i}", description="D", tags=["a"]
        )
        services.idea_vote(actor=company.people["OPS"][0], idea=idea, vote=True)


@pytest.mark.parametrize("n", [2, 12])
def test_ideas_page_and_api_queries_do_not_grow(
    company, client_for, api_for, django_assert_max_num_queries, n
):
    _ideas(company, n)
    client = client_for(company.people["OPS"][0])
    api = api_for(company.people["OPS"][0])
    client.get(reverse("voice:ideas"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("voice:ideas")).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/voice/ideas").status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_survey_lists_and_results_queries_do_not_grow(
    company, client_for, api_for, django_assert_max_num_queries, n
):
    for _ in range(n):
        survey = make_survey(company.hr)
        for person in company.everyone[:8]:
            answer(survey, person)
        services.survey_close(actor=company.hr, survey=survey)
        services.commitment_create(actor=company.hr, title="C", theme="workload")
    api = api_for(company.hr)
    client = client_for(company.hr)
    # 9, and the API's rate-limit count (one upsert).
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/voice/surveys").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("voice:home")).status_code == 200
    with django_assert_max_num_queries(14):
        assert api.get(f"/api/v1/voice/surveys/{survey.pk}/results").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("voice:commitments")).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/voice/commitments").status_code == 200


def test_chart_coordinates_are_not_localised_in_french(company, client_for):
    """SVG lengths need a decimal point; French formatting would write "0,0" and break them."""
    with translation.override("fr"):
        bar = render_to_string(
            "core/charts/bar.html", {"chart": bar_chart([("a", 1.5), ("b", 3)], title="t")}
        )
        line = render_to_string(
            "core/charts/line.html",
            {"chart": line_chart(["1", "2"], [("s", [1.25, 2.5])], title="t")},
        )
    for svg in (bar, line):
        drawn = svg.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert not re.search(r'(width|x|y|x1|x2|y1|y2|cx|cy)="[0-9]+,[0-9]', drawn), drawn
    assert "1,5" in bar  # the values shown to people stay in French


def test_openapi_documents_the_voice_operations(client_for, alice):
    schema = client_for(alice).get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/voice/")]
    assert "/api/v1/voice/surveys/{survey_id}/results" in paths and len(paths) >= 15
