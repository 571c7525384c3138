"""End-to-end adoption journey: HR opens the funnel and sees its chart, filters it by unit, reads
the transitions; an employee reads their journey and thanks a colleague. axe-core audits each page.

Elements are found by id, name and structure, never by their (translatable) text.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vivier.accounts.models import Role
from vivier.journey.models import JourneySnapshot, Kudos

pytestmark = pytest.mark.browser


def test_funnel_chart_and_my_journey(
    transactional_db, make_person, make_unit, new_page, sign_in, password, audit
):
    dev = make_unit("DEV", "Développement")
    ops = make_unit("OPS", "Exploitation")
    hr = make_person("hr@example.test", first_name="Hélène", last_name="Rh", roles=[Role.HR_ADMIN])
    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    people = []
    snaps = []
    for unit, stages in (
        (dev, ["contribution"] * 6 + ["promotion"] * 5),
        (ops, ["participation"] * 5 + ["discovery"] * 5 + ["disappointment"] * 2),
    ):
        for stage in stages:
            person = make_person(first_name="Collègue", org_unit=unit)
            people.append(person)
            snaps.append(JourneySnapshot(user=person, date=month_ago, stage="discovery"))
            snaps.append(JourneySnapshot(user=person, date=today, stage=stage))
    JourneySnapshot.objects.bulk_create(snaps)

    page, problems = new_page(bypass_csp=True)
    sign_in(page, hr.email, password)
    page.goto("/journey/funnel/")
    expect(page.locator("#funnel .chart-svg")).to_be_visible()
    expect(page.locator("#funnel .chart-svg rect.chart-bar")).to_have_count(6)
    expect(page.locator("#funnel-total")).to_contain_text("23")
    expect(page.locator("#mask-note")).to_be_visible()
    accessibility = audit(page)
    # Only the development unit: 11 people, disappointment (0 there) and the others shown.
    page.locator("#filter-unit").select_option(str(dev.pk))
    with page.expect_navigation():
        page.locator("#funnel-filter button[type=submit]").click()
    expect(page.locator("#funnel-total")).to_contain_text("11")
    accessibility += audit(page)
    page.goto("/journey/transitions/")
    expect(page.locator("#from-discovery")).to_contain_text("6")
    accessibility += audit(page)
    page.goto("/journey/playbooks/")
    expect(page.locator("#uplift-table")).to_be_visible()
    accessibility += audit(page)

    # An employee reads their journey and thanks a colleague.
    employee = people[0]
    mine, mine_problems = new_page(bypass_csp=True)
    sign_in(mine, employee.email, password)
    mine.goto("/journey/")
    expect(mine.locator("#current-stage [aria-current=step]")).to_have_count(1)
    expect(mine.locator("#history .chart-svg")).to_be_visible()
    accessibility += audit(mine)
    mine.locator("#kudos-person").fill(people[1].email)
    mine.locator("#kudos-message").fill("Merci pour la revue de code !")
    with mine.expect_navigation():
        mine.locator("#kudos-form button[type=submit]").click()
    expect(mine.locator("#kudos-counts")).to_contain_text("1")
    assert Kudos.objects.filter(sender=employee, recipient=people[1]).count() == 1
    # The funnel is not theirs to see.
    response = mine.goto("/journey/funnel/")
    assert response.status == 403

    for current, found in ((page, problems), (mine, mine_problems)):
        found.collect_csp(current)
    errors = [e for e in problems.all() + mine_problems.all() if "403" not in e] + accessibility
    assert not errors, "\n".join(errors)
