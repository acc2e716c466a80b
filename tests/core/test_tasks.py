"""Background tasks: queued after commit, carried out by the database worker in-process (the
``run_tasks`` fixture), and the backend chosen by NAVET_TASKS_BACKEND."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from navet.core.tasks import enqueue_on_commit, run_queued_tasks

ROOT = Path(__file__).resolve().parents[2]
RunTasks = Callable[..., list[TaskResult[Any]]]
CALLS: list[str] = []

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_calls() -> None:
    CALLS.clear()


@task()
def note(word: str, *, times: int = 1) -> str:
    CALLS.append(word * times)
    return word.upper()


@task()
def note_then_queue(word: str) -> None:
    CALLS.append(word)
    enqueue_on_commit(note, f"after {word}")


@task()
def explode(word: str) -> None:
    raise ValueError(f"no {word}")


def test_a_task_is_queued_when_the_transaction_commits(run_tasks: RunTasks) -> None:
    with transaction.atomic():
        enqueue_on_commit(note, "ja", times=2)
        assert not DBTaskResult.objects.exists()
    # The test's own transaction never commits: the fixture runs the held-back callback.
    assert not DBTaskResult.objects.exists()

    [result] = run_tasks()

    assert CALLS == ["jaja"]
    assert (result.status, result.args, result.kwargs) == (
        TaskResultStatus.SUCCESSFUL,
        ["ja"],
        {"times": 2},
    )
    assert result.return_value == "JA"
    assert run_tasks() == []  # nothing runs twice


def test_a_rolled_back_transaction_queues_nothing(run_tasks: RunTasks) -> None:
    with transaction.atomic():
        enqueue_on_commit(note, "kept")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_on_commit(note, "dropped")
        1 / 0  # noqa: B018

    run_tasks()

    assert CALLS == ["kept"]


def test_tasks_queued_by_tasks_run_too(run_tasks: RunTasks) -> None:
    enqueue_on_commit(note_then_queue, "first")

    results = run_tasks()

    assert CALLS == ["first", "after first"]
    assert [r.task.name for r in results] == ["note_then_queue", "note"]


def test_a_failed_task_is_recorded_and_the_next_still_runs(run_tasks: RunTasks) -> None:
    enqueue_on_commit(explode, "luck")
    enqueue_on_commit(note, "next")

    failed, succeeded = run_tasks(check=False)

    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[-1].exception_class_path == "builtins.ValueError"
    assert "ValueError: no luck" in failed.errors[-1].traceback
    assert succeeded.status == TaskResultStatus.SUCCESSFUL
    assert CALLS == ["next"]
    assert DBTaskResult.objects.failed().count() == 1


def test_run_tasks_fails_the_test_when_a_task_failed(run_tasks: RunTasks) -> None:
    enqueue_on_commit(explode, "way")

    with pytest.raises(pytest.fail.Exception, match=r"(?s)Task explode failed.*no way"):
        run_tasks()


def test_run_queued_tasks_stops_at_the_limit() -> None:
    for word in ("a", "b", "c"):
        note.enqueue(word)

    assert len(run_queued_tasks(limit=2)) == 2
    assert CALLS == ["a", "b"]
    assert len(run_queued_tasks()) == 1
    assert run_queued_tasks() == []


def test_run_queued_tasks_needs_the_database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    with pytest.raises(ImproperlyConfigured, match="not the database backend"):
        run_queued_tasks()


# -- Choosing the backend ------------------------------------------------------------------


def _settings(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.TASKS, getattr(settings, 'RQ_QUEUES', None), "
        "[a for a in settings.INSTALLED_APPS if 'rq' in a or 'tasks' in a]]))"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NAVET_", "DJANGO_")) and k != "DATABASE_URL"
    }
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "NAVET_DATA_DIR": str(tmp_path),
            "NAVET_DEBUG": "1",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def _chosen(env: dict[str, str], tmp_path: Path) -> list[Any]:
    result = _settings(env, tmp_path)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_database_backend_is_the_default(tmp_path: Path) -> None:
    tasks, rq_queues, apps = _chosen({}, tmp_path)

    assert tasks == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert rq_queues is None
    assert apps == ["django_tasks", "django_tasks_db"]


def test_rq_is_chosen_by_setting_with_the_redis_address(tmp_path: Path) -> None:
    env = {"NAVET_TASKS_BACKEND": "RQ", "NAVET_REDIS_URL": "redis://127.0.0.1:6379/4"}

    tasks, rq_queues, apps = _chosen(env, tmp_path)

    assert tasks["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert rq_queues == {"default": {"URL": "redis://127.0.0.1:6379/4", "DEFAULT_TIMEOUT": 3600}}
    assert apps == ["django_tasks", "django_tasks_db", "django_rq", "django_tasks_rq"]


def test_immediate_is_chosen_by_setting(tmp_path: Path) -> None:
    tasks, _rq, _apps = _chosen({"NAVET_TASKS_BACKEND": "immediate"}, tmp_path)

    assert tasks["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NAVET_TASKS_BACKEND": "celery"}, "NAVET_TASKS_BACKEND must be one of database, rq"),
        ({"NAVET_TASKS_BACKEND": "rq"}, "NAVET_TASKS_BACKEND=rq needs NAVET_REDIS_URL."),
    ],
)
def test_a_wrong_backend_setting_stops_the_start(
    env: dict[str, str], message: str, tmp_path: Path
) -> None:
    result = _settings(env, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr
