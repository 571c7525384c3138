"""manage.py vivier_scale --people N --posts N [--events N]: generate a company-sized data set."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vivier.scale.build import Sizes, build, has_data


class Command(BaseCommand):
    help = (
        "Empty the database and generate a large, realistic company: org chart, people, skills, "
        "communities, follows, posts, comments, reactions, questions and answers, labels, "
        "opportunities, survey answers and activity events; then the search index, inferred "
        "skills and statistics. COPY on PostgreSQL, executemany on SQLite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--posts", type=int, default=2_000_000)
        parser.add_argument("--events", type=int, default=-1, help="default: 3 per post")
        parser.add_argument("--questions", type=int, default=-1, help="default: posts / 20")
        parser.add_argument(
            "--opportunities", type=int, default=-1, help="open ones; default: people / 50"
        )
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--no-inference", action="store_true", help="skip the inferred skills (slow)"
        )
        parser.add_argument(
            "--wipe", action="store_true", help="allowed to empty a database that holds people"
        )

    def handle(self, *args, **options) -> None:
        if options["people"] < 50 or options["posts"] < 100:
            raise CommandError("Use at least 50 people and 100 posts.")
        if has_data() and not options["wipe"]:
            raise CommandError(
                "This database already holds people and vivier_scale empties it first: "
                "add --wipe if that is what you want."
            )
        sizes = Sizes(
            people=options["people"],
            posts=options["posts"],
            events=options["events"],
            questions=options["questions"],
            opportunities=options["opportunities"],
            seed=options["seed"],
            inference=not options["no_inference"],
        )
        report = build(sizes)
        self.stdout.write("\nPhase timings:")
        for name, seconds in report.phases:
            self.stdout.write(f"  {name:<58} {seconds:8.1f} s")
        self.stdout.write(
            f"\nSign in as {report.admin_email} (HR and IT admin) or any generated person, "
            f"password {'vivier-bench-2026'!r}."
        )
