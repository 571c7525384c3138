"""The demo's journey: every stage shows up in a year of snapshots, with transitions and runs."""

from collections import Counter
from io import StringIO

from django.core.management import call_command

from vivier.journey.models import JourneySnapshot, PlaybookRun


def test_demo_journey_populates_every_stage(db):
    out = StringIO()
    call_command("vivier_demo", "--people", "40", "--posts", "120", "--seed", "5", stdout=out)
    assert "Adoption journey built" in out.getvalue()
    stages = Counter(JourneySnapshot.objects.values_list("stage", flat=True))
    assert set(stages) == {
        "information",
        "discovery",
        "participation",
        "contribution",
        "promotion",
        "disappointment",
    }
    rows = JourneySnapshot.objects.order_by("user_id", "date").values_list("user_id", "stage")
    moves = set()
    previous = None
    for user_id, stage in rows:
        if previous and previous[0] == user_id and previous[1] != stage:
            moves.add((previous[1], stage))
        previous = (user_id, stage)
    assert len(moves) >= 12
    assert {"control", "sent"} <= set(PlaybookRun.objects.values_list("outcome", flat=True))
