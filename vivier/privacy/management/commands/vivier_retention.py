"""Apply the retention periods (docs/privacy.md); schedule it daily."""

from typing import Any

from django.core.management.base import BaseCommand

from vivier.privacy.services import retention_apply


class Command(BaseCommand):
    help = "Delete activity events, notifications and old audit rows past their retention period, and anonymise long-deactivated accounts (except under legal hold)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = retention_apply(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name, count in report.counts.items():
            self.stdout.write(f"{name}: {verb} {count}")
        if report.held:
            self.stdout.write(f"inactive accounts kept under legal hold: {report.held}")
