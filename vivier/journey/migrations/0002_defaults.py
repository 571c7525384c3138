"""The default activity rules, settings row and one playbook per stage."""

from django.db import migrations

from vivier.journey.defaults import defaults_create


def create_defaults(apps, schema_editor):  # type: ignore[no-untyped-def]
    defaults_create(
        verb_rule=apps.get_model("journey", "VerbRule"),
        settings=apps.get_model("journey", "JourneySettings"),
        playbook=apps.get_model("journey", "Playbook"),
        action=apps.get_model("journey", "PlaybookAction"),
    )


class Migration(migrations.Migration):
    dependencies = [("journey", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
