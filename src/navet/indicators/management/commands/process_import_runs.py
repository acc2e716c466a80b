"""``manage.py process_import_runs``: the background worker for queued Kolada syncs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from navet.indicators.jobs import process_queued_runs, work_forever
from navet.indicators.models import ImportRun


class Command(BaseCommand):
    help = (
        "Carry out queued Kolada syncs. With --once, process what is queued and exit; "
        "otherwise keep polling for new runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Process the queued runs, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds between looks at the queue (default 5).",
        )

    def _report(self, run: ImportRun) -> None:
        line = (
            f"Run {run.pk}: {run.get_status_display()} – {run.added} added, {run.changed} "
            f"changed, {run.unchanged} unchanged, {run.missing} missing"
        )
        if run.status == ImportRun.Status.FAILED:
            self.stdout.write(self.style.ERROR(f"{line}. {run.error}"))
        else:
            self.stdout.write(self.style.SUCCESS(line))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            runs = process_queued_runs()
            for run in runs:
                self._report(run)
            if not runs:
                self.stdout.write("No queued runs.")
            return
        self.stdout.write(f"Waiting for queued runs (every {options['interval']:g} s)…")
        try:
            work_forever(interval=options["interval"], report=self._report)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
