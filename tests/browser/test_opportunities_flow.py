"""End-to-end opportunities: Alice sets her mobility preferences, sees an opportunity recommended
with its reasons and the skill she lacks, applies; the owner finds her among the suggested
people and accepts her, which lowers her availability; axe-core audits every page on the way.

Elements are found by id, name and structure, never by their (translatable) text.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from vivier.opportunities.models import Application
from vivier.opportunities.services import SkillNeed, opportunity_save, opportunity_transition
from vivier.people.models import Profile, ProfileSkill

pytestmark = pytest.mark.browser


def test_from_recommendation_to_application(
    transactional_db, make_person, make_skill, new_page, sign_in, password, audit
):
    python = make_skill("python", "Python")
    make_skill("sql", "SQL")
    owner = make_person("owner@example.test", first_name="Odile", last_name="Porteur")
    alice = make_person(
        "alice@example.test", first_name="Alice", last_name="Durand", availability_percent=50
    )
    ProfileSkill.objects.create(user=alice, skill=python, level=4)
    opportunity = opportunity_save(
        actor=owner,
        kind="project",
        title="Plateforme data groupe",
        description="Construire la plateforme de données.",
        time_share_percent=20,
        start_date=date(2027, 1, 4),
        strategic=True,
        skills=[SkillNeed("python", 3, True), SkillNeed("sql", 2, False)],
    )
    opportunity_transition(actor=owner, opportunity=opportunity, action="publish")

    page, problems = new_page(bypass_csp=True)
    sign_in(page, alice.email, password)
    # Her preferences: she may be suggested to owners and wants to develop SQL.
    page.goto("/opportunities/preferences/")
    page.locator("input[name=suggestible]").check()
    page.locator("input[name=interests]").fill("SQL")
    accessibility = audit(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/opportunities/for-me/")

    # The recommendation, its reasons and the missing skill linked to who knows it.
    item = page.locator(f"#recommendations #opportunity-{opportunity.pk}")
    expect(item).to_be_visible()
    expect(item.locator(".opportunity-reasons li[data-code=skill]")).to_have_count(1)
    expect(item.locator(".opportunity-reasons li[data-code=interest]")).to_have_count(1)
    expect(item.locator(".opportunity-missing a[href='/experts/?q=SQL']")).to_be_visible()
    accessibility += audit(page)

    # She opens it and applies.
    with page.expect_navigation():
        item.locator("h2 a").click()
    page.locator("textarea[name=message]").fill("Je connais bien Python et veux progresser en SQL.")
    accessibility += audit(page)
    with page.expect_navigation():
        page.locator("form[action$='/apply/'] button[type=submit]").click()
    expect(page.locator("#my-application-status")).to_be_visible()
    application = Application.objects.get(opportunity=opportunity, applicant=alice)

    # The owner sees her among the people suggested, then accepts her application.
    owner_page, owner_problems = new_page(bypass_csp=True)
    sign_in(owner_page, owner.email, password)
    owner_page.goto(f"/opportunities/{opportunity.pk}/people/")
    expect(owner_page.locator("#people")).to_be_visible()
    # She applied already, so she is no longer suggested: the applications list has her.
    expect(owner_page.locator(f"#person-{alice.pk}")).to_have_count(0)
    accessibility += audit(owner_page)
    owner_page.goto(f"/opportunities/{opportunity.pk}/")
    row = owner_page.locator(f"#application-{application.pk}")
    expect(row).to_be_visible()
    accessibility += audit(owner_page)
    with owner_page.expect_navigation():
        row.locator("button[value=accept]").click()
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert Profile.objects.get(user=alice).availability_percent == 30
    owner_page.goto("/opportunities/dashboard/")
    expect(owner_page.locator("figure.chart").first).to_be_visible()
    accessibility += audit(owner_page)

    page.goto(f"/opportunities/{opportunity.pk}/")
    expect(page.locator("#my-application-status")).to_be_visible()
    for each, found in ((page, problems), (owner_page, owner_problems)):
        found.collect_csp(each)
    errors = problems.all() + owner_problems.all() + accessibility
    assert not errors, "\n".join(errors)
