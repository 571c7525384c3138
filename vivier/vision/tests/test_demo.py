"""The demo's vision map: bilingual, with linked work of several kinds, alive pages."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from vivier.accounts.models import User
from vivier.vision import selectors
from vivier.vision.demo import VisionDemoBuilder
from vivier.vision.models import Axis, Objective, ObjectiveLink, Vision


def _snapshot() -> list:
    return sorted(
        tuple(value or 0 for value in row)
        for row in ObjectiveLink.objects.values_list(
            "objective__title_fr",
            "post_id",
            "opportunity_id",
            "idea_id",
            "commitment_id",
            "community_id",
        )
    )


def test_demo_vision_is_populated(db, client_for):
    out = StringIO()
    call_command("vivier_demo", "--people", "60", "--posts", "240", "--seed", "7", stdout=out)
    assert "Vision map built" in out.getvalue()
    assert Axis.objects.count() == 4
    assert Objective.objects.count() == 13
    assert Objective.objects.filter(parent__isnull=False).count() == 3
    assert all(o.title_en and o.description_en for o in Objective.objects.all())
    with translation.override("en"):
        assert Vision.objects.get().title == "Cap 2030: digital trust, together"
    links = ObjectiveLink.objects
    assert links.filter(post__isnull=False).count() > 20
    assert links.filter(post__kind="question").exists()
    kinds = {link.kind for link in links.all()}
    assert {"post", "idea", "opportunity", "commitment", "community"} <= kinds
    hr = User.objects.get(email="admin@vivier.test")
    tree = selectors.vision_map(viewer=hr)
    assert tree.actions > 20 and tree.people > 10
    coverage = selectors.coverage(viewer=hr)
    assert 0 < coverage.total.contributors < coverage.total.people
    client = client_for(hr)
    busiest = max(Objective.objects.all(), key=lambda o: o.links.count())
    page = client.get(reverse("vision:objective", args=[busiest.pk]))
    assert page.context["chart"] is not None
    assert client.get(reverse("vision:coverage")).status_code == 200
    first = _snapshot()

    # The same seed links the same work.
    ObjectiveLink.objects.all().delete()
    Objective.objects.filter(parent__isnull=False).delete()
    Objective.objects.all().delete()
    Axis.objects.all().delete()
    Vision.objects.all().delete()
    VisionDemoBuilder(seed=7).build()
    assert _snapshot() == first
