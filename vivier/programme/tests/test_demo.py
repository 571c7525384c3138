"""The programme demo: a campaign at every stage, deterministic for a seed."""

from django.db import transaction

from vivier.people.demo import DemoBuilder
from vivier.programme.demo import ProgrammeDemoBuilder
from vivier.programme.models import Award, Event, Nomination, Transition
from vivier.social.demo import SocialDemoBuilder


def _snapshot():
    return sorted(
        Nomination.objects.values_list("candidate__email", "domain__name", "state", "level")
    )


def _build():
    DemoBuilder(people=120, seed=3).build()
    SocialDemoBuilder(seed=3, posts=60).build()
    return ProgrammeDemoBuilder(seed=3).build()


def test_demo_campaign_has_every_stage_and_a_renewal(db):
    # Built twice on a fresh company (the first build rolled back): the same campaign.
    savepoint = transaction.savepoint()
    _build()
    first = _snapshot()
    transaction.savepoint_rollback(savepoint)
    counts = _build()
    assert _snapshot() == first
    assert counts["domains"] >= 2 and counts["awards"] >= 4 and counts["events"] == 3
    states = set(Nomination.objects.values_list("state", flat=True))
    assert states == {s.value for s in Nomination.State}
    assert Award.objects.filter(state="renewal_due").count() == 1
    assert Transition.objects.filter(nomination__isnull=False).count() >= Nomination.objects.count()
    assert Event.objects.filter(registrations__isnull=False).exists()
