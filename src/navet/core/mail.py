"""Outgoing email as a background task, so no page waits for the mail server.

With ``EMAIL_BACKEND = "navet.core.mail.BackgroundEmailBackend"`` (settings: on when an SMTP
host is set, or by NAVET_EMAIL_IN_BACKGROUND), every message sent through Django's mail API
is turned into a JSON value and queued after the current transaction commits (a rolled-back
request sends nothing); the ``send_email`` task then sends it with
``NAVET_EMAIL_DELIVERY_BACKEND`` (SMTP in production). A failed send leaves the task FAILED
with the traceback, in the task results.

A message that cannot be written as JSON (an attachment given as a ready MIME part) is sent
at once with the delivery backend instead.
"""

import base64
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

from navet.core.tasks import enqueue_on_commit

BACKGROUND_BACKEND = "navet.core.mail.BackgroundEmailBackend"


def message_to_json(message: EmailMessage) -> dict[str, Any] | None:
    """The message as a JSON value, or None when an attachment is not (filename, content,
    mimetype) with text or bytes content."""
    attachments: list[dict[str, str | None]] = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            return None
        filename, content, mimetype = attachment
        if isinstance(content, bytes):
            encoded = {"base64": base64.b64encode(content).decode("ascii")}
        elif isinstance(content, str):
            encoded = {"text": content}
        else:
            return None
        attachments.append({"filename": filename, "mimetype": mimetype, **encoded})
    alternatives = getattr(message, "alternatives", [])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [[str(content), mimetype] for content, mimetype in alternatives],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
        "encoding": message.encoding,
    }


def message_from_json(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[(content, mimetype) for content, mimetype in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    message.encoding = data["encoding"]
    for attachment in data["attachments"]:
        content = (
            base64.b64decode(attachment["base64"]) if "base64" in attachment else attachment["text"]
        )
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def _delivery_connection(*, fail_silently: bool = False) -> BaseEmailBackend:
    backend = settings.NAVET_EMAIL_DELIVERY_BACKEND
    if backend == BACKGROUND_BACKEND:
        raise ImproperlyConfigured("NAVET_EMAIL_DELIVERY_BACKEND cannot be the background one.")
    return get_connection(backend, fail_silently=fail_silently)


@task()
def send_email(message: dict[str, Any]) -> int:
    """The background task: send one message (as message_to_json wrote it); returns how many
    were sent (1, or 0 if the delivery backend says so)."""
    return _delivery_connection().send_messages([message_from_json(message)]) or 0


class BackgroundEmailBackend(BaseEmailBackend):
    """Queues each message as a ``send_email`` task once the transaction commits."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            data = message_to_json(message)
            if data is None:
                queued += (
                    _delivery_connection(fail_silently=self.fail_silently).send_messages([message])
                    or 0
                )
                continue
            enqueue_on_commit(send_email, data)
            queued += 1
        return queued
