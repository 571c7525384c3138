"""manage.py import_stackexchange DIR [--community NAME]: a Stack Exchange dump as Q&A."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vivier.expertise.stackexchange import DumpError, import_dump, read_dump


class Command(BaseCommand):
    help = (
        "Import a Stack Exchange dump folder (Posts.xml, Users.xml, Comments.xml, Tags.xml) as "
        "people, questions, answers and comments in a community. Running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="the dump's folder, e.g. beer.stackexchange.com")
        parser.add_argument("--community", help="the community's name (default: the folder's)")

    def handle(self, *args, **options) -> None:
        try:
            dump = read_dump(options["directory"])
            stats = import_dump(dump, community_name=options.get("community"))
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{dump.site}: {stats.people} people, {stats.questions} questions, "
            f"{stats.answers} answers, {stats.comments} comments imported; "
            f"{stats.skipped} without an author skipped."
        )
