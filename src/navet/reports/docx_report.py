"""The annual report as a Word document (python-docx), with the same content as the page.

A4 with page numbers ("Page 3 of 12" as Word fields, so they stay right when the document is
edited) and the charts as PNG pictures (drawn by ``navet.core.charts`` with Pillow, the same
shapes as the page's SVG), each followed by its data table: a reader gets the picture and the
numbers. Dates go through Django's localisation, in the language of the request.
"""

import datetime
import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from navet.core.charts import Chart
from navet.reports.selectors import AnnualReport, PlanOutcome

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_STYLE = "Light Grid Accent 1"
# A4 portrait; the text column is 210 − 2 × 20 mm wide, and the charts fill it.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
CHART_WIDTH = Cm(17)


def _short(day: datetime.date) -> str:
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day)
    return date_format(day, "SHORT_DATE_FORMAT")


def _page_setup(document: DocumentType, footer_text: str) -> None:
    """A4 portrait with 2 cm margins, and a footer "<network> – <year>   Page n of m"."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(footer_text + " · ")
        # "Page {PAGE} of {NUMPAGES}", with the words translated around the fields.
        before, _sep, after = (_("Page %(page)s of %(pages)s") % {
            "page": "\x00", "pages": "\x01"}).partition("\x00")  # fmt: skip
        between, _sep, tail = after.partition("\x01")
        paragraph.add_run(before)
        _field(paragraph, "PAGE")
        paragraph.add_run(between)
        _field(paragraph, "NUMPAGES")
        paragraph.add_run(tail)
        for run in paragraph.runs:
            run.font.size = Pt(8)


def _field(paragraph: object, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in when it lays the pages out."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    begin, instruction, separate, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:t"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate.set(qn("w:fldCharType"), "separate")
    text.text = "1"
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, text, end):
        run._r.append(element)


def _chart(document: DocumentType, chart: Chart | None) -> None:
    """The chart as a picture the width of the text column, with its title as alt text."""
    if chart is None:
        return
    document.add_picture(io.BytesIO(chart.png()), width=CHART_WIDTH)
    picture = document.inline_shapes[-1]
    properties = picture._inline.docPr
    properties.set("descr", chart.description)
    properties.set("title", chart.title)


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
        f"{m.organisation.name} ({_short(m.start_date)})" for m in figures.new_members
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
            *(
                [
                    [
                        _("Participant-days on site / digital"),
                        "{} / {}".format(
                            figures.by_mode.get("on_site", 0), figures.by_mode.get("digital", 0)
                        ),
                    ]
                ]
                if figures.by_mode
                else []
            ),
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
        if not section.any_evaluated:
            document.add_paragraph(_("None of these meetings was evaluated."))
        rows = []
        for row in section.rows:
            lines = [row.kind, row.meeting.title]
            if row.meeting.description:
                lines.append(row.meeting.description)
            if row.speakers:
                lines.append(_("Speakers:") + " " + "; ".join(row.speakers))
            participants = row.participants_text
            if row.breakdown_text:
                participants += f"\n({row.breakdown_text})"
            cells = [row.dates, "\n".join(lines), participants]
            if section.any_evaluated:
                marker = " ²" if row.aggregates_only else ""
                if row.evaluated:
                    cells += [
                        row.satisfaction_text + (marker if row.satisfaction else ""),
                        row.usefulness_text + (marker if row.usefulness else ""),
                        "" if row.evaluation_n is None else str(row.evaluation_n),
                    ]
                else:
                    cells += [_("not evaluated"), "", ""]
            rows.append(cells)
        header = [_("Date"), _("Meeting"), _("Participants")]
        if section.any_evaluated:
            header += [_("Satisfaction"), _("Usefulness"), "n"]
        _table(document, header, rows)
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
                f"{item.meeting.title} ({_short(item.meeting.starts_at)})"
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
        document.add_paragraph(f"{_short(meeting.starts_at)} {meeting.title}", style="List Bullet")
    if not plan.unplanned:
        document.add_paragraph(_("None."))


def render_docx(report: AnnualReport) -> bytes:
    document = Document()
    _page_setup(document, f"{report.network.name} – {report.year}")
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
        _chart(document, report.participants_figure)
        _table(
            document,
            [_("Date"), _("Meeting"), _("Participants")],
            [
                [_short(row.day), row.meeting.title, row.participants_text]
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
        _chart(document, report.survey_figure)
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
                _short(m.membership.start_date),
            ]
            for m in report.members
        ],
    )
    if report.members:
        _footnote(
            document, _("The date after each name is the day the organisation became a member.")
        )
    for marker, via in report.via_notes:
        _footnote(document, f"{marker} " + _("Takes part via %(via)s.") % {"via": via.name})

    _plan(document, report.plan)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
