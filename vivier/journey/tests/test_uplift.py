"""The uplift and its interval on constructed examples with hand-computed figures."""

from datetime import timedelta

import pytest

from vivier.journey import selectors
from vivier.journey.models import JourneySnapshot, Playbook, PlaybookRun
from vivier.journey.stats import newcombe_difference, wilson
from vivier.journey.tests.conftest import DAY


def test_wilson_interval_matches_the_textbook():
    # Newcombe (1998), example 81/263: 0.2553 to 0.3662.
    low, high = wilson(81, 263)
    assert round(low, 4) == 0.2553
    assert round(high, 4) == 0.3662


def test_newcombe_difference_matches_his_table():
    # Newcombe (1998) Statistics in Medicine 17:873, example (a): 56/70 vs 48/80,
    # method 10 (hybrid score): 0.0524 to 0.3339 around a difference of 0.2.
    result = newcombe_difference(56, 70, 48, 80)
    assert result.difference == pytest.approx(0.2)
    assert round(result.low, 4) == 0.0524
    assert round(result.high, 4) == 0.3339


def test_newcombe_empty_group_gives_none():
    assert newcombe_difference(1, 2, 0, 0) is None


@pytest.mark.django_db
def test_uplift_counts_people_who_reach_a_better_stage_within_the_window(person, hr_admin):
    # Given: 10 treated and 10 control people entered discovery 40 days before DAY.
    # Treated: 6 reach participation within 30 days (one of them on day 30, the edge), 1 only
    # on day 31 (too late). Control: 2 reach it, 1 falls into disappointment (not progress).
    playbook = Playbook.objects.get(stage="discovery")
    entered = DAY - timedelta(days=40)
    people = [person() for _ in range(20)]
    treated, control = people[:10], people[10:]
    for user in treated:
        PlaybookRun.objects.create(
            playbook=playbook, user=user, date=entered, group="treated", outcome="sent"
        )
    for user in control:
        PlaybookRun.objects.create(
            playbook=playbook, user=user, date=entered, group="control", outcome="control"
        )
    snaps = [JourneySnapshot(user=u, date=DAY, stage="discovery") for u in people]
    for user, offset in zip(treated[:6], [1, 5, 10, 20, 29, 30], strict=True):
        snaps.append(
            JourneySnapshot(user=user, date=entered + timedelta(days=offset), stage="participation")
        )
    snaps.append(
        JourneySnapshot(user=treated[6], date=entered + timedelta(days=31), stage="contribution")
    )
    for user in control[:2]:
        snaps.append(
            JourneySnapshot(user=user, date=entered + timedelta(days=3), stage="promotion")
        )
    snaps.append(
        JourneySnapshot(user=control[2], date=entered + timedelta(days=3), stage="disappointment")
    )
    JourneySnapshot.objects.bulk_create(snaps)
    # A run still inside its window is left out (its outcome is not known yet).
    PlaybookRun.objects.create(
        playbook=playbook,
        user=people[0],
        date=DAY - timedelta(days=5),
        group="treated",
        outcome="sent",
    )

    # When
    row = next(r for r in selectors.uplift(viewer=hr_admin) if r.playbook.pk == playbook.pk)

    # Then: 6/10 vs 2/10, a 40-point difference; Newcombe's interval by hand:
    # Wilson(6,10) = [0.3127, 0.8318], Wilson(2,10) = [0.0567, 0.5098]
    # low = 0.4 - sqrt(0.2873² + 0.3098²) = -0.0225; high = 0.4 + sqrt(0.2318² + 0.1433²) = 0.6725
    assert (row.treated_x, row.treated_n, row.control_x, row.control_n) == (6, 10, 2, 10)
    assert row.pending == 1
    assert row.result.difference == pytest.approx(0.4)
    assert round(row.result.low, 3) == -0.023
    assert round(row.result.high, 3) == 0.673


@pytest.mark.django_db
def test_promotion_playbook_success_is_staying_at_promotion(person, hr_admin):
    playbook = Playbook.objects.get(stage="promotion")
    entered = DAY - timedelta(days=40)
    stays, falls = person(), person()
    for user in (stays, falls):
        PlaybookRun.objects.create(
            playbook=playbook, user=user, date=entered, group="treated", outcome="sent"
        )
    JourneySnapshot.objects.bulk_create(
        [
            JourneySnapshot(user=stays, date=entered + timedelta(days=7), stage="promotion"),
            JourneySnapshot(user=stays, date=entered + timedelta(days=30), stage="promotion"),
            JourneySnapshot(user=falls, date=entered + timedelta(days=7), stage="promotion"),
            JourneySnapshot(user=falls, date=entered + timedelta(days=14), stage="contribution"),
            JourneySnapshot(user=falls, date=DAY, stage="promotion"),
        ]
    )
    row = next(r for r in selectors.uplift(viewer=hr_admin) if r.playbook.pk == playbook.pk)
    assert (row.treated_x, row.treated_n) == (1, 2)
