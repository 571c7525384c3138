"""The programme API: the whole chain, the role x action matrix, errors and query counts."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from vivier.programme.models import Nomination
from vivier.programme.tests.conftest import full_scores

BASE = "/api/v1/programme"


def _post(client, url, body, headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def _scores(domain, value=4):
    return [{"criterion_id": k, "value": v} for k, v in full_scores(domain, value).items()]


def test_nomination_from_application_to_award_through_the_api(client, people, domain, token_for):
    h = {key: token_for(user) for key, user in people.items()}
    response = _post(
        client,
        f"{BASE}/nominations",
        {"domain_id": domain.pk, "motivation": "Je forme."},
        h["candidate"],
    )
    assert response.status_code == 201, response.content
    n = response.json()
    assert n["state"] == "manager_review" and n["reviews"] is None
    url = f"{BASE}/nominations/{n['id']}"
    assert (
        _post(
            client, f"{url}/opinion", {"opinion": "favourable", "comment": "Oui"}, h["manager"]
        ).json()["state"]
        == "committee_review"
    )
    for key in ("member1", "member2"):
        r = _post(client, f"{url}/reviews", {"scores": _scores(domain), "comment": "ok"}, h[key])
        assert r.status_code == 200, r.content
    assert len(r.json()["reviews"]) == 2 and r.json()["average"] == 4.0
    r = _post(
        client,
        f"{url}/decision",
        {"decision": "award", "reason": "Bravo", "level": "referent"},
        h["member1"],
    )
    assert r.status_code == 200 and r.json()["state"] == "awarded"
    mine = client.get(f"{BASE}/awards", **h["candidate"]).json()
    assert [(a["domain"], a["level"], a["state"]) for a in mine] == [("Data", "referent", "active")]
    seen = client.get(url, **h["candidate"]).json()
    assert (
        seen["decision_reason"] == "Bravo" and seen["reviews"] is None and seen["average"] is None
    )
    assert [t["to_state"] for t in seen["history"]] == [
        "manager_review",
        "committee_review",
        "awarded",
    ]
    experts = client.get(f"{BASE}/experts?domain={domain.pk}", **h["outsider"]).json()
    assert [e["person"]["id"] for e in experts] == [people["candidate"].pk]


# (who, action) -> expected status, on a nomination in the state the action needs. The committee
# does not see a nomination before the manager's opinion (view, opinion, withdraw: 404).
MATRIX = [
    ("candidate", "view", 200),
    ("manager", "view", 200),
    ("member1", "view", 404),
    ("hr", "view", 200),
    ("peer", "view", 404),
    ("outsider", "view", 404),
    ("candidate", "opinion", 403),
    ("member1", "opinion", 404),
    ("hr", "opinion", 403),
    ("manager", "opinion", 200),
    ("outsider", "opinion", 404),
    ("candidate", "review", 403),
    ("manager", "review", 403),
    ("hr", "review", 403),
    ("member1", "review", 200),
    ("outsider", "review", 404),
    ("candidate", "decide", 403),
    ("manager", "decide", 403),
    ("member1", "decide", 200),
    ("hr", "decide", 200),
    ("outsider", "decide", 404),
    ("candidate", "withdraw", 200),
    ("manager", "withdraw", 403),
    ("member1", "withdraw", 404),
    ("hr", "withdraw", 200),
    ("candidate", "evidence", 201),
    ("manager", "evidence", 403),
    ("hr", "evidence", 201),
]


@pytest.mark.parametrize(("who", "action", "expected"), MATRIX)
def test_permission_matrix(client, people, domain, token_for, who, action, expected):
    from vivier.programme import services

    n = services.nomination_create(
        actor=people["candidate"], domain=domain, candidate=people["candidate"], motivation="x"
    )
    if action not in ("view", "opinion", "withdraw", "evidence"):
        services.manager_opinion_give(actor=people["manager"], nomination=n, opinion="favourable")
    if action == "decide":
        for key in ("member1", "member2"):
            services.review_submit(actor=people[key], nomination=n, scores=full_scores(domain))
    url = f"{BASE}/nominations/{n.pk}"
    h = token_for(people[who])
    body = {
        "opinion": {"opinion": "reserved"},
        "review": {"scores": _scores(domain)},
        "decide": {"decision": "decline", "reason": "Pas encore."},
        "withdraw": {"reason": ""},
        "evidence": {"title": "Conférence interne", "url": "/posts/1/"},
    }
    path = {
        "opinion": "/opinion",
        "review": "/reviews",
        "decide": "/decision",
        "withdraw": "/withdraw",
        "evidence": "/evidence",
    }
    before = Nomination.objects.get(pk=n.pk).state
    if action == "view":
        response = client.get(url, **h)
    else:
        response = _post(client, url + path[action], body[action], h)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert "code" in response.json()
        assert Nomination.objects.get(pk=n.pk).state == before


def test_scores_visible_to_committee_and_hr_only(client, people, domain, token_for, reviewed):
    url = f"{BASE}/nominations/{reviewed.pk}"
    for who, visible in [("member1", True), ("hr", True), ("candidate", False), ("manager", False)]:
        body = client.get(url, **token_for(people[who])).json()
        assert (body["reviews"] is not None) is visible, who
        assert body["review_count"] == 2


def test_invalid_transition_is_409_and_changes_nothing(client, people, token_for, awarded):
    h = token_for(people["hr"])
    r = _post(
        client,
        f"{BASE}/nominations/{awarded.pk}/decision",
        {"decision": "decline", "reason": "x"},
        h,
    )
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    r = _post(client, f"{BASE}/nominations/{awarded.pk}/reopen", {"reason": ""}, h)
    assert r.status_code == 409
    assert Nomination.objects.get(pk=awarded.pk).state == "awarded"


def test_quorum_and_conflict_codes(client, people, domain, token_for, in_review):
    url = f"{BASE}/nominations/{in_review.pk}"
    r = _post(
        client, f"{url}/decision", {"decision": "award", "reason": "x"}, token_for(people["hr"])
    )
    assert (r.status_code, r.json()["code"]) == (409, "quorum_not_reached")
    r = _post(client, f"{url}/reviews", {"scores": _scores(domain)}, token_for(people["manager"]))
    assert (r.status_code, r.json()["code"]) == (403, "conflict_of_interest")
    r = _post(
        client, f"{url}/reviews", {"scores": _scores(domain)[:1]}, token_for(people["member1"])
    )
    assert (r.status_code, r.json()["code"]) == (400, "scores_invalid")


def test_domain_creation_is_hr_only(client, people, python_skill, token_for):
    body = {
        "name": "Sécurité",
        "skill_ids": [python_skill.pk],
        "criteria": [{"name": "Technique", "weight": 2}],
        "committee_ids": [people["member1"].pk],
    }
    assert _post(client, f"{BASE}/domains", body, token_for(people["member1"])).status_code == 403
    r = _post(client, f"{BASE}/domains", body, token_for(people["hr"]))
    assert r.status_code == 201 and r.json()["criteria"][0]["weight"] == 2
    assert (
        _post(client, f"{BASE}/domains", body, token_for(people["hr"])).json()["code"]
        == "domain_exists"
    )


def test_dashboard_is_hr_only(client, people, token_for, awarded):
    assert client.get(f"{BASE}/dashboard", **token_for(people["member1"])).status_code == 403
    body = client.get(f"{BASE}/dashboard", **token_for(people["hr"])).json()
    assert {"label": "Data", "count": 1} in body["experts_per_domain"]


def test_nomination_list_query_count_is_pinned(
    client, people, domain, token_for, django_assert_num_queries
):
    from vivier.programme import services

    for i in range(5):
        services.nomination_create(
            actor=people["hr"],
            domain=domain,
            candidate=people["peer"]
            if i == 0
            else __import__("vivier.people.services", fromlist=["person_create"]).person_create(
                email=f"c{i}@example.test", first_name="C", last_name=str(i)
            ),
            motivation="x",
        )
    h = token_for(people["hr"])
    client.get(f"{BASE}/nominations", **h)
    # rate-limit count, token (with its user), roles, nominations with their joins: HR needs
    # no committee lookup
    with django_assert_num_queries(4):
        assert len(client.get(f"{BASE}/nominations", **h).json()) == 5


def test_events_register_capacity_and_ics(client, people, domain, token_for):
    from icalendar import Calendar

    from vivier.programme import services

    start = timezone.now() + timedelta(days=3)
    event = services.event_create(
        actor=people["hr"],
        community=domain.community,
        kind="talk",
        title="Talk; Python, données\nsuite",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=1,
        description="Une longue description " * 10,
        place="Lyon, salle 2",
    )
    ok = _post(client, f"{BASE}/events/{event.pk}/registration", {}, token_for(people["peer"]))
    assert ok.status_code == 201 and ok.json()["registered"] == 1
    full = _post(
        client, f"{BASE}/events/{event.pk}/registration", {}, token_for(people["outsider"])
    )
    assert (full.status_code, full.json()["code"]) == (409, "event_full")
    c = client
    c.force_login(people["peer"])
    response = c.get(f"/programme/events/{event.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = Calendar.from_ical(raw)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Talk; Python, données\nsuite"
    assert str(vevent["LOCATION"]) == "Lyon, salle 2"
    assert vevent.decoded("DTSTART") == start.replace(microsecond=0)
    assert str(vevent["DESCRIPTION"]).startswith("Une longue description")


def test_budget_share_is_set_by_hr_only(client, people, token_for):
    url = f"{BASE}/people/{people['candidate'].pk}/budget"
    body = json.dumps({"percent": 25})
    r = client.put(url, data=body, content_type="application/json", **token_for(people["member1"]))
    assert r.status_code == 403
    r = client.put(url, data=body, content_type="application/json", **token_for(people["hr"]))
    assert r.status_code == 200 and r.json() == {"percent": 25}
    assert client.get(f"{BASE}/time", **token_for(people["candidate"])).json()["percent"] == 25
