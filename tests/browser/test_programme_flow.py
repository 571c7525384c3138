"""End-to-end expert programme: a self-application goes through the manager's opinion and the
committee's review to the award; the candidate reads the decision and carries the badge. The
pages of each role are audited with axe-core and checked for inline code (CSP).

Elements are found by id, name and structure, never by their (translatable) text.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from vivier.expertise.models import ExpertLabel
from vivier.people.services import profile_update
from vivier.programme import services
from vivier.programme.models import Award, Nomination
from vivier.social.services import community_create

pytestmark = pytest.mark.browser


def _submit(page: Any, form: Any) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_application_to_award_in_the_browser(
    transactional_db, make_person, make_skill, new_page, sign_in, password, audit
):
    hr = make_person("hr@example.test", first_name="Hélène", last_name="Rh")
    from vivier.accounts.models import Role
    from vivier.accounts.services import user_set_roles

    user_set_roles(user=hr, roles=[Role.HR_ADMIN])
    manager = make_person("marc@example.test", first_name="Marc", last_name="Manager")
    candidate = make_person("camille@example.test", first_name="Camille", last_name="Candidate")
    profile_update(actor=hr, person=candidate, data={"manager": manager})
    members = [
        make_person(f"m{i}@example.test", first_name="Membre", last_name=f"C{i}") for i in range(2)
    ]
    skill = make_skill("python", "Python")
    community = community_create(
        actor=hr, name="Experts Data", visibility="closed", is_expert_community=True
    )
    domain = services.domain_save(
        actor=hr,
        name="Data",
        skill_ids=[skill.pk],
        committee_ids=[m.pk for m in members],
        quorum=2,
        label_years=3,
        community=community,
        criteria=[("Technique", 3), ("Transmission", 2)],
    )
    problems_all = []

    # The candidate applies.
    page, problems = new_page(bypass_csp=True)
    problems_all.append((page, problems))
    sign_in(page, candidate.email, password)
    page.goto("/programme/nominate/")
    form = page.locator("form#nominate-form")
    form.locator("select[name=domain]").select_option(str(domain.pk))
    form.locator("textarea[name=motivation]").fill("J'anime les ateliers Python depuis deux ans.")
    accessibility = audit(page)
    _submit(page, form)
    nomination = Nomination.objects.get()
    assert page.url.endswith(f"/programme/nominations/{nomination.pk}/")
    expect(page.locator("#nomination-state")).to_be_visible()
    accessibility += audit(page)

    # The manager gives a favourable opinion.
    manager_page, manager_problems = new_page(bypass_csp=True)
    problems_all.append((manager_page, manager_problems))
    sign_in(manager_page, manager.email, password)
    manager_page.goto("/programme/")
    manager_page.locator(f"a[href='/programme/nominations/{nomination.pk}/']").first.click()
    opinion = manager_page.locator("form#opinion-form")
    opinion.locator("select[name=opinion]").select_option("favourable")
    opinion.locator("textarea[name=comment]").fill("Très bon pédagogue.")
    accessibility += audit(manager_page)
    _submit(manager_page, opinion)
    nomination.refresh_from_db()
    assert nomination.state == "committee_review"
    expect(manager_page.locator("form#review-form")).to_have_count(0)

    # Two committee members review; the second one records the decision.
    for member in members:
        member_page, member_problems = new_page(bypass_csp=True)
        problems_all.append((member_page, member_problems))
        sign_in(member_page, member.email, password)
        member_page.goto(f"/programme/nominations/{nomination.pk}/")
        review = member_page.locator("form#review-form")
        for criterion in domain.criteria.all():
            review.locator(f"input[name=score_{criterion.pk}]").fill("4")
        review.locator("textarea[name=comment]").fill("Dossier solide.")
        _submit(member_page, review)
    accessibility += audit(member_page)
    decision = member_page.locator("form#decide-form")
    decision.locator("select[name=decision]").select_option("award")
    decision.locator("select[name=level]").select_option("referent")
    decision.locator("textarea[name=reason]").fill("Contribution remarquable, bravo.")
    _submit(member_page, decision)
    nomination.refresh_from_db()
    assert nomination.state == "awarded"
    award = Award.objects.get(user=candidate)
    assert award.level == "referent"
    assert ExpertLabel.objects.filter(user=candidate, skill=skill, level="referent").exists()

    # The candidate reads the decision and its reason, not the scores.
    page.goto(f"/programme/nominations/{nomination.pk}/")
    expect(page.locator("#decision-reason")).to_be_visible()
    expect(page.locator("#rv-h")).to_have_count(0)
    accessibility += audit(page)
    # The badge shows next to the name on the profile, and in the expert directory.
    page.goto(f"/people/{candidate.pk}/")
    expect(page.locator("h1 .expert-badge")).to_be_visible()
    expect(page.locator("#expert-h")).to_be_visible()
    accessibility += audit(page)
    for url in (
        "/programme/experts/",
        "/programme/time/",
        "/programme/paths/",
        "/programme/events/",
        "/programme/",
    ):
        page.goto(url)
        accessibility += audit(page)
    expect(page.locator(f"a[href='/people/{candidate.pk}/']")).to_have_count(0)

    # HR's dashboard.
    hr_page, hr_problems = new_page(bypass_csp=True)
    problems_all.append((hr_page, hr_problems))
    sign_in(hr_page, hr.email, password)
    hr_page.goto("/programme/hr/")
    expect(hr_page.locator("svg.chart-svg").first).to_be_visible()
    accessibility += audit(hr_page)

    errors = list(accessibility)
    for p, found in problems_all:
        found.collect_csp(p)
        errors += found.all()
    assert not errors, "\n".join(errors)
