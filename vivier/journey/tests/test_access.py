"""Who sees what (employee, manager, HR; pages and API), masking, bad input, query counts."""

from datetime import date, timedelta

import pytest

from vivier.journey import selectors, services
from vivier.journey.models import JourneySnapshot, JourneyTask, Kudos, Playbook, PlaybookRun
from vivier.journey.tests.conftest import DAY
from vivier.social.models import Community, Membership

pytestmark = pytest.mark.django_db

STAGES_BY_UNIT = {
    "DEV": ["contribution"] * 6,
    "OPS": ["participation"] * 5 + ["discovery"],
    "RH": ["information"] * 5,
    "LAB": ["promotion"] * 2,
}


@pytest.fixture
def company(make_person, make_unit, hr_admin):
    dg = make_unit("DG", "Direction générale")
    dsi = make_unit("DSI", "Direction des SI", parent=dg)
    units = {
        "DG": dg,
        "DSI": dsi,
        "DEV": make_unit("DEV", "Développement", parent=dsi),
        "OPS": make_unit("OPS", "Exploitation", parent=dsi),
        "RH": make_unit("RH", "Ressources humaines", parent=dg),
        "LAB": make_unit("LAB", "Laboratoire", parent=dg),
    }
    people = {}
    snaps = []
    for code, stages in STAGES_BY_UNIT.items():
        people[code] = [make_person(org_unit=units[code]) for _ in stages]
        for user, stage in zip(people[code], stages, strict=True):
            snaps.append(
                JourneySnapshot(user=user, date=DAY - timedelta(days=30), stage="discovery")
            )
            snaps.append(JourneySnapshot(user=user, date=DAY, stage=stage))
    JourneySnapshot.objects.bulk_create(snaps)
    manager = make_person(first_name="Manon", org_unit=dsi)
    dsi.manager = manager
    dsi.save(update_fields=["manager"])
    employee = people["DEV"][0]
    return {
        "units": units,
        "people": people,
        "manager": manager,
        "hr": hr_admin,
        "employee": employee,
    }


def _counts(body):
    return {row["stage"]: row["count"] for row in body["stages"]}


# Funnel


def test_hr_sees_the_whole_funnel_with_small_groups_masked(company, client_for):
    body = client_for(company["hr"]).get("/api/v1/journey/funnel").json()
    counts = _counts(body)
    assert counts["contribution"] == 6
    assert counts["participation"] == 5
    assert counts["information"] == 5
    assert counts["discovery"] is None  # 1 person: masked
    assert counts["promotion"] is None  # 2 people: masked
    assert counts["disappointment"] == 0
    assert body["masked"] is True and body["min_group"] == 5
    assert body["total"] == 19  # HR itself and the manager have no snapshot


def test_manager_sees_only_their_subtree(company, client_for):
    body = client_for(company["manager"]).get("/api/v1/journey/funnel").json()
    counts = _counts(body)
    assert counts["contribution"] == 6 and counts["participation"] == 5
    assert counts["information"] == 0 and counts["promotion"] == 0
    assert body["total"] == 12


def test_manager_filtering_a_unit_outside_their_subtree_is_refused(company, client_for):
    client = client_for(company["manager"])
    response = client.get(f"/api/v1/journey/funnel?unit={company['units']['RH'].pk}")
    assert response.status_code == 403
    assert response.json()["code"] == "unit_not_managed"
    page = client.get(f"/journey/funnel/?unit={company['units']['RH'].pk}")
    assert page.status_code == 403


def test_a_group_under_five_is_masked_entirely(company, client_for):
    lab = company["units"]["LAB"].pk
    body = client_for(company["hr"]).get(f"/api/v1/journey/funnel?unit={lab}").json()
    assert body["total"] is None
    assert all(row["count"] is None for row in body["stages"])


def test_funnel_by_community_and_cohort(company, client_for):
    community = Community.objects.create(name="Data", slug="data")
    for user in company["people"]["DEV"]:
        Membership.objects.create(community=community, user=user)
    client = client_for(company["hr"])
    body = client.get(f"/api/v1/journey/funnel?community={community.pk}").json()
    assert _counts(body)["contribution"] == 6 and body["total"] == 6
    month = company["people"]["DEV"][0].date_joined.strftime("%Y-%m")
    assert client.get(f"/api/v1/journey/funnel?cohort={month}").json()["total"] == 19
    assert client.get("/api/v1/journey/funnel?cohort=2001-01").json()["total"] == 0


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("stage=bogus", 400, "unknown_stage"),
        ("date=2026-13-01", 400, "bad_date"),
        ("cohort=2026-1", 400, "bad_cohort"),
        ("unit=abc", 400, "bad_id"),
        ("unit=999999", 404, "unit_not_found"),
        ("community=999999", 404, "community_not_found"),
        # What the OpenAPI schema refuses, the service refuses, with its own code.
        ("stage=", 400, "unknown_stage"),
        ("date=20260630", 400, "bad_date"),  # Python's fromisoformat reads it, `format: date` not
        ("date=2026-W26-2", 400, "bad_date"),
        ("cohort=0000-01", 400, "bad_cohort"),
        ("unit=%D9%A5", 400, "bad_id"),  # an Arabic-Indic 5
        ("unit=0", 400, "bad_id"),
        ("unit=9223372036854775808", 400, "bad_id"),
        # And what it allows is read: the largest 64-bit id is a unit that does not exist.
        ("unit=9223372036854775807", 404, "unit_not_found"),
    ],
)
def test_funnel_bad_input(company, client_for, query, status, code):
    response = client_for(company["hr"]).get(f"/api/v1/journey/funnel?{query}")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_empty_filters_are_not_given(company, client_for):
    client = client_for(company["hr"])
    everyone = client.get("/api/v1/journey/funnel").json()
    assert everyone["total"] == 19
    assert client.get("/api/v1/journey/funnel?date=&unit=&community=&cohort=").json() == everyone


def test_the_last_cohort_python_knows_is_counted(company):
    # given a person who joined in December 9999, the month after which Python has no date
    person = company["employee"]
    person.date_joined = person.date_joined.replace(year=9999, month=12, day=15)
    person.save(update_fields=["date_joined"])
    # when the snapshots of that cohort are counted
    scope = selectors.Scope(cohort=date(9999, 12, 1))
    # then they are found, with no OverflowError on the month after
    assert set(scope.filter(JourneySnapshot.objects.all()).values_list("user", flat=True)) == {
        person.pk
    }


def test_employee_may_not_see_aggregates(company, client_for):
    client = client_for(company["employee"])
    for url in ("/api/v1/journey/funnel", "/api/v1/journey/playbooks"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "forbidden"
    response = client.get("/api/v1/journey/transitions?from_date=2026-05-31&to_date=2026-06-30")
    assert response.status_code == 403
    for url in ("/journey/funnel/", "/journey/transitions/", "/journey/playbooks/"):
        assert client.get(url).status_code == 403, url


# Transitions


def test_transitions_matrix_with_row_shares_and_masks(company, client_for):
    start = (DAY - timedelta(days=30)).isoformat()
    body = (
        client_for(company["hr"])
        .get(f"/api/v1/journey/transitions?from_date={start}&to_date={DAY.isoformat()}")
        .json()
    )
    discovery = next(row for row in body["rows"] if row["stage"] == "discovery")
    cells = {c["stage"]: c for c in discovery["cells"]}
    assert discovery["total"] == 19
    assert cells["contribution"]["count"] == 6
    assert cells["contribution"]["share"] == pytest.approx(6 / 19)
    assert cells["promotion"]["count"] is None  # 2 people
    assert body["masked"] is True


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from_date=2026-06-30&to_date=2026-06-01", "bad_range"),
        ("from_date=2024-01-01&to_date=2026-06-01", "range_too_long"),
        ("from_date=yesterday&to_date=2026-06-01", "bad_date"),
    ],
)
def test_transitions_bad_input(company, client_for, query, code):
    response = client_for(company["hr"]).get(f"/api/v1/journey/transitions?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_transitions_page_near_the_first_day_python_knows(company, client_for):
    response = client_for(company["hr"]).get("/journey/transitions/?to=0001-01-05")
    assert response.status_code == 200


def test_transitions_page_bad_range_is_a_clear_error(company, client_for):
    response = client_for(company["hr"]).get("/journey/transitions/?from=2026-06-30&to=2026-06-01")
    assert response.status_code == 400
    assert "journey-error" in response.content.decode()


# A person's journey


def test_employee_sees_only_their_own_journey(company, client_for):
    employee = company["employee"]
    other = company["people"]["OPS"][0]
    client = client_for(employee)
    assert client.get("/api/v1/journey/me").json()["stage"] == "contribution"
    assert client.get(f"/api/v1/journey/people/{other.pk}").status_code == 403
    assert client.get(f"/journey/people/{other.pk}/").status_code == 403
    assert client.get(f"/api/v1/journey/people/{employee.pk}").status_code == 200


def test_manager_never_sees_a_persons_stage(company, client_for):
    client = client_for(company["manager"])
    report = company["people"]["DEV"][0]
    assert client.get(f"/api/v1/journey/people/{report.pk}").status_code == 403
    assert client.get(f"/journey/people/{report.pk}/").status_code == 403


def test_hr_sees_anyones_journey(company, client_for):
    other = company["people"]["OPS"][0]
    client = client_for(company["hr"])
    assert client.get(f"/api/v1/journey/people/{other.pk}").json()["stage"] == "participation"
    assert client.get(f"/journey/people/{other.pk}/").status_code == 200
    assert client.get("/api/v1/journey/people/99999999").status_code == 404


def test_my_journey_page_shows_stage_history_and_next_steps(company, client_for):
    response = client_for(company["employee"]).get("/journey/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in html
    assert "/opportunities/" in html  # a contributor's next step
    assert "chart-svg" in html


# Playbooks page and API


def test_playbooks_api_for_hr(company, client_for):
    body = client_for(company["hr"]).get("/api/v1/journey/playbooks").json()
    assert {row["stage"] for row in body} == {
        "information",
        "discovery",
        "participation",
        "contribution",
        "promotion",
        "disappointment",
    }
    assert all(row["ci_method"] == "newcombe-wilson-hybrid-95" for row in body)
    only = client_for(company["hr"]).get("/api/v1/journey/playbooks?stage=discovery").json()
    assert [row["stage"] for row in only] == ["discovery"]
    assert client_for(company["hr"]).get("/journey/playbooks/").status_code == 200


def test_manager_may_not_see_playbooks(company, client_for):
    assert client_for(company["manager"]).get("/api/v1/journey/playbooks").status_code == 403


# Kudos, ambassadors, invitations, preferences


def test_kudos_give_and_list(company, client_for):
    alice, bob = company["people"]["DEV"][:2]
    client = client_for(alice)
    response = client.post(
        "/api/v1/journey/kudos",
        {"person_id": bob.pk, "message": "Merci pour la revue de code !"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client_for(bob).get("/api/v1/journey/kudos").json()[0]["sender_id"] == alice.pk
    assert client_for(bob).get("/api/v1/journey/me").json()["kudos_received"] == 1
    bad = client.post(
        "/api/v1/journey/kudos",
        {"person_id": alice.pk, "message": "moi"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "self"
    empty = client.post(
        "/api/v1/journey/kudos",
        {"person_id": bob.pk, "message": "  "},
        content_type="application/json",
    )
    assert empty.status_code == 400 and empty.json()["code"] == "kudos_empty"
    assert Kudos.objects.count() == 1
    sideways = client.get("/api/v1/journey/kudos?direction=sideways")
    assert sideways.status_code == 400 and sideways.json()["code"] == "bad_direction"


def test_ambassador_answer(company, client_for):
    alice = company["people"]["LAB"][0]
    client = client_for(alice)
    response = client.post(
        "/api/v1/journey/ambassador", {"accept": True}, content_type="application/json"
    )
    assert response.status_code == 404 and response.json()["code"] == "not_invited"
    services.ambassador_invite(user=alice)
    response = client.post(
        "/api/v1/journey/ambassador", {"accept": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = client.post(
        "/api/v1/journey/ambassador", {"accept": False}, content_type="application/json"
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/journey/ambassador", {"accept": 1}),
        ("post", "/api/v1/journey/ambassador", {"accept": "true"}),
        ("put", "/api/v1/journey/preferences", {"opted_out": 0}),
    ],
)
def test_answers_are_json_booleans(company, client_for, method, url, body):
    client = client_for(company["employee"])
    response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert client.get("/api/v1/journey/preferences").json() == {"opted_out": False}


@pytest.mark.parametrize("url", ["/api/v1/journey/ambassador", "/api/v1/journey/preferences"])
def test_a_body_that_is_not_json_is_a_documented_400(company, client_for, url):
    client = client_for(company["employee"])
    method = client.post if url.endswith("ambassador") else client.put
    response = method(url, b"\xff", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    operation = "post" if url.endswith("ambassador") else "put"
    documented = client.get("/api/v1/openapi.json").json()["paths"][url][operation]["responses"]
    assert "400" in documented


def test_invitations_contribute_is_for_ambassadors(company, client_for):
    alice = company["people"]["LAB"][0]
    bob = company["people"]["OPS"][0]
    client = client_for(alice)
    payload = {"person_id": bob.pk, "kind": "contribute"}
    response = client.post("/api/v1/journey/invitations", payload, content_type="application/json")
    assert response.status_code == 403
    join = client.post(
        "/api/v1/journey/invitations", {"person_id": bob.pk}, content_type="application/json"
    )
    assert join.status_code == 201
    again = client.post(
        "/api/v1/journey/invitations", {"person_id": bob.pk}, content_type="application/json"
    )
    assert again.status_code == 409
    services.ambassador_invite(user=alice)
    services.ambassador_answer(actor=alice, accept=True)
    response = client.post("/api/v1/journey/invitations", payload, content_type="application/json")
    assert response.status_code == 201
    assert alice.activity_events.filter(verb="invite").count() == 2


def test_preferences_api_and_page(company, client_for):
    client = client_for(company["employee"])
    assert client.get("/api/v1/journey/preferences").json() == {"opted_out": False}
    response = client.put(
        "/api/v1/journey/preferences", {"opted_out": True}, content_type="application/json"
    )
    assert response.json() == {"opted_out": True}
    assert client.post("/journey/preferences/", {"opted_out": "0"}).status_code == 302
    assert client.get("/api/v1/journey/preferences").json() == {"opted_out": False}


# Tasks


def test_tasks_are_only_the_assignees(company, client_for):
    Playbook.objects.exclude(stage="disappointment").update(is_active=False)
    Playbook.objects.update(control_percent=0)
    quiet = company["people"]["DEV"][1]
    quiet.profile.manager = company["manager"]
    quiet.profile.save(update_fields=["manager"])
    services.playbooks_run(day=DAY, entered=[(quiet.pk, "disappointment")])
    task = JourneyTask.objects.get()
    body = client_for(company["manager"]).get("/api/v1/journey/tasks").json()
    assert [t["person_id"] for t in body] == [quiet.pk]
    assert client_for(company["employee"]).get("/api/v1/journey/tasks").json() == []
    other = client_for(company["employee"]).post(f"/journey/tasks/{task.pk}/done/")
    assert other.status_code == 404
    done = client_for(company["manager"]).post(f"/journey/tasks/{task.pk}/done/")
    assert done.status_code == 302
    assert client_for(company["manager"]).get("/api/v1/journey/tasks").json() == []


# Query counts


def test_funnel_page_query_count(company, client_for, django_assert_max_num_queries):
    client = client_for(company["hr"])
    client.get("/journey/funnel/")
    with django_assert_max_num_queries(16):
        assert client.get("/journey/funnel/").status_code == 200


def test_transitions_page_query_count(company, client_for, django_assert_max_num_queries):
    client = client_for(company["hr"])
    client.get("/journey/transitions/")
    with django_assert_max_num_queries(16):
        assert client.get("/journey/transitions/").status_code == 200


def test_tasks_page_query_count_does_not_grow(company, client_for, django_assert_max_num_queries):
    Playbook.objects.exclude(stage="disappointment").update(is_active=False)
    Playbook.objects.update(control_percent=0)
    for user in company["people"]["DEV"] + company["people"]["OPS"]:
        user.profile.manager = company["manager"]
        user.profile.save(update_fields=["manager"])
    entered = [
        (u.pk, "disappointment") for u in company["people"]["DEV"] + company["people"]["OPS"]
    ]
    services.playbooks_run(day=DAY, entered=entered)
    client = client_for(company["manager"])
    client.get("/journey/tasks/")
    with django_assert_max_num_queries(12):
        response = client.get("/journey/tasks/")
    assert response.content.decode().count('id="task-') == 12
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/journey/tasks").json()) == 12


def test_playbooks_page_query_count(company, client_for, django_assert_max_num_queries):
    client = client_for(company["hr"])
    client.get("/journey/playbooks/")
    with django_assert_max_num_queries(20):
        assert client.get("/journey/playbooks/").status_code == 200
    assert PlaybookRun.objects.count() == 0


def test_my_journey_query_count(company, client_for, django_assert_max_num_queries):
    client = client_for(company["employee"])
    client.get("/journey/")
    with django_assert_max_num_queries(20):
        assert client.get("/journey/").status_code == 200


def test_signing_in_records_a_signin_event(company, client):
    employee = company["employee"]
    client.force_login(employee)
    assert employee.activity_events.filter(verb="signin").count() == 1


def test_kudos_list_api_query_count(company, client_for, django_assert_max_num_queries):
    alice = company["employee"]
    for sender in company["people"]["OPS"]:
        Kudos.objects.create(sender=sender, recipient=alice, message="Merci !")
    client = client_for(alice)
    client.get("/api/v1/journey/kudos")
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/journey/kudos").json()) == 6


def test_funnel_api_query_count(company, client_for, django_assert_max_num_queries):
    client = client_for(company["hr"])
    client.get("/api/v1/journey/funnel")
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/journey/funnel").status_code == 200


def test_ambassador_sees_participants_of_their_communities_to_recruit(company, client_for):
    ambassador = company["people"]["LAB"][0]
    community = Community.objects.create(name="Data", slug="data")
    Membership.objects.create(community=community, user=ambassador)
    participant = company["people"]["OPS"][0]  # at participation on DAY
    contributor = company["people"]["DEV"][0]
    outsider = company["people"]["OPS"][1]  # at participation, not in the community
    for user in (participant, contributor):
        Membership.objects.create(community=community, user=user)
    services.ambassador_invite(user=ambassador)
    # Not yet an ambassador: no suggestion.
    assert "recruits" not in client_for(ambassador).get("/journey/").content.decode()
    services.ambassador_answer(actor=ambassador, accept=True)
    html = client_for(ambassador).get("/journey/").content.decode()
    recruits = html.split('id="recruits"', 1)[1].split("</ul>", 1)[0]
    assert f'name="person" value="{participant.pk}"' in recruits
    assert f'value="{contributor.pk}"' not in recruits
    assert f'value="{outsider.pk}"' not in recruits
    # Once invited to contribute, they are not suggested again for 30 days.
    services.invitation_send(actor=ambassador, invitee=participant, kind="contribute")
    assert 'id="recruits"' not in client_for(ambassador).get("/journey/").content.decode()
