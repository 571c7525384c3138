"""manage.py vivier_voice_reminders: remind people of the open surveys they have not answered."""

from django.core.management.base import BaseCommand, CommandParser

from vivier.voice.services import reminders_send


class Command(BaseCommand):
    help = "Remind the audience of open surveys who have not answered (once per reminder window)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--window-days",
            type=int,
            default=None,
            help="Days between two reminders of one survey (default: VIVIER_VOICE_REMINDER_DAYS).",
        )

    def handle(self, *args: object, window_days: int | None, **options: object) -> None:
        sent = reminders_send(window_days=window_days)
        self.stdout.write(f"Survey reminders sent: {sent}.")
