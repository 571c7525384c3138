"""Expire Expert labels past their term and open the renewal campaign (run daily)."""

from django.core.management.base import BaseCommand

from vivier.programme.services import awards_expire


class Command(BaseCommand):
    help = "Expire awards past their term; open renewals for those expiring soon (daily)."

    def handle(self, *args, **options) -> None:
        expired, opened = awards_expire()
        self.stdout.write(f"{expired} award(s) expired, {opened} renewal(s) opened.")
