"""Background tasks: queued after commit, carried out by the database worker in-process (the
``run_tasks`` fixture), the backend chosen by NAVET_TASKS_BACKEND; and outgoing email sent by
a task (navet.core.mail), to the test outbox and to a real SMTP server on loopback."""

import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.db import transaction
from django_tasks import TaskResult, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from navet.core.mail import BACKGROUND_BACKEND
from navet.core.tasks import enqueue_on_commit, run_queued_tasks

ROOT = Path(__file__).resolve().parents[2]
RunTasks = Callable[..., list[TaskResult[Any]]]
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
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


def test_a_task_is_queued_once_when_the_callbacks_ran_already(
    run_tasks: RunTasks, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(note, "en gång")
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 1

    [result] = run_tasks()

    assert result.args == ["en gång"]
    assert CALLS == ["en gång"]


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
    names = [
        "TASKS",
        "RQ_QUEUES",
        "INSTALLED_APPS",
        "EMAIL_BACKEND",
        "NAVET_EMAIL_DELIVERY_BACKEND",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
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


def _chosen(env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    result = _settings(env, tmp_path)
    assert result.returncode == 0, result.stderr
    chosen = dict(json.loads(result.stdout.strip().splitlines()[-1]))
    chosen["apps"] = [a for a in chosen.pop("INSTALLED_APPS") if "rq" in a or "tasks" in a]
    return chosen


def test_the_database_backend_is_the_default(tmp_path: Path) -> None:
    chosen = _chosen({}, tmp_path)

    assert chosen["TASKS"] == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert chosen["RQ_QUEUES"] is None
    assert chosen["apps"] == ["django_tasks", "django_tasks_db"]


def test_rq_is_chosen_by_setting_with_the_redis_address(tmp_path: Path) -> None:
    env = {"NAVET_TASKS_BACKEND": "RQ", "NAVET_REDIS_URL": "redis://127.0.0.1:6379/4"}

    chosen = _chosen(env, tmp_path)

    assert chosen["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert chosen["RQ_QUEUES"] == {
        "default": {"URL": "redis://127.0.0.1:6379/4", "DEFAULT_TIMEOUT": 3600}
    }
    assert chosen["apps"] == ["django_tasks", "django_tasks_db", "django_rq", "django_tasks_rq"]


def test_immediate_is_chosen_by_setting(tmp_path: Path) -> None:
    chosen = _chosen({"NAVET_TASKS_BACKEND": "immediate"}, tmp_path)

    assert chosen["TASKS"]["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )


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


@pytest.mark.parametrize(
    ("env", "backend", "delivery"),
    [
        ({}, "django.core.mail.backends.console.EmailBackend", None),
        ({"NAVET_EMAIL_HOST": "smtp.navet.example"}, BACKGROUND_BACKEND, SMTP_BACKEND),
        (
            {"NAVET_EMAIL_HOST": "smtp.navet.example", "NAVET_EMAIL_IN_BACKGROUND": "0"},
            SMTP_BACKEND,
            None,
        ),
        (
            {"NAVET_EMAIL_IN_BACKGROUND": "1"},
            BACKGROUND_BACKEND,
            "django.core.mail.backends.console.EmailBackend",
        ),
    ],
)
def test_email_goes_through_a_task_when_smtp_is_set(
    env: dict[str, str], backend: str, delivery: str | None, tmp_path: Path
) -> None:
    chosen = _chosen(env, tmp_path)

    assert chosen["EMAIL_BACKEND"] == backend
    assert chosen["NAVET_EMAIL_DELIVERY_BACKEND"] == (delivery or backend)


# -- Outgoing email ------------------------------------------------------------------------


@pytest.fixture
def background_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = BACKGROUND_BACKEND
    settings.NAVET_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _minutes_message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Protokoll från nätverksmötet",
        body="Hej!\nHär är protokollet.",
        from_email="Navet <noreply@navet.example>",
        to=["medlem@boras.test"],
        cc=["samordnare@vgregion.test"],
        bcc=["arkiv@navet.test"],
        reply_to=["samordnare@vgregion.test"],
        headers={"X-Navet-Meeting": "42"},
    )
    message.attach_alternative("<p>Hej!</p><p>Här är protokollet.</p>", "text/html")
    message.attach("protokoll.pdf", PDF_BYTES, "application/pdf")
    message.attach("narvaro.csv", "namn;org\nAnna;Borås\n", "text/csv")
    return message


PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.usefixtures("background_mail")
def test_email_is_sent_by_the_task_after_commit(run_tasks: RunTasks) -> None:
    with transaction.atomic():
        assert _minutes_message().send() == 1
    assert mail.outbox == []  # queued, not sent

    [result] = run_tasks()

    assert (result.task.name, result.return_value) == ("send_email", 1)
    [sent] = mail.outbox
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.subject == "Protokoll från nätverksmötet"
    assert sent.body == "Hej!\nHär är protokollet."
    assert sent.from_email == "Navet <noreply@navet.example>"
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["medlem@boras.test"],
        ["samordnare@vgregion.test"],
        ["arkiv@navet.test"],
        ["samordnare@vgregion.test"],
    )
    assert sent.extra_headers == {"X-Navet-Meeting": "42"}
    assert list(sent.alternatives) == [("<p>Hej!</p><p>Här är protokollet.</p>", "text/html")]
    assert [tuple(a) for a in sent.attachments] == [
        ("protokoll.pdf", PDF_BYTES, "application/pdf"),
        ("narvaro.csv", "namn;org\nAnna;Borås\n", "text/csv"),
    ]
    assert "X-Navet-Meeting: 42" in sent.message().as_string()


@pytest.mark.usefixtures("background_mail")
def test_send_mail_in_a_rolled_back_transaction_sends_nothing(run_tasks: RunTasks) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        send_mail("Välkommen", "Hej", None, ["ny@navet.test"])
        1 / 0  # noqa: B018
    send_mail("Påminnelse", "Hej igen", None, ["ny@navet.test"])
    send_mail("Till ingen", "Hej", None, [])

    run_tasks()

    assert [m.subject for m in mail.outbox] == ["Påminnelse"]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.usefixtures("background_mail")
def test_a_message_with_a_mime_part_is_sent_at_once(run_tasks: RunTasks) -> None:
    message = EmailMessage("Bilaga", "Se bilagan.", None, ["medlem@boras.test"])
    message.attach(MIMEText("Rad ett", "plain", "utf-8"))

    assert message.send() == 1

    assert [m.subject for m in mail.outbox] == ["Bilaga"]
    assert run_tasks() == []


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command is accepted, each DATA kept."""

    def handle(self) -> None:
        self.wfile.write(b"220 navet-test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250-navet-test\r\n250 8BITMIME\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                self.server.received.append(data)  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[list[bytes]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = BACKGROUND_BACKEND
    settings.NAVET_EMAIL_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = False
    try:
        yield server.received  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_the_task_sends_over_smtp(smtp_server: list[bytes], run_tasks: RunTasks) -> None:
    _minutes_message().send()
    assert smtp_server == []

    run_tasks()

    [data] = smtp_server
    parsed = message_from_bytes(data)
    assert str(make_header(decode_header(parsed["Subject"]))) == "Protokoll från nätverksmötet"
    assert parsed["To"] == "medlem@boras.test"
    assert "Bcc" not in parsed
    assert [part.get_filename() for part in parsed.walk() if part.get_filename()] == [
        "protokoll.pdf",
        "narvaro.csv",
    ]


def test_a_failed_smtp_send_fails_the_task(settings: Any, run_tasks: RunTasks) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = BACKGROUND_BACKEND
    settings.NAVET_EMAIL_DELIVERY_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        closed_port,
        False,
    )
    send_mail("Välkommen", "Hej", None, ["ny@navet.test"])

    [result] = run_tasks(check=False)

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.ConnectionRefusedError"
