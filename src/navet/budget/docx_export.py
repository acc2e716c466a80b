"""A status report as a Word document: A4 with page numbers, the same sections as the page."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from docx import Document

from navet.budget.models import StatusReport
from navet.budget.periods import period_of
from navet.budget.selectors import figures_of
from navet.reports.docx_report import CONTENT_TYPE, _page_setup, _table

__all__ = ["CONTENT_TYPE", "render_docx"]


def _kr(value: Decimal) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True) + " kr"


def _hours(value: Decimal) -> str:
    return number_format(value, decimal_pos=1, force_grouping=True)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def render_docx(report: StatusReport) -> bytes:
    period = period_of(report.kind, report.period_start)
    figures = figures_of(report)
    scope = report.group.name if report.group else report.network.name
    document = Document()
    _page_setup(document, f"{scope} – {period.label}")
    document.add_heading(f"{report.get_kind_display().capitalize()} {period.label}", level=0)
    subtitle = f"{scope} · {_day(period.start)}–{_day(period.end)}"
    if report.is_sent and report.sent_at:
        subtitle += " · " + _("sent %(date)s") % {
            "date": _day(timezone.localtime(report.sent_at).date())
        }
    else:
        subtitle += " · " + _("draft")
    document.add_paragraph(subtitle)

    document.add_heading(_("Meetings held"), level=1)
    if figures.meetings:
        _table(
            document,
            [_("Date"), _("Meeting"), _("Participants"), _("Participant-days")],
            [
                [_day(m.date), m.title, str(m.participants), str(m.participant_days)]
                for m in figures.meetings
            ]
            + [
                [
                    _("Total"),
                    _("%(count)d meetings") % {"count": figures.meetings_held},
                    str(figures.participants),
                    str(figures.participant_days),
                ]
            ],
        )
    else:
        document.add_paragraph(_("No meetings were held in the period."))

    document.add_heading(_("Hours against allocation"), level=1)
    _table(
        document,
        [_("Person"), _("Allocated"), _("Logged"), _("Difference")],
        [
            [p.name, _hours(p.planned), _hours(p.logged), _hours(p.difference)]
            for p in figures.hours_by_person
        ]
        + [
            [
                _("Total"),
                _hours(figures.hours_planned),
                _hours(figures.hours_logged),
                _hours(figures.hours_difference),
            ]
        ],
    )

    document.add_heading(_("Spending against budget"), level=1)
    if figures.budget:
        _table(
            document,
            [
                _("Line"),
                _("Budget for the year"),
                _("In the period"),
                _("So far this year"),
                _("Left"),
            ],
            [
                [
                    b.name,
                    _kr(b.planned),
                    _kr(b.outcome_period),
                    _kr(b.outcome_to_date),
                    _kr(b.remaining),
                ]
                for b in figures.budget
            ]
            + [
                [
                    _("Total"),
                    _kr(figures.budget_planned),
                    _kr(figures.budget_outcome_period),
                    _kr(figures.budget_outcome_to_date),
                    _kr(figures.budget_remaining),
                ]
            ],
        )
    else:
        document.add_paragraph(_("No budget lines for this year."))

    document.add_heading(_("New members"), level=1)
    if figures.new_members:
        for member in figures.new_members:
            document.add_paragraph(f"{member.name} ({_day(member.date)})", style="List Bullet")
    else:
        document.add_paragraph(_("No new members in the period."))
    document.add_heading(_("Contact-person changes"), level=1)
    if figures.contact_changes:
        for change in figures.contact_changes:
            document.add_paragraph(
                _("%(organisation)s: %(previous)s → %(current)s (%(date)s)")
                % {
                    "organisation": change.organisation,
                    "previous": change.previous or "–",
                    "current": change.current,
                    "date": _day(change.date),
                },
                style="List Bullet",
            )
    else:
        document.add_paragraph(_("No contact-person changes in the period."))

    for heading, text in (
        (_("What was done"), report.done),
        (_("Deviations"), report.deviations),
        (_("Next period"), report.next_period),
    ):
        document.add_heading(heading, level=1)
        for paragraph in (text or "–").split("\n\n"):
            document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
