"""The life of an import run: started, logged line by line, counted, finished or failed.

Counts and log lines are saved as the run goes, so the run page (and its progress bar) shows
where a long import is, and a failed run still says how far it got and why.
"""

from typing import Any

from django.utils import timezone

from navet.indicators.models import ImportRun
from navet.indicators.values import StoreCounts


def create_run(
    *, kind: str, parameters: dict[str, Any], started_by: Any = None, steps_total: int = 0
) -> ImportRun:
    user = started_by if getattr(started_by, "is_authenticated", False) else None
    return ImportRun.objects.create(
        kind=kind, parameters=parameters, started_by=user, steps_total=steps_total
    )


def start_run(run: ImportRun) -> None:
    run.status = ImportRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])


def log_line(run: ImportRun, line: str) -> None:
    run.log = f"{run.log}{line}\n"
    run.save(update_fields=["log"])


def add_counts(run: ImportRun, counts: StoreCounts, *, steps: int = 1) -> None:
    run.added += counts.added
    run.changed += counts.changed
    run.unchanged += counts.unchanged
    run.missing += counts.missing
    run.steps_done += steps
    run.save(update_fields=["added", "changed", "unchanged", "missing", "steps_done"])


def finish_run(run: ImportRun) -> None:
    run.status = ImportRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])


def fail_run(run: ImportRun, error: str) -> None:
    run.status = ImportRun.Status.FAILED
    run.error = error
    run.finished_at = timezone.now()
    run.log = f"{run.log}{error}\n"
    run.save(update_fields=["status", "error", "finished_at", "log"])
