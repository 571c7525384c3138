"""The site header, rendered once per kind of page and reader and then filled in per request."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from vivier.social.models import Notification
from vivier.social.services import comment_create, post_create

pytestmark = pytest.mark.django_db


def _header(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return re.search(r"<header.*?</header>", page.content.decode(), re.S).group(0)


def _badge(header: str) -> str | None:
    found = re.search(r'<span class="badge">(\d+)<', header)
    return found.group(1) if found else None


def test_each_reader_sees_their_own_unread_count(client_for, alice, bob, make_person):
    carol = make_person(first_name="Carol")
    post = post_create(actor=alice, body="Un message")
    comment_create(actor=bob, post=post, body="Une réponse")
    comment_create(actor=carol, post=post, body="Une autre")
    url = reverse("social:communities")
    assert _badge(_header(client_for(alice), url)) == "2"
    assert _badge(_header(client_for(bob), url)) is None  # same page, no badge: not alice's
    Notification.objects.filter(recipient=alice).update(read_at=post.created_at)
    assert _badge(_header(client_for(alice), url)) is None
    comment_create(actor=bob, post=post, body="Encore")
    assert _badge(_header(client_for(alice), url)) == "1"


def test_the_admin_link_is_for_staff_only(client_for, alice, bob):
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    url = reverse("social:communities")
    assert reverse("admin:index") in _header(client_for(bob), url)
    assert reverse("admin:index") not in _header(client_for(alice), url)


def test_the_current_section_is_marked(client_for, alice):
    client = client_for(alice)
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    assert current.findall(_header(client, reverse("social:communities"))) == [
        reverse("social:communities")
    ]
    assert current.findall(_header(client, reverse("people:directory"))) == [
        reverse("people:directory")
    ]


def test_the_language_switch_comes_back_to_the_page_asked_escaped(client_for, alice):
    page = client_for(alice).get(reverse("social:communities"), {"q": 'a"b<c>', "d": "1"})
    path = page.wsgi_request.get_full_path()
    assert "?" in path and "&" in path
    header = re.search(r"<header.*?</header>", page.content.decode(), re.S).group(0)
    assert f'name="next" value="{escape(path)}"' in header
    assert 'a"b<c>' not in header


def test_the_forms_carry_a_token_the_csrf_check_accepts(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("social:communities")).content.decode()
    header = re.search(r"<header.*?</header>", page, re.S).group(0)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)
    assert len(tokens) == 2 and all(len(token) == 64 for token in tokens)
    # One token per page: the header's forms carry the one htmx sends.
    assert re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1) == tokens[0] == tokens[1]
    answer = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 302
    assert client.get(reverse("social:communities")).status_code == 302  # signed out


def test_signed_out_there_is_no_account_menu_and_english_is_offered(client):
    header = _header(client, reverse("accounts:login"))
    assert "account-menu" not in header and "main-nav" not in header
    assert 'value="en"' in header and 'value="fr"' not in header


def test_in_english_the_header_is_english_and_french_is_offered(client_for, alice):
    client = client_for(alice)
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    header = _header(client, reverse("social:communities"))
    assert "Notifications" in header and "Settings" in header and "Sign out" in header
    assert 'value="fr"' in header and 'value="en"' not in header
