"""Post cards from the cache: the same page as a fresh one, never stale, per reader where it must."""

import re

from django.core.cache import caches
from django.urls import reverse

from vivier.people.models import Profile
from vivier.social.models import Community
from vivier.social.services import (
    comment_create,
    follow,
    post_create,
    post_update,
    reaction_set,
)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _feed(client, **params) -> str:
    """The feed section of home, CSRF tokens blanked (they are masked anew on every page)."""
    page = client.get(reverse("home"), params).content.decode()
    start, end = page.index('<section id="feed"'), page.index("</section>", page.index('id="feed"'))
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', page[start:end])


def test_a_page_from_the_cache_is_the_page_rendered_afresh(client_for, alice, bob, communities):
    follow(actor=bob, user=alice)
    post_create(actor=alice, body="Un **point** #python", community=communities["open"])
    post_create(actor=alice, body="## Titre\n\nTexte", kind="article", title="Un article")
    client = client_for(bob)
    fresh = _feed(client)
    assert "Un article" in fresh and "<strong>point</strong>" in fresh
    cached = _feed(client)
    assert cached == fresh
    caches["cards"].clear()
    assert _feed(client) == fresh


def test_what_a_card_shows_is_never_stale(client_for, alice, bob, communities):
    follow(actor=bob, user=alice)
    post = post_create(actor=alice, body="Première version", community=communities["open"])
    client = client_for(bob)
    assert "Première version" in _feed(client)
    post_update(actor=alice, post=post, body="Seconde version")
    assert "Seconde version" in _feed(client) and "Première version" not in _feed(client)
    alice.first_name = "Alicia"
    alice.save()
    assert "Alicia Durand" in _feed(client)
    # Written without save() (as expert_levels_refresh does): the key still sees it.
    Profile.objects.filter(user=alice).update(expert_level="expert")
    assert "expert-badge" in _feed(client)
    Community.objects.filter(pk=communities["open"].pk).update(name="Club renommé")
    assert "Club renommé" in _feed(client)
    # Counts are the reader's part of the card: they change without a new head.
    comment_create(actor=bob, post=post, body="Bravo")
    assert "1 commentaire" in _feed(client) or "1 comment" in _feed(client)


def test_reactions_stay_with_their_reader(client_for, alice, bob, carol):
    follow(actor=bob, user=alice)
    follow(actor=carol, user=alice)
    post = post_create(actor=alice, body="Réagissez")
    reaction_set(actor=bob, post=post, kind="like")
    assert _feed(client_for(bob)).count('aria-pressed="true"') == 1
    carol_feed = _feed(client_for(carol))
    assert carol_feed.count('aria-pressed="true"') == 0
    assert "1 réaction" in carol_feed or "1 reaction" in carol_feed


def test_each_language_has_its_own_card(client_for, alice, bob):
    follow(actor=bob, user=alice)
    post_create(actor=alice, body="## T\n\nx", kind="article", title="Bilan")
    client = client_for(bob)
    french = _feed(client)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    english = _feed(client)
    assert "Lire l'article" in french
    assert "Read the article" in english and "Read the article" not in french
