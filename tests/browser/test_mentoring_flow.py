"""End-to-end mentoring: a mentee states a goal, sees a suggested mentor with reasons, asks; the
mentor accepts from their mentoring page; then an axe-core audit of the pages visited.

Elements are found by id, name and structure, never by their (translatable) text.
"""

import pytest
from playwright.sync_api import expect

from vivier.mentoring import services
from vivier.mentoring.models import Mentorship
from vivier.people.models import ProfileSkill, Skill

pytestmark = pytest.mark.browser


def test_request_to_accepted_pairing(
    transactional_db, make_person, new_page, sign_in, password, audit
):
    python = Skill.objects.create(slug="python", label_fr="Python", label_en="Python")
    mentor = make_person("marc@example.test", first_name="Marc", last_name="Mentor")
    mentee = make_person("lea@example.test", first_name="Léa", last_name="Apprenante")
    ProfileSkill.objects.create(user=mentor, skill=python, level=4)
    services.offer_save(actor=mentor, skills=["python"], capacity=2, languages=["fr"])

    # Léa says what she wants to learn; her pages are audited with axe (her context bypasses
    # the CSP so axe can be injected; Marc's does not).
    lea_page, lea_problems = new_page(bypass_csp=True)
    sign_in(lea_page, mentee.email, password)
    lea_page.goto("/mentoring/")
    accessibility = audit(lea_page)
    lea_page.locator("#edit-request").click()
    form = lea_page.locator("form#request-form")
    form.locator("select[name=goal_1_skill]").select_option("python")
    form.locator("select[name=goal_1_level]").select_option("3")
    accessibility += audit(lea_page)
    with lea_page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert lea_page.url.endswith("/mentoring/suggestions/")

    # Marc is suggested, with his reasons; Léa asks him.
    suggestion = lea_page.locator(f"#suggestion-{mentor.pk}")
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("ul.reasons li").first).to_be_visible()
    accessibility += audit(lea_page)
    suggestion.locator("textarea[name=message]").fill("Bonjour Marc, je veux progresser en Python.")
    with lea_page.expect_navigation():
        suggestion.locator("form.ask button[type=submit]").click()
    mentorship = Mentorship.objects.get(mentor=mentor, mentee=mentee)
    assert mentorship.status == Mentorship.Status.REQUESTED
    expect(lea_page.locator("#mentorship-status")).to_have_attribute("data-status", "requested")

    # Marc sees the request waiting on his mentoring page and accepts it.
    marc_page, marc_problems = new_page()
    sign_in(marc_page, mentor.email, password)
    marc_page.goto("/mentoring/")
    waiting = marc_page.locator(f"#waiting-{mentorship.pk}")
    expect(waiting).to_be_visible()
    with marc_page.expect_navigation():
        waiting.locator("form.accept button").click()
    expect(marc_page.locator("#mentorship-status")).to_have_attribute("data-status", "active")
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE

    # Léa sees the running relationship, and its session and note forms.
    lea_page.goto(f"/mentoring/pairs/{mentorship.pk}/")
    expect(lea_page.locator("#mentorship-status")).to_have_attribute("data-status", "active")
    expect(lea_page.locator("#session-form")).to_be_visible()
    accessibility += audit(lea_page)

    for page, problems in ((lea_page, lea_problems), (marc_page, marc_problems)):
        problems.collect_csp(page)
    errors = lea_problems.all() + marc_problems.all() + accessibility
    assert not errors, "\n".join(errors)
