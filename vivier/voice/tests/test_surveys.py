"""Surveys end to end: writing, launching, answering anonymously once, results under the k rules
in the API, the pages and the CSV export, trends, reminders and recurring waves."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from vivier.core.errors import ApplicationError
from vivier.people.models import Profile
from vivier.people.services import org_unit_save
from vivier.social.models import Notification
from vivier.voice import selectors, services
from vivier.voice.models import Answer, Participation, Submission, Survey, SurveyReminder, Wave
from vivier.voice.question_bank import VISION_CONTRIBUTION
from vivier.voice.tests.conftest import answer, make_survey


def _close(survey: Survey) -> None:
    wave = services.current_wave(survey=survey)
    services.wave_close(actor=None, wave=wave)


# Writing and launching


def test_hr_writes_a_survey_with_a_standard_question_and_launches_it(company):
    survey = services.survey_create(
        actor=company.hr, title="Pulse", audience=[company.units["DSI"].pk]
    )
    question = services.question_add(actor=company.hr, survey=survey, template=VISION_CONTRIBUTION)
    assert question.text_fr == "Je comprends comment mon travail contribue à la vision."
    assert question.text_en == "I understand how my work contributes to the vision."
    assert (question.kind, question.theme, question.template_code) == (
        "likert",
        "vision",
        VISION_CONTRIBUTION,
    )
    services.survey_launch(actor=company.hr, survey=survey)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    wave = services.current_wave(survey=survey)
    assert (wave.number, wave.closes_on - wave.opens_on) == (1, timedelta(days=13))
    # The audience (DSI and its sub-units) is told; the others are not.
    told = set(
        Notification.objects.filter(type="voice_survey_open").values_list("recipient_id", flat=True)
    )
    assert told == {p.pk for p in company.people["DEV"] + company.people["OPS"]} | {
        company.manager.pk
    }


def test_threshold_and_questions_are_fixed_once_launched(company):
    survey = make_survey(company.hr)
    with pytest.raises(ApplicationError) as exc:
        services.question_add(actor=company.hr, survey=survey, kind="likert", text_fr="Encore ?")
    assert exc.value.code == "survey_launched" and exc.value.status == 409


@pytest.mark.parametrize("k", [0, 2, 51, True, "5"])
def test_k_is_never_below_three(company, k):
    with pytest.raises(ApplicationError) as exc:
        services.survey_create(actor=company.hr, title="X", min_group_size=k)
    assert exc.value.code == "min_group_size_invalid"
    assert not Survey.objects.exists()


def test_launching_without_questions_is_refused(company):
    survey = services.survey_create(actor=company.hr, title="Vide")
    with pytest.raises(ApplicationError) as exc:
        services.survey_launch(actor=company.hr, survey=survey)
    assert exc.value.code == "survey_no_question"
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT and not survey.waves.exists()


# Answering


def test_answers_are_stored_without_the_person_and_with_the_day_only(company):
    survey = make_survey(company.hr, kinds=("likert", "enps", "single", "multiple", "text"))
    person = company.people["DEV"][0]
    answer(survey, person, value=5, text="Plus de télétravail")
    # No answer or submission field can hold a person or a time finer than the day.
    for model in (Answer, Submission):
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateTimeField), f
            assert getattr(f, "related_model", None) is not type(person), f
        assert isinstance(model._meta.pk, models.UUIDField)
    # Participation holds the person and nothing else: no time, no key shared with the answers.
    assert {f.name for f in Participation._meta.get_fields()} == {"id", "wave", "user"}
    assert Participation.objects.filter(user=person).count() == 1
    stored = Answer.objects.all()
    assert stored.count() == 5
    assert {a.org_unit_id for a in stored} == {company.units["DEV"].pk}
    assert {a.answered_on for a in stored} == {date.today()}


def test_answering_twice_is_refused_and_saves_nothing(company):
    survey = make_survey(company.hr)
    person = company.people["DEV"][0]
    answer(survey, person)
    with pytest.raises(ApplicationError) as exc:
        answer(survey, person)
    assert exc.value.code == "already_answered" and exc.value.status == 409
    assert Answer.objects.count() == 2 and Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("likert", 0),
        ("likert", 6),
        ("enps", 11),
        ("enps", -1),
        ("single", 3),
        ("likert", True),
        ("likert", "3"),
        ("multiple", [5]),
        ("likert", 2.5),
    ],
)
def test_out_of_range_values_are_refused_and_save_nothing(company, kind, value):
    survey = make_survey(company.hr, kinds=(kind,))
    question = survey.questions.get()
    with pytest.raises(ApplicationError) as exc:
        services.response_submit(
            actor=company.people["DEV"][0], survey=survey, answers={question.pk: value}
        )
    assert exc.value.code == "answer_out_of_range"
    assert not Answer.objects.exists() and not Participation.objects.exists()


def test_missing_answers_and_unknown_questions_are_refused(company):
    survey = make_survey(company.hr, kinds=("likert", "text"))
    person = company.people["DEV"][0]
    with pytest.raises(ApplicationError) as exc:
        services.response_submit(actor=person, survey=survey, answers={})
    assert exc.value.code == "answer_missing"
    with pytest.raises(ApplicationError) as exc:
        services.response_submit(actor=person, survey=survey, answers={999999: 3})
    assert exc.value.code == "unknown_question"
    assert not Participation.objects.exists()


def test_closed_surveys_and_people_outside_the_audience_cannot_answer(company):
    survey = make_survey(company.hr, audience=[company.units["DSI"]])
    with pytest.raises(ApplicationError) as exc:
        answer(survey, company.people["RH"][0])
    assert exc.value.code == "not_in_audience" and exc.value.status == 403
    services.survey_close(actor=company.hr, survey=survey)
    with pytest.raises(ApplicationError) as exc:
        answer(survey, company.people["DEV"][0])
    assert exc.value.code == "survey_not_open" and exc.value.status == 409
    assert not Answer.objects.exists()


def test_a_wave_past_its_last_day_takes_no_answer(company):
    survey = make_survey(company.hr)
    wave = services.current_wave(survey=survey)
    with pytest.raises(ApplicationError) as exc:
        services.response_submit(
            actor=company.people["DEV"][0],
            survey=survey,
            answers={},
            today=wave.closes_on + timedelta(days=1),
        )
    assert exc.value.code == "survey_not_open"


def test_api_answer_bad_input(company, api_for):
    survey = make_survey(company.hr)
    likert, enps = survey.questions.all()
    api = api_for(company.people["DEV"][0])
    url = f"/api/v1/voice/surveys/{survey.pk}/responses"
    bad = api.post(
        url,
        {"answers": [{"question_id": likert.pk, "value": 9}, {"question_id": enps.pk, "value": 3}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "answer_out_of_range"
    boolean = api.post(
        url,
        {
            "answers": [
                {"question_id": likert.pk, "value": True},
                {"question_id": enps.pk, "value": 3},
            ]
        },
        content_type="application/json",
    )
    assert boolean.status_code == 422
    ok = api.post(
        url,
        {"answers": [{"question_id": likert.pk, "value": 4}, {"question_id": enps.pk, "value": 9}]},
        content_type="application/json",
    )
    assert ok.status_code == 201
    # Nothing that could tie the answers to the response comes back.
    assert ok.json() == {"survey_id": survey.pk, "wave": 1, "answered": True}
    twice = api.post(
        url,
        {"answers": [{"question_id": likert.pk, "value": 4}, {"question_id": enps.pk, "value": 9}]},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["code"] == "already_answered"


# Results


@pytest.fixture
def answered(company):
    """A closed wave: DEV 6, OPS 6, RH 5, LAB 2 respondents (k = 5)."""
    survey = make_survey(company.hr, kinds=("likert", "enps", "multiple", "text"))
    for code, members in company.people.items():
        for n, person in enumerate(members):
            answer(survey, person, value=1 + n % 5, text=f"Avis {code} {n}")
    _close(survey)
    return survey


def test_open_waves_show_no_results(company, api_for):
    survey = make_survey(company.hr)
    for person in company.everyone:
        answer(survey, person)
    response = api_for(company.hr).get(f"/api/v1/voice/surveys/{survey.pk}/results")
    assert response.status_code == 409 and response.json()["code"] == "wave_open"


def test_results_for_hr_show_only_groups_of_k_with_large_remainders(company, answered, api_for):
    api = api_for(company.hr)
    body = api.get(f"/api/v1/voice/surveys/{answered.pk}/results").json()
    assert body["group"]["unit"] is None and body["group"]["respondents"] == 19
    likert = body["group"]["questions"][0]
    assert sum(likert["counts"]) == 19 and likert["mean"] is not None
    enps = body["group"]["questions"][1]
    assert enps["promoters"] + enps["passives"] + enps["detractors"] == 19
    # Top level: DG holds everyone, so it is the only sub-group.
    assert [g["unit"]["name"] for g in body["subgroups"]] == ["Direction générale"]
    units = company.units
    dg = api.get(f"/api/v1/voice/surveys/{answered.pk}/results?unit={units['DG'].pk}").json()
    # Under DG: DSI 12, RH 5, LAB 2. LAB is too small; DSI + RH shown would give LAB away as
    # 19 - 12 - 5 = 2, so the smaller sibling, RH, is hidden together with it.
    assert [g["unit"]["name"] for g in dg["subgroups"]] == ["Direction des SI"]
    assert dg["some_subgroups_hidden"] is True
    for code in ("LAB", "RH"):
        refused = api.get(f"/api/v1/voice/surveys/{answered.pk}/results?unit={units[code].pk}")
        assert refused.status_code == 403
        assert refused.json()["code"] == "not_enough_answers"
        assert "respondents" not in refused.json()
    dsi = api.get(f"/api/v1/voice/surveys/{answered.pk}/results?unit={units['DSI'].pk}").json()
    assert dsi["group"]["respondents"] == 12
    assert sorted(g["unit"]["name"] for g in dsi["subgroups"]) == ["Développement", "Exploitation"]


def test_free_text_only_for_groups_of_ten(company, answered, api_for):
    api = api_for(company.hr)
    root = api.get(f"/api/v1/voice/surveys/{answered.pk}/results").json()["group"]
    assert root["free_text_shown"] is True
    texts = root["questions"][3]["texts"]
    assert len(texts) == 19 and "Avis LAB 0" in texts
    dev = api.get(
        f"/api/v1/voice/surveys/{answered.pk}/results?unit={company.units['DEV'].pk}"
    ).json()["group"]
    assert dev["respondents"] == 6
    assert dev["free_text_shown"] is False and dev["questions"][3]["texts"] is None


def test_manager_reads_own_subtree_only(company, answered, api_for):
    api = api_for(company.manager)
    mine = api.get(f"/api/v1/voice/surveys/{answered.pk}/results").json()
    assert mine["group"]["unit"]["name"] == "Direction des SI"
    assert mine["group"]["respondents"] == 12
    for code in ("DG", "RH"):
        response = api.get(
            f"/api/v1/voice/surveys/{answered.pk}/results?unit={company.units[code].pk}"
        )
        assert response.status_code == 403 and response.json()["code"] == "group_not_yours"


def test_employees_read_no_results(company, answered, api_for):
    response = api_for(company.people["DEV"][0]).get(f"/api/v1/voice/surveys/{answered.pk}/results")
    assert response.status_code == 403 and response.json()["code"] == "results_denied"


def test_csv_export_holds_the_shown_groups_only(company, answered, client_for):
    client = client_for(company.hr)
    url = reverse("voice:results", args=[answered.pk])
    csv = b"".join(
        client.get(url + f"?unit={company.units['DG'].pk}&format=csv").streaming_content
    ).decode()
    assert "Direction générale" in csv and "Direction des SI" in csv
    assert "Laboratoire" not in csv and "Ressources humaines" not in csv
    assert "Avis" not in csv  # free text never leaves the page
    refused = client.get(url + f"?unit={company.units['LAB'].pk}&format=csv")
    assert refused.status_code == 403
    assert "not_enough_answers" in refused.content.decode()
    assert not refused.has_header("Content-Disposition")


def test_results_page_shows_charts_and_refuses_small_groups(company, answered, client_for):
    client = client_for(company.hr)
    url = reverse("voice:results", args=[answered.pk])
    page = client.get(url + f"?unit={company.units['DSI'].pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="chart-svg"' in html and "Développement" in html and "eNPS" in html
    small = client.get(url + f"?unit={company.units['LAB'].pk}")
    assert small.status_code == 403 and 'id="not-enough"' in small.content.decode()
    assert "Laboratoire" not in small.content.decode().split('id="not-enough"')[1]


def test_trends_across_waves(company, api_for):
    survey = make_survey(company.hr, recurrence=30)
    for wave_number in range(2):
        for person in company.everyone:
            answer(survey, person, value=2 + wave_number * 2)
        _close(survey)
        services.waves_roll(today=date.today() + timedelta(days=31))
    points = api_for(company.hr).get(f"/api/v1/voice/surveys/{survey.pk}/trends").json()["points"]
    likert = str(survey.questions.get(kind="likert").pk)
    assert [p["likert_means"][likert] for p in points] == [2.0, 4.0]
    lab = api_for(company.hr).get(
        f"/api/v1/voice/surveys/{survey.pk}/trends?unit={company.units['LAB'].pk}"
    )
    assert lab.status_code == 403 and lab.json()["code"] == "not_enough_answers"


# Commands


def test_reminders_once_per_window_and_never_to_respondents(company):
    survey = make_survey(company.hr, audience=[company.units["DSI"]])
    answer(survey, company.people["DEV"][0])
    today = date.today()
    sent = services.reminders_send(today=today, window_days=3)
    assert sent == 12  # 11 who have not answered and the manager
    assert services.reminders_send(today=today + timedelta(days=1), window_days=3) == 0
    assert not SurveyReminder.objects.filter(user=company.people["DEV"][0]).exists()
    assert services.reminders_send(today=today + timedelta(days=3), window_days=3) == 12
    assert Notification.objects.filter(type="voice_survey_reminder").count() == 24


def test_reminder_command(company):
    make_survey(company.hr, audience=[company.units["RH"]])
    out = StringIO()
    call_command("vivier_voice_reminders", stdout=out)
    assert "Survey reminders sent: 5." in out.getvalue()


def test_waves_command_closes_overdue_waves_and_opens_the_next_pulse(company):
    survey = make_survey(company.hr, recurrence=7)
    one_off = make_survey(company.hr)
    Wave.objects.update(
        opens_on=date.today() - timedelta(days=20), closes_on=date.today() - timedelta(days=7)
    )
    call_command("vivier_voice_waves", stdout=StringIO())
    assert list(survey.waves.values_list("number", "status")) == [(1, "closed"), (2, "open")]
    assert list(one_off.waves.values_list("number", "status")) == [(1, "closed")]


def test_theme_scores_count_only_shown_audiences(company):
    survey = services.survey_create(actor=company.hr, title="Vision")
    question = services.question_add(actor=company.hr, survey=survey, template=VISION_CONTRIBUTION)
    services.survey_launch(actor=company.hr, survey=survey)
    for n, person in enumerate(company.people["DEV"][:4]):
        services.response_submit(actor=person, survey=survey, answers={question.pk: 5 if n else 2})
    _close(survey)
    assert selectors.theme_scores() == {}  # 4 respondents: below k, nothing is counted
    small = Survey.objects.get(pk=survey.pk)
    Survey.objects.filter(pk=small.pk).update(min_group_size=3)
    assert selectors.theme_scores() == {"vision": 75.0}


def test_moving_or_deleting_units_after_the_close_changes_no_group(company, answered, api_for):
    """Regrouping the org chart after a wave closed could carve new groups out of old answers:
    results keep the chart the wave closed with."""
    api = api_for(company.hr)
    url = f"/api/v1/voice/surveys/{answered.pk}/results"
    units = company.units
    before = api.get(f"{url}?unit={units['DSI'].pk}").json()
    # LAB (2 respondents) is moved under DSI, and RH is emptied and deleted.
    units["LAB"].parent = units["DSI"]
    org_unit_save(actor=None, unit=units["LAB"])
    for person in company.people["RH"]:
        Profile.objects.filter(user=person).update(org_unit=None)
    rh_pk = units["RH"].pk
    units["RH"].delete()
    after = api.get(f"{url}?unit={units['DSI'].pk}").json()
    assert after["group"]["respondents"] == before["group"]["respondents"] == 12
    assert api.get(f"{url}?unit={units['LAB'].pk}").json()["code"] == "not_enough_answers"
    root = api.get(url).json()["group"]
    assert root["respondents"] == 19
    assert Answer.objects.filter(org_unit_id=rh_pk).exists()
