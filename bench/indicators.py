"""Benchmark of the indicators at national scale (PostgreSQL only), against COPY and raw SQL.

    createdb -h 127.0.0.1 -U postgres navet_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/navet_bench .venv/bin/python -m bench.indicators
    dropdb -h 127.0.0.1 -U postgres navet_bench

The script migrates the database and refuses to run if it already holds indicators. The data:
Sweden's 290 municipalities, 21 regions and Riket × 500 indicators × 20 years (2005–2024),
split by gender (T, K, M) for every third indicator: about 5.2 million values, 2 % of them
missing (status "Missing"). The timed cases, all in one run:

(a) the file import (navet.indicators.imports.import_values_file: read, check, store) of a
    CSV of about a million rows (the first indicators' values, Swedish style: semicolons and
    decimal comma) into the empty value table, against PostgreSQL's COPY of the same rows
    (ids already resolved) into the same empty value table, with its indexes and foreign keys
    (then emptied again). The goal is at least 50 % of COPY's rows/s. For reference, COPY into
    a copy of the table without the foreign keys is timed too. Then the same file is imported
    again, which must leave everything unchanged;
(b) the comparison page of one municipality × 12 indicators (indicators:organisation_indicators
    with ?set=…, logged out) against the raw SQL it needs: p95 at most 1.5 × and under 150 ms.
    The page is requested through Django's test client but without the test framework's
    template instrumentation (setup_test_environment), which production does not have. The
    page and the baseline take turns, run by run. For reference, a request that runs only the
    baseline's SQL shows the request cycle's own cost, and one query by id through the ORM and
    through a raw cursor the ORM's cost per query;
(c) the ranking of all municipalities for one indicator and year
    (navet.indicators.selectors.ranking) against its raw SQL: under 50 ms.

The rest of the data (b and c read) is loaded with COPY after (a), and the municipalities are
put in ten municipality groups, as a Kolada sync of SKR's groups would. ``NAVET_BENCH_IMPORT_ROWS``
(default 1 000 000) sizes the file and ``NAVET_BENCH_REPEATS`` (default 100) the timed repeats.
"""

import atexit
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
WORK_DIR = tempfile.mkdtemp(prefix="navet-bench-indicators-")
atexit.register(shutil.rmtree, WORK_DIR, ignore_errors=True)
os.environ.setdefault("NAVET_DATA_DIR", WORK_DIR)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.probe_urls"  # the site's URLs and one probe (see that module)

from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench import probe_urls  # noqa: E402
from bench.measure import (  # noqa: E402
    count_queries,
    p95,
    raw,
    replay,
    settle,
    statements,
    timed_alternately,
)
from navet.accounts.models import User  # noqa: E402
from navet.indicators.imports import Lookups, check_rows, file_rows, import_values_file  # noqa: E402
from navet.indicators.models import (  # noqa: E402
    ImportRun,
    Indicator,
    IndicatorSet,
    IndicatorSetEntry,
    MunicipalityGroup,
    Value,
)
from navet.networks.models import Organisation  # noqa: E402

INDICATORS = 500
YEARS = range(2005, 2025)
SPLIT_EVERY = 3  # every third indicator has values for women and men too
IMPORT_ROWS = int(os.environ.get("NAVET_BENCH_IMPORT_ROWS", "1000000"))
REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "100"))
SET_SLUG, SET_SIZE = "bench-12", 12
MUNICIPALITY = "1490"  # Borås, whose page is timed
RANKING_YEAR = 2024
COLUMNS = "indicator_id, organisation_id, year, gender, value, status, source, import_run_id"

Row = tuple[int, int, int, str, float | None, str]


# --- Data ------------------------------------------------------------------------------------


def build_catalogue() -> tuple[list[Indicator], list[Organisation]]:
    directions = [Indicator.Direction.INCREASE, Indicator.Direction.DECREASE]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH{i + 1:04d}",
            title=f"Indikator {i + 1}",
            unit="%",
            source=Indicator.Source.KOLADA,
            direction=directions[i % 2],
            has_gender_split=i % SPLIT_EVERY == 0,
            is_demo=True,
        )
        for i in range(INDICATORS)
    )
    indicator_set = IndicatorSet.objects.create(
        name="Benchmark 12", slug=SET_SLUG, kind=IndicatorSet.Kind.KEY_INDICATORS
    )
    # Spread over the catalogue, so the set's values come from the file and from the rest.
    step = INDICATORS // SET_SIZE
    IndicatorSetEntry.objects.bulk_create(
        IndicatorSetEntry(indicator_set=indicator_set, indicator=indicators[k * step], position=k)
        for k in range(SET_SIZE)
    )
    organisations = list(
        Organisation.objects.filter(
            kind__in=[
                Organisation.Kind.MUNICIPALITY,
                Organisation.Kind.REGION,
                Organisation.Kind.NATION,
            ]
        ).order_by("scb_code")
    )
    return indicators, organisations


def build_groups(organisations: list[Organisation]) -> None:
    """Ten groups of municipalities, as a Kolada sync brings SKR's municipality groups; every
    municipality is in one, so the comparison shows a group mean as it does in production."""
    municipalities = [o for o in organisations if o.kind == Organisation.Kind.MUNICIPALITY]
    for g in range(10):
        group = MunicipalityGroup.objects.create(
            kolada_id=f"GBENCH{g}", title=f"Kommungrupp {g + 1}"
        )
        group.members.set(municipalities[g::10])


def kolada_code(organisation: Organisation) -> str:
    code = organisation.scb_code or ""
    return code if len(code) == 4 else f"00{code}"


def rows_for(indicators: list[Indicator], organisations: list[Organisation]) -> Iterator[Row]:
    """Every value of these indicators, in the order Kolada lists them; deterministic."""
    for i, indicator in enumerate(indicators):
        genders = ("T", "K", "M") if indicator.has_gender_split else ("T",)
        base = 10.0 + (indicator.pk % 90)
        for organisation in organisations:
            spread = (organisation.pk * 7919 + indicator.pk * 104_729) % 1000 / 50.0
            for year in YEARS:
                for g, gender in enumerate(genders):
                    if (i + organisation.pk + year + g) % 50 == 0:
                        yield (indicator.pk, organisation.pk, year, gender, None, "Missing")
                        continue
                    value = round(base + spread + (year - 2005) * 0.25 + g * 1.5, 2)
                    yield (indicator.pk, organisation.pk, year, gender, value, "")


def rows_per_indicator(indicator: Indicator, organisations: list[Organisation]) -> int:
    return len(organisations) * len(YEARS) * (3 if indicator.has_gender_split else 1)


def write_csv(path: Path, rows: Iterator[Row], codes: dict[int, str], orgs: dict[int, str]) -> int:
    """A tidy file as a Swedish spreadsheet saves it: BOM, semicolons, decimal comma."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        file.write("kpi;kommunkod;år;kön;värde;status\n")
        lines = []
        for indicator_id, organisation_id, year, gender, value, status in rows:
            number = "" if value is None else repr(value).replace(".", ",")
            lines.append(
                f"{codes[indicator_id]};{orgs[organisation_id]};{year};{gender};{number};{status}\n"
            )
            count += 1
            if len(lines) == 50_000:
                file.writelines(lines)
                lines.clear()
        file.writelines(lines)
    return count


def copy_text(rows: Iterator[Row], run_id: int) -> bytes:
    """The rows in COPY's text format, as the baseline loads them (ids already resolved)."""
    buffer = io.StringIO()
    for indicator_id, organisation_id, year, gender, value, status in rows:
        number = "\\N" if value is None else repr(value)
        buffer.write(
            f"{indicator_id}\t{organisation_id}\t{year}\t{gender}\t{number}\t{status}\tfile\t"
            f"{run_id}\n"
        )
    return buffer.getvalue().encode()


def copy_into(table: str, data: bytes) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start : start + (1 << 20)])


def load_rest(rows: Iterator[Row], run_id: int) -> int:
    """The values (b) and (c) read but the file did not bring, by COPY straight into the table.

    As superuser the foreign-key triggers are skipped while loading (the ids are valid by
    construction), which halves the time; otherwise they run as usual.
    """
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.copy(f"COPY {Value._meta.db_table} ({COLUMNS}) FROM STDIN") as copy:
            batch: list[str] = []
            for indicator_id, organisation_id, year, gender, value, status in rows:
                number = "\\N" if value is None else repr(value)
                batch.append(
                    f"{indicator_id}\t{organisation_id}\t{year}\t{gender}\t{number}\t{status}\t"
                    f"demo\t{run_id}\n"
                )
                if len(batch) == 50_000:
                    copy.write("".join(batch))
                    count += len(batch)
                    batch.clear()
            copy.write("".join(batch))
            count += len(batch)
    return count


# --- Timing ----------------------------------------------------------------------------------


def once(action: Callable[[], object]) -> float:
    """Seconds for one run of a write, after a checkpoint so no run pays for another's WAL."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def bench_import(
    indicators: list[Indicator], organisations: list[Organisation], actor: User
) -> list[tuple[str, int, float]]:
    """(a): the import of a file into the empty table, COPY of the same rows, the re-import."""
    chosen: list[Indicator] = []
    for indicator in indicators:
        if sum(rows_per_indicator(i, organisations) for i in chosen) >= IMPORT_ROWS:
            break
        chosen.append(indicator)
    codes = {i.pk: i.code for i in indicators}
    orgs = {o.pk: kolada_code(o) for o in organisations}
    path = Path(WORK_DIR) / "values.csv"
    began = time.perf_counter()
    rows = write_csv(path, rows_for(chosen, organisations), codes, orgs)
    marker = ImportRun.objects.create(kind=ImportRun.Kind.FILE, parameters={"bench": "copy"})
    data = copy_text(rows_for(chosen, organisations), marker.pk)
    print(
        f"  file: {rows} rows of {len(chosen)} indicators, {path.stat().st_size // 2**20} MiB, "
        f"written in {time.perf_counter() - began:.1f} s"
    )

    results: list[tuple[str, int, float]] = []
    table = Value._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_copy_no_fk (LIKE {table} INCLUDING ALL)")

    def copy_committed(target: str) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():  # the deferred foreign-key checks run at commit
                copy_into(target, data)

        return run

    results.append(("COPY into the value table", rows, once(copy_committed(table))))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
    results.append(
        ("  for reference: COPY, no foreign keys", rows, once(copy_committed("bench_copy_no_fk")))
    )

    def import_file() -> ImportRun:
        with path.open("rb") as file:
            uploaded = UploadedFile(file=file, name=path.name, size=path.stat().st_size)
            return import_values_file(actor=actor, uploaded=uploaded)

    run: ImportRun | None = None

    def first() -> None:
        nonlocal run
        run = import_file()

    results.append(("file import, empty table", rows, once(first)))
    assert run is not None and run.added == rows, (run and run.added, rows)
    again = import_file
    seconds = once(again)
    last = ImportRun.objects.order_by("-pk").first()
    assert last is not None and last.unchanged == rows and last.added == last.changed == 0
    results.append(("file import again, all unchanged", rows, seconds))

    def check_only() -> None:
        with path.open("rb") as file:
            uploaded = UploadedFile(file=file, name=path.name, size=path.stat().st_size)
            check_rows(file_rows(uploaded), lookups=Lookups.load())

    results.append(("  of which reading and checking", rows, once(check_only)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy_no_fk")
    return results


def comparison_cases(organisation: Organisation) -> list[tuple[str, Callable[[], object]]]:
    """(b): the page and the raw SQL of the values it shows."""
    try:
        url = reverse("indicators:organisation_indicators", args=[organisation.pk])
    except NoReverseMatch:
        print("  (b) skipped: the URL indicators:organisation_indicators does not exist yet.")
        return []
    client = Client()

    def page() -> bytes:
        response = client.get(url, {"set": SET_SLUG})
        if response.status_code != 200:
            raise SystemExit(f"GET {url}?set={SET_SLUG} gave {response.status_code}")
        return response.content

    table = Value._meta.db_table
    # The same data the page reads, as hand-written SQL: the organisation, every network (with
    # whether the organisation is a member today), every indicator set (with its network), the
    # chosen set's indicators, the municipality groups, the targets, and each indicator's
    # figures in its latest year, aggregated by the database as the page has them aggregated.
    sql_organisation = (
        "SELECT id, name, kind, scb_code, county_code FROM networks_organisation WHERE id = %s"
    )
    sql_networks = (
        "SELECT n.id, n.name, n.slug, EXISTS (SELECT 1 FROM networks_membership m "
        "WHERE m.network_id = n.id AND m.organisation_id = %s AND m.start_date <= CURRENT_DATE "
        "AND (m.end_date IS NULL OR m.end_date >= CURRENT_DATE)) FROM networks_network n "
        "ORDER BY n.name"
    )
    sql_sets = (
        "SELECT s.id, s.name, s.slug, s.network_id, n.name, n.slug "
        "FROM indicators_indicatorset s LEFT JOIN networks_network n ON n.id = s.network_id "
        "ORDER BY s.name"
    )
    sql_entries = (
        "SELECT i.id, i.code, i.title, i.unit, i.direction, i.decimals, i.is_demo, e.area "
        "FROM indicators_indicator i JOIN indicators_indicatorsetentry e ON e.indicator_id = i.id "
        "JOIN indicators_indicatorset s ON s.id = e.indicator_set_id WHERE s.slug = %s "
        "ORDER BY e.position"
    )
    sql_groups = (
        "SELECT g.id, g.title, m.organisation_id FROM indicators_municipalitygroup g "
        "JOIN indicators_municipalitygroup_members m ON m.municipalitygroup_id = g.id "
        "WHERE g.id IN (SELECT municipalitygroup_id FROM indicators_municipalitygroup_members "
        "WHERE organisation_id = %s) ORDER BY g.title, g.id"
    )
    sql_targets = (
        "SELECT * FROM indicators_target WHERE organisation_id = %s AND indicator_id = ANY(%s)"
    )
    sql_figures = (
        "SELECT latest.indicator_id, latest.year, own.value, "
        "count(*) FILTER (WHERE o.kind = 'municipality'), "
        "count(*) FILTER (WHERE o.kind = 'municipality' AND v.value > own.value), "
        "count(*) FILTER (WHERE o.kind = 'municipality' AND v.value < own.value), "
        "max(v.value) FILTER (WHERE o.scb_code = '0000'), "
        "max(v.value) FILTER (WHERE o.kind = 'region' AND o.scb_code = %(county)s), "
        "avg(v.value) FILTER (WHERE o.kind = 'municipality' AND o.county_code = %(county)s), "
        "avg(v.value) FILTER (WHERE o.kind = 'municipality' AND o.id IN (SELECT organisation_id "
        "FROM indicators_municipalitygroup_members WHERE municipalitygroup_id = %(group)s)), "
        "NULL "  # the organisation's networks: none in this data set
        f"FROM (SELECT indicator_id, max(year) AS year FROM {table} "
        "WHERE organisation_id = %(org)s AND indicator_id = ANY(%(ids)s) AND gender = 'T' "
        "AND value IS NOT NULL GROUP BY indicator_id) latest "
        f"JOIN {table} own ON own.indicator_id = latest.indicator_id AND own.year = latest.year "
        "AND own.organisation_id = %(org)s AND own.gender = 'T' "
        f"JOIN {table} v ON v.indicator_id = latest.indicator_id AND v.year = latest.year "
        "AND v.gender = 'T' AND v.value IS NOT NULL "
        "JOIN networks_organisation o ON o.id = v.organisation_id "
        "GROUP BY latest.indicator_id, latest.year, own.value"
    )
    ids = list(
        IndicatorSetEntry.objects.filter(indicator_set__slug=SET_SLUG).values_list(
            "indicator_id", flat=True
        )
    )
    pk, county = organisation.pk, organisation.county_code
    group = MunicipalityGroup.objects.filter(members=organisation).order_by("title", "pk").first()
    assert group is not None and not organisation.memberships.exists()
    figures = {"org": pk, "ids": ids, "county": county, "group": group.pk}

    def baseline() -> int:
        fetched = 0
        with connection.cursor() as cursor:
            queries: list[tuple[str, Any]] = [
                (sql_organisation, [pk]),
                (sql_networks, [pk]),
                (sql_sets, []),
                (sql_entries, [SET_SLUG]),
                (sql_groups, [pk]),
                (sql_targets, [pk, ids]),
                (sql_figures, figures),
            ]
            for sql, params in queries:
                cursor.execute(sql, params)
                fetched += len(cursor.fetchall())
        return fetched

    page_statements = statements(page)
    print(
        f"  (b) page: {len(page_statements)} queries; raw SQL: {count_queries(baseline)} "
        f"queries, {baseline()} rows"
    )
    probe_urls.PROBES["baseline"] = baseline
    probe = reverse("bench_probe", args=["baseline"])
    return [
        ("(b) raw SQL baseline", baseline),
        ("(b) comparison page, 12 indicators", page),
        # Where the page's time beyond its SQL goes: the page's own statements replayed through
        # a raw cursor (its SQL against the hand-written one), the request cycle (the
        # baseline's SQL run inside a request that renders nothing), and the ORM's cost per
        # query beside the same query through a raw cursor.
        ("  the page's own SQL, replayed", replay(page_statements)),
        ("  request doing only the raw SQL", lambda: client.get(probe)),
        ("  one query by id, ORM", lambda: Organisation.objects.get(pk=pk)),
        ("  one query by id, raw cursor", raw(sql_organisation, [pk])),
    ]


def ranking_cases(indicator: Indicator) -> list[tuple[str, Callable[[], object]]]:
    """(c): the ranking selector and its raw SQL."""
    try:
        from navet.indicators.selectors import ranking
    except ImportError:
        print("  (c) skipped: navet.indicators.selectors.ranking does not exist yet.")
        return []
    sql = (
        f"SELECT o.id, o.name, o.scb_code, v.value FROM {Value._meta.db_table} v "
        "JOIN networks_organisation o ON o.id = v.organisation_id "
        "WHERE v.indicator_id = %s AND v.year = %s AND v.gender = 'T' AND v.value IS NOT NULL "
        "AND o.kind = 'municipality' ORDER BY v.value DESC"
    )
    ranked = ranking(indicator=indicator, year=RANKING_YEAR, gender="T")
    print(f"  (c) ranking: {len(ranked)} municipalities ranked")
    return [
        ("(c) raw SQL baseline", raw(sql, [indicator.pk, RANKING_YEAR])),
        (
            "(c) ranking selector",
            lambda: ranking(indicator=indicator, year=RANKING_YEAR, gender="T"),
        ),
    ]


def report(cases: list[tuple[str, Callable[[], object]]]) -> None:
    """Time each case and print it against the raw SQL baseline before it, with its goal.
    A baseline and the cases after it (up to the next baseline) take turns, run by run, so
    noise on the machine falls on all of them alike. Indented cases are for reference."""
    goals = {
        "(b) comparison page, 12 indicators": (0.150, 1.5),
        "(c) ranking selector": (0.050, None),
    }
    print(f"\n{'case':36} {'p50 ms':>8} {'p95 ms':>8} {'goal ms':>8} {'p95 to raw SQL p95':>19}")
    groups: list[list[tuple[str, Callable[[], object]]]] = []
    for case in cases:
        if "baseline" in case[0] or not groups:
            groups.append([])
        groups[-1].append(case)
    samples: dict[str, list[float]] = {}
    for group in groups:
        timings = timed_alternately([action for _name, action in group], REPEATS)
        samples.update(zip([name for name, _action in group], timings, strict=True))
    base_p95 = 1.0
    for name, _action in cases:
        p50, high = statistics.median(samples[name]), p95(samples[name])
        if "baseline" in name:
            base_p95 = high
            print(f"{name:36} {p50 * 1000:8.1f} {high * 1000:8.1f} {'':>8} {1:19.1f}")
            continue
        if name.startswith(" "):
            print(f"{name:36} {p50 * 1000:8.1f} {high * 1000:8.1f}")
            continue
        goal_seconds, goal_ratio = goals[name]
        ratio = high / base_p95
        ok = high < goal_seconds and (goal_ratio is None or ratio <= goal_ratio)
        print(
            f"{name:36} {p50 * 1000:8.1f} {high * 1000:8.1f} {goal_seconds * 1000:8.0f} "
            f"{ratio:19.1f}  {'ok' if ok else 'OVER GOAL'}"
        )


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit(
            "The indicators benchmark needs PostgreSQL (it compares with COPY): set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/navet_bench (an empty database)."
        )
    call_command("migrate", verbosity=0)
    if Value.objects.exists() or Indicator.objects.filter(code__startswith="BENCH").exists():
        raise SystemExit("The database already holds values; give the benchmark an empty one.")
    started = time.perf_counter()
    indicators, organisations = build_catalogue()
    build_groups(organisations)
    actor = User.objects.create_superuser(email="bench@navet.example", password="bench-only")  # noqa: S106
    print(
        f"database: PostgreSQL {connection.cursor().connection.info.server_version}; "
        f"{len(indicators)} indicators, {len(organisations)} organisations, {len(YEARS)} years"
    )

    print("\n(a) file import against COPY")
    results = bench_import(indicators, organisations, actor)
    print(f"\n{'case':40} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'% of COPY':>10}")
    copy_rate = next(rows / seconds for name, rows, seconds in results if name.startswith("COPY"))
    for name, rows, seconds in results:
        rate = rows / seconds
        share = "" if "COPY" in name or name.startswith(" ") else f"{100 * rate / copy_rate:.0f}"
        print(f"{name:40} {rows:9d} {seconds:8.1f} {rate:9.0f} {share:>10}")
    print("  (% of the rows/s of COPY into the value table; the goal is at least 50)")

    began = time.perf_counter()
    imported = set(Value.objects.values_list("indicator_id", flat=True).distinct())
    rest_run = ImportRun.objects.create(kind=ImportRun.Kind.DEMO, parameters={"bench": "rest"})
    loaded = load_rest(
        rows_for([i for i in indicators if i.pk not in imported], organisations), rest_run.pk
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # planner statistics, as autovacuum would gather them
    total = Value.objects.count()
    print(f"\nrest of the data: {loaded} values by COPY in {time.perf_counter() - began:.1f} s")
    print(f"  value table: {total} values")
    settle()

    borås = Organisation.objects.get(scb_code=MUNICIPALITY)
    cases = [
        *comparison_cases(borås),
        *ranking_cases(indicators[1]),
    ]
    report(cases)
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
