"""Emails about meetings. Each carries the meeting as an .ics attachment (text/calendar with
the iTIP method) so that calendar programs add, update or remove the event.

The functions here send immediately; services call them from ``transaction.on_commit`` so no
email leaves for a change that was rolled back.
"""

from collections.abc import Iterable
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from navet.meetings import calendar
from navet.meetings.models import Meeting
from navet.networks.models import Person


def ics_attachment(content: bytes, *, method: str) -> MIMEText:
    """A text/calendar part with ``method=`` as Outlook and Gmail expect."""
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method, requote=False)
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def _message(
    *,
    meeting: Meeting,
    person: Person,
    subject: str,
    template: str,
    method: str,
    extra: dict[str, object] | None = None,
    include_link: bool = False,
) -> EmailMessage:
    context = {
        "meeting": meeting,
        "person": person,
        "url": settings.NAVET_BASE_URL + meeting.get_absolute_url(),
        "include_link": include_link,
        **(extra or {}),
    }
    message = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=[person.email],
    )
    ics = calendar.meeting_ics(meeting, method=method, include_link=include_link, attendee=person)
    message.attach(ics_attachment(ics, method=method))
    return message


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def send_invitations(*, meeting: Meeting, people: Iterable[Person], note: str = "") -> int:
    """One email per person (nobody sees the other recipients)."""
    subject = _("Invitation: %(title)s") % {"title": meeting.title}
    return _send(
        [
            _message(
                meeting=meeting,
                person=person,
                subject=subject,
                template="meetings/email/invitation.txt",
                method=calendar.REQUEST,
                extra={"note": note},
            )
            for person in people
            if person.email
        ]
    )


def send_cancellation(*, meeting: Meeting, people: Iterable[Person]) -> int:
    subject = _("Cancelled: %(title)s") % {"title": meeting.title}
    return _send(
        [
            _message(
                meeting=meeting,
                person=person,
                subject=subject,
                template="meetings/email/cancellation.txt",
                method=calendar.CANCEL,
            )
            for person in people
            if person.email
        ]
    )


def send_promotion(*, meeting: Meeting, person: Person) -> int:
    """A place became free: the first person on the waiting list is now registered."""
    if not person.email:
        return 0
    subject = _("You have a place: %(title)s") % {"title": meeting.title}
    return _send(
        [
            _message(
                meeting=meeting,
                person=person,
                subject=subject,
                template="meetings/email/promoted.txt",
                method=calendar.REQUEST,
                include_link=True,
            )
        ]
    )
