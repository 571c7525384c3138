"""Deactivating a person ends all of their access at once and keeps their content."""

import pytest
from django.test import Client
from django.urls import reverse

from vivier.accounts.models import ApiToken, User, UserSession
from vivier.accounts.services import api_token_create, user_deactivate, user_reactivate
from vivier.core.models import ActivityEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _signed_in_client(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_sessions_record_their_user() -> None:
    alice = User.objects.create_user("alice@example.com", PASSWORD)
    _signed_in_client(alice)
    _signed_in_client(alice)
    assert UserSession.objects.filter(user_id=alice.pk).count() == 2


def test_deactivation_ends_every_session_and_token_of_that_person_only() -> None:
    alice = User.objects.create_user("alice@example.com", PASSWORD)
    bob = User.objects.create_user("bob@example.com", PASSWORD)
    alice_browsers = [_signed_in_client(alice), _signed_in_client(alice)]
    bob_browser = _signed_in_client(bob)
    _, alice_secret = api_token_create(user=alice, name="script")
    _, bob_secret = api_token_create(user=bob, name="script")
    me = reverse("api-v1:me_get")

    user_deactivate(user=alice, actor=bob)

    assert not UserSession.objects.filter(user_id=alice.pk).exists()
    for browser in alice_browsers:
        assert browser.get(reverse("home")).status_code == 302
    assert Client().get(me, HTTP_AUTHORIZATION=f"Bearer {alice_secret}").status_code == 401
    assert bob_browser.get(reverse("home")).status_code == 200
    assert Client().get(me, HTTP_AUTHORIZATION=f"Bearer {bob_secret}").status_code == 200
    assert not ApiToken.objects.filter(user=alice, revoked_at__isnull=True).exists()
    alice.refresh_from_db()
    assert alice.is_active is False
    assert ActivityEvent.objects.filter(verb="deactivate", actor=bob, target_user=alice).exists()


def test_reactivation_lets_the_person_sign_in_but_old_tokens_stay_revoked() -> None:
    alice = User.objects.create_user("alice@example.com", PASSWORD)
    _, secret = api_token_create(user=alice, name="script")
    user_deactivate(user=alice)
    user_reactivate(user=alice)
    assert Client().login(email=alice.email, password=PASSWORD)
    me = reverse("api-v1:me_get")
    assert Client().get(me, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
