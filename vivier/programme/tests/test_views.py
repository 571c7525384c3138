"""Programme pages: each role's page, forms, errors, the badge, the HR dashboard."""

import re

import pytest
from django.urls import reverse

from vivier.programme.models import Award, Nomination
from vivier.programme.tests.conftest import full_scores


def test_application_to_award_through_the_pages(client_for, people, domain):
    candidate = client_for(people["candidate"])
    response = candidate.post(
        reverse("programme:nominate"),
        {
            "domain": domain.pk,
            "candidate": "",
            "level": "expert",
            "motivation": "J'anime la communauté.",
        },
    )
    n = Nomination.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "programme:nomination", args=[n.pk]
    )
    manager = client_for(people["manager"])
    assert (
        "Give my opinion" in manager.get(response.url).content.decode()
        or "Donner mon avis" in manager.get(response.url).content.decode()
    )
    manager.post(
        reverse("programme:opinion", args=[n.pk]), {"opinion": "favourable", "comment": "Oui"}
    )
    for key in ("member1", "member2"):
        data = {f"score_{k}": v for k, v in full_scores(domain).items()} | {"comment": "ok"}
        assert (
            client_for(people[key]).post(reverse("programme:review", args=[n.pk]), data).status_code
            == 302
        )
    page = (
        client_for(people["member1"])
        .get(reverse("programme:nomination", args=[n.pk]))
        .content.decode()
    )
    # The weighted average, shown to the committee.
    assert re.search(r"(Weighted average|Moyenne pondérée)\s*:\s*4[.,]0", page)
    client_for(people["member1"]).post(
        reverse("programme:decide", args=[n.pk]),
        {"decision": "award", "level": "expert", "reason": "Bravo"},
    )
    assert Award.objects.filter(user=people["candidate"]).exists()
    seen = candidate.get(reverse("programme:nomination", args=[n.pk])).content.decode()
    # The decision and its reason, never the committee's scores nor the review form.
    assert "Bravo" in seen
    assert 'id="rv-h"' not in seen and 'id="review-form"' not in seen
    # Not "4.0" alone: a timestamp such as 22:15:24.06 contains it.
    assert not re.search(r"(Weighted average|Moyenne pondérée)|\b4[.,]0 / 5", seen)
    # The badge shows next to the name on the profile and in the directory.
    profile = client_for(people["outsider"]).get(
        reverse("people:profile", args=[people["candidate"].pk])
    )
    assert "expert-badge" in profile.content.decode()
    directory = client_for(people["outsider"]).get(reverse("programme:directory"))
    assert people["candidate"].get_full_name() in directory.content.decode()


def test_refused_actions_show_a_form_error_and_change_nothing(
    client_for, people, domain, in_review
):
    client = client_for(people["hr"])
    response = client.post(
        reverse("programme:decide", args=[in_review.pk]),
        {"decision": "award", "level": "expert", "reason": "x"},
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == "committee_review"


def test_conflicted_manager_sees_no_review_form(client_for, people, in_review):
    page = client_for(people["manager"]).get(reverse("programme:nomination", args=[in_review.pk]))
    assert page.status_code == 200
    assert reverse("programme:review", args=[in_review.pk]) not in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("candidate", 200), ("manager", 200), ("hr", 200), ("peer", 404), ("outsider", 404)],
)
def test_nomination_page_by_role(client_for, people, nomination, who, status):
    assert (
        client_for(people[who])
        .get(reverse("programme:nomination", args=[nomination.pk]))
        .status_code
        == status
    )


@pytest.mark.parametrize(("who", "status"), [("hr", 200), ("member1", 403), ("candidate", 403)])
def test_hr_pages(client_for, people, domain, who, status):
    client = client_for(people[who])
    assert client.get(reverse("programme:hr")).status_code == status
    assert client.get(reverse("programme:domain_new")).status_code == status
    assert client.get(reverse("programme:domain_edit", args=[domain.pk])).status_code == status


def test_hr_dashboard_shows_charts(client_for, people, awarded):
    page = client_for(people["hr"]).get(reverse("programme:hr")).content.decode()
    assert "chart-svg" in page and "Data" in page


def test_domain_form_creates_a_domain(client_for, people, python_skill):
    response = client_for(people["hr"]).post(
        reverse("programme:domain_new"),
        {
            "name": "Sécurité",
            "skills": [python_skill.pk],
            "committee": people["member1"].email,
            "criteria": "Technique ; 3\nPartage ; 1",
            "quorum": 1,
            "label_years": 2,
        },
    )
    assert response.status_code == 302
    bad = client_for(people["hr"]).post(
        reverse("programme:domain_new"),
        {
            "name": "X",
            "skills": [python_skill.pk],
            "committee": "nobody@x.test",
            "criteria": "a ; b",
            "quorum": 1,
            "label_years": 2,
        },
    )
    assert bad.status_code == 200 and "nobody@x.test" in bad.content.decode()


def test_pages_render_for_everyone(client_for, people, awarded):
    client = client_for(people["candidate"])
    for name in (
        "home",
        "domains",
        "nominate",
        "directory",
        "time",
        "paths",
        "events",
        "event_new",
    ):
        assert client.get(reverse(f"programme:{name}")).status_code == 200, name


def test_time_page_logs_for_experts(client_for, people, awarded):
    from django.utils import timezone

    client = client_for(people["candidate"])
    r = client.post(
        reverse("programme:time"),
        {"kind": "training", "day": timezone.localdate().isoformat(), "hours": "2"},
    )
    assert r.status_code == 302
    assert (
        "2.00" in client.get(reverse("programme:time")).content.decode()
        or "2,00" in client.get(reverse("programme:time")).content.decode()
    )


def test_directory_query_count_is_flat(
    client_for, people, domain, awarded, make_person, django_assert_num_queries
):
    from django.utils import timezone

    client = client_for(people["outsider"])
    client.get(reverse("programme:directory"))
    # session, user, roles (HR link), domains, awards with people, unread notifications
    with django_assert_num_queries(6):
        client.get(reverse("programme:directory"))
    now = timezone.now()
    for _ in range(5):
        Award.objects.create(
            user=make_person(),
            domain=domain,
            level="expert",
            state="active",
            granted_at=now,
            expires_at=now.replace(year=now.year + 1),
        )
    with django_assert_num_queries(6):
        page = client.get(reverse("programme:directory")).content.decode()
    assert page.count("expert-badge") == 1  # badges come from labels; these awards have none


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("hr", True), ("member1", False), ("candidate", False), ("manager", False)],
)
def test_hr_sets_an_experts_dedicated_share_from_the_dashboard(
    client_for, people, awarded, role, allowed
):
    from vivier.programme.selectors import budget_percent

    candidate = people["candidate"]
    client = client_for(people[role])
    url = reverse("programme:budget_set", args=[candidate.pk])
    response = client.post(url, {"percent": "35"})
    if not allowed:
        assert response.status_code == 403 and budget_percent(candidate) == 20
        return
    assert response.status_code == 302 and budget_percent(candidate) == 35
    page = client.get(reverse("programme:hr")).content.decode()
    assert f'id="share-{candidate.pk}"' in page and 'value="35"' in page
    # Out of range or not a number: a clear message, nothing changed.
    for bad in ("150", "abc", ""):
        client.post(url, {"percent": bad})
        assert budget_percent(candidate) == 35
    page = client.get(reverse("programme:hr")).content.decode()
    assert "Une part va de 0 à 100" in page
