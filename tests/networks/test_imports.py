"""Member and people import: the whole file lands, or nothing does, with every bad row reported.

Messages are in the user's language. They are checked under ``translation.override("sv")`` for
the row number and the bad value they quote; the exact wording is left to the catalogue.
"""

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from navet.accounts.models import User
from navet.core.models import AuditEntry
from navet.networks.imports import ImportRejected, ImportResult, RowProblem, import_file
from navet.networks.models import (
    ContactAssignment,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    organisation,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MEMBER_HEADER = "Organisation;Startdatum;Slutdatum;Via"
PEOPLE_HEADER = "Förnamn;Efternamn;E-post;Organisation;Grupp;Kontaktperson;Startdatum"


@pytest.fixture(autouse=True)
def swedish() -> Iterator[None]:
    with translation.override("sv"):
        yield


@pytest.fixture
def net() -> Network:
    return NetworkFactory(name="Klimatnätverket", slug="klimat")


@pytest.fixture
def actor(net: Network) -> User:
    """The network's coordinator (people are imported only by a network's coordinators)."""
    user = UserFactory(email="samordnare@navet.test")
    net.coordinators.add(PersonFactory(organisation=organisation("14"), user=user))
    return user


@pytest.fixture
def people_net(net: Network) -> Network:
    """The network with Borås, Lerum and Åmål as members: people are imported into those."""
    for code in ("1490", "1441", "1492"):
        MembershipFactory(network=net, organisation=organisation(code), start_date=D(2020, 1, 1))
    return net


@pytest.fixture
def association() -> Organisation:
    return OrganisationFactory(name="Dalslands kommunalförbund")


def csv_file(*lines: str, name: str = "medlemmar.csv", encoding: str = "utf-8-sig") -> Any:
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def xlsx_file(rows: list[list[Any]], name: str = "medlemmar.xlsx") -> Any:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def rejected(actor: User, net: Network, kind: str, uploaded: Any) -> list[RowProblem]:
    with pytest.raises(ImportRejected) as excinfo:
        import_file(actor=actor, network=net, kind=kind, uploaded=uploaded)
    return excinfo.value.problems


# members --------------------------------------------------------------------------------------


def test_members_csv_with_swedish_headers_imports(
    actor: User, net: Network, association: Organisation
) -> None:
    uploaded = csv_file(
        MEMBER_HEADER,
        "Borås Stad;2024-01-01;;",
        "Lerums kommun;2023-05-01;2025-12-31;",
        "Dals Eds kommun;2024-02-01;;Dalslands kommunalförbund",
        ";;;",  # blank rows are skipped
        "1880;2022-01-01;;",
    )
    result = import_file(actor=actor, network=net, kind="members", uploaded=uploaded)

    assert isinstance(result, ImportResult)
    assert result.created == 4
    assert "4" in result.summary()
    memberships = {
        m.organisation.name: (m.start_date, m.end_date, m.via)
        for m in Membership.objects.filter(network=net)
    }
    assert memberships == {
        "Borås": (D(2024, 1, 1), None, None),
        "Lerum": (D(2023, 5, 1), D(2025, 12, 31), None),
        "Dals-Ed": (D(2024, 2, 1), None, association),
        "Örebro": (D(2022, 1, 1), None, None),
    }
    assert AuditEntry.objects.filter(action="membership.added").count() == 4
    entry = AuditEntry.objects.get(action="import.members")
    assert entry.actor == actor
    assert entry.data == {"created": 4}


def test_members_csv_from_swedish_excel_in_cp1252_with_commas(actor: User, net: Network) -> None:
    uploaded = csv_file(
        "Kommun,Start,Slut", "Borås,2024-01-01,", "Åmål,2024-01-01,", encoding="cp1252"
    )
    result = import_file(actor=actor, network=net, kind="members", uploaded=uploaded)
    assert result.created == 2
    assert set(Membership.objects.values_list("organisation__name", flat=True)) == {"Borås", "Åmål"}


def test_members_xlsx_imports(actor: User, net: Network, association: Organisation) -> None:
    uploaded = xlsx_file(
        [
            ["Organisation", "Startdatum", "Slutdatum", "Via", "Anteckning"],
            # openpyxl gives dates back as naive datetimes, as Excel has no time zones
            ["Borås Stad", datetime.datetime(2024, 1, 1), None, None, "Sedan starten"],  # noqa: DTZ001
            [1441, D(2023, 5, 1), D(2025, 12, 31), None, None],  # SCB code as a number
            ["Dals Eds kommun", "2024-02-01", None, "Dalslands kommunalförbund", None],
        ]
    )
    result = import_file(actor=actor, network=net, kind="members", uploaded=uploaded)

    assert result.created == 3
    boras = Membership.objects.get(network=net, organisation__scb_code="1490")
    assert (boras.start_date, boras.end_date, boras.note) == (D(2024, 1, 1), None, "Sedan starten")
    lerum = Membership.objects.get(network=net, organisation__scb_code="1441")
    assert (lerum.start_date, lerum.end_date) == (D(2023, 5, 1), D(2025, 12, 31))
    assert Membership.objects.get(network=net, organisation__scb_code="1438").via == association


def test_unknown_municipality_rejects_the_whole_file(actor: User, net: Network) -> None:
    MembershipFactory(network=net, organisation=organisation("1441"))
    before = Membership.objects.count()
    uploaded = csv_file(
        MEMBER_HEADER, "Borås;2024-01-01;;", "Atlantis kommun;2024-01-01;;", "Åmål;2024-01-01;;"
    )
    problems = rejected(actor, net, "members", uploaded)

    assert [p.row for p in problems] == [3]
    assert "Atlantis kommun" in problems[0].message
    assert Membership.objects.count() == before  # Borås (row 2) did not land either
    assert not AuditEntry.objects.exists()


def test_bad_date_rejects_the_whole_file(actor: User, net: Network) -> None:
    before = Membership.objects.count()
    uploaded = csv_file(MEMBER_HEADER, "Borås;2024-01-01;;", "Lerum;1/2/2024;;")
    problems = rejected(actor, net, "members", uploaded)

    assert [p.row for p in problems] == [3]
    assert "1/2/2024" in problems[0].message
    assert "YYYY-MM-DD" in problems[0].message or "ÅÅÅÅ-MM-DD" in problems[0].message
    assert Membership.objects.count() == before


def test_every_bad_row_is_reported(actor: User, net: Network) -> None:
    uploaded = csv_file(
        MEMBER_HEADER,
        "Atlantis;2024-01-01;;",  # row 2: unknown
        "Borås;2024-01-01;;",  # row 3: fine
        "Lerum;;;",  # row 4: start date missing
        "Åmål;2024-13-01;;",  # row 5: no 13th month
        "Alingsås;2024-06-01;2024-01-01;",  # row 6: ends before it starts
        "Ale;2024-01-01;;Ingenstans",  # row 7: unknown via
    )
    problems = rejected(actor, net, "members", uploaded)

    assert [p.row for p in problems] == [2, 4, 5, 6, 7]
    messages = {p.row: p.message for p in problems}
    assert "Atlantis" in messages[2]
    assert "2024-13-01" in messages[5]
    assert "Ingenstans" in messages[7]
    assert all(p.message for p in problems)
    assert not Membership.objects.exists()


def test_duplicate_organisation_rows_are_reported(actor: User, net: Network) -> None:
    uploaded = csv_file(
        MEMBER_HEADER, "Borås;2024-01-01;;", "Lerum;2024-01-01;;", "1490;2020-01-01;;"
    )
    problems = rejected(actor, net, "members", uploaded)

    assert [p.row for p in problems] == [4]
    assert "Borås" in problems[0].message
    assert "2" in problems[0].message  # the row it also appears on
    assert not Membership.objects.exists()


def test_overlap_with_an_existing_membership_is_reported(actor: User, net: Network) -> None:
    MembershipFactory(network=net, organisation=organisation("1490"), start_date=D(2020, 1, 1))
    problems = rejected(actor, net, "members", csv_file(MEMBER_HEADER, "Borås;2024-01-01;;"))
    assert [p.row for p in problems] == [2]
    assert "Borås" in problems[0].message
    assert Membership.objects.count() == 1


def test_missing_header_column_is_reported(actor: User, net: Network) -> None:
    problems = rejected(actor, net, "members", csv_file("Organisation;Slutdatum", "Borås;"))
    assert [p.row for p in problems] == [1]
    assert "startdatum" in problems[0].message
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("medlemmar.pdf", b"%PDF-1.4"),
        ("medlemmar.xlsx", b"not a zip file"),
        ("medlemmar.csv", b""),
    ],
)
def test_unreadable_files_are_rejected(
    actor: User, net: Network, name: str, content: bytes
) -> None:
    problems = rejected(actor, net, "members", SimpleUploadedFile(name, content))
    assert len(problems) == 1
    assert problems[0].row == 0
    assert problems[0].message


# people ---------------------------------------------------------------------------------------


def test_people_import_with_group_and_contact(actor: User, people_net: Network) -> None:
    klimat = GroupFactory(network=people_net, name="Klimat", slug="klimat")
    uploaded = csv_file(
        PEOPLE_HEADER,
        "Anna;Ek;Anna.Ek@Boras.se;Borås Stad;Klimat;ja;2024-02-01",
        "Bo;Berg;bo.berg@lerum.se;Lerums kommun;;;",
        "Cecilia;Dahl;;Åmål;klimat;nej;",
        name="personer.csv",
    )
    result = import_file(actor=actor, network=people_net, kind="people", uploaded=uploaded)

    assert result.created == 3
    anna = Person.objects.get(last_name="Ek")
    assert (anna.first_name, anna.email, anna.organisation.scb_code) == (
        "Anna",
        "anna.ek@boras.se",
        "1490",
    )
    group_membership = GroupMembership.objects.get(person=anna)
    assert (group_membership.group, group_membership.start_date) == (klimat, D(2024, 2, 1))
    assert group_membership.role == GroupMembership.Role.PARTICIPANT
    contact = ContactAssignment.objects.get(person=anna)
    assert (contact.network, contact.organisation) == (people_net, organisation("1490"))
    assert (contact.group, contact.start_date, contact.end_date) == (klimat, D(2024, 2, 1), None)

    bo = Person.objects.get(last_name="Berg")
    assert not GroupMembership.objects.filter(person=bo).exists()
    assert not ContactAssignment.objects.filter(person=bo).exists()
    cecilia = Person.objects.get(last_name="Dahl")
    assert GroupMembership.objects.get(person=cecilia).group == klimat  # by slug
    assert not ContactAssignment.objects.filter(person=cecilia).exists()  # "nej"
    assert AuditEntry.objects.get(action="import.people").data == {"created": 3}


def test_people_xlsx_imports(actor: User, people_net: Network) -> None:
    uploaded = xlsx_file(
        [
            ["Förnamn", "Efternamn", "E-post", "Kommun", "Titel", "Rollkategori"],
            ["Anna", "Ek", "anna@boras.se", "Borås", "Miljöstrateg", "miljostrateg"],
        ],
        name="personer.xlsx",
    )
    assert (
        import_file(actor=actor, network=people_net, kind="people", uploaded=uploaded).created == 1
    )
    anna = Person.objects.get(email="anna@boras.se")
    assert (anna.title, anna.role_category) == ("Miljöstrateg", "miljostrateg")


def test_duplicate_email_in_file_is_reported(actor: User, people_net: Network) -> None:
    uploaded = csv_file(
        PEOPLE_HEADER,
        "Anna;Ek;anna@boras.se;Borås;;;",
        "Bo;Berg;bo@lerum.se;Lerum;;;",
        "Annika;Ek;ANNA@boras.se;Borås;;;",
        name="personer.csv",
    )
    problems = rejected(actor, people_net, "people", uploaded)

    assert [p.row for p in problems] == [4]
    assert "anna@boras.se" in problems[0].message
    assert "2" in problems[0].message
    assert not Person.objects.filter(user=None).exists()


def test_email_of_an_existing_person_is_reported(actor: User, people_net: Network) -> None:
    PersonFactory(email="anna@boras.se")
    uploaded = csv_file(PEOPLE_HEADER, "Anna;Ek;Anna@Boras.se;Borås;;;", name="personer.csv")
    problems = rejected(actor, people_net, "people", uploaded)
    assert [p.row for p in problems] == [2]
    assert Person.objects.filter(user=None).count() == 1


def test_people_bad_rows_import_nothing(actor: User, people_net: Network) -> None:
    GroupFactory(network=people_net, name="Klimat", slug="klimat")
    uploaded = csv_file(
        PEOPLE_HEADER,
        "Anna;Ek;anna@boras.se;Borås;Klimat;ja;2024-02-01",  # row 2: fine
        "Bo;Berg;bo@lerum.se;Lerum;Vatten;;",  # row 3: no such group
        ";Dahl;;Åmål;;;",  # row 4: no first name
        "Cecilia;Dahl;;Atlantis;;;",  # row 5: unknown organisation
        "David;Ek;;Borås;;;igår",  # row 6: bad date
        name="personer.csv",
    )
    problems = rejected(actor, people_net, "people", uploaded)

    assert [p.row for p in problems] == [3, 4, 5, 6]
    messages = {p.row: p.message for p in problems}
    assert "Vatten" in messages[3]
    assert "Atlantis" in messages[5]
    assert "igår" in messages[6]
    assert not Person.objects.filter(user=None).exists()
    assert not GroupMembership.objects.exists()
    assert not ContactAssignment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_people_missing_header_column_is_reported(actor: User, people_net: Network) -> None:
    uploaded = csv_file("Förnamn;Organisation", "Anna;Borås", name="personer.csv")
    problems = rejected(actor, people_net, "people", uploaded)
    assert [p.row for p in problems] == [1]
    assert "efternamn" in problems[0].message


def test_unknown_import_kind_is_a_programming_error(actor: User, people_net: Network) -> None:
    with pytest.raises(ValueError, match="kind"):
        import_file(
            actor=actor, network=people_net, kind="groups", uploaded=csv_file(MEMBER_HEADER)
        )


def test_people_only_in_member_organisations(actor: User, people_net: Network) -> None:
    """A coordinator cannot register people in an organisation outside the network."""
    uploaded = csv_file(
        PEOPLE_HEADER,
        "Anna;Ek;anna@boras.se;Borås;;;",
        "Bo;Berg;bo@goteborg.se;Göteborg;;;",
        name="personer.csv",
    )
    problems = rejected(actor, people_net, "people", uploaded)
    assert [p.row for p in problems] == [3]
    assert "medlemsorganisationer" in problems[0].message
    assert not Person.objects.filter(email__in=["anna@boras.se", "bo@goteborg.se"]).exists()


def test_imported_people_belong_to_the_network(actor: User, people_net: Network) -> None:
    uploaded = csv_file(PEOPLE_HEADER, "Anna;Ek;anna@boras.se;Borås;;;", name="personer.csv")
    import_file(actor=actor, network=people_net, kind="people", uploaded=uploaded)
    assert Person.objects.get(email="anna@boras.se").registered_by_network == people_net
