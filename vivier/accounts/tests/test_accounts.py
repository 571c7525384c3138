"""Sign-in, password reset, roles, language and personal API tokens."""

import re
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import PASSWORD
from vivier.accounts.models import ApiToken, Role
from vivier.accounts.roles import is_hr_admin, is_it_admin, role_names
from vivier.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    token_hash,
    user_set_roles,
)
from vivier.core.errors import ApplicationError, NotFound


def test_sign_in_with_email_and_out(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "ALICE@example.test", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


def test_wrong_password_is_a_form_error(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.test", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_login_redirect_stays_on_site(client, alice):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "alice@example.test", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_password_reset_by_email(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-much-better-passphrase", "new_password2": "a-much-better-passphrase"},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-much-better-passphrase")


def test_password_change(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-good-one-42",
            "new_password2": "another-good-one-42",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-good-one-42")


def test_session_expires(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600


def test_roles(alice, hr_admin):
    assert role_names(alice) == ["employee"]
    assert is_hr_admin(hr_admin) and not is_it_admin(hr_admin)
    user_set_roles(user=alice, roles=[Role.IT_ADMIN])
    alice = get_user_model().objects.get(pk=alice.pk)
    assert is_it_admin(alice) and not is_hr_admin(alice)


def test_tokens_are_stored_hashed_and_revocable(alice):
    token, secret = api_token_create(user=alice, name="script")
    assert secret.startswith("viv_") and secret not in token.key_hash
    assert ApiToken.objects.get().key_hash == token_hash(secret)
    user = api_token_authenticate(secret=secret)
    assert user == alice
    # The user as the ORM loads it (the statement is written by hand).
    for field in type(alice)._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(alice, field.attname), field.name
    token.refresh_from_db()
    assert token.last_used_at is not None
    api_token_revoke(user=alice, token_id=token.pk)
    assert api_token_authenticate(secret=secret) is None
    assert api_token_authenticate(secret="viv_forged") is None
    assert api_token_authenticate(secret="") is None


def test_token_of_deactivated_account_stops_working(alice):
    _token, secret = api_token_create(user=alice, name="script")
    alice.is_active = False
    alice.save()
    assert api_token_authenticate(secret=secret) is None


def test_nobody_revokes_someone_elses_token(alice, bob):
    token, _secret = api_token_create(user=alice, name="script")
    with pytest.raises(NotFound):
        api_token_revoke(user=bob, token_id=token.pk)
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_token_names_are_checked(alice, name):
    with pytest.raises(ApplicationError):
        api_token_create(user=alice, name=name)
    assert not ApiToken.objects.exists()


def test_tokens_page_shows_secret_once_and_revokes(client_for, alice):
    client = client_for(alice)
    page = client.post(reverse("accounts:tokens"), {"name": "reporting"})
    secret = re.search(r"viv_[A-Za-z0-9_\-]+", page.content.decode()).group(0)
    assert api_token_authenticate(secret=secret) == alice
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    token = ApiToken.objects.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api_token_authenticate(secret=secret) is None
    empty = client.post(reverse("accounts:tokens"), {"name": ""})
    assert empty.status_code == 422


def test_create_api_token_command(alice):
    out = StringIO()
    call_command("create_api_token", "alice@example.test", "--name", "ci", stdout=out)
    secret = out.getvalue().strip()
    assert api_token_authenticate(secret=secret) == alice
    assert ApiToken.objects.get().name == "ci"
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.test")


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "vivier.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-that-is-long-and-random-4b8f1c",
        "ALLOWED_HOSTS": "vivier.example.com",
        "VIVIER_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
