"""SCIM behaviour beyond the compliance run: mapping, filters, errors, deactivation, groups."""

from typing import Any

import pytest
from django.contrib.auth.models import Group as DjangoGroup

from vivier.accounts.models import ApiToken, Role, User, UserSession
from vivier.accounts.services import api_token_create
from vivier.integration.models import ScimIdentity, ScimToken
from vivier.integration.scim.resources import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA
from vivier.people.models import OrgUnit, Profile

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def user_body(user_name: str, **extra: Any) -> dict[str, Any]:
    body = {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "Léa", "familyName": "Martin"},
        "emails": [{"value": user_name, "type": "work", "primary": True}],
        "active": True,
    }
    body.update(extra)
    return body


def created(scim: Any, user_name: str, **extra: Any) -> dict[str, Any]:
    response = scim("post", "/Users", user_body(user_name, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def assert_scim_error(response: Any, status: int, scim_type: str | None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    assert body.get("scimType") == scim_type


def test_create_maps_to_account_profile_org_unit_and_manager(scim: Any, db: Any) -> None:
    boss = created(scim, "boss@entreprise.test")
    response = scim(
        "post",
        "/Users",
        user_body(
            "lea.martin@entreprise.test",
            title="Data scientist",
            externalId="E-1042",
            schemas=[USER_SCHEMA, ENTERPRISE_SCHEMA],
            **{
                ENTERPRISE_SCHEMA: {
                    "department": "Direction Data",
                    "manager": {"value": boss["id"]},
                }
            },
        ),
    )
    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == body["meta"]["location"]
    assert response["ETag"] == body["meta"]["version"] == 'W/"1"'
    user = User.objects.get(email="lea.martin@entreprise.test")
    profile = Profile.objects.get(user=user)
    assert (user.first_name, user.last_name, profile.title) == ("Léa", "Martin", "Data scientist")
    assert profile.org_unit.name == "Direction Data"
    assert profile.manager.email == "boss@entreprise.test"
    assert body[ENTERPRISE_SCHEMA]["department"] == "Direction Data"
    assert body[ENTERPRISE_SCHEMA]["manager"]["value"] == boss["id"]
    assert body["displayName"] == "Léa Martin"
    assert body["externalId"] == "E-1042"


def test_filters_pages_and_sorting(scim: Any, db: Any, django_assert_max_num_queries: Any) -> None:
    a = created(scim, "alice@entreprise.test", externalId="A1")
    created(
        scim,
        "bob@entreprise.test",
        externalId="B2",
        name={"givenName": "Bob", "familyName": "Durand"},
    )
    c = created(scim, "carla@autre.test", active=False)

    def ids(query: str) -> list[str]:
        response = scim("get", f"/Users?{query}")
        assert response.status_code == 200, response.content
        return sorted(r["id"] for r in response.json()["Resources"])

    from urllib.parse import quote

    def f(expression: str) -> str:
        return "filter=" + quote(expression)

    assert ids(f('userName eq "ALICE@entreprise.test"')) == [a["id"]]
    assert ids(f('emails co "autre"')) == [c["id"]]
    assert ids(f('emails[type eq "work" and value sw "bob"]')) == sorted(
        [ids(f('userName sw "bob"'))[0]]
    )
    assert ids(f("externalId pr")) == sorted(ids(f('externalId eq "A1" or externalId eq "B2"')))
    assert ids(f('displayName eq "Bob Durand"')) == ids(f('userName sw "bob"'))
    assert ids(f("active eq false")) == [c["id"]]
    assert ids(f('active eq true and not (userName ew "entreprise.test")')) == []
    assert len(ids(f('meta.lastModified gt "2000-01-01T00:00:00Z"'))) == 3
    assert ids(f('meta.lastModified lt "2000-01-01T00:00:00Z"')) == []
    page = scim("get", "/Users?startIndex=2&count=1&sortBy=userName&sortOrder=descending").json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["userName"] == "bob@entreprise.test"
    only = scim("get", "/Users?attributes=userName").json()["Resources"][0]
    assert "userName" in only and "emails" not in only
    search = scim(
        "post",
        "/Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'userName sw "carla"',
        },
    )
    assert [r["id"] for r in search.json()["Resources"]] == [c["id"]]
    for _ in range(20):
        created(
            scim,
            f"p{_}@entreprise.test",
            schemas=[USER_SCHEMA, ENTERPRISE_SCHEMA],
            **{ENTERPRISE_SCHEMA: {"department": "Ventes", "manager": {"value": a["id"]}}},
        )
    with django_assert_max_num_queries(10):
        listed = scim("get", "/Users?count=50")
    assert len(listed.json()["Resources"]) == 23


@pytest.mark.parametrize(
    ("query", "scim_type"),
    [
        ("userName eq", "invalidFilter"),
        ('userName zz "x"', "invalidFilter"),
        ('favouriteColour eq "blue"', "invalidFilter"),
        ('active eq "yes"', "invalidFilter"),
        ('meta.lastModified gt "yesterday"', "invalidFilter"),
    ],
)
def test_bad_filters(scim: Any, db: Any, query: str, scim_type: str) -> None:
    from urllib.parse import quote

    assert_scim_error(scim("get", "/Users?filter=" + quote(query)), 400, scim_type)


def test_bad_payloads_change_nothing(scim: Any, db: Any) -> None:
    first = created(scim, "lea@entreprise.test")
    count = User.objects.count()
    assert_scim_error(scim("post", "/Users", raw="{not json"), 400, "invalidSyntax")
    assert_scim_error(scim("post", "/Users", raw="[1, 2]"), 400, "invalidSyntax")
    assert_scim_error(
        scim("post", "/Users", user_body("x@entreprise.test", shoeSize=42)), 400, "invalidSyntax"
    )
    assert_scim_error(scim("post", "/Users", user_body("LEA@entreprise.test")), 409, "uniqueness")
    assert_scim_error(
        scim(
            "post", "/Users", user_body("x@entreprise.test", emails=[{"value": "not-an-address"}])
        ),
        400,
        "invalidValue",
    )
    assert_scim_error(
        scim("post", "/Users", user_body("x@entreprise.test", title="t" * 161)), 400, "invalidValue"
    )
    assert User.objects.count() == count
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "displayName", "value": "X"}],
    }
    assert_scim_error(scim("patch", f"/Users/{first['id']}", patch), 400, "mutability")
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "nickName", "value": "X"}],
    }
    response = scim("patch", f"/Users/{first['id']}", patch)
    assert response.status_code == 400 and response.json()["scimType"] in (
        "invalidPath",
        "noTarget",
    )
    # Two operations, the second refused: the first is not kept.
    patch = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "replace", "path": "title", "value": "Changed"},
            {"op": "replace", "path": "emails", "value": [{"value": "broken"}]},
        ],
    }
    assert_scim_error(scim("patch", f"/Users/{first['id']}", patch), 400, "invalidValue")
    assert Profile.objects.get(user_id=int(first["id"])).title == ""
    assert_scim_error(scim("get", "/Users/999999"), 404, None)
    assert_scim_error(scim("get", "/Nope"), 404, None)
    response = scim("delete", "/ServiceProviderConfig")
    assert_scim_error(response, 405, None)


def test_tokens(scim: Any, client: Any, it_admin: User, db: Any) -> None:
    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer scim_wrong")
    assert_scim_error(response, 401, None)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_scim_error(client.get("/scim/v2/Users"), 401, None)
    # A personal API token is not a SCIM token.
    _api, api_secret = api_token_create(user=it_admin, name="mine")
    assert_scim_error(
        client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {api_secret}"), 401, None
    )
    assert scim("get", "/Users").status_code == 200
    ScimToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert_scim_error(scim("get", "/Users"), 401, None)
    stored = ScimToken.objects.get()
    assert scim.secret not in stored.key_hash and len(stored.key_hash) == 64


def _signed_in(client_class: Any, user: User) -> Any:
    other = client_class()
    other.force_login(user)
    return other


def test_deactivation_ends_sessions_and_tokens_and_keeps_content(scim: Any, db: Any) -> None:
    from django.test import Client

    body = created(scim, "leaving@entreprise.test")
    user = User.objects.get(pk=int(body["id"]))
    browser = _signed_in(Client, user)
    assert UserSession.objects.filter(user_id=user.pk).exists()
    api_token_create(user=user, name="script")
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    response = scim("patch", f"/Users/{user.pk}", patch)
    assert response.status_code == 200 and response.json()["active"] is False
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user_id=user.pk).exists()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert browser.get("/").status_code == 302  # signed out
    # Reactivate with PUT, then DELETE: deactivated again, unknown to SCIM, content kept.
    assert scim("put", f"/Users/{user.pk}", user_body("leaving@entreprise.test")).status_code == 200
    user.refresh_from_db()
    assert user.is_active
    _signed_in(Client, user)
    assert scim("delete", f"/Users/{user.pk}").status_code == 204
    user.refresh_from_db()
    assert not user.is_active and Profile.objects.filter(user=user).exists()
    assert not UserSession.objects.filter(user_id=user.pk).exists()
    assert scim("get", f"/Users/{user.pk}").status_code == 404


def test_etags(scim: Any, db: Any) -> None:
    body = created(scim, "etag@entreprise.test")
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "title", "value": "Chef"}],
    }
    response = scim("patch", f"/Users/{body['id']}", patch, HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 200 and response["ETag"] == 'W/"2"'
    assert_scim_error(
        scim("patch", f"/Users/{body['id']}", patch, HTTP_IF_MATCH='W/"1"'), 412, None
    )
    assert scim("get", f"/Users/{body['id']}", HTTP_IF_NONE_MATCH='W/"2"').status_code == 304


def test_manager_cycle_is_refused(scim: Any, db: Any) -> None:
    a = created(scim, "a@entreprise.test")
    b = created(
        scim,
        "b@entreprise.test",
        schemas=[USER_SCHEMA, ENTERPRISE_SCHEMA],
        **{ENTERPRISE_SCHEMA: {"manager": {"value": a["id"]}}},
    )
    patch = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "add", "path": f"{ENTERPRISE_SCHEMA}:manager", "value": {"value": b["id"]}}
        ],
    }
    assert_scim_error(scim("patch", f"/Users/{a['id']}", patch), 400, "invalidValue")
    assert Profile.objects.get(user_id=int(a["id"])).manager is None


def test_groups_map_to_roles_and_org_units(
    scim: Any, db: Any, django_assert_max_num_queries: Any
) -> None:
    lea = created(scim, "lea@entreprise.test")
    tom = created(scim, "tom@entreprise.test")
    response = scim(
        "post",
        "/Groups",
        {"schemas": [GROUP_SCHEMA], "displayName": "hr_admin", "members": [{"value": lea["id"]}]},
    )
    assert response.status_code == 201
    hr = response.json()
    assert User.objects.get(pk=int(lea["id"])).groups.filter(name=Role.HR_ADMIN.value).exists()
    unit = scim(
        "post",
        "/Groups",
        {"schemas": [GROUP_SCHEMA], "displayName": "Finance", "members": [{"value": tom["id"]}]},
    ).json()
    assert Profile.objects.get(user_id=int(tom["id"])).org_unit.name == "Finance"
    groups = {g["display"] for g in scim("get", f"/Users/{lea['id']}").json()["groups"]}
    assert groups == {"hr_admin"}
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "remove", "path": f'members[value eq "{lea["id"]}"]'}],
    }
    assert scim("patch", f"/Groups/{hr['id']}", patch).status_code == 200
    assert not DjangoGroup.objects.filter(name="hr_admin", user__pk=int(lea["id"])).exists()
    patch = {
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": lea["id"]}]}],
    }
    assert scim("patch", f"/Groups/{unit['id']}", patch).status_code == 200
    assert Profile.objects.get(user_id=int(lea["id"])).org_unit.name == "Finance"
    rename = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "displayName", "value": "Finance & Achats"}],
    }
    assert scim("patch", f"/Groups/{unit['id']}", rename).status_code == 200
    assert OrgUnit.objects.filter(name="Finance & Achats").count() == 1
    to_role = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "displayName", "value": "it_admin"}],
    }
    assert_scim_error(scim("patch", f"/Groups/{unit['id']}", to_role), 400, "mutability")
    assert_scim_error(
        scim("post", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "finance & achats"}),
        409,
        "uniqueness",
    )
    assert_scim_error(
        scim(
            "post",
            "/Groups",
            {"schemas": [GROUP_SCHEMA], "displayName": "X", "members": [{"value": "424242"}]},
        ),
        400,
        "invalidValue",
    )
    for i in range(15):
        scim(
            "post",
            "/Groups",
            {
                "schemas": [GROUP_SCHEMA],
                "displayName": f"Unit {i}",
                "members": [{"value": tom["id"]}],
            },
        )
    with django_assert_max_num_queries(8):
        listed = scim("get", "/Groups?count=100").json()
    assert listed["totalResults"] == 17
    assert scim("delete", f"/Groups/{unit['id']}").status_code == 204
    assert Profile.objects.get(user_id=int(lea["id"])).org_unit is None
    assert not OrgUnit.objects.filter(name="Finance & Achats").exists()


def test_existing_person_is_adopted_by_email(scim: Any, db: Any) -> None:
    from vivier.people.services import person_create

    known = person_create(email="known@entreprise.test", first_name="K", last_name="Nown")
    body = created(scim, "KNOWN@entreprise.test")
    assert body["id"] == str(known.pk)
    assert ScimIdentity.objects.get(user=known).user_name == "KNOWN@entreprise.test"


def test_api_rate_limit_answers_429_with_headers(
    client: Any, it_admin: User, settings: Any, monkeypatch: Any
) -> None:
    from vivier.integration import ratelimit

    settings.VIVIER_API_RATE = 5
    settings.VIVIER_API_RATE_WINDOW = 60
    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    _token, secret = api_token_create(user=it_admin, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for i in range(5):
        response = client.get("/api/v1/me", **auth)
        assert response["X-RateLimit-Limit"] == "5"
        assert response["X-RateLimit-Remaining"] == str(4 - i)
    response = client.get("/api/v1/me", **auth)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert response["Retry-After"] == "60"
    assert response["X-RateLimit-Remaining"] == "0"
    assert response["X-RateLimit-Reset"] == str(int(now[0]) + 60)
    # Another token has its own budget; the next window starts afresh.
    _other, other_secret = api_token_create(user=it_admin, name="other")
    assert (
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other_secret}")[
            "X-RateLimit-Remaining"
        ]
        == "4"
    )
    now[0] += 60
    assert client.get("/api/v1/me", **auth)["X-RateLimit-Remaining"] == "4"


def test_signin_rate_limit(client: Any, db: Any, settings: Any) -> None:
    from vivier.people.services import person_create

    settings.VIVIER_SIGNIN_FAILURES = 5
    person_create(email="target@entreprise.test", password="right-password-42")
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "target@entreprise.test", "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "target@entreprise.test", "password": "right-password-42"}
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["X-RateLimit-Limit"] == "5"
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session
