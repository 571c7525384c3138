"""Each stage rule pinned at its boundaries."""

from datetime import timedelta

import pytest

from vivier.journey.models import Ambassador, JourneySettings, JourneySnapshot
from vivier.journey.tests.conftest import DAY, add_event, at, stage_of
from vivier.social.models import Community, Membership

pytestmark = pytest.mark.django_db


def test_never_signed_in_is_information(person):
    alice = person()
    assert stage_of(alice) == "information"


def test_last_login_before_events_existed_counts_as_signed_in(person):
    alice = person()
    alice.last_login = at(200)
    alice.save(update_fields=["last_login"])
    assert stage_of(alice) == "discovery"


def test_last_login_after_the_day_does_not_count(person):
    alice = person()
    alice.last_login = at(-3)
    alice.save(update_fields=["last_login"])
    assert stage_of(alice) == "information"


def test_people_who_joined_after_the_day_have_no_snapshot(person, make_person):
    alice = person()
    late = make_person()
    late.date_joined = at(-2)
    late.save(update_fields=["date_joined"])
    stage_of(alice)
    assert not JourneySnapshot.objects.filter(user=late).exists()


def test_signin_event_on_day_29_is_discovery(person):
    alice = person()
    add_event(alice, "signin", "accounts.user", 29)
    assert stage_of(alice) == "discovery"


@pytest.mark.parametrize(("days", "stage"), [(29, "participation"), (31, "discovery")])
def test_light_interaction_window_boundary(person, days, stage):
    alice = person()
    add_event(alice, "signin", "accounts.user", 31)
    add_event(alice, "like", "social.post", days)
    # At day 31 the like is outside the window and the person had no visit since: but they
    # were engaged in the baseline, so no visit for 30 days is disappointment, not discovery.
    expected = stage if days == 29 else "disappointment"
    assert stage_of(alice) == expected


def test_window_edge_is_the_first_instant_of_day_minus_29(person):
    alice = person()
    add_event(alice, "signin", "accounts.user", 100)
    add_event(alice, "create", "social.post", 29, hour=0)
    assert stage_of(alice) == "contribution"
    JourneySnapshot.objects.all().delete()
    bob = person()
    add_event(bob, "signin", "accounts.user", 100)
    add_event(bob, "create", "social.post", 30, hour=23)
    assert stage_of(bob) != "contribution"


@pytest.mark.parametrize(("days", "stage"), [(29, "contribution"), (31, "disappointment")])
def test_authoring_window_boundary(person, days, stage):
    alice = person()
    add_event(alice, "create", "social.comment", days)
    assert stage_of(alice) == stage


def test_views_only_is_discovery_not_participation(person):
    alice = person()
    for day in range(5):
        add_event(alice, "view", "social.post", day)
    assert stage_of(alice) == "discovery"


def test_never_engaged_and_gone_quiet_stays_discovery(person):
    alice = person()
    add_event(alice, "view", "social.post", 60)
    assert stage_of(alice) == "discovery"


def test_disappointment_no_visit_for_30_days(person):
    alice = person()
    add_event(alice, "like", "social.post", 31)
    assert stage_of(alice) == "disappointment"


def test_visit_on_day_29_after_participation_is_not_disappointment(person):
    alice = person()
    add_event(alice, "like", "social.post", 60)
    add_event(alice, "like", "social.post", 29)
    assert stage_of(alice) == "participation"


def _baseline(alice, events: int) -> None:
    """`events` light interactions spread over the 90-day baseline (days 30 … 119)."""
    for index in range(events):
        add_event(alice, "like", "social.post", 30 + (index * 89) // max(events - 1, 1))


@pytest.mark.parametrize(("recent", "stage"), [(3, "disappointment"), (4, "participation")])
def test_disappointment_below_25_percent_of_baseline(person, recent, stage):
    # Baseline: 40 events in 90 days = 13.3 per 30 days; 25 % of that is 3.33 events.
    alice = person()
    _baseline(alice, 40)
    for day in range(recent):
        add_event(alice, "like", "social.post", day)
    assert stage_of(alice) == stage


def test_baseline_threshold_is_configurable(person):
    cfg = JourneySettings.current()
    cfg.baseline_percent = 20  # 20 % of 13.3 = 2.67: three events are enough now
    cfg.save()
    alice = person()
    _baseline(alice, 40)
    for day in range(3):
        add_event(alice, "like", "social.post", day)
    assert stage_of(alice) == "participation"


@pytest.mark.parametrize(("others", "stage"), [(4, "contribution"), (5, "promotion")])
def test_promotion_needs_n_distinct_others(person, others, stage):
    alice = person()
    add_event(alice, "create", "social.post", 3)
    for _n in range(others):
        fan = person()
        add_event(fan, "like", "social.post", 2, target=alice)
        add_event(fan, "like", "social.post", 1, target=alice)  # the same person twice counts once
    assert stage_of(alice) == stage


def test_self_engagement_does_not_count(person):
    alice = person()
    for day in range(6):
        add_event(alice, "create", "social.comment", day, target=alice)
    assert stage_of(alice) == "contribution"


def test_invitation_makes_a_contributor_a_promoter(person):
    alice = person()
    add_event(alice, "create", "social.post", 3)
    add_event(alice, "invite", "journey.invitation", 2)
    assert stage_of(alice) == "promotion"


def test_invitation_without_authoring_is_participation(person):
    alice = person()
    add_event(alice, "invite", "journey.invitation", 2)
    assert stage_of(alice) == "participation"


def test_animating_a_community_makes_a_contributor_a_promoter(person):
    alice = person()
    add_event(alice, "create", "social.post", 3)
    community = Community.objects.create(name="Data", slug="data")
    Membership.objects.create(community=community, user=alice, role=Membership.Role.ANIMATOR)
    assert stage_of(alice) == "promotion"


def test_accepted_ambassador_contributor_is_a_promoter(person):
    alice = person()
    add_event(alice, "create", "social.post", 3)
    Ambassador.objects.create(
        user=alice, status=Ambassador.Status.ACCEPTED, invited_at=at(20), answered_at=at(10)
    )
    assert stage_of(alice) == "promotion"


def test_disappointment_is_sticky_through_earlier_snapshots(person):
    # Engaged long ago (outside the 120 days scanned): the earlier snapshot remembers it.
    alice = person()
    add_event(alice, "like", "social.post", 200)
    early = DAY - timedelta(days=180)
    assert stage_of(alice, early) == "participation"
    assert stage_of(alice) == "disappointment"


def test_rule_table_is_configurable(person):
    from vivier.journey.models import VerbRule

    VerbRule.objects.filter(verb="like", object_type="").update(kind="authoring")
    alice = person()
    add_event(alice, "like", "social.post", 3)
    assert stage_of(alice) == "contribution"


def test_specific_object_type_rule_wins(person):
    alice = person()
    add_event(alice, "create", "accounts.apitoken", 3)
    add_event(alice, "signin", "accounts.user", 3)
    assert stage_of(alice) == "discovery"


def test_recompute_is_idempotent(person):
    alice = person()
    add_event(alice, "like", "social.post", 3)
    stage_of(alice)
    first = list(JourneySnapshot.objects.values_list("user_id", "date", "stage", "light"))
    stage_of(alice)
    assert list(JourneySnapshot.objects.values_list("user_id", "date", "stage", "light")) == first
    assert JourneySnapshot.objects.filter(user=alice, date=DAY).count() == 1
