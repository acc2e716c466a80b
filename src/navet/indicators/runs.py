"""The life of an import run: started, logged line by line, counted, finished or failed.

Counts and log lines are saved as the run goes, so the run page (and its progress bar) shows
where a long import is, and a failed run still says how far it got and why.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from navet.indicators.models import ImportRun
from navet.indicators.values import StoreCounts
from navet.networks.models import Network


def create_run(
    *,
    kind: str,
    parameters: dict[str, Any],
    started_by: Any = None,
    steps_total: int = 0,
    network: Network | None = None,
) -> ImportRun:
    """A queued run; ``network`` is the network it is started for (None: platform-wide,
    seen by platform admins only, see permissions.ImportRunPolicy)."""
    user = started_by if getattr(started_by, "is_authenticated", False) else None
    return ImportRun.objects.create(
        kind=kind,
        parameters=parameters,
        started_by=user,
        steps_total=steps_total,
        network=network,
    )


# A running run that has saved no progress for this long is taken to be abandoned (its worker
# or web process stopped). A Kolada batch takes seconds, so this leaves a wide margin.
ABANDONED_AFTER = datetime.timedelta(minutes=30)


def _save_progress(run: ImportRun, fields: list[str]) -> None:
    run.last_progress_at = timezone.now()
    run.save(update_fields=[*fields, "last_progress_at"])


def start_run(run: ImportRun) -> None:
    run.status = ImportRun.Status.RUNNING
    run.started_at = timezone.now()
    _save_progress(run, ["status", "started_at"])


def log_line(run: ImportRun, line: str) -> None:
    run.log = f"{run.log}{line}\n"
    _save_progress(run, ["log"])


def add_counts(run: ImportRun, counts: StoreCounts, *, steps: int = 1) -> None:
    run.added += counts.added
    run.changed += counts.changed
    run.unchanged += counts.unchanged
    run.missing += counts.missing
    run.steps_done += steps
    _save_progress(run, ["added", "changed", "unchanged", "missing", "steps_done"])


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


def fail_abandoned_runs(*, now: datetime.datetime | None = None) -> list[ImportRun]:
    """Mark runs that stopped making progress as failed, so none shows "running" for ever.

    The batches a run finished stay stored (each is its own transaction) and imports are
    idempotent, so starting the same sync again fetches only what is missing or changed.
    """
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    abandoned = list(
        ImportRun.objects.filter(status=ImportRun.Status.RUNNING).filter(
            Q(last_progress_at__lt=cutoff) | Q(last_progress_at__isnull=True, started_at__lt=cutoff)
        )
    )
    minutes = int(ABANDONED_AFTER.total_seconds() // 60)
    for run in abandoned:
        fail_run(
            run,
            _(
                "Stopped without finishing: no progress for %(minutes)d minutes (the worker "
                "was probably stopped). What finished batches stored is kept; start the same "
                "import again to fetch the rest."
            )
            % {"minutes": minutes},
        )
    return abandoned
