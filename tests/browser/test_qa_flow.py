"""End-to-end Q&A: while a question is typed the experts who would be asked appear; it is posted,
an expert answers with htmx and the asker accepts the answer; then an axe-core audit of the pages.

Elements are found by id, name and structure, never by their (translatable) text.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from vivier.expertise.models import Answer, QuestionRouting
from vivier.social.models import Post
from vivier.social.services import post_create

pytestmark = pytest.mark.browser


def _is_post_to(path: str) -> Any:
    return lambda response: response.request.method == "POST" and response.url.endswith(path)


def test_ask_see_experts_answer_and_accept(
    transactional_db, make_person, new_page, sign_in, password, audit
):
    alice = make_person("alice@example.test", first_name="Alice", last_name="Durand")
    bob = make_person("bob@example.test", first_name="Bob", last_name="Lefèvre")
    post_create(actor=bob, body="Mes notes #kubernetes : déployer des pods avec helm")

    # Alice types her question; the experts it would reach appear as she types.
    # Alice's pages are audited with axe, injected inline: her context bypasses the CSP, Bob's
    # does not.
    alice_page, alice_problems = new_page(bypass_csp=True)
    sign_in(alice_page, alice.email, password)
    alice_page.goto("/questions/new/")
    form = alice_page.locator("form#question-form")
    expect(alice_page.locator(f"#suggested-experts #expert-{bob.pk}")).to_have_count(0)
    form.locator("input[name=title]").press_sequentially("Comment déployer sur kubernetes ?")
    expect(alice_page.locator(f"#suggested-experts #expert-{bob.pk}")).to_be_visible()
    expect(alice_page.locator(f"#expert-{bob.pk} .snippet mark").first).to_be_visible()
    form.locator("textarea[name=body]").fill("Mes pods redémarrent en boucle.")
    form.locator("input[name=tags]").fill("kubernetes, helm")
    accessibility = audit(alice_page)
    with alice_page.expect_navigation():
        form.locator("button[type=submit]:not([name])").click()
    question = Post.objects.get(kind=Post.Kind.QUESTION)
    assert alice_page.url.endswith(f"/questions/{question.pk}/")
    assert QuestionRouting.objects.filter(question=question, expert=bob).exists()
    # The message names who was asked; the side panel lists them for the asker.
    expect(alice_page.locator(".messages")).to_contain_text(bob.get_full_name())
    expect(alice_page.locator(f"a[href='/people/{bob.pk}/']").first).to_be_visible()

    # Bob answers on the question page; htmx swaps the answers in place.
    bob_page, bob_problems = new_page()
    sign_in(bob_page, bob.email, password)
    bob_page.goto(f"/questions/{question.pk}/")
    answer_form = bob_page.locator("#answer-form")
    answer_form.locator("textarea[name=body]").fill("Regarde les *liveness probes* d'abord.")
    with bob_page.expect_response(_is_post_to(f"/questions/{question.pk}/answers/")) as answered:
        answer_form.locator("button[type=submit]").click()
    assert answered.value.status == 200
    answer = Answer.objects.get(question=question)
    expect(bob_page.locator(f"#answers #answer-{answer.pk} em")).to_be_visible()
    # No vote and no acceptance on one's own answer.
    expect(bob_page.locator(f"#answer-{answer.pk} form.vote")).to_have_count(0)
    expect(bob_page.locator(f"#answer-{answer.pk} form.accept")).to_have_count(0)

    # Alice accepts it, and votes it up, without reloading.
    alice_page.goto(f"/questions/{question.pk}/")
    with alice_page.expect_response(_is_post_to(f"/answers/{answer.pk}/accept/")) as accepted:
        alice_page.locator(f"#answer-{answer.pk} form.accept button").click()
    assert accepted.value.status == 200
    expect(alice_page.locator(f"#answer-{answer.pk}.accepted")).to_be_visible()
    with alice_page.expect_response(_is_post_to(f"/answers/{answer.pk}/vote/")):
        alice_page.locator(f"#answer-{answer.pk} button[data-vote=up]").click()
    expect(alice_page.locator(f"#answer-{answer.pk} button[data-vote=up]")).to_have_attribute(
        "aria-pressed", "true"
    )
    answer.refresh_from_db()
    assert answer.accepted_at is not None and answer.score == 1
    accessibility += audit(alice_page)

    # Who knows? The accepted answer is Bob's evidence.
    alice_page.goto("/experts/?q=kubernetes")
    expect(alice_page.locator(f"#expert-{bob.pk} .badge.accepted")).to_be_visible()
    accessibility += audit(alice_page)
    alice_page.goto("/experts/")
    expect(alice_page.locator("#expert-results")).to_be_visible()
    alice_page.goto("/questions/")
    expect(alice_page.locator(f"#question-{question.pk} .badge.accepted")).to_be_visible()
    accessibility += audit(alice_page)

    for page, problems in ((alice_page, alice_problems), (bob_page, bob_problems)):
        problems.collect_csp(page)
    errors = alice_problems.all() + bob_problems.all() + accessibility
    assert not errors, "\n".join(errors)
