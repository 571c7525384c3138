"""manage.py vivier_skills [--file PATH]: load or refresh the skills taxonomy."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from vivier.people.services import SKILLS_FILE, skill_taxonomy_load


class Command(BaseCommand):
    help = "Create or update the bilingual skills taxonomy from a JSON file (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=SKILLS_FILE)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        counts = skill_taxonomy_load(path=file)
        self.stdout.write(
            f"Skills: {counts['total']} in file, {counts['created']} created, "
            f"{counts['updated']} updated."
        )
