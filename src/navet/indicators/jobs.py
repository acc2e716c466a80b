"""The background worker's work: take queued Kolada runs, one at a time, and carry them out.

A run is claimed with a conditional update (QUEUED → RUNNING), so two workers never take the
same run, on SQLite as on PostgreSQL. ``manage.py process_import_runs`` calls these.
"""

import logging
import time
from collections.abc import Callable

from django.db import close_old_connections, connection
from django.utils import timezone

from navet.indicators.kolada import KoladaClient, KoladaError
from navet.indicators.models import ImportRun
from navet.indicators.runs import fail_abandoned_runs, fail_run
from navet.indicators.sync import run_kolada_sync

logger = logging.getLogger(__name__)


def claim_run(run_id: int) -> ImportRun | None:
    """Mark a queued run as running, or None if another worker took it first."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )
    return ImportRun.objects.get(pk=run_id) if claimed else None


def queued_kolada_runs() -> list[int]:
    return list(
        ImportRun.objects.filter(kind=ImportRun.Kind.KOLADA, status=ImportRun.Status.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def process_run(run: ImportRun, *, client_factory: Callable[[], KoladaClient]) -> ImportRun:
    """Carry out one claimed run; whatever goes wrong, the run ends FAILED with the reason."""
    try:
        return run_kolada_sync(run=run, client=client_factory())
    except KoladaError as error:  # e.g. a mis-set Kolada address
        fail_run(run, str(error))
    except Exception as error:
        logger.exception("Kolada run %s failed", run.pk)
        fail_run(run, f"Unexpected error: {error.__class__.__name__}: {error}")
    return run


def process_queued_runs(
    *, client_factory: Callable[[], KoladaClient] = KoladaClient, limit: int | None = None
) -> list[ImportRun]:
    """Process the queued Kolada runs, oldest first; returns the runs this worker did.
    Runs abandoned by a stopped worker are marked failed first."""
    for abandoned in fail_abandoned_runs():
        logger.warning("Import run %s was abandoned; marked failed", abandoned.pk)
    done: list[ImportRun] = []
    for run_id in queued_kolada_runs():
        if limit is not None and len(done) >= limit:
            break
        run = claim_run(run_id)
        if run is not None:
            done.append(process_run(run, client_factory=client_factory))
    return done


def work_forever(
    *,
    interval: float = 5.0,
    client_factory: Callable[[], KoladaClient] = KoladaClient,
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[ImportRun], None] | None = None,
) -> None:
    """Poll for queued runs every ``interval`` seconds until interrupted."""
    while True:
        if not connection.in_atomic_block:  # (tests run inside one)
            close_old_connections()  # a long-lived worker must not hold a dropped connection
        for run in process_queued_runs(client_factory=client_factory):
            if report is not None:
                report(run)
        sleep(interval)
