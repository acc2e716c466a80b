"""Member and contact exports: CSV for Swedish Excel and XLSX with a bold header and real dates."""

import csv
import datetime
import io

import pytest
from django.http import Http404
from openpyxl import load_workbook

from navet.networks.exports import Table, contact_table, member_table, table_response
from navet.networks.models import Network
from tests.factories import (
    ContactAssignmentFactory,
    GroupFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    organisation,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MEMBER_COLUMNS = 9
CONTACT_COLUMNS = 8


@pytest.fixture
def net() -> Network:
    """Borås (with a contact), Dals-Ed via its association, and Lerum whose membership ended."""
    net = NetworkFactory(name="Klimatnätverket", slug="klimat")
    boras, dals_ed, lerum = organisation("1490"), organisation("1438"), organisation("1441")
    association = OrganisationFactory(name="Dalslands kommunalförbund")
    MembershipFactory(network=net, organisation=boras, start_date=D(2020, 1, 1))
    MembershipFactory(network=net, organisation=dals_ed, start_date=D(2021, 3, 1), via=association)
    MembershipFactory(
        network=net, organisation=lerum, start_date=D(2019, 1, 1), end_date=D(2022, 12, 31)
    )
    anna = PersonFactory(
        organisation=boras, first_name="Anna", last_name="Ek", email="anna@boras.se"
    )
    ContactAssignmentFactory(
        network=net,
        person=PersonFactory(organisation=boras, first_name="Olle", last_name="Gammal"),
        start_date=D(2020, 1, 1),
        end_date=D(2022, 12, 31),
    )
    ContactAssignmentFactory(network=net, person=anna, start_date=D(2023, 1, 1))
    ContactAssignmentFactory(
        network=net,
        person=PersonFactory(organisation=lerum, first_name="Lena", last_name="Lerum"),
        start_date=D(2019, 1, 1),
        end_date=D(2022, 12, 31),
    )
    # a group contact is not the organisation's contact in the member list
    ContactAssignmentFactory(
        network=net,
        group=GroupFactory(network=net, name="Klimat"),
        person=PersonFactory(organisation=boras, first_name="Gun", last_name="Grupp"),
        start_date=D(2023, 1, 1),
    )
    # another network's members are not exported
    MembershipFactory(organisation=organisation("1480"))
    return net


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads å, ä and ö"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_member_table(net: Network) -> None:
    table = member_table(network=net)
    assert len(table.header) == MEMBER_COLUMNS
    by_name = {row[0]: row for row in table.rows}
    assert [row[0] for row in table.rows] == ["Borås", "Dals-Ed", "Lerum"]
    assert by_name["Borås"] == [
        "Borås",
        "1490",
        "Västra Götalands län",
        by_name["Borås"][3],  # the kind, in the active language
        D(2020, 1, 1),
        None,
        "",
        "Anna Ek",
        "anna@boras.se",
    ]
    assert by_name["Dals-Ed"][4:7] == [D(2021, 3, 1), None, "Dalslands kommunalförbund"]
    # an ended membership shows no contact
    assert by_name["Lerum"][4:] == [D(2019, 1, 1), D(2022, 12, 31), "", "", ""]


def test_member_csv(net: Network) -> None:
    table = member_table(network=net)
    response = table_response(table, filename="medlemmar-klimat", fmt="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="medlemmar-klimat.csv"'
    rows = read_csv(response.content)
    assert rows[0] == [str(title) for title in table.header]
    assert len(rows) == 1 + 3  # the header and one row per membership
    assert all(len(row) == MEMBER_COLUMNS for row in rows)
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Dals-Ed"][1] == "1438"
    assert by_name["Dals-Ed"][4:7] == ["2021-03-01", "", "Dalslands kommunalförbund"]
    assert by_name["Borås"][7:] == ["Anna Ek", "anna@boras.se"]
    assert by_name["Lerum"][4:6] == ["2019-01-01", "2022-12-31"]


def test_member_xlsx(net: Network) -> None:
    table = member_table(network=net)
    response = table_response(table, filename="medlemmar-klimat", fmt="xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="medlemmar-klimat.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.title == str(table.title)
    assert [cell.value for cell in sheet[1]] == [str(title) for title in table.header]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.max_row == 1 + 3
    assert sheet.freeze_panes == "A2"

    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    start, end = rows["Lerum"][4], rows["Lerum"][5]
    assert isinstance(start.value, datetime.datetime)  # a real date, not text
    assert start.value.date() == D(2019, 1, 1)
    assert start.is_date and start.number_format == "yyyy-mm-dd"
    assert isinstance(end.value, datetime.datetime) and end.value.date() == D(2022, 12, 31)
    assert rows["Borås"][5].value is None  # still running
    assert rows["Dals-Ed"][6].value == "Dalslands kommunalförbund"
    assert not rows["Borås"][1].font.bold


def test_contact_table_keeps_history(net: Network) -> None:
    table = contact_table(network=net)
    assert len(table.header) == CONTACT_COLUMNS
    names = [(row[0], row[1], row[2], row[6], row[7]) for row in table.rows]
    assert names == [
        ("Borås", "", "Anna Ek", D(2023, 1, 1), None),
        ("Borås", "", "Olle Gammal", D(2020, 1, 1), D(2022, 12, 31)),
        ("Borås", "Klimat", "Gun Grupp", D(2023, 1, 1), None),
        ("Lerum", "", "Lena Lerum", D(2019, 1, 1), D(2022, 12, 31)),
    ]


def test_contact_csv_and_xlsx(net: Network) -> None:
    table = contact_table(network=net)
    rows = read_csv(table_response(table, filename="kontakter", fmt="csv").content)
    assert len(rows) == 1 + 4
    assert rows[1][:4] == ["Borås", "", "Anna Ek", "anna@boras.se"]
    assert rows[1][6:] == ["2023-01-01", ""]

    response = table_response(table, filename="kontakter", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 1 + 4
    assert sheet.cell(row=2, column=7).is_date


def test_csv_quotes_cells_with_semicolons() -> None:
    table = Table(title="T", header=["Namn", "Not"], rows=[["Borås; Stad", 'Sa "hej"']])
    rows = read_csv(table_response(table, filename="t", fmt="csv").content)
    assert rows == [["Namn", "Not"], ["Borås; Stad", 'Sa "hej"']]


def test_empty_table_exports_the_header_only() -> None:
    table = Table(title="Medlemmar", header=["Organisation", "Start"], rows=[])
    assert read_csv(table_response(table, filename="t", fmt="csv").content) == [
        ["Organisation", "Start"]
    ]
    sheet = load_workbook(io.BytesIO(table_response(table, filename="t", fmt="xlsx").content))
    assert sheet.worksheets[0].max_row == 1


def test_unknown_format_is_not_found() -> None:
    with pytest.raises(Http404):
        table_response(Table(title="T", header=["A"], rows=[]), filename="t", fmt="pdf")
