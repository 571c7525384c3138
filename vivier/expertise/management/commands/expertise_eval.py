"""manage.py expertise_eval --stackexchange DIR --cutoff YYYY-MM-DD [--json]."""

import json
import os
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from vivier.expertise.stackexchange import DumpError, read_dump


class Command(BaseCommand):
    help = (
        "Measure the expertise ranking on a Stack Exchange dump: in a throwaway database, import "
        "what was posted before the cutoff, then rank people for every later question and report "
        "MRR, P@1 and R@10 of its accepted answerer, with two baselines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stackexchange", required=True, help="the dump's folder")
        parser.add_argument("--cutoff", required=True, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="end with one JSON line")

    def handle(self, *args, **options) -> None:
        try:
            cutoff = datetime.strptime(options["cutoff"], "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError as exc:
            raise CommandError(f"--cutoff {options['cutoff']!r}: expected YYYY-MM-DD.") from exc
        try:
            dump = read_dump(options["stackexchange"])
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()
        # A throwaway database, as the test runner makes one: SQLite in memory, or a
        # test_<name> database on PostgreSQL, migrated, then dropped.
        old_name = connection.settings_dict["NAME"]
        test_settings = connection.settings_dict.setdefault("TEST", {})
        old_test_name = test_settings.get("NAME")
        # A name of its own, never the database in use (nor a test run's).
        test_settings["NAME"] = (
            f"file:vivier_eval_{os.getpid()}?mode=memory&cache=shared"
            if connection.vendor == "sqlite"
            else f"vivier_eval_{os.getpid()}"
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            from vivier.expertise.evaluation import evaluate

            report = evaluate(dump, cutoff)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            test_settings["NAME"] = old_test_name
        report["seconds"] = round(time.monotonic() - started, 1)
        self._print(dump.site, options["cutoff"], report)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "queries": report["queries"],
                        "product": report["product"],
                        "baselines": report["baselines"],
                        "answerer_known": report["answerer_known"],
                        "queries_answerer_known": report["queries_answerer_known"],
                        "seconds": report["seconds"],
                    }
                )
            )

    def _print(self, site: str, cutoff: str, report: dict) -> None:
        imported = report["imported"]
        self.stdout.write(
            f"{site}, cutoff {cutoff}: imported {imported['people']} people, "
            f"{imported['questions']} questions, {imported['answers']} answers, "
            f"{imported['comments']} comments; {report['seconds']} s"
        )
        for subset, label in (
            ("all", f"all {report['queries']} later questions with an accepted answer"),
            (
                "answerer_known",
                f"the {report['queries_answerer_known']} whose answerer posted before the cutoff",
            ),
        ):
            self.stdout.write(f"\n{label}:")
            self.stdout.write(f"  {'ranking':<14} {'MRR':>6} {'P@1':>6} {'R@10':>6}")
            for name, scores in report[subset].items():
                self.stdout.write(
                    f"  {name:<14} {scores['mrr']:>6.3f} {scores['p1']:>6.3f} {scores['r10']:>6.3f}"
                )
