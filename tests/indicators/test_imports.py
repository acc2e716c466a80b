"""File import of indicator values: formats, every kind of bad row, all or nothing, re-import,
the run it leaves, its query count, and the upload page with its template download."""

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from navet.indicators.imports import ValuesFileRejected, import_values_file
from navet.indicators.models import ImportRun, Indicator, Value
from navet.networks.models import Network, Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]

BORAS, LERUM, STOCKHOLM, REGION_VG, RIKET = "1490", "1441", "0180", "14", "0000"
NEXT_YEAR = timezone.localdate().year + 1


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English; the page is Swedish by default."""
    with translation.override("en"):
        yield


def english_client(client_for: ClientFor, role: str) -> Client:
    client = client_for(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def indicators(db: None) -> dict[str, Indicator]:
    return {
        code: Indicator.objects.create(code=code, title=f"Indikator {code}", has_gender_split=True)
        for code in ("T00001", "T00002")
    }


@pytest.fixture
def actor(db: None) -> Any:
    return UserFactory(is_superuser=True, is_staff=True)


def csv_file(text: str, *, name: str = "values.csv", bom: bool = False) -> SimpleUploadedFile:
    content = text.encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_file(rows: list[list[Any]], *, name: str = "values.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def stored() -> dict[tuple[str, str, int, str], tuple[float | None, str]]:
    return {
        (v.indicator.code, v.organisation.scb_code or "", v.year, v.gender): (v.value, v.status)
        for v in Value.objects.select_related("indicator", "organisation")
    }


def rejected(actor: Any, uploaded: SimpleUploadedFile) -> ValuesFileRejected:
    with pytest.raises(ValuesFileRejected) as caught:
        import_values_file(actor=actor, uploaded=uploaded)
    return caught.value


# --- Good files -------------------------------------------------------------------------------


def test_csv_with_commas_and_decimal_points_is_stored_in_a_file_run(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    run = import_values_file(
        actor=actor,
        uploaded=csv_file(
            "kpi,kommunkod,år,kön,värde,status\n"
            "T00001,1490,2022,T,12.5,\n"
            "T00001,1490,2023,K,13.25,\n"
            "T00002,1441,2023,T,,Missing\n"
        ),
    )
    run.refresh_from_db()
    assert run.kind == ImportRun.Kind.FILE
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.parameters == {"file": "values.csv"}
    assert run.started_by == actor
    assert (run.added, run.changed, run.unchanged, run.missing) == (3, 0, 0, 1)
    assert run.steps_done == run.steps_total == 1
    assert "3 rows: 3 added" in run.log
    assert stored() == {
        ("T00001", BORAS, 2022, "T"): (12.5, ""),
        ("T00001", BORAS, 2023, "K"): (13.25, ""),
        ("T00002", LERUM, 2023, "T"): (None, "Missing"),
    }
    assert set(Value.objects.values_list("source", "import_run_id")) == {("file", run.pk)}


def test_semicolons_decimal_comma_bom_and_kolada_codes(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    run = import_values_file(
        actor=actor,
        uploaded=csv_file(
            "KPI;Kommunkod;År;Kön;Värde\n"
            "T00001;0014;2023;T;1 234,5\n"  # a region in Kolada's style, a thousands space
            "T00001;0000;2023;T;−2,75\n"  # Riket, a typographic minus sign
            "T00001;180;2023;t;0,1\n"  # Stockholm with its zero dropped, lower-case gender
            ";;;;\n",  # a blank row is no error
            bom=True,
        ),
    )
    assert run.status == ImportRun.Status.SUCCEEDED
    assert stored() == {
        ("T00001", REGION_VG, 2023, "T"): (1234.5, ""),
        ("T00001", RIKET, 2023, "T"): (-2.75, ""),
        ("T00001", STOCKHOLM, 2023, "T"): (0.1, ""),
    }


def test_english_headers_in_any_case_and_gender_defaults_to_total(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    import_values_file(
        actor=actor,
        uploaded=csv_file("Indicator,MUNICIPALITY,Period,Value\nt00002,1490,2021,7\n"),
    )
    assert stored() == {("T00002", BORAS, 2021, "T"): (7.0, "")}


def test_xlsx_with_numbers_and_text_cells(indicators: dict[str, Indicator], actor: Any) -> None:
    run = import_values_file(
        actor=actor,
        uploaded=xlsx_file(
            [
                ["Indikator", "Kod", "År", "Kön", "Värde", "Status"],
                ["T00001", 1490, 2023, "M", 41.75, None],
                ["T00001", "1441", 2022.0, None, "3,5", None],
                ["T00002", 180, "2023", "T", None, "Missing"],
                [None, None, None, None, None, None],
            ]
        ),
    )
    assert (run.added, run.missing) == (3, 1)
    assert stored() == {
        ("T00001", BORAS, 2023, "M"): (41.75, ""),
        ("T00001", LERUM, 2022, "T"): (3.5, ""),
        ("T00002", STOCKHOLM, 2023, "T"): (None, "Missing"),
    }


# --- Bad rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("X99999,1490,2023,T,1", "Unknown indicator code “X99999”."),
        (",1490,2023,T,1", "The indicator code is missing."),
        ("T00001,9999,2023,T,1", "Unknown organisation code “9999”"),
        ("T00001,,2023,T,1", "The organisation code is missing."),
        ("T00001,1490,2023,T,abc", "The value “abc” is not a number."),
        ("T00001,1490,2023,T,nan", "The value “nan” is not a number."),
        ('T00001,1490,2023,T,"1,234.5"', "The value “1,234.5” is not a number."),
        ("T00001,1490,1989,T,1", "The year 1989 is outside 1990–"),
        (f"T00001,1490,{NEXT_YEAR + 1},T,1", f"The year {NEXT_YEAR + 1} is outside"),
        ("T00001,1490,förra,T,1", "The year “förra” is not a year."),
        ("T00001,1490,,T,1", "The year is missing."),
        ("T00001,1490,2023,X,1", "Unknown gender “X”: use T (total), K (women) or M (men)."),
        ("T00001,1490,2023,T,1," + "x" * 31, "is longer than 30 characters."),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_number(
    indicators: dict[str, Indicator], actor: Any, line: str, message: str
) -> None:
    error = rejected(
        actor,
        csv_file(f"kpi,kommunkod,år,kön,värde,status\nT00002,1490,2023,T,5,\n{line}\n"),
    )
    assert [problem.row for problem in error.problems] == [3]
    assert message in error.problems[0].message
    assert error.total == 1
    assert not Value.objects.exists()


def test_a_row_with_several_problems_names_them_all(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    error = rejected(actor, csv_file("kpi,kod,år,värde\nX1,9999,1800,abc\n"))
    (problem,) = error.problems
    assert problem.row == 2
    for part in ("“X1”", "“9999”", "1800", "“abc”"):
        assert part in problem.message


def test_duplicate_rows_name_both_rows(indicators: dict[str, Indicator], actor: Any) -> None:
    error = rejected(
        actor,
        csv_file(
            "kpi;kommunkod;år;kön;värde\n"
            "T00001;1490;2023;T;1\n"
            "T00001;1490;2023;K;2\n"
            "T00001;1490;2023;;3\n"  # gender T by default: the same as row 2
        ),
    )
    assert [(p.row, p.message) for p in error.problems] == [
        (4, "Row 4 repeats row 2: the same indicator, organisation, year and gender.")
    ]


def test_nothing_is_written_and_the_run_fails_with_the_problems_in_its_log(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    error = rejected(
        actor,
        csv_file(
            "kpi,kommunkod,år,värde\n"
            + "".join(f"T00001,1490,{year},1\n" for year in range(2000, 2020))
            + "T00001,9999,2023,1\n"
            + "T00002,1490,2023,x\n"
        ),
    )
    assert [p.row for p in error.problems] == [22, 23]
    assert not Value.objects.exists()
    run = ImportRun.objects.get()
    assert run == error.run
    assert run.status == ImportRun.Status.FAILED
    assert run.finished_at is not None
    assert (run.added, run.changed, run.unchanged) == (0, 0, 0)
    assert "Row 22: Unknown organisation code “9999”" in run.log
    assert "Row 23: The value “x” is not a number." in run.log
    assert run.error == "The file was not imported: 2 problems. Nothing was saved."


def test_the_log_lists_the_first_200_problems_and_counts_the_rest(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    error = rejected(
        actor,
        csv_file("kpi,kommunkod,år,värde\n" + "T00001,1490,2023,x\n" * 250),
    )
    assert error.total == 250
    run = ImportRun.objects.get()
    assert run.log.count("is not a number") == 200
    assert "Row 201:" in run.log and "Row 202:" not in run.log
    assert "… and 50 more problems." in run.log


@pytest.mark.parametrize(
    ("uploaded", "row", "message"),
    [
        (csv_file("kpi,år,värde\nT00001,2023,1\n"), 1, "Columns are missing"),
        (csv_file(""), 0, "The file is empty."),
        (SimpleUploadedFile("values.pdf", b"%PDF-1.4"), 0, "neither a CSV file nor an XLSX"),
        (SimpleUploadedFile("values.xlsx", b"not a zip"), 0, "neither a CSV file nor an XLSX"),
    ],
)
def test_files_that_are_no_table_of_values_are_refused(
    indicators: dict[str, Indicator],
    actor: Any,
    uploaded: SimpleUploadedFile,
    row: int,
    message: str,
) -> None:
    error = rejected(actor, uploaded)
    assert [p.row for p in error.problems] == [row]
    assert message in error.problems[0].message
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


# --- Importing again --------------------------------------------------------------------------


FILE = "kpi;kommunkod;år;kön;värde;status\nT00001;1490;2022;T;1,5;\nT00001;1490;2023;T;;Missing\n"


def test_importing_the_same_file_again_changes_nothing(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    first = import_values_file(actor=actor, uploaded=csv_file(FILE))
    second = import_values_file(actor=actor, uploaded=csv_file(FILE))
    assert (second.added, second.changed, second.unchanged, second.missing) == (0, 0, 2, 1)
    # The values keep the run that set them.
    assert set(Value.objects.values_list("import_run_id", flat=True)) == {first.pk}


def test_changed_values_and_statuses_are_counted_as_changed(
    indicators: dict[str, Indicator], actor: Any
) -> None:
    import_values_file(actor=actor, uploaded=csv_file(FILE))
    run = import_values_file(
        actor=actor,
        uploaded=csv_file(
            "kpi;kommunkod;år;kön;värde;status\n"
            "T00001;1490;2022;T;1,75;\n"  # a new value
            "T00001;1490;2023;T;;Withdrawn\n"  # only the status changed
            "T00002;1490;2023;T;8;\n"  # a new row
        ),
    )
    assert (run.added, run.changed, run.unchanged) == (1, 2, 0)
    assert stored()[("T00001", BORAS, 2023, "T")] == (None, "Withdrawn")
    assert set(Value.objects.values_list("import_run_id", flat=True)) == {run.pk}


def test_queries_do_not_grow_with_the_rows(indicators: dict[str, Indicator], actor: Any) -> None:
    municipalities = list(
        Organisation.objects.filter(kind="municipality").values_list("scb_code", flat=True)
    )

    def file_of(rows: int) -> SimpleUploadedFile:
        lines = [
            f"T0000{1 + i % 2},{municipalities[i // 2 % 250]},{2000 + i // 500},T,{i}\n"
            for i in range(rows)
        ]
        return csv_file("kpi,kommunkod,år,kön,värde\n" + "".join(lines))

    with CaptureQueriesContext(connection) as small:
        import_values_file(actor=actor, uploaded=file_of(10))
    Value.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        run = import_values_file(actor=actor, uploaded=file_of(1000))
    assert run.added == 1000

    def reads(context: CaptureQueriesContext) -> int:
        return sum(q["sql"].lstrip().upper().startswith("SELECT") for q in context.captured_queries)

    # Codes are resolved from dictionaries loaded once: reads do not grow with the rows. Only
    # the inserts come in batches (SQLite takes about 120 rows per statement).
    assert reads(large) == reads(small)
    assert len(large) <= len(small) + 10


# --- The page ---------------------------------------------------------------------------------


def test_page_imports_a_good_file_and_goes_to_its_run(
    indicators: dict[str, Indicator], client_for: ClientFor, network: Network
) -> None:
    client = english_client(client_for, "network_coordinator")
    url = reverse("indicators:file_import")
    assert client.get(url).status_code == 200
    # Borås (1490) is a member of the coordinator's network.
    response = client.post(url, {"file": csv_file(FILE), "network": network.pk})
    run = ImportRun.objects.get()
    assert run.network == network
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:run_detail", args=[run.pk])
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Value.objects.count() == 2


def test_page_lists_the_problems_of_a_bad_file_and_keeps_nothing(
    indicators: dict[str, Indicator], client_for: ClientFor
) -> None:
    response = english_client(client_for, "admin").post(
        reverse("indicators:file_import"),
        {"file": csv_file("kpi,kommunkod,år,värde\nT00001,1490,2023,1\nT00001,1490,2023,x\n")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>3</td><td>The value “x” is not a number.</td>" in html
    assert "Nothing was saved." in html
    assert not Value.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_page_is_for_importers_only(client_for: ClientFor) -> None:
    url = reverse("indicators:file_import")
    assert client_for("member").post(url, {"file": csv_file(FILE)}).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302
    assert not ImportRun.objects.exists()


def test_template_is_a_csv_with_the_header_row(client_for: ClientFor) -> None:
    response = client_for("admin").get(reverse("indicators:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").strip() == "kpi;kommunkod;år;kön;värde;status"


def test_the_template_imports_once_filled_in(
    indicators: dict[str, Indicator], client_for: ClientFor, actor: Any
) -> None:
    header = client_for("admin").get(reverse("indicators:import_template")).content
    filled = header + b"T00001;1490;2023;K;4,5;\n"
    run = import_values_file(actor=actor, uploaded=SimpleUploadedFile("mall.csv", filled))
    assert run.added == 1
    assert stored() == {("T00001", BORAS, 2023, "K"): (4.5, "")}
