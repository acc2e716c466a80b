"""Kolada syncs in the background: queuing a run queues a task that claims and carries it out.

The ImportRun row is what people see on the runs page; the task (navet.core.tasks) is only
how the work reaches a worker. A run is claimed with a conditional update (QUEUED → RUNNING),
so a task that is delivered twice, or a run another worker took, is done once, on SQLite as
on PostgreSQL. Whatever goes wrong inside the sync ends the run FAILED with the reason.
"""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from navet.indicators.kolada import KoladaClient, KoladaError
from navet.indicators.models import ImportRun
from navet.indicators.runs import create_run, fail_abandoned_runs, fail_run
from navet.indicators.sync import run_kolada_sync
from navet.networks.models import Network

logger = logging.getLogger(__name__)


def queue_kolada_run(
    *, parameters: dict[str, Any], started_by: Any = None, network: Network | None = None
) -> ImportRun:
    """A queued Kolada run (parameters checked by sync.sync_parameters), and its task, which
    is queued once the run is committed (as navet.core.tasks.enqueue_on_commit does, but a
    queue that cannot be reached fails the run with the reason instead of the request)."""
    with transaction.atomic():
        run = create_run(
            kind=ImportRun.Kind.KOLADA,
            parameters=parameters,
            started_by=started_by,
            network=network,
        )
        transaction.on_commit(partial(_enqueue, run))
    return run


def _enqueue(run: ImportRun) -> None:
    try:
        carry_out_kolada_run.enqueue(run.pk)
    except Exception as error:  # e.g. Redis is down: the run says so instead of waiting
        logger.exception("Could not queue Kolada run %s", run.pk)
        fail_run(
            run,
            _("The run could not be queued (%(error)s). Start it again later.")
            % {"error": f"{error.__class__.__name__}: {error}"},
        )


@task()
def carry_out_kolada_run(run_id: int) -> str:
    """The background task: claim the queued run and carry it out; returns its final status
    (or "skipped" when the run was not queued any more). Runs abandoned by a stopped worker
    are marked failed first."""
    for abandoned in fail_abandoned_runs():
        logger.warning("Import run %s was abandoned; marked failed", abandoned.pk)
    run = claim_run(run_id)
    if run is None:
        return "skipped"
    return process_run(run, client_factory=KoladaClient).status


def claim_run(run_id: int) -> ImportRun | None:
    """Mark a queued Kolada run as running, or None if it is not queued (any more)."""
    claimed = ImportRun.objects.filter(
        pk=run_id, kind=ImportRun.Kind.KOLADA, status=ImportRun.Status.QUEUED
    ).update(status=ImportRun.Status.RUNNING, started_at=timezone.now())
    return ImportRun.objects.get(pk=run_id) if claimed else None


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
