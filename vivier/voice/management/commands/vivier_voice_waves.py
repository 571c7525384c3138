"""manage.py vivier_voice_waves: close the waves past their last day, open recurring pulses."""

from django.core.management.base import BaseCommand

from vivier.voice.services import waves_roll


class Command(BaseCommand):
    help = "Close survey waves past their last day and open the next wave of recurring pulses."

    def handle(self, *args: object, **options: object) -> None:
        counts = waves_roll()
        self.stdout.write(f"Survey waves closed: {counts['closed']}, opened: {counts['opened']}.")
