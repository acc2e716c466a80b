"""``manage.py kolada_sync``: sync chosen Kolada KPIs × municipalities × years now, with a run
log (the same run the background worker would carry out)."""

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from navet.indicators.kolada import KoladaClient, KoladaError
from navet.indicators.models import ImportRun
from navet.indicators.runs import create_run
from navet.indicators.sync import (
    SyncError,
    all_municipality_ids,
    run_kolada_sync,
    sync_parameters,
)

YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def parse_years(text: str) -> list[int]:
    match = YEARS.match(text.strip())
    if not match:
        raise CommandError(f"--years must be a year or a span like 2015-2024, not {text!r}.")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise CommandError(f"--years: {last} comes before {first}.")
    return list(range(first, last + 1))


class Command(BaseCommand):
    help = (
        "Sync values for Kolada KPIs × municipalities × years in the foreground, e.g. "
        "kolada_sync --kpi N00401 --kpi N07403 --municipalities all --years 2015-2024. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kpi",
            action="append",
            required=True,
            help="A Kolada KPI id (repeat, or separate with commas).",
        )
        parser.add_argument(
            "--municipalities",
            default="all",
            help="'all' (the 290 municipalities) or Kolada ids separated by commas "
            "(1490, 0014 for a region, 0000 for Riket).",
        )
        parser.add_argument("--years", required=True, help="A year or a span: 2015-2024.")
        parser.add_argument(
            "--metadata",
            action="store_true",
            help="Also match Kolada's municipalities and sync SKR's municipality groups.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kpis = [k for value in options["kpi"] for k in value.split(",")]
        scope = options["municipalities"].strip()
        codes = (
            all_municipality_ids()
            if scope.lower() == "all"
            else [c.strip() for c in scope.split(",") if c.strip()]
        )
        try:
            parameters = sync_parameters(
                kpi_ids=kpis,
                municipality_codes=codes,
                years=parse_years(options["years"]),
                metadata=options["metadata"],
                scope="all" if scope.lower() == "all" else "",
            )
            client = KoladaClient()
        except (SyncError, KoladaError) as error:
            raise CommandError(str(error)) from error
        run = create_run(kind=ImportRun.Kind.KOLADA, parameters=parameters)
        run = run_kolada_sync(run=run, client=client)
        self.stdout.write(run.log.rstrip())
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Run {run.pk} succeeded: {run.added} added, {run.changed} changed, "
                f"{run.unchanged} unchanged, {run.missing} missing."
            )
        )
