"""The demo's employee voice: deterministic, with results to read and units too small to show."""

from io import StringIO

from django.core.management import call_command

from vivier.accounts.models import User
from vivier.voice import selectors
from vivier.voice.demo import VoiceDemoBuilder
from vivier.voice.models import Answer, Commitment, Idea, Participation, Submission, Survey, Wave


def _snapshot() -> tuple:
    return (
        sorted(Submission.objects.values_list("wave__number", "org_unit__code", "submitted_on")),
        sorted(Answer.objects.values_list("question__position", "value", "text")),
        sorted(Idea.objects.values_list("title", "status", "vote_count")),
    )


def test_demo_voice_is_populated_and_safe(db):
    out = StringIO()
    call_command("vivier_demo", "--people", "90", "--posts", "0", "--seed", "7", stdout=out)
    assert "Employee voice built" in out.getvalue()
    barometer = Survey.objects.get(title__startswith="Baromètre")
    assert barometer.waves.filter(status=Wave.Status.CLOSED).count() == 3
    assert barometer.waves.filter(status=Wave.Status.OPEN).count() == 1
    assert Submission.objects.count() == Participation.objects.count()
    hr = User.objects.get(email="admin@vivier.test")
    results = selectors.wave_results(viewer=hr, survey=barometer)
    assert results.group.respondents >= barometer.min_group_size
    data = selectors.wave_groups(wave=results.wave)
    # Some units are shown on their own, some are too small to be.
    assert 1 < len(data.shown) < len(data.parents) + 1
    assert selectors.survey_trends(viewer=hr, survey=barometer)
    assert Idea.objects.filter(status="declined").exclude(status_reason="").exists()
    assert Commitment.objects.filter(status="done", progress=100).exists()
    first = _snapshot()

    # The same seed gives the same voice data.
    Survey.objects.all().delete()
    Idea.objects.all().delete()
    Commitment.objects.all().delete()
    VoiceDemoBuilder(seed=7).build()
    assert _snapshot() == first
