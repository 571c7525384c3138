"""The search page, through the test URLs (vivier.urls plus the search page if not mounted)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_page_shows_labelled_results(alice, client_for, make_post, make_community):
    community = make_community(alice, "Guilde Kubernetes")
    post = make_post(alice, "Notre cluster Kubernetes <script>alert(1)</script>")
    response = client_for(alice).get(reverse("search:search"), {"q": "kubernetes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 results" in html or "2 résultats" in html
    assert f'href="/posts/{post.pk}/"' in html
    assert f'href="/communities/{community.slug}/"' in html
    assert "<mark>Kubernetes</mark>" in html
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
    assert 'class="tag"' in html  # each result says what it is


def test_htmx_gets_the_results_only(alice, client_for, make_post):
    make_post(alice, "Partage de documentation")
    response = client_for(alice).get(
        reverse("search:search"), {"q": "documentation"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<div id="results"')
    assert "<html" not in html


def test_kinds_filter_and_blank_query(alice, client_for, make_post, make_community):
    make_community(alice, "Cuisine partagée")
    make_post(alice, "Recette de cuisine")
    client = client_for(alice)
    html = client.get(reverse("search:search"), {"q": "cuisine", "kinds": "community"}).content
    assert b"/communities/" in html and b"/posts/" not in html
    html = client.get(reverse("search:search")).content.decode()
    assert 'id="results"' in html and 'class="card search-result"' not in html


def test_pages_and_bad_input(alice, client_for, make_post):
    for n in range(25):
        make_post(alice, f"Rapport hebdomadaire {n}")
    client = client_for(alice)
    first = client.get(reverse("search:search"), {"q": "rapport"}).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(reverse("search:search"), {"q": "rapport", "page": "2"}).content.decode()
    assert len(re.findall(r'class="card search-result"', second)) == 5
    assert 'rel="prev"' in second and 'rel="next"' not in second
    for params in (
        {"q": "rapport", "page": "abc"},
        {"q": "rapport", "page": "99999999999999"},
        {"q": "x" * 500},
        {"q": "a\x00b"},
    ):
        assert client.get(reverse("search:search"), params).status_code == 200
    # An unknown kind is reported on the form, and the words are still searched.
    wrong_kind = client.get(reverse("search:search"), {"kinds": "nonsense", "q": "rapport"})
    assert 'class="error"' in wrong_kind.content.decode()
    assert wrong_kind.context["page"].total == 25


def test_no_inline_script_or_style(alice, client_for):
    html = client_for(alice).get(reverse("search:search"), {"q": "x"}).content.decode()
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("search:search"), {"q": "x"})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
