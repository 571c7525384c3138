"""The API's error contract: JSON bodies with a stable code, never a 500."""

from enum import StrEnum

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from ninja import Router

from vivier.accounts.services import api_token_create, api_token_revoke
from vivier.core.api import JsonAPI

ERROR_KEYS = {"code", "message", "field", "details"}


@pytest.fixture
def me(make_person):
    return make_person("me@example.test", first_name="Camille", last_name="Api")


@pytest.fixture
def auth(me) -> dict[str, str]:
    _token, secret = api_token_create(user=me, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def error(response, status: int) -> dict:
    """The JSON error body of `response`, checked against the contract."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] and body["message"]
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/people"),
        ("patch", "/api/v1/me"),
        ("post", "/api/v1/me/skills"),
        ("delete", "/api/v1/me/skills/1"),
    ],
)
def test_no_token_is_401_unauthenticated(db, method, path):
    # Writes too: without a session there is no CSRF to check, so no 403.
    response = getattr(Client(), method)(path, content_type="application/json")
    assert error(response, 401)["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "header",
    ["Bearer nope", "Bearer viv_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "viv_abc"],
)
def test_bad_token_is_refused(db, header):
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert error(response, 401)["code"] == "unauthenticated"


def test_revoked_token_is_refused(me):
    token, secret = api_token_create(user=me, name="soon revoked")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/me").status_code == 200
    api_token_revoke(user=me, token_id=token.pk)
    assert error(client.get("/api/v1/me"), 401)["code"] == "unauthenticated"


def test_inactive_account_token_is_refused(me, auth):
    me.is_active = False
    me.save(update_fields=["is_active"])
    assert error(Client().get("/api/v1/me", **auth), 401)["code"] == "unauthenticated"


def test_session_write_without_csrf_is_403_csrf_failed(me):
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    assert client.get("/api/v1/me").status_code == 200
    response = client.patch("/api/v1/me", {"title": "x"}, content_type="application/json")
    assert error(response, 403)["code"] == "csrf_failed"


@pytest.mark.parametrize(
    "query",
    [
        {"q": "al\x00ice"},
        {"skill": "py\x00"},
        {"language": "f\x00"},
    ],
)
def test_nul_in_people_query_is_422(auth, query):
    body = error(Client().get("/api/v1/people", query, **auth), 422)
    assert body["code"] == "validation_error"


def test_nul_in_skills_query_is_422(auth):
    body = error(Client().get("/api/v1/skills", {"q": "\x00"}, **auth), 422)
    assert body["code"] == "validation_error"


def test_nul_in_body_is_422(auth):
    response = Client().patch(
        "/api/v1/me", {"title": "Chef\x00"}, content_type="application/json", **auth
    )
    body = error(response, 422)
    assert body["code"] == "validation_error"
    assert body["details"][0]["loc"][-1] == "title"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/people/{n}"),
        ("delete", "/api/v1/me/skills/{n}"),
        ("post", "/api/v1/people/{n}/skills/1/endorsements"),
        ("delete", "/api/v1/people/1/skills/{n}/endorsements"),
    ],
)
@pytest.mark.parametrize("n", [2**63 - 1, 2**63, 10**40])
def test_huge_id_is_404_or_422(auth, method, path, n):
    response = getattr(Client(), method)(path.format(n=n), **auth)
    # The largest 64-bit id is a well-formed id that does not exist; beyond, it is not an id.
    expected = 404 if n < 2**63 else 422
    assert error(response, expected)["code"] != "error"


@pytest.mark.parametrize("skill", ["99999999999999999999999", "²", "①", "٣"])
def test_odd_skill_filters_are_not_500(auth, skill):
    response = Client().get("/api/v1/people", {"skill": skill}, **auth)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_huge_query_integer_is_422(auth):
    response = Client().get("/api/v1/people", {"org_unit": 10**30}, **auth)
    assert error(response, 422)["code"] == "validation_error"


def test_validation_error_has_code_and_details(auth):
    response = Client().post(
        "/api/v1/me/skills", {"skill_id": "1", "level": 9}, content_type="application/json", **auth
    )
    body = error(response, 422)
    assert body["code"] == "validation_error"
    assert {tuple(d["loc"][-1:]) for d in body["details"]} == {("skill_id",), ("level",)}


@pytest.mark.parametrize("payload", ["[]", "[null, null]", "1", '"title"', "null"])
def test_body_must_be_an_object(auth, payload):
    response = Client().patch("/api/v1/me", payload, content_type="application/json", **auth)
    assert error(response, 422)["code"] == "validation_error"


def test_malformed_json_is_a_json_error(auth):
    response = Client().post(
        "/api/v1/me/skills", "{not json", content_type="application/json", **auth
    )
    assert response.status_code in {400, 422}
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("put", "/api/v1/me", {"GET", "PATCH"}),
        ("post", "/api/v1/people", {"GET"}),
        ("get", "/api/v1/me/skills/1", {"DELETE"}),
    ],
)
def test_wrong_method_is_json_405_with_allow(auth, method, path, allow):
    response = getattr(Client(), method)(path, **auth)
    assert error(response, 405)["code"] == "method_not_allowed"
    assert set(response["Allow"].split(", ")) == allow


def test_unknown_api_path_is_json_404(auth):
    assert error(Client().get("/api/v1/nowhere", **auth), 404)["code"] == "not_found"


def test_two_schemas_of_the_same_name_are_refused():
    # ninja would let the last `Kind` win: an operation would then document another's values.
    def enum(values):
        return StrEnum("Kind", {v.upper(): v for v in values})

    first, second = enum(["a", "b"]), enum(["c"])
    api, router = JsonAPI(urls_namespace="twins"), Router()

    @router.get("/first")
    def first_view(request, kind: first):
        return None

    @router.get("/second")
    def second_view(request, kind: second):
        return None

    api.add_router("", router)
    with pytest.raises(ImproperlyConfigured, match="'Kind'"):
        api.get_openapi_schema(path_prefix="")
