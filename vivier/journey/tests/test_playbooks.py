"""Playbooks: entering a stage triggers them; control group, rate limit and opt-out hold."""

from datetime import timedelta

import pytest
from django.core import mail

from vivier.journey import services
from vivier.journey.models import (
    Ambassador,
    JourneySettings,
    JourneyTask,
    JourneyTip,
    Playbook,
    PlaybookAssignment,
    PlaybookRun,
)
from vivier.journey.tests.conftest import DAY
from vivier.social.models import Notification

pytestmark = pytest.mark.django_db

D1 = DAY - timedelta(days=1)


def _enter(people, stage, day=DAY):
    """Run the playbooks as if `people` entered `stage` on `day`."""
    return services.playbooks_run(day=day, entered=[(p.pk, stage) for p in people])


def _only_playbook(stage, control_percent=0):
    Playbook.objects.exclude(stage=stage).update(is_active=False)
    playbook = Playbook.objects.get(stage=stage)
    playbook.control_percent = control_percent
    playbook.save()
    return playbook


def test_entering_discovery_sends_tip_and_email_in_the_persons_language(
    person, django_capture_on_commit_callbacks
):
    _only_playbook("discovery")
    alice = person(first_name="Alice")
    bob = person(first_name="Bob")
    bob.language = "en"
    bob.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        counts = _enter([alice, bob], "discovery")
    assert counts == {"sent": 2}
    assert JourneyTip.objects.filter(user=alice).count() == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Alice, trois communautés à découvrir",
        "Bob, three communities to discover",
    ]
    body = next(m.body for m in mail.outbox if m.to == [alice.email])
    assert "/journey/unsubscribe/" in body
    assert Notification.objects.filter(recipient=alice, type="journey_tip").count() == 1


def test_disappointment_creates_check_in_task_for_the_manager(person, make_person):
    _only_playbook("disappointment")
    boss = make_person(first_name="Boss")
    alice = person(first_name="Alice", manager=boss)
    _enter([alice], "disappointment")
    task = JourneyTask.objects.get(assignee=boss)
    assert task.person == alice
    assert task.subject.startswith(alice.get_full_name())
    assert "prenez des nouvelles" in task.subject
    assert Notification.objects.filter(recipient=boss, type="journey_task").exists()


def test_control_group_is_never_nudged(person, django_capture_on_commit_callbacks):
    playbook = _only_playbook("discovery", control_percent=50)
    people = [person() for _ in range(40)]
    with django_capture_on_commit_callbacks(execute=True):
        _enter(people, "discovery")
    control = set(
        PlaybookAssignment.objects.filter(playbook=playbook, group="control").values_list(
            "user_id", flat=True
        )
    )
    assert 5 < len(control) < 35  # 50 % drawn by a hash: some of each, for sure
    nudged = set(JourneyTip.objects.values_list("user_id", flat=True))
    emailed = {m.to[0] for m in mail.outbox}
    assert not control & nudged
    assert not {p.email for p in people if p.pk in control} & emailed
    assert len(nudged) == 40 - len(control)
    assert (
        set(PlaybookRun.objects.filter(outcome="control").values_list("user_id", flat=True))
        == control
    )


def test_control_assignment_is_deterministic_and_stored(person):
    playbook = _only_playbook("discovery", control_percent=30)
    people = [person() for _ in range(20)]
    _enter(people, "discovery")
    stored = dict(PlaybookAssignment.objects.values_list("user_id", "group"))
    expected = {
        p.pk: "control"
        if services.control_draw(playbook_id=playbook.pk, user_id=p.pk, percent=30)
        else "treated"
        for p in people
    }
    assert stored == expected
    # A later change of the share does not move people already drawn.
    playbook.control_percent = 0
    playbook.save()
    _enter(people, "discovery", day=D1)
    assert dict(PlaybookAssignment.objects.values_list("user_id", "group")) == stored


def test_rate_limit_one_nudge_per_window(person):
    cfg = JourneySettings.current()
    cfg.nudge_every_days = 7
    cfg.save()
    Playbook.objects.update(control_percent=0)
    alice = person()
    _enter([alice], "discovery", day=DAY - timedelta(days=6))
    _enter([alice], "participation", day=DAY)
    outcomes = list(PlaybookRun.objects.order_by("date").values_list("outcome", flat=True))
    assert outcomes == ["sent", "rate_limited"]
    PlaybookRun.objects.all().delete()
    _enter([alice], "discovery", day=DAY - timedelta(days=7))
    _enter([alice], "participation", day=DAY)
    outcomes = list(PlaybookRun.objects.order_by("date").values_list("outcome", flat=True))
    assert outcomes == ["sent", "sent"]


def test_opt_out_stops_every_nudge(person, make_person, django_capture_on_commit_callbacks):
    _only_playbook("disappointment")
    boss = make_person()
    alice = person(manager=boss)
    services.preference_set(user=alice, opted_out=True)
    with django_capture_on_commit_callbacks(execute=True):
        _enter([alice], "disappointment")
    assert PlaybookRun.objects.get().outcome == "opted_out"
    assert not mail.outbox
    assert not JourneyTask.objects.exists()


def test_unsubscribe_link_opts_out(person, client):
    alice = person()
    token = services.unsubscribe_token(alice)
    response = client.get(f"/journey/unsubscribe/{token}/")
    assert response.status_code == 200
    response = client.post(f"/journey/unsubscribe/{token}/")
    assert response.status_code == 200
    assert alice.journey_preference.opted_out
    assert client.post("/journey/unsubscribe/forged/").status_code == 400


def test_rerunning_a_day_adds_nothing(person):
    Playbook.objects.update(control_percent=0)
    alice = person()
    _enter([alice], "discovery")
    _enter([alice], "discovery")
    assert PlaybookRun.objects.count() == 1
    assert JourneyTip.objects.count() == 1


def test_promotion_entrants_are_invited_to_be_ambassadors(person):
    Playbook.objects.update(control_percent=0)
    alice = person()
    _enter([alice], "promotion")
    assert Ambassador.objects.get(user=alice).status == "invited"


def test_snapshot_compute_runs_playbooks_for_entrants_only(person):
    from vivier.journey.tests.conftest import add_event

    Playbook.objects.update(control_percent=0)
    alice = person()
    bob = person()
    services.snapshot_compute(day=D1)  # first day: nobody "enters"
    assert not PlaybookRun.objects.exists()
    add_event(alice, "signin", "accounts.user", 0)
    result = services.snapshot_compute(day=DAY)
    assert result["entered"] == 1
    run = PlaybookRun.objects.get()
    assert (run.user_id, run.playbook.stage) == (alice.pk, "discovery")
    assert not PlaybookRun.objects.filter(user=bob).exists()


def test_future_day_is_refused(person):
    with pytest.raises(services.ApplicationError) as caught:
        services.snapshot_compute(day=DAY + timedelta(days=1))
    assert caught.value.code == "future_date"
