"""manage.py vivier_search_rebuild: index every person, post, community and tag again."""

import time

from django.core.management.base import BaseCommand

from vivier.search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the data (in one transaction)."

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        counts = search_rebuild()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Search index rebuilt in {elapsed:.1f}s: {summary}.")
