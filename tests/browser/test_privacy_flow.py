"""End-to-end privacy: a person signs in (audited), downloads their data from Settings; an IT
administrator finds the sign-in in the audit log, sets a legal hold that blocks the erasure,
lifts it and erases the account. Then an axe-core audit of the pages.

Elements are found by id, name and structure, never by their (translatable) text.
"""

import pytest
from playwright.sync_api import expect

from vivier.accounts.models import Role
from vivier.audit.models import AuditEvent
from vivier.privacy.models import Erasure

pytestmark = pytest.mark.browser


def test_export_audit_log_hold_and_erasure(
    transactional_db, make_person, new_page, sign_in, password, audit
):
    eve = make_person("eve@example.test", first_name="Eve", last_name="Martin")
    ivy = make_person(
        "ivy@example.test", first_name="Ivy", last_name="Admin", roles=[Role.IT_ADMIN]
    )

    page, problems = new_page()
    sign_in(page, eve.email, password)
    page.goto("/accounts/settings/")
    with page.expect_navigation():
        page.locator("a[href='/me/data/']").click()
    with page.expect_download() as download:
        page.locator("a[href='/me/data/export/']").click()
    assert download.value.suggested_filename.endswith(".zip")
    assert AuditEvent.objects.filter(action="privacy.export", actor=eve).exists()

    admin, admin_problems = new_page(bypass_csp=True)
    sign_in(admin, ivy.email, password)
    admin.goto(f"/it/audit/?actor={eve.pk}")
    expect(admin.locator("table.data tbody tr")).not_to_have_count(0)
    expect(admin.locator("table.data")).to_contain_text("auth.login")
    accessibility = audit(admin)

    admin.goto("/it/privacy/")
    accessibility += audit(admin)
    admin.locator("#id_q").fill(eve.email)
    with admin.expect_navigation():
        admin.locator("form[role=search] button[type=submit]").click()
    admin.locator("#id_reason").fill("Enquête interne 2026-3")
    with admin.expect_navigation():
        admin.locator(f"form[action='/it/privacy/people/{eve.pk}/hold/'] button").click()
    accessibility += audit(admin)
    admin.locator("#id_content_0").check()
    admin.locator("#id_confirm").check()
    with admin.expect_navigation():
        admin.locator(f"form[action='/it/privacy/people/{eve.pk}/erase/'] button").click()
    expect(admin.locator("[role=alert]").first).to_be_visible()
    assert not Erasure.objects.exists()
    with admin.expect_navigation():
        admin.locator(f"form[action='/it/privacy/people/{eve.pk}/hold/lift/'] button").click()
    admin.locator("#id_content_0").check()
    admin.locator("#id_confirm").check()
    with admin.expect_navigation():
        admin.locator(f"form[action='/it/privacy/people/{eve.pk}/erase/'] button").click()
    expect(admin.locator("#erased-h")).to_be_visible()
    assert Erasure.objects.filter(user=eve).exists()
    accessibility += audit(admin)

    page.goto("/")  # Eve's session ended with the erasure
    expect(page.locator("input[name=password]")).to_be_visible()

    for p, found in ((page, problems), (admin, admin_problems)):
        found.collect_csp(p)
    errors = problems.all() + admin_problems.all() + accessibility
    assert not errors, "\n".join(errors)
