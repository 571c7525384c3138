"""Helpers for the journey tests: events at chosen days, snapshots on a fixed day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from vivier.core.models import ActivityEvent
from vivier.journey import services
from vivier.journey.defaults import defaults_ensure

# A fixed "today" keeps every boundary exact: the window of DAY is DAY-29 … DAY.
DAY = date(2026, 6, 30)


def at(days_before: int, hour: int = 12) -> datetime:
    """An aware instant `days_before` days before DAY, at `hour` local time."""
    return timezone.make_aware(
        datetime.combine(DAY - timedelta(days=days_before), time(hour)),
        timezone.get_current_timezone(),
    )


def add_event(user, verb: str, object_type: str, days_before: int, *, target=None, hour: int = 12):
    """Store an event as a service would, then move it back in time."""
    event = ActivityEvent.objects.create(
        actor=user, verb=verb, object_type=object_type, object_id=1, target_user=target
    )
    ActivityEvent.objects.filter(pk=event.pk).update(occurred_at=at(days_before, hour))
    return event


def stage_of(user, day: date = DAY) -> str:
    """Compute `day` and return `user`'s stage."""
    services.snapshot_compute(day=day, run_playbooks=False)
    return user.journey_snapshots.get(date=day).stage


@pytest.fixture(autouse=True)
def journey_defaults(db):
    """The rules and playbooks of the data migration, which a transactional test may have flushed."""
    defaults_ensure()


@pytest.fixture
def person(make_person):
    """Someone who joined long ago and never signed in."""

    def make(**kwargs):
        user = make_person(**kwargs)
        user.date_joined = at(400)
        user.last_login = None
        user.save(update_fields=["date_joined", "last_login"])
        return user

    return make


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Freeze the journey's notion of today to DAY (snapshots refuse future days)."""
    monkeypatch.setattr(services, "now_day", lambda: DAY)
    real = timezone.localdate

    def localdate(value=None, timezone_=None):  # type: ignore[no-untyped-def]
        return DAY if value is None else real(value)

    monkeypatch.setattr(services.timezone, "localdate", localdate)
