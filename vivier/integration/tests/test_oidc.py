"""Single sign-on: the full flow against a real OpenID provider, and every refusal."""

import re
import time
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import user_login_failed
from django.core.cache import cache
from django.test import override_settings
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from vivier.accounts.models import User, UserSession
from vivier.integration import oidc
from vivier.integration.models import OidcLink

CLIENT_ID = "vivier-test"
CLIENT_SECRET = "s3cret-for-tests"


@pytest.fixture
def idp(live_server: Any, settings: Any) -> dict[str, str]:
    """A django-oidc-provider instance served by the live server, with one client and accounts."""
    from oidc_provider.models import Client, ResponseType
    from oidc_provider.models import RSAKey as ProviderKey

    settings.ROOT_URLCONF = "vivier.integration.tests.idp_urls"
    settings.SITE_URL = live_server.url
    issuer = f"{live_server.url}/idp/openid"
    settings.OIDC_ISSUER = issuer
    settings.OIDC_DISCOVERY_URL = f"{issuer}/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Entra ID"
    cache.clear()
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ProviderKey.objects.create(
        key=private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
    )
    client = Client.objects.create(
        name="Vivier",
        client_type="confidential",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=False,
    )
    client.redirect_uris = [f"{live_server.url}/sso/callback/"]
    client.scope = ["openid", "email", "profile"]
    client.save()
    # Transactional tests flush the rows the provider's migration made.
    code, _new = ResponseType.objects.get_or_create(value="code", defaults={"description": "code"})
    client.response_types.add(code)
    for login in ("camille@idp.test", "unverified@idp.test"):
        User.objects.create_user(email=login, password="idp-password-42")
    return {"url": live_server.url, "issuer": issuer}


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _sign_in_through_idp(base: str, login: str) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/")
    assert page.status_code == 200
    assert "Entra ID" in page.text and "/sso/start/" in page.text
    at_idp = browser.post(
        f"{base}/sso/start/", data={"csrfmiddlewaretoken": _csrf(page.text), "next": "/"}
    )
    # The provider wants its own sign-in first; the authorization request waits in `next`.
    assert at_idp.url.startswith(f"{base}/idp/login/")
    assert (
        "code_challenge_method%3DS256" in at_idp.url or "code_challenge_method=S256" in at_idp.url
    )
    done = browser.post(
        at_idp.url,
        data={
            "csrfmiddlewaretoken": _csrf(at_idp.text),
            "username": login,
            "password": "idp-password-42",
            "next": re.search(r'name="next" value="([^"]+)"', at_idp.text)
            .group(1)
            .replace("&amp;", "&"),
        },
    )
    return browser, done


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_creates_the_account_and_links_the_subject(idp: dict[str, str]) -> None:
    logged_in: list[Any] = []
    from django.contrib.auth import user_logged_in

    def on_login(sender: Any, user: Any, **kwargs: Any) -> None:
        logged_in.append(user.email)

    user_logged_in.connect(on_login)
    try:
        browser, done = _sign_in_through_idp(idp["url"], "camille@idp.test")
    finally:
        user_logged_in.disconnect(on_login)
    assert done.status_code == 200
    assert done.url == f"{idp['url']}/"
    user = User.objects.get(email="camille.durand@entreprise.test")
    assert (user.first_name, user.last_name) == ("Camille", "Durand")
    assert not user.has_usable_password()
    idp_account = User.objects.get(email="camille@idp.test")
    link = OidcLink.objects.get(user=user)
    assert (link.issuer, link.subject) == (idp["issuer"], f"idp-{idp_account.pk:06d}")
    assert "camille.durand@entreprise.test" in logged_in
    # The browser's session is now Camille's Vivier session.
    session = UserSession.objects.get(session_key=browser.cookies["sessionid"])
    assert session.user_id == user.pk
    settings_page = browser.get(f"{idp['url']}/accounts/settings/")
    assert settings_page.status_code == 200 and settings_page.url.endswith("/accounts/settings/")

    # Later sign-ins use the link (the subject), even after the e-mail changed in Vivier.
    User.objects.filter(pk=user.pk).update(email="camille.durand-martin@entreprise.test")
    browser2, done2 = _sign_in_through_idp(idp["url"], "camille@idp.test")
    assert done2.url == f"{idp['url']}/"
    assert UserSession.objects.get(session_key=browser2.cookies["sessionid"]).user_id == user.pk
    assert not User.objects.filter(email="camille.durand@entreprise.test").exists()


@pytest.mark.django_db(transaction=True)
def test_unverified_email_is_refused_and_creates_nothing(idp: dict[str, str]) -> None:
    count = User.objects.count()
    _browser, done = _sign_in_through_idp(idp["url"], "unverified@idp.test")
    assert done.status_code == 400
    assert "/sso/callback/" in done.url
    assert User.objects.count() == count
    assert not OidcLink.objects.exists()


# Refusals, driven through the callback with a provider whose answers the test writes.

ISSUER = "https://idp.example.test"


@pytest.fixture
def provider(settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A provider whose discovery, keys and token answer are set by the test."""
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_DISCOVERY_URL = f"{ISSUER}/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    cache.clear()
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    state: dict[str, Any] = {"key": key, "token": {}}
    metadata = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
    }
    monkeypatch.setattr(oidc, "provider_metadata", lambda: metadata)
    monkeypatch.setattr(oidc, "provider_keys", lambda meta, refresh=False: KeySet([state["key"]]))
    monkeypatch.setattr(
        "authlib.integrations.requests_client.OAuth2Session.fetch_token",
        lambda self, url, **kw: state["token"],
    )
    return state


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "subject-1",
        "iat": now,
        "exp": now + 300,
        "nonce": "NONCE",
        "email": "new.person@entreprise.test",
        "email_verified": True,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _start(client: Any) -> str:
    """Start a sign-in; return the state the provider would echo back."""
    response = client.post("/sso/start/", {"next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ISSUER}/authorize?")
    assert "code_challenge_method=S256" in response["Location"]
    session = client.session
    pending = session[oidc.SESSION_KEY]
    pending["nonce"] = "NONCE"
    session[oidc.SESSION_KEY] = pending
    session.save()
    return pending["state"]


@pytest.fixture
def failures() -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def listener(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
        seen.append(credentials)

    user_login_failed.connect(listener)
    yield seen
    user_login_failed.disconnect(listener)


def test_a_valid_token_signs_in(client: Any, provider: dict[str, Any], db: Any) -> None:
    state = _start(client)
    provider["token"] = {
        "id_token": jwt.encode({"alg": "RS256", "kid": "k1"}, _claims(), provider["key"])
    }
    response = client.get("/sso/callback/", {"code": "abc", "state": state})
    assert response.status_code == 302
    assert User.objects.filter(email="new.person@entreprise.test").exists()
    assert client.session["_auth_user_id"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("expired", "id_token_invalid"),
        ("forged", "id_token_invalid"),
        ("hs256", "id_token_invalid"),
        ("wrong_audience", "id_token_invalid"),
        ("wrong_issuer", "id_token_invalid"),
        ("wrong_nonce", "nonce_mismatch"),
        ("wrong_state", "state_mismatch"),
        ("provider_error", "provider_error"),
        ("no_session", "state_mismatch"),
    ],
)
def test_bad_answers_show_an_error_create_nothing_and_signal(
    client: Any,
    provider: dict[str, Any],
    db: Any,
    failures: list[dict[str, Any]],
    case: str,
    expected: str,
) -> None:
    state = "" if case == "no_session" else _start(client)
    claims = _claims()
    key = provider["key"]
    header = {"alg": "RS256", "kid": "k1"}
    params = {"code": "abc", "state": state}
    if case == "expired":
        claims = _claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    elif case == "forged":
        key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    elif case == "hs256":
        from joserfc.jwk import OctKey

        key, header = OctKey.import_key("x" * 32), {"alg": "HS256", "kid": "k1"}
    elif case == "wrong_audience":
        claims = _claims(aud="someone-else")
    elif case == "wrong_issuer":
        claims = _claims(iss="https://evil.example.test")
    elif case == "wrong_nonce":
        claims = _claims(nonce="replayed")
    elif case == "wrong_state":
        params["state"] = "not-the-state"
    elif case == "provider_error":
        params = {"error": "access_denied", "state": state}
    algorithms = ["HS256"] if header["alg"] == "HS256" else None
    provider["token"] = {"id_token": jwt.encode(header, claims, key, algorithms=algorithms)}
    response = client.get("/sso/callback/", params)
    assert response.status_code == 400
    assert f": {expected}</p>" in response.content.decode()
    assert not User.objects.filter(email="new.person@entreprise.test").exists()
    assert "_auth_user_id" not in client.session
    assert failures and failures[-1]["reason"] == expected


def test_deactivated_person_cannot_sign_in(
    client: Any, provider: dict[str, Any], db: Any, failures: list[dict[str, Any]]
) -> None:
    User.objects.create_user(email="new.person@entreprise.test", is_active=False)
    state = _start(client)
    provider["token"] = {
        "id_token": jwt.encode({"alg": "RS256", "kid": "k1"}, _claims(), provider["key"])
    }
    response = client.get("/sso/callback/", {"code": "abc", "state": state})
    assert response.status_code == 403
    assert failures[-1]["reason"] == "account_inactive"


def test_callback_shares_the_sign_in_limit(
    client: Any, provider: dict[str, Any], db: Any, settings: Any
) -> None:
    settings.VIVIER_SIGNIN_FAILURES = 3
    for _ in range(3):
        assert client.get("/sso/callback/", {"code": "x", "state": "bad"}).status_code == 400
    response = client.get("/sso/callback/", {"code": "x", "state": "bad"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["X-RateLimit-Limit"] == "3"
    assert response["X-RateLimit-Remaining"] == "0"


@override_settings(OIDC_DISCOVERY_URL="", OIDC_CLIENT_ID="")
def test_no_button_and_no_start_without_configuration(client: Any, db: Any) -> None:
    page = client.get("/accounts/login/")
    assert "/sso/start/" not in page.content.decode()
    assert client.post("/sso/start/").status_code == 404
