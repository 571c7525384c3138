"""scim2-tester's check_server against the live server: no ERROR or CRITICAL result."""

from typing import Any

import pytest
from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from vivier.accounts.models import Role, User
from vivier.accounts.services import user_set_roles
from vivier.integration.scim.tokens import scim_token_create


@pytest.mark.django_db(transaction=True)
def test_check_server_finds_no_error(live_server: Any) -> None:
    admin = User.objects.create_user(email="it@vivier.test")
    user_set_roles(user=admin, roles=[Role.IT_ADMIN])
    _token, secret = scim_token_create(actor=admin, name="Compliance")
    http = Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    scim = SyncSCIMClient(http)
    results = check_server(scim)
    failures = [
        f"{r.status.name} {r.title}: {r.reason}"
        for r in results
        if r.status in (Status.ERROR, Status.CRITICAL)
    ]
    successes = [r for r in results if r.status == Status.SUCCESS]
    assert not failures, "\n".join(failures)
    # The run covered discovery and both resource types' CRUD, not just an empty pass.
    assert len(successes) > 40
    assert {r.resource_type for r in successes} >= {"User", "Group"}
