"""A network's year in a real browser: a two-day meeting from creation to the annual report.

The coordinator creates a two-day physical meeting, a member registers and gets the .ics, the
meeting takes place, the coordinator marks attendance for both days and opens the evaluation,
the member answers through the personal link, and the year's report (page and PDF) shows the
meeting with its result. Runs in English so the steps read like the code; Swedish pages are
covered by the network-core browser tests.
"""

import datetime
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from navet.demo.loader import COORDINATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL
from navet.meetings.models import Attendance, Meeting
from navet.networks.models import Network
from tests.e2e.conftest import AxePage
from tests.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Klimatanpassning i praktiken"


@pytest.fixture
def member_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = AxePage(context.new_page(), live_server.url)
    yield page
    unchecked = page.unchecked_pages()
    context.close()
    assert not unchecked, f"Pages loaded without an accessibility check: {unchecked}"


def in_english(axe_page: AxePage) -> None:
    axe_page.page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": axe_page.base_url}]
    )


def log_in(axe_page: AxePage, email: str) -> None:
    axe_page.goto("/accounts/login/")
    axe_page.page.get_by_label("Email").fill(email)
    axe_page.page.get_by_label("Password").fill(DEMO_PASSWORD)
    axe_page.page.get_by_role("button", name="Log in").click()
    axe_page.check()


def test_two_day_meeting_from_creation_to_the_annual_report(
    axe_page: AxePage, member_page: AxePage, demo: Network, tmp_path: Path
) -> None:
    coordinator = axe_page.page
    in_english(axe_page)
    log_in(axe_page, COORDINATOR_EMAIL)

    # 1. The coordinator creates a two-day physical meeting next week.
    first_day = timezone.localdate() + datetime.timedelta(days=7)
    axe_page.goto(f"/networks/{demo.slug}/meetings/new/")
    coordinator.get_by_label("Title").fill(TITLE)
    coordinator.get_by_label("Format").select_option("physical")
    coordinator.get_by_label("Starts").fill(f"{first_day.isoformat()}T09:30")
    coordinator.get_by_label("Ends").fill(
        f"{(first_day + datetime.timedelta(days=1)).isoformat()}T15:00"
    )
    coordinator.get_by_label("Location").fill("Kungshamn")
    coordinator.get_by_label("Description", exact=True).fill("Två dagar om klimatanpassning.")
    coordinator.get_by_role("button", name="Save").click()
    axe_page.check()
    meeting = Meeting.objects.get(title=TITLE)
    assert len(meeting.days) == 2
    axe_page.screenshot("meeting-created")

    # 2. A member registers and downloads the calendar file.
    log_in(member_page, MEMBER_EMAIL)
    member_page.goto(meeting.get_absolute_url())
    member_page.page.get_by_role("button", name="Register").click()
    member_page.check()
    assert "You are registered" in member_page.page.get_by_role("main").inner_text()
    ics_link = member_page.page.get_by_role("link", name="Add to calendar (.ics)")
    response = member_page.page.request.get(member_page.base_url + ics_link.get_attribute("href"))
    assert response.ok
    event = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == TITLE
    assert event.decoded("DTSTART").date() == first_day
    assert event.decoded("DTEND").date() == first_day + datetime.timedelta(days=1)
    assert str(event["UID"]).startswith(str(meeting.uid))

    # Time passes: the meeting took place last week (moved in the database, as a clock would).
    shift = datetime.timedelta(days=14)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - shift, ends_at=meeting.ends_at - shift
    )
    meeting.refresh_from_db()

    # 3. The coordinator marks the meeting held and attendance for both days.
    axe_page.goto(meeting.get_absolute_url())
    coordinator.get_by_role("button", name="Mark as held").click()
    axe_page.check()
    axe_page.goto(f"{meeting.get_absolute_url()}attendance/")
    boxes = coordinator.get_by_role("checkbox")
    assert boxes.count() == 2  # one registered person × two days
    for index in range(boxes.count()):
        boxes.nth(index).check()
    coordinator.get_by_role("button", name="Save").click()
    axe_page.check()
    assert Attendance.objects.filter(meeting=meeting).count() == 2

    # 4. The coordinator opens the evaluation; the member gets a personal link.
    mail.outbox.clear()
    axe_page.goto(f"/networks/{demo.slug}/evaluations/")
    row = coordinator.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("button", name="Open the evaluation").click()
    axe_page.check()
    links = [m for m in mail.outbox if MEMBER_EMAIL in m.to]
    assert len(links) == 1
    answer_path = re.search(r"https?://[^/\s]+(/answer/[^\s]+/)", links[0].body)
    assert answer_path is not None

    # 5. The member answers through the link.
    member_page.goto(answer_path.group(1))
    answer = member_page.page
    groups = answer.get_by_role("group")
    groups.nth(0).get_by_label("5", exact=True).check()  # satisfaction
    groups.nth(1).get_by_label("6 – to a very high degree").check()  # usefulness
    answer.get_by_role("textbox").fill("Bra exempel från kommunerna.")
    answer.get_by_role("button", name="Send my answer").click()
    member_page.check()
    member_page.screenshot("evaluation-answered")

    # 6. The year's report shows the meeting and the result, on the page and in the PDF.
    year = timezone.localtime(meeting.starts_at).year
    axe_page.goto(f"/networks/{demo.slug}/reports/{year}/")
    report = coordinator.get_by_role("main").inner_text()
    assert TITLE in report
    meeting_row = coordinator.get_by_role("row").filter(has_text=TITLE).first.inner_text()
    assert "1 + 1" in meeting_row  # one person on each of the two days
    assert "5.0" in meeting_row or "5,0" in meeting_row  # satisfaction mean
    assert "6.0" in meeting_row or "6,0" in meeting_row  # usefulness mean
    axe_page.screenshot("annual-report")

    pdf = coordinator.request.get(
        f"{axe_page.base_url}/networks/{demo.slug}/reports/{year}/report.pdf"
    )
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body(), tmp_path)
    assert TITLE in text
    assert demo.name in text and str(year) in text
    assert "5,0" in text and "6,0" in text
