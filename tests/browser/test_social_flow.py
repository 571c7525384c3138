"""End-to-end: a post reaches a follower's feed; the follower comments on it with htmx.

Elements are found by id, name and structure, never by their (translatable) text.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from vivier.social.models import Comment, Post

pytestmark = pytest.mark.browser


def _is_post_to(path: str) -> Any:
    return lambda response: response.request.method == "POST" and response.url.endswith(path)


def test_post_reaches_a_followers_feed(transactional_db, make_person, new_page, sign_in, password):
    alice = make_person("alice@example.test", first_name="Alice", last_name="Durand")
    bob = make_person("bob@example.test", first_name="Bob", last_name="Lefèvre")

    # Alice follows Bob from his profile page.
    alice_page, alice_problems = new_page()
    sign_in(alice_page, alice.email, password)
    alice_page.goto(f"/people/{bob.pk}/")
    follow_form = alice_page.locator(f"form[action='/follow/person/{bob.pk}/']")
    with alice_page.expect_navigation():
        follow_form.locator("button[value=follow]").click()
    expect(
        alice_page.locator(f"form[action='/follow/person/{bob.pk}/'] button[value=unfollow]")
    ).to_be_visible()

    # Bob publishes from the home page composer, mentioning Alice.
    bob_page, bob_problems = new_page()
    sign_in(bob_page, bob.email, password)
    bob_page.goto("/")
    composer = bob_page.locator("form#composer")
    composer.locator("textarea[name=body]").fill("Déploiement réussi #kubernetes, merci @alice !")
    with bob_page.expect_navigation():
        composer.locator("button[type=submit]").click()
    post = Post.objects.get(author=bob)
    expect(bob_page.locator(f"#post-{post.pk}")).to_be_visible()

    # Alice sees it in her feed, with the hashtag and the mention as links.
    alice_page.goto("/")
    card = alice_page.locator(f"#feed #post-{post.pk}")
    expect(card).to_be_visible()
    expect(card.locator("a.hashtag")).to_have_attribute("href", "/tags/kubernetes/")
    expect(card.locator("a.mention")).to_have_attribute("href", f"/people/{alice.pk}/")
    # The mention notified her: the header shows an unread badge.
    expect(alice_page.locator(".account-menu .badge")).to_be_visible()

    # She comments on the post page; htmx swaps the comments in place.
    alice_page.goto(f"/posts/{post.pk}/")
    form = alice_page.locator("#comments > form")
    form.locator("textarea[name=body]").fill("Bravo Bob !")
    with alice_page.expect_response(_is_post_to(f"/posts/{post.pk}/comments/")) as answered:
        form.locator("button[type=submit]").click()
    assert answered.value.status == 200
    comment = Comment.objects.get(post=post)
    expect(alice_page.locator(f"#comments #comment-{comment.pk}")).to_be_visible()

    errors = alice_problems.all() + bob_problems.all()
    assert not errors, "\n".join(errors)
