"""manage.py vivier_digests: send the e-mail digests that are due (run it every hour)."""

from django.core.management.base import BaseCommand

from vivier.social.notifications import digest_send_due


class Command(BaseCommand):
    help = "Send the daily and weekly notification digests that are due."

    def handle(self, *args: object, **options: object) -> None:
        sent = digest_send_due()
        self.stdout.write(f"{sent} digest(s) sent.")
