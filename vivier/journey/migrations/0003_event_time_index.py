"""An index on the activity events' time: each day's computation reads a 120-day range of them.

The table belongs to `core`; the index is created here because the journey is the reader that
needs it (see docs/decisions/0014-adoption-journey.md). IF NOT EXISTS keeps it harmless if core
adds the same index later.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("journey", "0002_defaults"), ("core", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS journey_event_occurred_idx "
            "ON core_activityevent (occurred_at)",
            "DROP INDEX IF EXISTS journey_event_occurred_idx",
        )
    ]
