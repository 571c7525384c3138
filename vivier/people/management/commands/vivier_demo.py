"""manage.py vivier_demo --people N --seed S: build the demo company."""

import time

from django.core.management.base import BaseCommand, CommandParser

from vivier.accounts.models import User
from vivier.people.demo import ADMIN_EMAIL, DEMO_PASSWORD, DemoBuilder


class Command(BaseCommand):
    help = "Build a plausible French demo company, deterministic for a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people.",
        )
        parser.add_argument(
            "--print-password", action="store_true", help="Print the demo password and stop."
        )

    def handle(
        self,
        *args: object,
        people: int,
        seed: int,
        if_empty: bool,
        print_password: bool,
        **options: object,
    ) -> None:
        if print_password:
            self.stdout.write(DEMO_PASSWORD)
            return
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has people: demo not loaded.")
            return
        if User.objects.exclude(email=ADMIN_EMAIL).exists():
            self.stderr.write("The database already has people: use a fresh database.")
            return
        started = time.perf_counter()
        self.stdout.write(f"Building the demo company ({people} people, seed {seed})…")
        counts = DemoBuilder(people=people, seed=seed, stdout=self.stdout).build()
        self.stdout.write(
            f"Demo ready in {time.perf_counter() - started:.1f} s: {counts['people']} people, "
            f"{counts['units']} units, {counts['skills']} declared skills, "
            f"{counts['endorsements']} endorsements. Sign in as {ADMIN_EMAIL} / {DEMO_PASSWORD}."
        )
