"""End-to-end vision map: an employee opens the map, clicks through to an objective, links her
post to the objective the panel suggests (htmx), and finds it under "my part", with an
opportunity tied to the vision that matches her skills. HR's map, objective and coverage pages
are audited with axe.

Elements are found by id, name and structure, never by their (translatable) text.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from vivier.accounts.models import Role
from vivier.opportunities.models import Opportunity, OpportunitySkill
from vivier.people.models import ProfileSkill
from vivier.social import services as social
from vivier.vision import services
from vivier.vision.models import ObjectiveLink

pytestmark = pytest.mark.browser


def test_from_the_map_to_my_part(
    transactional_db, make_person, make_unit, python_skill, new_page, sign_in, password, audit
):
    team = make_unit("DEV", "Développement")
    hr = make_person("hr@example.test", first_name="Hélène", last_name="Rh", roles=[Role.HR_ADMIN])
    anna = make_person("anna@example.test", first_name="Anna", last_name="Leroy", org_unit=team)
    owner = make_person("omar@example.test", first_name="Omar", last_name="Diallo", org_unit=team)
    services.vision_save(
        actor=hr, title_fr="Cap 2030", statement_fr="La confiance numérique, ensemble."
    )
    clients = services.axis_save(actor=hr, title_fr="Le client au cœur")
    talents = services.axis_save(actor=hr, title_fr="Nos talents")
    period = {"period_start": date(2026, 1, 1), "period_end": date(2027, 12, 31)}
    digital = services.objective_create(
        actor=hr, axis=clients, title_fr="Digitaliser le parcours client", owner=hr, **period
    )
    app = services.objective_create(
        actor=hr,
        axis=clients,
        parent=digital,
        title_fr="Lancer l'application mobile client",
        description_fr="Une application mobile iOS et Android testée avec nos clients.",
        owner=owner,
        **period,
    )
    services.indicator_save(
        actor=owner,
        objective=app,
        name_fr="Téléchargements",
        target_value=50000,
        current_value=12000,
    )
    services.objective_create(
        actor=hr, axis=talents, title_fr="Développer l'expertise", owner=hr, **period
    )
    post = social.post_create(
        actor=anna, body="Première démo de l'application mobile client avec trois clients pilotes."
    )
    # An open opportunity serving the app objective, needing a skill Anna has.
    project = Opportunity.objects.create(
        kind=Opportunity.Kind.PROJECT,
        title="Back-end de l'application mobile",
        description="API Python pour l'application.",
        time_share_percent=20,
        start_date=date(2026, 3, 1),
        owner=owner,
        status=Opportunity.Status.OPEN,
    )
    OpportunitySkill.objects.create(opportunity=project, skill=python_skill, level=2)
    ProfileSkill.objects.create(user=anna, skill=python_skill, level=3)
    services.link_create(actor=owner, objective_id=app.pk, kind="opportunity", object_id=project.pk)

    page, problems = new_page()
    sign_in(page, anna.email, password)
    # The map shows the tree; she clicks through to the sub-objective.
    page.goto("/vision/")
    expect(page.locator(f"#axis-{clients.pk}")).to_be_visible()
    with page.expect_navigation():
        page.locator(f"#node-{app.pk} > a").click()
    expect(page.locator(f"#objective-{app.pk}")).to_be_visible()
    expect(page.locator("#indicators tbody tr")).to_have_count(1)
    # On her post, the panel loads and suggests the app objective first; she links it.
    page.goto(f"/posts/{post.pk}/")
    suggestions = page.locator("#vision-suggestions li")
    expect(suggestions.first).to_be_visible()
    first = suggestions.first.locator("input[name=objective]")
    assert first.get_attribute("value") == str(app.pk)
    suggestions.first.locator("button[type=submit]").click()
    expect(page.locator(f"#vision-linked a[href='/vision/objectives/{app.pk}/']")).to_be_visible()
    assert ObjectiveLink.objects.filter(post=post, objective=app).exists()
    # She also links the parent objective, picked in the list of every active objective.
    page.locator("#vision-objective").select_option(str(digital.pk))
    page.locator("#vision-link-form button[type=submit]").click()
    expect(
        page.locator(f"#vision-linked a[href='/vision/objectives/{digital.pk}/']")
    ).to_be_visible()
    assert ObjectiveLink.objects.filter(post=post).count() == 2
    # Back on the map, then "my part" through the tab.
    page.goto("/vision/")
    with page.expect_navigation():
        page.locator("#tab-me").click()
    expect(page.locator(f"#my-objective-{app.pk}")).to_be_visible()
    expect(page.locator(f"#my-objective-{digital.pk}")).to_be_visible()
    expect(
        page.locator(f"#contribute-opportunities a[href='/opportunities/{project.pk}/']")
    ).to_be_visible()
    problems.collect_csp(page)

    # HR's pages, audited with axe (injected inline: her context bypasses the CSP).
    hr_page, hr_problems = new_page(bypass_csp=True)
    sign_in(hr_page, hr.email, password)
    accessibility = []
    for path in ("/vision/", f"/vision/objectives/{app.pk}/", "/vision/me/", "/vision/coverage/"):
        hr_page.goto(path)
        accessibility += audit(hr_page)
    expect(hr_page.locator("#coverage-objectives")).to_be_visible()
    errors = problems.all() + hr_problems.all() + accessibility
    assert not errors, "\n".join(errors)
