"""GET /search through ninja's test client, with and without the project's error handlers."""

import pytest
from ninja.testing import TestClient

from vivier.accounts.auth import api_auth
from vivier.core.api import JsonAPI, install_error_handlers
from vivier.search.api import router

pytestmark = pytest.mark.django_db

# The router mounted as vivier/api.py mounts it: same authentication and error bodies.
api = JsonAPI(auth=api_auth, urls_namespace="search-api-tests")
install_error_handlers(api)
api.add_router("", router)
client = TestClient(api)


def test_results_and_total(alice, bob, make_community, make_post):
    community = make_community(alice, "Atelier <Rust>", visibility="secret")
    secret = make_post(alice, "Le borrow checker de Rust expliqué", community=community)
    public = make_post(alice, "Rust en production : retour d'expérience")

    body = client.get("/search?q=rust&kinds=post", user=bob).json()

    assert body["total"] == 1
    (result,) = body["results"]
    assert result["kind"] == "post"
    assert result["object_id"] == public.pk
    assert result["url"] == f"/posts/{public.pk}/"
    assert "<mark>Rust</mark>" in result["snippet_html"]
    assert set(result) == {
        "kind",
        "object_id",
        "title",
        "snippet_html",
        "url",
        "score",
        "created_at",
    }
    mine = client.get(
        "/search", query_params={"q": "rust", "kinds": "post, community"}, user=alice
    ).json()
    assert {(r["kind"], r["object_id"]) for r in mine["results"]} == {
        ("post", secret.pk),
        ("post", public.pk),
        ("community", community.pk),
    }
    assert mine["total"] == 3


def test_paging(alice, make_post):
    for n in range(3):
        make_post(alice, f"Note de service {n}")
    body = client.get("/search?q=service&limit=2&offset=2", user=alice).json()
    assert body["total"] == 3
    assert len(body["results"]) == 1


def test_a_blank_query_finds_nothing(alice, make_post):
    make_post(alice, "Quelque chose")
    assert client.get("/search", user=alice).json() == {"total": 0, "results": []}


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 201,
        "q=a%00b",
        "kinds=post,nonsense",
        "kinds=post,,tag",
        "kinds=,",
        "limit=0",
        "limit=51",
        "limit=abc",
        "offset=-1",
        "offset=10001",
    ],
)
def test_invalid_parameters_are_422(alice, query):
    response = client.get(f"/search?q=x&{query}", user=alice)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_router_alone_works_too(alice, make_post):
    make_post(alice, "Sans les gestionnaires d'erreurs du projet")
    body = TestClient(router).get("/search?q=gestionnaires", user=alice).json()
    assert body["total"] == 1


def test_anonymous_callers_get_401():
    response = client.get("/search?q=x")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_schema_documents_the_endpoint():
    schema = api.get_openapi_schema(path_prefix="")
    operation = schema["paths"]["/search"]["get"]
    assert {str(code) for code in operation["responses"]} == {"200", "401", "422"}
    assert {p["name"] for p in operation["parameters"]} == {"q", "kinds", "limit", "offset"}
