from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def fill_expert_levels(apps, schema_editor):
    """Each profile's highest valid Expert label, as expertise.services.expert_levels_refresh keeps it."""
    ExpertLabel = apps.get_model("expertise", "ExpertLabel")
    Profile = apps.get_model("people", "Profile")
    now = timezone.now()
    valid = ExpertLabel.objects.filter(revoked_at__isnull=True, granted_at__lte=now).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    levels = {}
    for user_id, level in valid.values_list("user_id", "level"):
        if levels.get(user_id) != "referent":
            levels[user_id] = "referent" if level == "referent" else "expert"
    for level in ("expert", "referent"):
        users = [user_id for user_id, held in levels.items() if held == level]
        Profile.objects.filter(user_id__in=users).update(expert_level=level)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("expertise", "0003_expertlabel_award_expertlabel_level"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="expert_level",
            field=models.CharField(blank=True, default="", editable=False, max_length=10),
        ),
        migrations.RunPython(fill_expert_levels, migrations.RunPython.noop),
    ]
