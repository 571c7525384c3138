"""The mentoring demo: running, reverse and ended pairs, an open and a published programme;
the same for the same seed."""

from vivier.accounts.models import User
from vivier.mentoring.demo import MentoringDemoBuilder
from vivier.mentoring.models import Feedback, Mentorship, Programme, Session
from vivier.people.demo import DemoBuilder


def _snapshot() -> list[tuple]:
    return sorted(
        Mentorship.objects.values_list("mentor__email", "mentee__email", "status", "reverse")
    )


def test_mentoring_demo_is_complete_and_deterministic(db):
    DemoBuilder(people=80, seed=5).build()
    counts = MentoringDemoBuilder(seed=5).build()
    assert counts["mentors"] >= 6 and counts["mentees"] >= 10
    statuses = set(Mentorship.objects.values_list("status", flat=True))
    assert {"active", "ended"} <= statuses
    assert Mentorship.objects.filter(reverse=True, status__in=["active", "ended"]).exists()
    assert Feedback.objects.exists() and Session.objects.exists()
    assert set(Programme.objects.values_list("status", flat=True)) == {"open", "published"}
    assert Mentorship.objects.filter(programme__status="published", status="active").exists()
    # No demo pair breaks the rules: never one's manager or direct report.
    for m in Mentorship.objects.select_related("mentor__profile", "mentee__profile"):
        assert m.mentor.profile.manager_id != m.mentee_id
        assert m.mentee.profile.manager_id != m.mentor_id
    first = _snapshot()
    User.objects.all().delete()
    DemoBuilder(people=80, seed=5).build()
    MentoringDemoBuilder(seed=5).build()
    assert _snapshot() == first
