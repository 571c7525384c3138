"""Import an HR CSV file: `manage.py vivier_hr_import FILE [--dry-run] [--actor EMAIL]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vivier.accounts.models import Role, User
from vivier.core.errors import ApplicationError
from vivier.integration import hr_import


class Command(BaseCommand):
    help = "Check (--dry-run) or apply an HR CSV file: org units, people, managers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only report, change nothing.")
        parser.add_argument(
            "--actor",
            default="",
            help="E-mail of the HR administrator the changes are recorded under "
            "(default: the first HR administrator).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        plan = hr_import.hr_import_plan(data)
        for error in plan.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"line {error.line}{column}: {error.message}")
        for row in plan.rows:
            if row.action != "unchanged" or row.status_change:
                detail = ", ".join(row.changes)
                status = f" +{row.status_change}" if row.status_change else ""
                self.stdout.write(
                    f"line {row.line}: {row.action}{status} {row.email} {detail}".rstrip()
                )
        for unit in plan.new_units:
            self.stdout.write(f"new org unit: {unit}")
        summary = (
            f"{plan.count('create')} to create, {plan.count('update')} to update, "
            f"{plan.deactivations} to deactivate, {plan.count('unchanged')} unchanged, "
            f"{len(plan.errors)} errors"
        )
        if plan.errors:
            raise CommandError(f"{summary}: nothing imported.")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary}.")
            return
        actor = self._actor(options["actor"])
        try:
            hr_import.hr_import_apply(actor=actor, data=data)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))

    def _actor(self, email: str) -> User:
        users = User.objects.filter(is_active=True)
        if email:
            actor = users.filter(email__iexact=email).first()
        else:
            actor = (
                users.filter(groups__name=Role.HR_ADMIN.value).order_by("pk").first()
                or users.filter(is_superuser=True).order_by("pk").first()
            )
        if actor is None:
            raise CommandError("No HR administrator to record the import under: pass --actor.")
        return actor
