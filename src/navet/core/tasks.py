"""Background work on one mechanism: Django's tasks framework (the django-tasks backport).

Define a task at module level with ``from django_tasks import task`` and ``@task()``; its
arguments must be JSON values (pass primary keys, not model instances), and it should look
the row up again and do nothing if the work is no longer wanted. Queue it with
``enqueue_on_commit(some_task, pk)``: the task is queued when the current transaction
commits (at once when there is none), so a worker never looks for a row that is not committed
yet, and a request that rolls back queues nothing.

Where the queue lives is the TASKS setting (``NAVET_TASKS_BACKEND``: the database by default,
Redis through RQ in production if wanted). With the database backend ``manage.py db_worker``
carries the tasks out; ``run_queued_tasks()`` does the same in this process until nothing is
ready (the tests use it through the ``run_tasks`` fixture in tests/conftest.py).
"""

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResult, task_backends
from django_tasks.base import Task
from typing_extensions import ParamSpec

P = ParamSpec("P")
T = TypeVar("T")


def enqueue_on_commit(task: Task[P, T], /, *args: P.args, **kwargs: P.kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` once the current transaction has committed."""
    transaction.on_commit(_EnqueueOnce(partial(task.enqueue, *args, **kwargs)))


class _EnqueueOnce:
    """The after-commit callback: it queues the task the first time it is called only (a test
    may run the held-back callbacks twice, through django_capture_on_commit_callbacks and
    the run_tasks fixture)."""

    def __init__(self, enqueue: Callable[[], object]) -> None:
        self.enqueue: Callable[[], object] | None = enqueue

    def __call__(self) -> None:
        enqueue, self.enqueue = self.enqueue, None
        if enqueue is not None:
            enqueue()


def run_queued_tasks(
    *, backend: str = DEFAULT_TASK_BACKEND_ALIAS, limit: int | None = None
) -> list[TaskResult[Any]]:
    """Carry out the ready tasks of a database backend in this process, oldest first (by
    priority), until none is left or ``limit`` have run; returns their results.

    Each task is claimed and run by django-tasks-db's own worker code, so it behaves as under
    ``manage.py db_worker``: a task that raises ends FAILED with its traceback, and the next
    one still runs. Unlike the command this does not close database connections, so it also
    works inside a test's transaction.
    """
    # Imported here: the worker module is a management command's, loaded only when used.
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    if not isinstance(task_backends[backend], DatabaseBackend):
        raise ImproperlyConfigured(f"Task backend {backend!r} is not the database backend.")
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    ready = DBTaskResult.objects.ready().filter(backend_name=backend)
    results: list[TaskResult[Any]] = []
    while limit is None or len(results) < limit:
        with exclusive_transaction(ready.db):
            db_result = ready.get_locked()
            if db_result is not None:
                db_result.claim(worker.worker_id)
        if db_result is None:
            break
        worker.run_task(db_result)
        db_result.refresh_from_db()
        # (django-tasks-db types its result against Django 6's django.tasks)
        results.append(cast(TaskResult[Any], db_result.task_result))
    return results
