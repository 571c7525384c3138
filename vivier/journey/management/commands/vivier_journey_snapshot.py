"""manage.py vivier_journey_snapshot [--date D | --from D --to D]: compute daily journey stages."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vivier.core.errors import ApplicationError
from vivier.journey import services


class Command(BaseCommand):
    help = (
        "Compute every person's journey stage for a day (default: today) or recompute a past "
        "range; idempotent. Playbooks run for today only, unless --playbooks or --no-playbooks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to compute (YYYY-MM-DD); default: today.")
        parser.add_argument("--from", dest="start", help="First day of a range to recompute.")
        parser.add_argument("--to", dest="end", help="Last day of the range (default: today).")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--playbooks", action="store_true", help="Run playbooks on every day.")
        group.add_argument("--no-playbooks", action="store_true", help="Never run playbooks.")

    def handle(self, *args: object, **options: object) -> None:
        today = services.now_day()
        try:
            if options["start"]:
                if options["date"]:
                    raise CommandError("Give either --date or --from/--to, not both.")
                start = services.parse_day(options["start"], field="from")
                end = services.parse_day(options["end"] or today, field="to")
                result = services.snapshot_range(
                    start=start, end=end, run_playbooks=bool(options["playbooks"])
                )
            else:
                day: date = services.parse_day(options["date"] or today, field="date")
                run = bool(options["playbooks"]) or (day == today and not options["no_playbooks"])
                result = services.snapshot_compute(day=day, run_playbooks=run)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in sorted(result.items())))
