"""The annual report as a Word document (python-docx), with the same content as the page.

Charts become their data tables: a DOCX reader gets the numbers, not a picture of them.
"""

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Pt

from navet.reports.selectors import AnnualReport, PlanOutcome

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_STYLE = "Light Grid Accent 1"


def _table(document: DocumentType, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _footnote(document: DocumentType, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.italic = True


def _key_figures(document: DocumentType, report: AnnualReport) -> None:
    figures = report.figures
    not_known = _("not known")
    new_members = ", ".join(
        f"{m.organisation.name} ({m.start_date.isoformat()})" for m in figures.new_members
    )
    document.add_heading(_("Key figures"), level=1)
    _table(
        document,
        [_("Figure"), _("Value")],
        [
            [_("Meetings held"), str(figures.meetings)],
            [_("Meeting days"), str(figures.meeting_days)],
            [_("Participants (sum per meeting)") + " ¹", str(figures.participants)],
            [_("Participant-days") + " ¹", str(figures.participant_days)],
            [
                _("Distinct named persons"),
                not_known if figures.named_persons is None else str(figures.named_persons),
            ],
            [_("Member organisations at year end"), str(figures.members_at_year_end)],
            [
                _("Participating municipalities (named attendees)"),
                not_known
                if figures.participating_municipalities is None
                else str(figures.participating_municipalities),
            ],
            [_("New members this year"), new_members or _("none")],
        ],
    )
    _footnote(
        document,
        "¹ "
        + _(
            "The report shows participants as the sum over the meetings of each meeting's "
            "participants: the number of named persons where attendance was taken by name, "
            "otherwise the largest day. Participant-days count every person on every day, so a "
            "person at both days of a two-day meeting is one participant and two "
            "participant-days."
        ),
    )


def _groups(document: DocumentType, report: AnnualReport) -> None:
    document.add_heading(_("Meetings per group"), level=1)
    for section in report.groups:
        document.add_heading(section.name, level=2)
        if not section.rows:
            document.add_paragraph(_("No meetings held this year."))
            continue
        rows = []
        for row in section.rows:
            lines = [row.kind, row.meeting.title]
            if row.meeting.description:
                lines.append(row.meeting.description)
            if row.speakers:
                lines.append(_("Speakers:") + " " + "; ".join(row.speakers))
            marker = " ²" if row.aggregates_only else ""
            usefulness_marker = marker if row.usefulness else ""
            satisfaction_marker = marker if row.satisfaction else ""
            rows.append(
                [
                    row.dates,
                    "\n".join(lines),
                    row.participants_text,
                    row.satisfaction_text + satisfaction_marker,
                    row.usefulness_text + usefulness_marker,
                    "–" if row.evaluation_n is None else str(row.evaluation_n),
                ]
            )
        _table(
            document,
            [_("Date"), _("Meeting"), _("Participants"), _("Satisfaction"), _("Usefulness"), "n"],
            rows,
        )
    note = _(
        "Satisfaction and usefulness are means on a scale from 1 to 6; n is the number of answers."
    )
    if report.any_aggregates:
        note += " ² " + _("Entered as aggregates (mean and n), not answered in Navet.")
    _footnote(document, note)


def _plan(document: DocumentType, plan: PlanOutcome) -> None:
    document.add_heading(_("Plan and outcome"), level=1)
    if plan.counts:
        document.add_paragraph(
            " · ".join(f"{label.capitalize()}: {number}" for label, number in plan.counts)
        )
    _table(
        document,
        [_("Planned"), _("Theme"), _("Group"), _("Outcome"), _("Meeting")],
        [
            [
                item.planned_when,
                item.activity.theme,
                item.activity.group.name if item.activity.group else _("The whole network"),
                item.outcome_label.capitalize(),
                f"{item.meeting.title} ({item.meeting.starts_at:%Y-%m-%d})"
                if item.meeting
                else _("A cancelled meeting")
                if item.meeting_hidden
                else "",
            ]
            for item in plan.activities
        ],
    )
    document.add_heading(_("Meetings held that were not planned"), level=2)
    for meeting in plan.unplanned:
        document.add_paragraph(str(meeting), style="List Bullet")
    if not plan.unplanned:
        document.add_paragraph(_("None."))


def render_docx(report: AnnualReport) -> bytes:
    document = Document()
    document.core_properties.title = _("Annual report %(year)s") % {"year": report.year}
    document.core_properties.subject = report.network.name
    document.add_heading(_("Annual report %(year)s") % {"year": report.year}, level=0)
    document.add_paragraph(report.network.name).runs[0].bold = True
    if report.network.coordinating_organisation:
        document.add_paragraph(
            _("Coordinated by %(org)s.") % {"org": report.network.coordinating_organisation.name}
        )

    _key_figures(document, report)
    _groups(document, report)

    if report.chart_rows:
        document.add_heading(_("Participants per meeting"), level=1)
        _table(
            document,
            [_("Date"), _("Meeting"), _("Participants")],
            [
                [row.day.isoformat(), row.meeting.title, row.participants_text]
                for row in report.chart_rows
            ],
        )

    if report.quotes:
        document.add_heading(_("Quotes"), level=1)
        for quote in report.quotes:
            document.add_paragraph(f"”{quote.text}”", style="Quote")
            source = ", ".join(
                p for p in (quote.source, quote.group.name if quote.group else "") if p
            )
            if source:
                document.add_paragraph(f"– {source}")

    document.add_heading(_("Annual member survey"), level=1)
    if report.survey_rows:
        _table(
            document,
            [_("Question"), *(str(row.year) for row in report.survey_rows)],
            [
                *([text, *means] for text, means in report.survey_by_question),
                [
                    _("Respondents"),
                    *(
                        "–" if r.respondents is None else str(r.respondents)
                        for r in report.survey_rows
                    ),
                ],
            ],
        )
        _footnote(document, _("Mean answers per year, on a scale from 1 to 6"))
    else:
        document.add_paragraph(_("No annual survey up to this year."))

    document.add_heading(_("Members on 31 December %(year)s") % {"year": report.year}, level=1)
    _table(
        document,
        [_("Organisation"), _("Member since")],
        [
            [
                m.membership.organisation.formal_name + (f" {m.marker}" if m.marker else ""),
                m.membership.start_date.isoformat(),
            ]
            for m in report.members
        ],
    )
    for marker, via in report.via_notes:
        _footnote(document, f"{marker} " + _("Takes part via %(via)s.") % {"via": via.name})

    _plan(document, report.plan)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
