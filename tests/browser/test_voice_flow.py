"""End-to-end employee voice: a first wave with too few answers shows no number; in the next
wave an employee answers anonymously in the browser, which brings the team to k; HR closes the
survey and the results appear, with their charts. Then an axe-core audit of the pages.

Elements are found by id, name and structure, never by their (translatable) text.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from vivier.accounts.models import Role
from vivier.voice import services
from vivier.voice.models import Answer, Participation, Wave

pytestmark = pytest.mark.browser


def _answer(survey, person, value):
    likert, enps = survey.questions.order_by("position")
    services.response_submit(actor=person, survey=survey, answers={likert.pk: value, enps.pk: 8})


def test_answer_a_survey_and_see_results_once_k_is_reached(
    transactional_db, make_person, make_unit, new_page, sign_in, password, audit
):
    team = make_unit("DEV", "Développement")
    hr = make_person("hr@example.test", first_name="Hélène", last_name="Rh", roles=[Role.HR_ADMIN])
    eve = make_person("eve@example.test", first_name="Eve", last_name="Martin", org_unit=team)
    colleagues = [make_person(first_name="Collègue", org_unit=team) for _ in range(4)]
    survey = services.survey_create(
        actor=hr, title="Pulse d'équipe", audience=[team.pk], min_group_size=5, recurrence_days=30
    )
    services.question_add(actor=hr, survey=survey, template="vision_contribution")
    services.question_add(actor=hr, survey=survey, template="enps")
    survey = services.survey_launch(actor=hr, survey=survey)
    # Wave 1: only three colleagues answered; it is closed.
    for person in colleagues[:3]:
        _answer(survey, person, 2)
    services.wave_close(actor=None, wave=services.current_wave(survey=survey))
    # Wave 2 opens today; four colleagues answer.
    services.waves_roll(today=date.today() + timedelta(days=30))
    Wave.objects.filter(survey=survey, number=2).update(opens_on=date.today())
    for person in colleagues:
        _answer(survey, person, 4)

    # HR's pages are audited with axe, injected inline: her context bypasses the CSP.
    hr_page, hr_problems = new_page(bypass_csp=True)
    sign_in(hr_page, hr.email, password)
    hr_page.goto(f"/voice/surveys/{survey.pk}/results/")
    # Wave 1 had three respondents: a message, no number.
    expect(hr_page.locator("#not-enough")).to_be_visible()
    expect(hr_page.locator("#respondents")).to_have_count(0)
    accessibility = audit(hr_page)

    # Eve finds the survey on the voice page and answers it.
    eve_page, eve_problems = new_page()
    sign_in(eve_page, eve.email, password)
    eve_page.goto("/voice/")
    with eve_page.expect_navigation():
        eve_page.locator(f"#answer-survey-{survey.pk} a").click()
    expect(eve_page.locator("#anonymity-note")).to_be_visible()
    likert, enps = survey.questions.order_by("position")
    form = eve_page.locator("#answer-form")
    # Sending without an answer keeps her on the form with the errors shown.
    with eve_page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(eve_page.locator(f"#fieldset-q{likert.pk} [role=alert]")).to_be_visible()
    assert not Participation.objects.filter(user=eve).exists()
    eve_page.locator(f"#answer-form input[name=q{likert.pk}][value='5']").check()
    eve_page.locator(f"#answer-form input[name=q{enps.pk}][value='9']").check()
    with eve_page.expect_navigation():
        eve_page.locator("#answer-form button[type=submit]").click()
    expect(eve_page.locator(".messages")).to_be_visible()
    expect(eve_page.locator(f"#answer-survey-{survey.pk}")).to_have_count(0)
    assert Participation.objects.filter(user=eve).count() == 1
    wave = Wave.objects.get(survey=survey, number=2)
    assert Answer.objects.filter(wave=wave).count() == 10
    # Her answers went in with her unit and the day, nothing else; a second visit says so.
    eve_page.goto(f"/voice/surveys/{survey.pk}/answer/")
    expect(eve_page.locator("#already-answered")).to_be_visible()

    # While the wave is open, nothing is shown; HR closes the survey.
    hr_page.goto(f"/voice/surveys/{survey.pk}/results/?wave={wave.pk}")
    expect(hr_page.locator("#not-enough")).to_have_attribute("data-code", "wave_open")
    hr_page.goto(f"/voice/surveys/{survey.pk}/")
    accessibility += audit(hr_page)
    with hr_page.expect_navigation():
        hr_page.locator("#close-survey").click()
    with hr_page.expect_navigation():
        hr_page.locator("#results-link").click()
    # Five respondents: the results appear, with their charts.
    expect(hr_page.locator("#respondents")).to_contain_text("5")
    expect(hr_page.locator(f"#result-q{likert.pk} .chart-svg")).to_be_visible()
    expect(hr_page.locator(f"#result-q{enps.pk} .enps")).to_be_visible()
    accessibility += audit(hr_page)
    # Picking the first wave again still shows no number.
    hr_page.locator("#filter-wave").select_option(str(Wave.objects.get(survey=survey, number=1).pk))
    with hr_page.expect_navigation():
        hr_page.locator("#results-filter button[type=submit]").click()
    expect(hr_page.locator("#not-enough")).to_have_attribute("data-code", "not_enough_answers")

    # The idea box and the commitments pages are audited too.
    for path in ("/voice/", "/voice/ideas/", "/voice/commitments/"):
        hr_page.goto(path)
        accessibility += audit(hr_page)

    for page, problems in ((hr_page, hr_problems), (eve_page, eve_problems)):
        problems.collect_csp(page)
    errors = hr_problems.all() + eve_problems.all() + accessibility
    assert not errors, "\n".join(errors)
