"""Benchmark of the annual report at national scale, as ratios to raw SQL in the same run.

    .venv/bin/python -m bench.report                    # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/navet_bench .venv/bin/python -m bench.report

The PostgreSQL database must exist and be empty (``psql -h 127.0.0.1 -U postgres -c 'CREATE
DATABASE navet_bench'``). The script migrates it and refuses to run if it already holds
networks. Drop the database afterwards.

The data: 20 networks over Sweden's 290 municipalities, 5 000 people, 2 000 meetings over
2019–2024 (about one in ten lasts two days), 60 000 registrations, attendance per person
and day for most of those registered, and 40 000 scale answers. Of these answers, 32 000 are
meeting evaluations and 8 000 are the annual member survey of each network and year. The network
with every municipality has 100 meetings in 2022. Its report is the one timed. The timed cases:

(a) the annual report web page through Django's test client, as a coordinator of the network
    (view, selectors, charts, template); the goal is under 0.5 s;
(b) the same report as PDF (WeasyPrint), made afresh each time (the cache emptied first);
    the goal is under 3 s; (b') the same PDF downloaded again, served from the cache (the
    data have not changed, so the print HTML and its key are the same);
(c) the baseline: hand-written SQL that fetches the same data. That is the meetings with their
    groups and speakers, the attendance per day, the counts, the answer aggregates per meeting
    and question, the survey per year, the members, the quotes and the plan.

Machines are noisy, so the ratio to the same run's baseline is the figure to compare between
runs. ``NAVET_BENCH_REPEATS`` (default 20) sets the repeats; the PDF uses half as many.
"""

import atexit
import datetime
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
if "NAVET_DATA_DIR" not in os.environ:
    os.environ["NAVET_DATA_DIR"] = tempfile.mkdtemp(prefix="navet-bench-report-")
    atexit.register(shutil.rmtree, os.environ["NAVET_DATA_DIR"], ignore_errors=True)

import django  # noqa: E402
import weasyprint  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.measure import count_queries, p95, settle, timed  # noqa: E402
from navet.accounts.models import User  # noqa: E402
from navet.evaluations.models import (  # noqa: E402
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Quote,
    Response,
)
from navet.meetings.models import (  # noqa: E402
    Attendance,
    AttendanceCount,
    Meeting,
    PlannedActivity,
    Registration,
    Speaker,
)
from navet.networks.models import Group, Membership, Network, Organisation, Person  # noqa: E402
from navet.reports import pdf, selectors  # noqa: E402

NETWORKS, PEOPLE, MEETINGS = 20, 5_000, 2_000
YEARS = range(2019, 2025)
TARGET_YEAR, TARGET_MEETINGS = 2022, 100
REGISTRATIONS_PER_MEETING = 30  # 60 000 in all
EVALUATED_SHARE = 0.5  # half the held meetings are evaluated: 1 000 evaluations …
EVALUATION_RESPONSES = 16_000  # … with 2 scale questions each: 32 000 answers
SURVEY_RESPONSES = 2_000  # 120 surveys with 4 scale questions: 8 000 answers
TWO_DAY_SHARE = 0.1
COUNTS_SHARE = 0.05  # meetings with entered counts (no names), as for historical data
BATCH = 2_000
REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "20"))
PASSWORD = "bench-only"  # noqa: S105 (a throwaway account in a throwaway database)
START = datetime.date(2015, 1, 1)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PHYSICAL_HOURS = (datetime.time(9, 30), datetime.time(15, 30))
DIGITAL_HOURS = (datetime.time(9, 0), datetime.time(11, 30))
SURVEY_KEYS = ("coordination", "role", "exchange", "collaboration")


def _at(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, moment, tzinfo=STOCKHOLM)


def _weekday_in(rng: random.Random, year: int) -> datetime.date:
    """A random Tuesday–Thursday of the year, outside July."""
    while True:
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        if day.weekday() in (1, 2, 3) and day.month != 7 and day.year == year:
            return day


def _meeting_slots(rng: random.Random, networks: list[Network]) -> list[tuple[Network, int]]:
    """(network, year) of each meeting: 100 for the target network-year, the rest spread."""
    slots = [(networks[0], TARGET_YEAR)] * TARGET_MEETINGS
    others = [(n, y) for n in networks for y in YEARS if (n, y) != (networks[0], TARGET_YEAR)]
    slots += [rng.choice(others) for _ in range(MEETINGS - TARGET_MEETINGS)]
    return slots


def build(rng: random.Random) -> tuple[Network, dict[str, int]]:
    """The national dataset; returns the target network and how many rows each table got."""
    municipalities = list(Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY))
    networks = Network.objects.bulk_create(
        Network(name=f"Nätverk {i:02d}", slug=f"natverk-{i:02d}") for i in range(NETWORKS)
    )
    groups = Group.objects.bulk_create(
        Group(network=n, name=f"Grupp {j}", slug=f"grupp-{j}") for n in networks for j in range(3)
    )
    groups_of: dict[int, list[Group]] = {}
    for group in groups:
        groups_of.setdefault(group.network_id, []).append(group)

    # The first network has every municipality; the others a random third each.
    members_of: dict[int, list[Organisation]] = {networks[0].pk: municipalities}
    for network in networks[1:]:
        members_of[network.pk] = rng.sample(municipalities, 97)
    Membership.objects.bulk_create(
        (
            Membership(network_id=network_id, organisation=organisation, start_date=START)
            for network_id, organisations in members_of.items()
            for organisation in organisations
        ),
        batch_size=BATCH,
    )
    people = Person.objects.bulk_create(
        (
            Person(
                first_name=f"Förnamn{i}",
                last_name=f"Efternamn{i}",
                email=f"person{i}@bench.example",
                organisation=municipalities[i % len(municipalities)],
            )
            for i in range(PEOPLE)
        ),
        batch_size=BATCH,
    )
    people_of_org: dict[int, list[Person]] = {}
    for person in people:
        people_of_org.setdefault(person.organisation_id, []).append(person)
    pool_of = {
        network_id: [p for o in organisations for p in people_of_org.get(o.pk, [])]
        for network_id, organisations in members_of.items()
    }

    # Meetings, their groups and speakers.
    meetings: list[Meeting] = []
    meeting_group: list[Group] = []
    for network, year in _meeting_slots(rng, networks):
        first = _weekday_in(rng, year)
        two_days = rng.random() < TWO_DAY_SHARE
        physical = two_days or rng.random() < 0.5
        hours = PHYSICAL_HOURS if physical else DIGITAL_HOURS
        last = first + datetime.timedelta(days=1 if two_days else 0)
        number = len(meetings)
        meetings.append(
            Meeting(
                network=network,
                title=f"Nätverksträff {number}: tema {rng.randrange(1000)}",
                kind_label="Tvådagarsträff" if two_days else "Nätverksträff",
                description="Program och presentationer. " * 20,
                format=Meeting.Format.PHYSICAL if physical else Meeting.Format.DIGITAL,
                starts_at=_at(first, hours[0]),
                ends_at=_at(last, hours[1]),
                location=rng.choice(municipalities).name if physical else "",
                status=(Meeting.Status.CANCELLED if rng.random() < 0.02 else Meeting.Status.HELD),
                participants_note="kommuner, Länsstyrelsen och energikontoret",
            )
        )
        meeting_group.append(rng.choice(groups_of[network.pk]))
    meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    Through = Meeting.groups.through
    Through.objects.bulk_create(
        (
            Through(meeting_id=m.pk, group_id=g.pk)
            for m, g in zip(meetings, meeting_group, strict=True)
        ),
        batch_size=BATCH,
    )
    Speaker.objects.bulk_create(
        (
            Speaker(
                meeting=m, name=f"Talare {m.pk}-{k}", organisation_name="Länsstyrelsen", order=k
            )
            for m in meetings
            for k in range(2)
        ),
        batch_size=BATCH,
    )
    PlannedActivity.objects.bulk_create(
        (
            PlannedActivity(
                network_id=m.network_id,
                group=g,
                year=m.starts_at.astimezone(STOCKHOLM).year,
                planned_month=m.starts_at.astimezone(STOCKHOLM).month,
                theme=m.title,
                meeting=m,
            )
            for m, g in zip(meetings, meeting_group, strict=True)
        ),
        batch_size=BATCH,
    )

    # Registrations, and attendance per person and day for most of those registered; a few
    # meetings have entered counts instead of names.
    registrations: list[Registration] = []
    attendances: list[Attendance] = []
    counts: list[AttendanceCount] = []
    for meeting in meetings:
        days = meeting.days
        if rng.random() < COUNTS_SHARE:
            counts += [
                AttendanceCount(meeting=meeting, day=day, count=rng.randint(10, 60)) for day in days
            ]
        for person in rng.sample(pool_of[meeting.network_id], REGISTRATIONS_PER_MEETING):
            roll = rng.random()
            status = (
                Registration.Status.REGISTERED
                if roll < 0.9
                else Registration.Status.WAITING
                if roll < 0.95
                else Registration.Status.CANCELLED
            )
            registrations.append(
                Registration(
                    meeting=meeting,
                    person=person,
                    status=status,
                    registered_at=meeting.starts_at - datetime.timedelta(days=14),
                )
            )
            if status == Registration.Status.REGISTERED and meeting.status == Meeting.Status.HELD:
                attendances += [
                    Attendance(meeting=meeting, person=person, day=day)
                    for day in days
                    if rng.random() < 0.88
                ]
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    AttendanceCount.objects.bulk_create(counts, batch_size=BATCH)

    # Meeting evaluations: half of the held meetings, two scale questions each.
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    evaluated = rng.sample(held, round(len(held) * EVALUATED_SHARE))
    evaluations = Questionnaire.objects.bulk_create(
        (
            Questionnaire(
                network_id=m.network_id,
                kind=Questionnaire.Kind.EVALUATION,
                title=f"Utvärdering: {m.title}",
                meeting=m,
            )
            for m in evaluated
        ),
        batch_size=BATCH,
    )
    evaluation_questions = Question.objects.bulk_create(
        (
            Question(questionnaire=q, order=order, text=text, key=key, kind=QuestionKind.SCALE)
            for q in evaluations
            for order, (key, text) in enumerate(
                [
                    ("satisfaction", "Hur nöjd är du med träffen?"),
                    ("usefulness", "Kommer träffen att vara till nytta för dig i ditt arbete?"),
                ]
            )
        ),
        batch_size=BATCH,
    )
    questions_of: dict[int, list[Question]] = {}
    for question in evaluation_questions:
        questions_of.setdefault(question.questionnaire_id, []).append(question)
    day_of = {m.pk: m.ends_at.date() + datetime.timedelta(days=1) for m in evaluated}
    evaluation_of = [rng.choice(evaluations) for _ in range(EVALUATION_RESPONSES)]

    # The annual member survey of each network and year: four scale questions.
    surveys = Questionnaire.objects.bulk_create(
        Questionnaire(
            network=n, kind=Questionnaire.Kind.SURVEY, title=f"Årsenkät {y}", survey_year=y
        )
        for n in networks
        for y in YEARS
    )
    survey_questions = Question.objects.bulk_create(
        Question(
            questionnaire=s,
            order=order,
            text=f"Enkätfråga om {key}",
            key=key,
            kind=QuestionKind.SCALE,
        )
        for s in surveys
        for order, key in enumerate(SURVEY_KEYS)
    )
    for question in survey_questions:
        questions_of.setdefault(question.questionnaire_id, []).append(question)
    survey_of = [rng.choice(surveys) for _ in range(SURVEY_RESPONSES)]

    responses = Response.objects.bulk_create(
        [
            Response(
                questionnaire=q,
                submitted_on=(
                    day_of[q.meeting_id]
                    if q.meeting_id
                    else datetime.date(q.survey_year or TARGET_YEAR, 11, 20)
                ),
            )
            for q in evaluation_of + survey_of
        ],
        batch_size=BATCH,
    )
    Answer.objects.bulk_create(
        (
            Answer(response=r, question=question, value=rng.choice((3, 4, 4, 5, 5, 5, 6, 6)))
            for r in responses
            for question in questions_of[r.questionnaire_id]
        ),
        batch_size=BATCH,
    )
    Quote.objects.bulk_create(
        Quote(network=n, year=y, text=f"Ett citat ur utvärderingen, nummer {k}.", source="Enkät")
        for n in networks
        for y in YEARS
        for k in range(6)
    )

    coordinator = User.objects.create_user(email="bench@navet.example", password=PASSWORD)
    person = Person.objects.create(
        first_name="Bänk", last_name="Samordnare", organisation=municipalities[0], user=coordinator
    )
    networks[0].coordinators.add(person)
    tables: list[type[models.Model]] = [
        Network,
        Membership,
        Person,
        Meeting,
        Registration,
        Attendance,
        AttendanceCount,
        Questionnaire,
        Response,
        Answer,
    ]
    return networks[0], {model.__name__: model._default_manager.count() for model in tables}


# --- The same data by hand ---------------------------------------------------------------

# Every query is limited to the network's meetings held in the year (Stockholm time).
YEAR_MEETINGS = "m.network_id = %s AND m.status = 'held' AND m.starts_at >= %s AND m.starts_at < %s"
REPORT_SQL = [
    # The meetings and their groups.
    "SELECT m.id, m.title, m.kind_label, m.format, m.location, m.starts_at, m.ends_at, "
    "m.description, m.participants_note, g.name FROM meetings_meeting m "
    "LEFT JOIN meetings_meeting_groups mg ON mg.meeting_id = m.id "
    "LEFT JOIN networks_group g ON g.id = mg.group_id "
    f"WHERE {YEAR_MEETINGS} ORDER BY m.starts_at, m.id",
    # Their speakers.
    "SELECT s.meeting_id, s.name, s.organisation_name FROM meetings_speaker s "
    f"JOIN meetings_meeting m ON m.id = s.meeting_id WHERE {YEAR_MEETINGS} "
    'ORDER BY s.meeting_id, s."order"',
    # Named attendance: participants per meeting and day …
    "SELECT a.meeting_id, a.day, COUNT(*) FROM meetings_attendance a "
    f"JOIN meetings_meeting m ON m.id = a.meeting_id WHERE {YEAR_MEETINGS} "
    "GROUP BY a.meeting_id, a.day",
    # … distinct people per meeting …
    "SELECT a.meeting_id, COUNT(DISTINCT a.person_id) FROM meetings_attendance a "
    f"JOIN meetings_meeting m ON m.id = a.meeting_id WHERE {YEAR_MEETINGS} "
    "GROUP BY a.meeting_id",
    # … and distinct people and municipalities over the year.
    "SELECT COUNT(DISTINCT a.person_id), COUNT(DISTINCT p.organisation_id) "
    "FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id "
    "JOIN networks_person p ON p.id = a.person_id "
    f"WHERE {YEAR_MEETINGS}",
    # Entered counts per meeting and day.
    "SELECT c.meeting_id, c.day, SUM(c.count) FROM meetings_attendancecount c "
    f"JOIN meetings_meeting m ON m.id = c.meeting_id WHERE {YEAR_MEETINGS} "
    "GROUP BY c.meeting_id, c.day",
    # Evaluation answers: n and mean per meeting and question.
    "SELECT qn.meeting_id, q.key, COUNT(a.value), AVG(a.value) FROM evaluations_answer a "
    "JOIN evaluations_question q ON q.id = a.question_id "
    "JOIN evaluations_questionnaire qn ON qn.id = q.questionnaire_id "
    f"JOIN meetings_meeting m ON m.id = qn.meeting_id WHERE {YEAR_MEETINGS} "
    "GROUP BY qn.meeting_id, q.key",
]
# The member survey up to the year, the members, the quotes and the plan.
SURVEY_SQL = (
    "SELECT qn.survey_year, q.key, COUNT(a.value), AVG(a.value) FROM evaluations_answer a "
    "JOIN evaluations_question q ON q.id = a.question_id "
    "JOIN evaluations_questionnaire qn ON qn.id = q.questionnaire_id "
    "WHERE qn.network_id = %s AND qn.kind = 'survey' AND qn.survey_year <= %s "
    "GROUP BY qn.survey_year, q.key"
)
MEMBERS_SQL = (
    "SELECT o.name, o.scb_code, m.start_date, m.end_date, v.name FROM networks_membership m "
    "JOIN networks_organisation o ON o.id = m.organisation_id "
    "LEFT JOIN networks_organisation v ON v.id = m.via_id WHERE m.network_id = %s "
    "ORDER BY o.name, m.start_date"
)
QUOTES_SQL = (
    "SELECT q.text, q.source FROM evaluations_quote q "
    "WHERE q.network_id = %s AND q.year = %s AND q.in_report ORDER BY q.id"
)
PLAN_SQL = (
    "SELECT pa.theme, pa.planned_month, pa.planned_date, m.status FROM meetings_plannedactivity pa "
    "LEFT JOIN meetings_meeting m ON m.id = pa.meeting_id "
    "WHERE pa.network_id = %s AND pa.year = %s ORDER BY pa.planned_date, pa.planned_month"
)


def raw_report(network: Network, year: int) -> Callable[[], int]:
    """The hand-written queries for the report; returns how many rows they fetched."""
    adapt = connection.ops.adapt_datetimefield_value
    window = [
        network.pk,
        adapt(datetime.datetime(year, 1, 1, tzinfo=STOCKHOLM)),
        adapt(datetime.datetime(year + 1, 1, 1, tzinfo=STOCKHOLM)),
    ]
    queries = [(sql, window) for sql in REPORT_SQL] + [
        (SURVEY_SQL, [network.pk, year]),
        (MEMBERS_SQL, [network.pk]),
        (QUOTES_SQL, [network.pk, year]),
        (PLAN_SQL, [network.pk, year]),
    ]

    def run() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    return run


# --- Timing ------------------------------------------------------------------------------


def _get(client: Client, url: str, content_type: str) -> Callable[[], bytes]:
    def run() -> bytes:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith(content_type):
            raise SystemExit(f"GET {url} gave {response.status_code} {response['Content-Type']}")
        return response.content

    return run


def _pdf_pages(network: Network, year: int) -> int:
    """The number of pages, from one more layout of the print template (not timed)."""
    report = selectors.annual_report(network=network, year=year)
    return len(weasyprint.HTML(string=pdf.render_html(report)).render().pages)


def main() -> None:
    # WeasyPrint logs every CSS declaration it ignores, on every render; keep the table readable.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if Network.objects.exists():
        raise SystemExit("The database already holds networks; give the benchmark an empty one.")
    began = time.perf_counter()
    network, sizes = build(random.Random(1))
    built = time.perf_counter() - began
    settle()  # the build's garbage is not the report's to collect
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them
    print(f"database: {connection.vendor}; data built in {built:.1f} s")
    print("  " + ", ".join(f"{count} {name}" for name, count in sizes.items()))
    year = TARGET_YEAR
    in_year = Meeting.objects.filter(network=network, starts_at__year=year)
    print(
        f"  report: {network.name} {year}, {in_year.filter(status='held').count()} held meetings, "
        f"{Attendance.objects.filter(meeting__in=in_year).count()} attendance rows, "
        f"{Answer.objects.filter(question__questionnaire__meeting__in=in_year).count()} "
        "evaluation answers, "
        f"{Membership.objects.filter(network=network).count()} members"
    )

    client = Client()
    if not client.login(email="bench@navet.example", password=PASSWORD):
        raise SystemExit("Could not log in the benchmark coordinator.")
    page_url = f"/networks/{network.slug}/reports/{year}/"
    pdf_url = f"{page_url}report.pdf"
    get_page = _get(client, page_url, "text/html")
    get_pdf = _get(client, pdf_url, "application/pdf")
    baseline = raw_report(network, year)
    document = get_pdf()
    print(
        f"  page: {count_queries(get_page)} queries; raw SQL: {count_queries(baseline)} queries, "
        f"{baseline()} rows; PDF: {_pdf_pages(network, year)} pages, {len(document) // 1024} KiB"
    )

    def get_pdf_made() -> bytes:
        # A kept PDF (reports.pdf) would be served: empty the cache, so WeasyPrint makes it.
        cache.clear()
        return get_pdf()

    cases = [
        ("(a) annual report page", get_page, REPEATS, 0.5),
        ("(b) annual report PDF", get_pdf_made, max(REPEATS // 2, 3), 3.0),
        ("(b') the same PDF again", get_pdf, REPEATS, 3.0),
    ]
    base = timed(baseline, REPEATS)
    base_p50 = statistics.median(base)
    print(f"\n{'case':28} {'p50 ms':>8} {'p95 ms':>8} {'goal ms':>8} {'ratio p50 to raw SQL':>21}")
    print(
        f"{'(c) raw SQL baseline':28} {base_p50 * 1000:8.1f} {p95(base) * 1000:8.1f} "
        f"{'':>8} {1:21.1f}"
    )
    for name, action, repeats, goal in cases:
        ours = timed(action, repeats)
        p50 = statistics.median(ours)
        verdict = "ok" if p50 < goal else "OVER GOAL"
        print(
            f"{name:28} {p50 * 1000:8.1f} {p95(ours) * 1000:8.1f} {goal * 1000:8.0f} "
            f"{p50 / base_p50:21.1f}  {verdict}"
        )


if __name__ == "__main__":
    main()
