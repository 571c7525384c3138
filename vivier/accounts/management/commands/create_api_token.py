"""manage.py create_api_token EMAIL [--name NAME]: print a new personal API token once."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vivier.accounts.models import User
from vivier.accounts.services import api_token_create
from vivier.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: object, email: str, name: str, **options: object) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {email!r} is deactivated.")
        try:
            _token, secret = api_token_create(user=user, name=name)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(secret)
