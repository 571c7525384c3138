"""The test identity provider's directory: its accounts and the claims it asserts for them."""

from typing import Any

# The IdP's own accounts sign in at /idp/login/ with an "@idp.test" login; the provider then
# asserts the company e-mail below, which Vivier has never seen before the first sign-in.
DIRECTORY = {
    "camille@idp.test": {
        "email": "camille.durand@entreprise.test",
        "email_verified": True,
        "given_name": "Camille",
        "family_name": "Durand",
    },
    "unverified@idp.test": {
        "email": "dominique.petit@entreprise.test",
        "email_verified": False,
        "given_name": "Dominique",
        "family_name": "Petit",
    },
}


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    """Fill the standard claims from the directory."""
    entry = DIRECTORY.get(user.email, {})
    for key, value in entry.items():
        claims[key] = value
    return claims


def subject(user: Any) -> str:
    """A stable subject that is not Vivier's id."""
    return f"idp-{user.pk:06d}"
