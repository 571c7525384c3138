"""manage.py vivier_infer_skills [--user EMAIL]: recompute the skills people's writing shows."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vivier.accounts.models import User
from vivier.expertise.inference import infer_skills


class Command(BaseCommand):
    help = (
        "Recompute the skills suggested to each person from what they wrote (posts, answers, "
        "comments); keeps what people confirmed or hid. Run it nightly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", metavar="EMAIL", help="only this person")

    def handle(self, *args, **options) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"].strip()).first()
            if user is None:
                raise CommandError(f"No person with the e-mail {options['user']!r}.")
        stats = infer_skills(user)
        self.stdout.write(
            f"{stats.people} people in {stats.batches} batches: {stats.created} suggestions "
            f"created, {stats.updated} updated, {stats.deleted} removed."
        )
