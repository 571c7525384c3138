"""The opportunities demo: every kind open, applications at every stage, deterministic."""

from io import StringIO

from django.core.management import call_command

from vivier.opportunities.demo import OpportunitiesDemoBuilder
from vivier.opportunities.models import Application, MobilityPreference, Opportunity
from vivier.people.demo import DemoBuilder


def _snapshot():
    return sorted(
        Application.objects.values_list("opportunity__title", "applicant__email", "status")
    )


def test_demo_shows_every_kind_and_every_stage(db):
    out = StringIO()
    call_command("vivier_demo", "--people", "120", "--seed", "3", "--posts", "0", stdout=out)
    assert "Opportunities built" in out.getvalue()
    open_kinds = set(Opportunity.objects.filter(status="open").values_list("kind", flat=True))
    assert open_kinds == set(Opportunity.Kind.values)
    assert Opportunity.objects.filter(strategic=True, status="open").exists()
    stages = set(Application.objects.values_list("status", flat=True))
    assert stages == set(Application.Status.values)
    assert MobilityPreference.objects.filter(suggestible=True).exists()
    assert Opportunity.objects.filter(status="filled").exists()


def test_demo_is_deterministic(db):
    DemoBuilder(people=60, seed=4).build()
    OpportunitiesDemoBuilder(seed=4, opportunities=12).build()
    first = _snapshot()
    assert first
    Application.objects.all().delete()
    Opportunity.objects.all().delete()
    MobilityPreference.objects.all().delete()
    OpportunitiesDemoBuilder(seed=4, opportunities=12).build()
    assert _snapshot() == first
