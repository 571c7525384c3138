from typing import Any

import pytest
from django.core.cache import cache

from vivier.accounts.models import Role, User
from vivier.accounts.services import user_set_roles
from vivier.integration.scim.tokens import scim_token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def it_admin(db: Any) -> User:
    admin = User.objects.create_user(
        email="it.admin@vivier.test", first_name="Inès", last_name="Admin"
    )
    user_set_roles(user=admin, roles=[Role.IT_ADMIN])
    return admin


@pytest.fixture
def scim(client: Any, it_admin: User) -> Any:
    """A SCIM caller: `scim("post", "/Users", body)` returns the response."""
    _token, secret = scim_token_create(actor=it_admin, name="Entra ID")

    def call(
        method: str, path: str, body: Any = None, *, raw: str | None = None, **headers: str
    ) -> Any:
        data = raw if raw is not None else ("" if body is None else __import__("json").dumps(body))
        return getattr(client, method)(
            f"/scim/v2{path}",
            data=data,
            content_type="application/scim+json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            **headers,
        )

    call.secret = secret
    return call
