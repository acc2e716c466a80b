"""Bounds on what people type and upload to the indicator pages: target values and imported
values finite and within ±1e15 (or 0–100 for a percentage), files that are neither CSV nor
XLSX, endless cells, too many rows, too large files, and impossible years in query strings.
Every case the probe hit has a test here; the edges are tested on both sides."""

import io
import math
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from navet.accounts.models import User
from navet.indicators import imports
from navet.indicators.imports import ValuesFileRejected, import_values_file
from navet.indicators.kolada import KoladaError, parse_data_page
from navet.indicators.models import ImportRun, Indicator, Target, Value
from navet.indicators.values import figure_problem
from navet.networks.models import Network
from tests.factories import UserFactory, organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
ClientFor = Callable[[str], Client]

LIMIT = "between −1,000,000,000,000,000 and 1,000,000,000,000,000"


@pytest.fixture
def plain(db: None) -> Indicator:
    return Indicator.objects.create(code="B1", title="Utsläpp", unit="ton")


@pytest.fixture
def share(db: None) -> Indicator:
    return Indicator.objects.create(code="B2", title="Skyddad natur, andel (%)", unit="%")


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(is_superuser=True, is_staff=True)


# --- The figure rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (0.0, True),
        (-5.5, True),
        (1e15, True),
        (-1e15, True),
        (math.nextafter(1e15, math.inf), False),
        (math.nextafter(-1e15, -math.inf), False),
        (1e308, False),
        (-1e308, False),
        (math.inf, False),
        (-math.inf, False),
        (math.nan, False),
    ],
)
def test_a_figure_is_finite_and_within_1e15(value: float, ok: bool) -> None:
    assert (figure_problem(value) == "") is ok


@pytest.mark.parametrize(("value", "ok"), [(0, True), (100, True), (-0.1, False), (100.5, False)])
def test_a_percentage_lies_within_0_and_100(share: Indicator, value: float, ok: bool) -> None:
    assert share.plausible_range == (0.0, 100.0)
    assert (figure_problem(value, share.plausible_range) == "") is ok


def test_other_units_have_no_invented_range(plain: Indicator) -> None:
    assert plain.plausible_range is None
    assert Indicator(unit="kg/inv").plausible_range is None


# --- The target form --------------------------------------------------------------------------


def _target_post(indicator: Indicator, **fields: str) -> dict[str, str]:
    return {"indicator": str(indicator.pk), "target_year": "2030", **fields}


def _add(client: Client, data: dict[str, str]) -> Any:
    return client.post(reverse("indicators:target_add", args=[organisation("1490").pk]), data)


@pytest.mark.parametrize("typed", ["-1e308", "1e308", "1000000000000001", "-1000000000000001"])
def test_an_impossible_target_value_is_refused_and_kept_in_the_form(
    client_for: ClientFor, roles: Any, plain: Indicator, typed: str
) -> None:
    response = _add(client_for("member"), _target_post(plain, target_value=typed))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Enter a number {LIMIT}." in html
    assert f'value="{typed}"' in html  # what the person typed stays in the field
    assert not Target.objects.exists()


@pytest.mark.parametrize("typed", ["1000000000000000", "-1000000000000000", "0", "-3.5"])
def test_target_values_at_the_edges_are_accepted(
    client_for: ClientFor, roles: Any, plain: Indicator, typed: str
) -> None:
    response = _add(client_for("member"), _target_post(plain, target_value=typed))
    assert response.status_code == 302
    expected = float(typed.replace(",", "."))
    assert Target.objects.get().target_value == expected


@pytest.mark.parametrize("typed", ["inf", "nan", "-inf"])
def test_a_target_value_that_is_not_a_number_is_refused(
    client_for: ClientFor, roles: Any, plain: Indicator, typed: str
) -> None:
    response = _add(client_for("member"), _target_post(plain, target_value=typed))
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    assert not Target.objects.exists()


def test_an_impossible_baseline_value_is_refused(
    client_for: ClientFor, roles: Any, plain: Indicator
) -> None:
    data = _target_post(plain, target_value="5", baseline_year="2019", baseline_value="1e308")
    response = _add(client_for("member"), data)
    assert f"Enter a number {LIMIT}." in response.content.decode()
    assert not Target.objects.exists()


@pytest.mark.parametrize(("typed", "ok"), [("0", True), ("100", True), ("100.5", False)])
def test_a_percentage_target_stays_within_0_and_100(
    client_for: ClientFor, roles: Any, share: Indicator, typed: str, ok: bool
) -> None:
    response = _add(client_for("member"), _target_post(share, target_value=typed))
    assert (response.status_code == 302) is ok
    if not ok:
        assert "A percentage lies between 0 and 100." in response.content.decode()
        assert 'value="100.5"' in response.content.decode()
    assert Target.objects.exists() is ok


@pytest.mark.parametrize(
    ("field", "typed", "ok"),
    [
        ("target_year", "2000", True),
        ("target_year", "2100", True),
        ("target_year", "1999", False),
        ("target_year", "2101", False),
        ("target_year", "99999999999999999999", False),
        ("target_year", "²", False),
        ("target_year", "٢٠٣٠", True),  # Arabic-Indic digits: Django reads 2030, harmless
        ("baseline_year", "1990", True),
        ("baseline_year", "1989", False),
    ],
)
def test_years_of_a_target_at_the_edges(
    client_for: ClientFor, roles: Any, plain: Indicator, field: str, typed: str, ok: bool
) -> None:
    data = _target_post(plain, target_value="5", desired_state="Mindre.")
    data[field] = typed
    if field == "baseline_year":
        data["baseline_value"] = "9"
    response = _add(client_for("member"), data)
    assert response.status_code == (302 if ok else 200), response.status_code
    assert Target.objects.exists() is ok
    if not ok:
        html = response.content.decode()
        assert "The year must be between" in html or "Enter a whole number." in html


# --- Imported values --------------------------------------------------------------------------


def _csv(text: str, name: str = "values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _rejected(actor: User, uploaded: SimpleUploadedFile) -> ValuesFileRejected:
    with pytest.raises(ValuesFileRejected) as excinfo:
        import_values_file(actor=actor, uploaded=uploaded)
    return excinfo.value


@pytest.mark.parametrize("typed", ["1e308", "-1e308", "1000000000000001", "inf", "nan", "-inf"])
def test_an_impossible_imported_value_is_refused_with_its_row_and_nothing_lands(
    admin: User, plain: Indicator, typed: str
) -> None:
    text = f"kpi;kommunkod;år;värde\nB1;1490;2022;1\nB1;1441;2022;{typed}\nB1;1480;2022;2\n"
    error = _rejected(admin, _csv(text))
    assert [p.row for p in error.problems] == [3]
    message = error.problems[0].message
    assert f"“{typed}”" in message
    assert "is not a number" in message or f"Enter a number {LIMIT}" in message
    assert not Value.objects.exists()  # the good rows 2 and 4 did not land either
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_imported_values_at_the_edges_land(admin: User, plain: Indicator, share: Indicator) -> None:
    text = (
        "kpi;kommunkod;år;värde\n"
        "B1;1490;1990;1000000000000000\n"
        "B1;1441;2022;-1000000000000000\n"
        "B1;1480;2022;0\n"
        "B2;1490;2022;0\n"
        "B2;1441;2022;100\n"
    )
    run = import_values_file(actor=admin, uploaded=_csv(text))
    assert run.added == 5
    assert sorted(Value.objects.values_list("value", flat=True)) == [-1e15, 0, 0, 100, 1e15]


def test_an_imported_percentage_over_100_is_refused(admin: User, share: Indicator) -> None:
    error = _rejected(admin, _csv("kpi;kommunkod;år;värde\nB2;1490;2022;100,5\n"))
    assert error.problems[0].row == 2
    assert "A percentage lies between 0 and 100." in error.problems[0].message


@pytest.mark.parametrize(("year", "ok"), [("1990", True), ("1989", False), ("²", False)])
def test_first_year_of_an_import(admin: User, plain: Indicator, year: str, ok: bool) -> None:
    uploaded = _csv(f"kpi;kommunkod;år;värde\nB1;1490;{year};1\n")
    if ok:
        assert import_values_file(actor=admin, uploaded=uploaded).added == 1
    else:
        assert _rejected(admin, uploaded).problems[0].row == 2


@pytest.mark.parametrize("name", ["values.csv", "values.xlsx", "values.bin", "values"])
def test_random_bytes_are_refused_with_a_clear_message(
    admin: User, plain: Indicator, name: str
) -> None:
    uploaded = SimpleUploadedFile(name, os.urandom(20_000))
    error = _rejected(admin, uploaded)
    assert "neither a CSV file nor an XLSX workbook" in error.problems[0].message
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"kpi;kommunkod;\x00r;v\x00rde\nB1;1490;2022;1\n",  # UTF-16 and the like
        b"\x01\x02\x03kpi;kommunkod;ar;varde\n",
        b"PK\x03\x04 not really a zip",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .xls",
    ],
)
def test_content_that_is_not_a_table_is_refused(
    admin: User, plain: Indicator, content: bytes
) -> None:
    error = _rejected(admin, SimpleUploadedFile("values.csv", content))
    assert "neither a CSV file nor an XLSX workbook" in error.problems[0].message


def test_an_xlsx_is_recognised_by_its_content_not_its_name(admin: User, plain: Indicator) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kpi", "kommunkod", "år", "värde"])
    sheet.append(["B1", "1490", 2022, 4.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = import_values_file(
        actor=admin, uploaded=SimpleUploadedFile("values.csv", buffer.getvalue())
    )
    assert run.added == 1


def test_a_200000_character_field_is_refused_with_its_row(admin: User, plain: Indicator) -> None:
    text = f"kpi;kommunkod;år;värde;status\nB1;1490;2022;1;ok\nB1;1441;2022;1;{'x' * 200_000}\n"
    error = _rejected(admin, _csv(text))
    assert [p.row for p in error.problems] == [3]
    assert "longer than 1000 characters" in error.problems[0].message
    assert not Value.objects.exists()


@pytest.mark.parametrize(("length", "ok"), [(1000, True), (1001, False), (5000, False)])
def test_a_cell_holds_at_most_1000_characters(
    admin: User, plain: Indicator, length: int, ok: bool
) -> None:
    # The status column is not shown beyond 30 characters; the cell limit is checked first.
    code = "B1" + " " * (length - 2)  # a padded code: stripped, it is still B1
    uploaded = _csv(f"kpi;kommunkod;år;värde\n{code};1490;2022;1\n")
    if ok:
        assert import_values_file(actor=admin, uploaded=uploaded).added == 1
    else:
        error = _rejected(admin, uploaded)
        assert error.problems[0].row == 2
        assert error.problems[0].message == "A cell is longer than 1000 characters."


def test_a_long_xlsx_cell_is_refused_too(admin: User, plain: Indicator) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kpi", "kommunkod", "år", "värde", "status"])
    sheet.append(["B1", "1490", 2022, 1, "x" * 5000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = _rejected(admin, SimpleUploadedFile("values.xlsx", buffer.getvalue()))
    assert error.problems[0].message == "A cell is longer than 1000 characters."


def test_a_file_with_too_many_rows_is_refused(
    admin: User, plain: Indicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = "".join(f"B1;{code};2022;1\n" for code in ("1490", "1441", "1480"))
    assert import_values_file(actor=admin, uploaded=_csv(f"kpi;kommunkod;år;värde\n{rows}"))
    error = _rejected(admin, _csv(f"kpi;kommunkod;år;värde\n{rows}B1;1764;2022;1\n"))
    assert "more than 3 rows" in error.problems[0].message


# --- The import page --------------------------------------------------------------------------


def test_random_bytes_to_the_page_give_a_message_not_an_error(
    client_for: ClientFor, plain: Indicator
) -> None:
    response = client_for("admin").post(
        reverse("indicators:file_import"),
        {"file": SimpleUploadedFile("values.csv", os.urandom(50_000)), "network": ""},
    )
    assert response.status_code == 400
    assert "neither a CSV file nor an XLSX workbook" in response.content.decode()


def test_a_file_over_the_upload_limit_is_refused(
    client_for: ClientFor, plain: Indicator, settings: Any
) -> None:
    settings.NAVET_MAX_UPLOAD_BYTES = 100
    text = "kpi;kommunkod;år;värde\n" + "".join(f"B1;1490;{y};1\n" for y in range(2010, 2020))
    response = client_for("admin").post(
        reverse("indicators:file_import"), {"file": _csv(text), "network": ""}
    )
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not ImportRun.objects.exists() and not Value.objects.exists()
    settings.NAVET_MAX_UPLOAD_BYTES = 1000
    response = client_for("admin").post(
        reverse("indicators:file_import"), {"file": _csv(text), "network": ""}
    )
    assert response.status_code == 302


def test_the_page_shows_a_bad_value_with_its_row(
    client_for: ClientFor, network: Network, plain: Indicator
) -> None:
    response = client_for("network_coordinator").post(
        reverse("indicators:file_import"),
        {"file": _csv("kpi;kommunkod;år;värde\nB1;1490;2022;1e308\n"), "network": network.pk},
    )
    assert response.status_code == 400
    assert "<td>2</td><td>The value “1e308”: Enter a number" in response.content.decode()


# --- Kolada -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1e308, math.inf, math.nan, -1.5e15])
def test_kolada_figures_out_of_bounds_fail_the_page(value: float) -> None:
    page = {
        "values": [
            {
                "kpi": "N00401",
                "municipality": "1490",
                "period": 2022,
                "values": [{"gender": "T", "value": value, "status": ""}],
            }
        ]
    }
    with pytest.raises(KoladaError, match="not a finite figure"):
        parse_data_page(page, "https://kolada.test/data")


# --- Query strings ----------------------------------------------------------------------------


@pytest.fixture
def with_values(plain: Indicator) -> Indicator:
    from tests.indicators.authz_comparison import store

    store(plain, {"1490": {2021: 1.0, 2022: 2.0}, "1441": {2022: 3.0}})
    return plain


@pytest.mark.parametrize("year", ["²", "٢٠٢٢", "99999999999999999999", "1989", "2101", "-1"])
def test_an_impossible_year_gives_the_page_with_a_message(
    client_for: ClientFor, with_values: Indicator, network: Network, year: str
) -> None:
    for url in (
        reverse("indicators:indicator_detail", args=[with_values.code]),
        reverse("indicators:network_indicators", args=[network.slug])
        + f"?indicator={with_values.code}&",
    ):
        separator = "&" if "?" in url else "?"
        response = client_for("anonymous").get(f"{url.rstrip('&')}{separator}year={year}")
        html = response.content.decode()
        assert response.status_code == 200, (url, year)
        assert "is not a valid choice for this filter and was ignored." in html
        assert "2022" in html  # the latest year is shown instead


def test_first_and_last_years_are_valid_filters(
    client_for: ClientFor, with_values: Indicator
) -> None:
    url = reverse("indicators:indicator_detail", args=[with_values.code])
    html = client_for("anonymous").get(f"{url}?year=2021").content.decode()
    assert "is not a valid choice" not in html and "no values for" not in html
    for year in ("1990", "2100"):
        html = client_for("anonymous").get(f"{url}?year={year}").content.decode()
        assert "is not a valid choice" not in html
        assert f"There are no values for {year}; showing 2022." in html


@pytest.mark.parametrize(("year", "status"), [(2022, 200), (1989, 404), (99999, 404)])
def test_a_ranking_download_for_an_impossible_year_is_not_found(
    client_for: ClientFor, with_values: Indicator, year: int, status: int
) -> None:
    url = reverse("indicators:ranking_download", args=[with_values.code, year, "csv"])
    assert client_for("anonymous").get(url).status_code == status


def test_a_200000_character_header_is_refused_too(admin: User, plain: Indicator) -> None:
    error = _rejected(admin, _csv(f"kpi;kommunkod;år;värde;{'x' * 200_000}\nB1;1490;2022;1;\n"))
    assert [p.row for p in error.problems] == [1]
    assert "longer than 1000 characters" in error.problems[0].message
