"""OpenID Connect sign-in: authorization code flow with PKCE, state, nonce and a verified ID token."""

import secrets
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from vivier.accounts.models import User
from vivier.core.events import event_record
from vivier.integration.models import OidcLink

SESSION_KEY = "oidc_pending"
# Asymmetric algorithms only: "none" and HS256 signed with a public key are refused.
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
METADATA_SECONDS = 3600

MESSAGES = {
    "provider_error": _("The identity provider refused the sign-in."),
    "state_mismatch": _("This sign-in link is no longer valid. Start again from the sign-in page."),
    "code_missing": _("The identity provider did not send an authorization code."),
    "provider_unreachable": _("The identity provider cannot be reached. Try again later."),
    "token_exchange_failed": _("The identity provider did not confirm the sign-in."),
    "id_token_invalid": _("The identity provider's answer could not be verified."),
    "nonce_mismatch": _("The identity provider's answer does not belong to this sign-in."),
    "email_missing": _("The identity provider did not send a verified e-mail address."),
    "account_inactive": _("This account is deactivated."),
    "no_account": _("No Vivier account exists for this e-mail address."),
    "not_configured": _("Single sign-on is not configured."),
}


class SignInError(Exception):
    """A refused single sign-on, with a stable code and a message for people."""

    def __init__(self, code: str, *, email: str = "", detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.email = email
        self.message = MESSAGES[code]


def oidc_enabled() -> bool:
    """Whether a provider is configured."""
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def oidc_provider_name() -> str:
    """The provider's name for the sign-in button, or "" when single sign-on is off."""
    return settings.OIDC_PROVIDER_NAME if oidc_enabled() else ""


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInError("provider_unreachable", detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise SignInError("provider_unreachable", detail="not a JSON object")
    return data


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document, cached for an hour."""
    key = f"oidc:meta:{settings.OIDC_DISCOVERY_URL}"
    metadata = cache.get(key)
    if metadata is None:
        metadata = _get_json(settings.OIDC_DISCOVERY_URL)
        if settings.OIDC_ISSUER and metadata.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SignInError("provider_unreachable", detail="issuer differs from OIDC_ISSUER")
        cache.set(key, metadata, METADATA_SECONDS)
    return metadata


def provider_keys(metadata: dict[str, Any], *, refresh: bool = False) -> KeySet:
    """The provider's signing keys (JWKS), cached for an hour and refetched on an unknown key."""
    uri = metadata["jwks_uri"]
    key = f"oidc:jwks:{uri}"
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks = _get_json(uri)
        cache.set(key, jwks, METADATA_SECONDS)
    return KeySet.import_key_set(jwks)


def _client(request: HttpRequest) -> OAuth2Session:
    return OAuth2Session(
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET or None,
        scope=settings.OIDC_SCOPES,
        redirect_uri=request.build_absolute_uri(reverse("integration:oidc_callback")),
        code_challenge_method="S256",
        default_timeout=settings.OIDC_TIMEOUT,
    )


def authorization_start(request: HttpRequest, *, next_url: str) -> str:
    """Remember a fresh state, nonce and PKCE verifier in the session; return the provider URL."""
    if not oidc_enabled():
        raise SignInError("not_configured")
    metadata = provider_metadata()
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _state = _client(request).create_authorization_url(
        metadata["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
    )
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
    }
    return url


def id_token_verify(id_token: str, *, nonce: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Check the ID token's signature, issuer, audience, expiry and nonce; return its claims."""
    try:
        try:
            token = jwt.decode(id_token, provider_keys(metadata), algorithms=ID_TOKEN_ALGORITHMS)
        except JoseError:
            # The provider may have rotated its keys since they were cached.
            token = jwt.decode(
                id_token, provider_keys(metadata, refresh=True), algorithms=ID_TOKEN_ALGORITHMS
            )
        claims = dict(token.claims)
        jwt.JWTClaimsRegistry(
            leeway=settings.OIDC_LEEWAY,
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(claims)
    except (JoseError, ValueError, TypeError) as exc:
        raise SignInError("id_token_invalid", detail=str(exc)) from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise SignInError("id_token_invalid", detail="azp")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(
        claims["nonce"], nonce
    ):
        raise SignInError("nonce_mismatch")
    return claims


def _userinfo(token: dict[str, Any], metadata: dict[str, Any], sub: str) -> dict[str, Any]:
    """Claims from the userinfo endpoint, when the ID token lacks the e-mail."""
    endpoint = metadata.get("userinfo_endpoint")
    if not endpoint:
        return {}
    try:
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {token['access_token']}"},
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError, KeyError):
        return {}
    # The userinfo answer only counts when it is about the same person (OIDC Core 5.3.2).
    return info if isinstance(info, dict) and info.get("sub") == sub else {}


def _verified_email(claims: dict[str, Any]) -> str:
    email = claims.get("email")
    verified = claims.get("email_verified") in (True, "true")
    if not isinstance(email, str) or "@" not in email or not verified:
        return ""
    return email.strip().lower()


@transaction.atomic
def user_for_claims(*, issuer: str, claims: dict[str, Any]) -> User:
    """The account for these verified claims: by link (issuer, sub), else by verified e-mail."""
    from vivier.people.services import person_create

    sub = str(claims["sub"])
    email = _verified_email(claims)
    link = OidcLink.objects.select_related("user").filter(issuer=issuer, subject=sub).first()
    if link is not None:
        user = link.user
    else:
        if not email:
            raise SignInError("email_missing")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not settings.OIDC_CREATE_USERS:
                raise SignInError("no_account", email=email)
            user = person_create(
                email=email,
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
            )
            event_record(actor=user, verb="create", obj=user, target_user=user, via="oidc")
        link = OidcLink.objects.create(user=user, issuer=issuer, subject=sub)
    if not user.is_active:
        raise SignInError("account_inactive", email=user.email)
    link.last_login_at = timezone.now()
    link.save(update_fields=["last_login_at", "updated_at"])
    return user


def authorization_complete(request: HttpRequest) -> tuple[User, str]:
    """Finish the flow from the callback's query string; return the account and the next URL."""
    pending = request.session.pop(SESSION_KEY, None)
    params = request.GET
    if params.get("error"):
        raise SignInError("provider_error", detail=params.get("error", "")[:100])
    state = params.get("state", "")
    if not pending or not state or not secrets.compare_digest(state, pending["state"]):
        raise SignInError("state_mismatch")
    code = params.get("code", "")
    if not code:
        raise SignInError("code_missing")
    metadata = provider_metadata()
    try:
        token = _client(request).fetch_token(
            metadata["token_endpoint"], code=code, code_verifier=pending["verifier"]
        )
    except OAuthError as exc:
        raise SignInError("token_exchange_failed", detail=str(exc)) from exc
    except (requests.RequestException, ValueError) as exc:
        raise SignInError("provider_unreachable", detail=str(exc)) from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInError("id_token_invalid", detail="no id_token")
    claims = id_token_verify(id_token, nonce=pending["nonce"], metadata=metadata)
    if not claims.get("email"):
        claims = _userinfo(token, metadata, str(claims["sub"])) | claims
    user = user_for_claims(issuer=metadata["issuer"], claims=claims)
    return user, pending.get("next") or ""


MESSAGES_RATE_LIMITED = _("Too many failed sign-in attempts. Try again in a few minutes.")
