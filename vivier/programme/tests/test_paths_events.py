"""Soft-skill paths, visibility, events and the iCalendar writer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.programme import ical, selectors, services
from vivier.programme.models import PathStep, SkillPath
from vivier.social.services import community_create


@pytest.fixture
def path(db):
    p = SkillPath.objects.create(name="Transmettre", axis="transmission")
    for i, title in enumerate(["Atelier", "Article"]):
        PathStep.objects.create(path=p, title=title, position=i)
    return p


def test_path_enrol_done_validate(people, path):
    candidate, mentor = people["candidate"], people["peer"]
    with pytest.raises(ApplicationError):
        services.path_enrol(actor=candidate, path=path, mentor=candidate)
    enrolment = services.path_enrol(actor=candidate, path=path, mentor=mentor)
    with pytest.raises(Conflict):
        services.path_enrol(actor=candidate, path=path, mentor=mentor)
    step = path.steps.first()
    with pytest.raises(PermissionDenied):
        services.step_done(actor=mentor, enrolment=enrolment, step=step)
    progress = services.step_done(actor=candidate, enrolment=enrolment, step=step)
    with pytest.raises(PermissionDenied):
        services.step_validate(actor=candidate, progress=progress)
    services.step_validate(actor=mentor, progress=progress)
    with pytest.raises(Conflict):
        services.step_validate(actor=mentor, progress=progress)
    other = SkillPath.objects.create(name="Autre", axis="vision")
    foreign = PathStep.objects.create(path=other, title="x")
    with pytest.raises(NotFound):
        services.step_done(actor=candidate, enrolment=enrolment, step=foreign)


def test_paths_api_progress(client, people, path, token_for):
    import json

    h = token_for(people["candidate"])
    r = client.post(
        f"/api/v1/programme/paths/{path.pk}/enrolments",
        data=json.dumps({"mentor_id": people["peer"].pk}),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201
    enrolment = r.json()
    step_id = enrolment["steps"][0]["id"]
    r = client.post(f"/api/v1/programme/enrolments/{enrolment['id']}/steps/{step_id}/done", **h)
    assert r.json()["steps"][0]["done"] is True and r.json()["percent"] == 0
    from vivier.programme.models import StepProgress

    progress = StepProgress.objects.get()
    r = client.post(
        f"/api/v1/programme/progress/{progress.pk}/validate", **token_for(people["peer"])
    )
    assert r.status_code == 200 and r.json()["percent"] == 50
    r = client.post(
        f"/api/v1/programme/progress/{progress.pk}/validate", **token_for(people["outsider"])
    )
    assert r.status_code == 404


def test_visibility_is_for_the_expert_or_hr(people, awarded):
    with pytest.raises(PermissionDenied):
        services.seat_add(actor=people["peer"], user=people["candidate"], body="Comité")
    services.seat_add(
        actor=people["candidate"], user=people["candidate"], body="Comité d'architecture"
    )
    services.project_add(actor=people["hr"], user=people["candidate"], name="Plateforme data")
    seats, projects = selectors.visibility_for(user=people["candidate"])
    assert [s.body for s in seats] == ["Comité d'architecture"]
    assert [p.name for p in projects] == ["Plateforme data"]


def test_profile_shows_seats_and_projects_of_experts(client_for, people, awarded):
    services.seat_add(actor=people["hr"], user=people["candidate"], body="Comité des risques")
    page = client_for(people["outsider"]).get(
        reverse("people:profile", args=[people["candidate"].pk])
    )
    assert "Comité des risques" in page.content.decode()


def test_event_rules(people, domain):
    start = timezone.now() + timedelta(days=1)
    kwargs = dict(
        community=domain.community,
        kind="meetup",
        title="Meetup",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=2,
    )
    with pytest.raises(PermissionDenied):
        services.event_create(actor=people["peer"], **kwargs)
    with pytest.raises(ApplicationError):
        services.event_create(actor=people["hr"], **(kwargs | {"ends_at": start}))
    event = services.event_create(actor=people["hr"], **kwargs)
    services.event_register(actor=people["peer"], event=event)
    with pytest.raises(Conflict):
        services.event_register(actor=people["peer"], event=event)
    services.event_unregister(actor=people["peer"], event=event)
    with pytest.raises(Conflict):
        services.event_unregister(actor=people["peer"], event=event)


def test_secret_community_events_are_hidden(people, hr_admin):
    secret = community_create(actor=hr_admin, name="Secret", visibility="secret")
    start = timezone.now() + timedelta(days=1)
    event = services.event_create(
        actor=hr_admin,
        community=secret,
        kind="talk",
        title="t",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=5,
    )
    assert not selectors.events_visible(viewer=people["peer"]).filter(pk=event.pk).exists()
    with pytest.raises(NotFound):
        selectors.event_get(viewer=people["peer"], event_id=event.pk)
    assert selectors.events_visible(viewer=hr_admin).filter(pk=event.pk).exists()


@settings(deadline=None, max_examples=200)
@given(st.text(min_size=0, max_size=300))
def test_ical_text_round_trips_through_a_parser(text):
    from icalendar import Calendar

    class E:
        pk = 1
        title = text
        description = text
        place = ""
        starts_at = timezone.now()
        ends_at = starts_at + timedelta(hours=1)

        def get_kind_display(self):
            return "Talk"

    body = ical.calendar([E()], base_url="https://vivier.test", domain="vivier.test")
    raw = body.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    [event] = Calendar.from_ical(raw).walk("VEVENT")
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == normalized
