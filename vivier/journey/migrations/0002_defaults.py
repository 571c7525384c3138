"""The default activity rules, settings row and one playbook per stage."""

from django.db import migrations

from vivier.journey.defaults import DEFAULT_PLAYBOOKS
from vivier.journey.engine import DEFAULT_RULES


def create_defaults(apps, schema_editor):  # type: ignore[no-untyped-def]
    VerbRule = apps.get_model("journey", "VerbRule")
    JourneySettings = apps.get_model("journey", "JourneySettings")
    Playbook = apps.get_model("journey", "Playbook")
    PlaybookAction = apps.get_model("journey", "PlaybookAction")
    for verb, object_type, kind in DEFAULT_RULES:
        VerbRule.objects.get_or_create(verb=verb, object_type=object_type, defaults={"kind": kind})
    JourneySettings.objects.get_or_create(pk=1)
    if Playbook.objects.exists():
        return
    for stage, name_fr, name_en, actions in DEFAULT_PLAYBOOKS:
        playbook = Playbook.objects.create(stage=stage, name_fr=name_fr, name_en=name_en)
        for kind, subject_fr, subject_en, body_fr, body_en, link in actions:
            PlaybookAction.objects.create(
                playbook=playbook,
                kind=kind,
                subject_fr=subject_fr,
                subject_en=subject_en,
                body_fr=body_fr,
                body_en=body_en,
                link=link,
            )


class Migration(migrations.Migration):
    dependencies = [("journey", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
