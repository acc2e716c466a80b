"""Import of members and people from CSV or XLSX: every row is checked, and either the whole
file lands or nothing does. Each bad row is reported with its row number and the reason."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from navet.core import bounds, uploads
from navet.core.audit import audit_log
from navet.networks import services
from navet.networks.forms import HISTORY_STARTS
from navet.networks.models import Group, Network, Person
from navet.networks.role_categories import role_category_lookup
from navet.networks.selectors import OrganisationIndex

# Accepted column names (lower case) for each field; Swedish first, English too.
MEMBER_COLUMNS = {
    "organisation": ["organisation", "kommun", "scb-kod", "organization", "municipality"],
    "start_date": ["startdatum", "start", "från", "start_date"],
    "end_date": ["slutdatum", "slut", "till", "end_date"],
    "via": ["via"],
    "note": ["anteckning", "note"],
}
PEOPLE_COLUMNS = {
    "first_name": ["förnamn", "first_name", "first name"],
    "last_name": ["efternamn", "last_name", "last name"],
    "email": ["e-post", "epost", "email"],
    "phone": ["telefon", "phone"],
    "title": ["titel", "title"],
    "role_category": ["rollkategori", "roll", "role_category"],
    "organisation": ["organisation", "kommun", "organization"],
    "group": ["grupp", "group"],
    "contact": ["kontaktperson", "contact"],
    "start_date": ["startdatum", "start", "från", "start_date"],
}
REQUIRED = {
    "members": ["organisation", "start_date"],
    "people": ["first_name", "last_name", "organisation"],
}
YES = {"ja", "j", "x", "yes", "y", "1", "true"}
MAX_ROWS = 10_000
# No cell of a member or people list is anywhere near this long; a longer one is a wrong file.
MAX_CELL_LENGTH = 1_000


def _cell_too_long() -> str:
    return _("A cell is longer than %(max)d characters.") % {"max": MAX_CELL_LENGTH}


@dataclass
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    message: str


class ImportRejected(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.kind == "members":
            return ngettext(
                "%(count)d membership was imported.",
                "%(count)d memberships were imported.",
                self.created,
            ) % {"count": self.created}
        return ngettext(
            "%(count)d person was imported.", "%(count)d people were imported.", self.created
        ) % {"count": self.created}


def read_rows(uploaded: UploadedFile) -> list[list[Any]]:
    """The file's rows as lists of cells, header first. Raises ImportRejected if unreadable."""
    name = (uploaded.name or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ImportRejected(
                [
                    RowProblem(
                        0, _("The file could not be read as XLSX (%(error)s).") % {"error": error}
                    )
                ]
            ) from error
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv") or name.endswith(".txt"):
        text = uploads.decode_csv(content)
        if text is None:
            raise ImportRejected([RowProblem(0, _("The file is not a CSV text file."))])
        try:
            return list(csv.reader(io.StringIO(text), delimiter=uploads.csv_delimiter(text)))
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                message = _cell_too_long()
            else:
                message = _("The file could not be read as CSV (%(error)s).") % {"error": error}
            raise ImportRejected([RowProblem(0, message)]) from error
    raise ImportRejected([RowProblem(0, _("Only CSV and XLSX files can be imported."))])


def _columns(header: list[Any], accepted: dict[str, list[str]]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        wanted = str(title or "").strip().lower()
        for field_name, names in accepted.items():
            if wanted in names and field_name not in positions:
                positions[field_name] = index
    return positions


def _records(rows: list[list[Any]], kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    accepted = MEMBER_COLUMNS if kind == "members" else PEOPLE_COLUMNS
    if not rows:
        raise ImportRejected([RowProblem(0, _("The file is empty."))])
    positions = _columns(rows[0], accepted)
    missing = [name for name in REQUIRED[kind] if name not in positions]
    if missing:
        expected = ", ".join(accepted[name][0] for name in missing)
        raise ImportRejected(
            [
                RowProblem(
                    1,
                    _("Columns are missing from the header row: %(columns)s.")
                    % {"columns": expected},
                )
            ]
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected(
            [RowProblem(0, _("The file has more than %(max)d rows.") % {"max": MAX_ROWS})]
        )
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue  # blank rows are not errors
        if any(len(str(cell or "")) > MAX_CELL_LENGTH for cell in row):
            raise ImportRejected(
                [
                    RowProblem(
                        number,
                        _cell_too_long(),
                    )
                ]
            )
        yield (
            number,
            {name: (row[index] if index < len(row) else None) for name, index in positions.items()},
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any, label: str, required: bool) -> datetime.date | None:
    day = _parse_date(value, label, required)
    if day is not None:
        bounds.check_date(day, earliest=HISTORY_STARTS)
    return day


def _parse_date(value: Any, label: str, required: bool) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        if required:
            raise ValidationError(_("%(column)s is missing.") % {"column": label})
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("%(column)s “%(value)s” is not a date (write it as YYYY-MM-DD).")
            % {"column": label, "value": text}
        ) from None


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def import_file(*, actor: Any, network: Network, kind: str, uploaded: UploadedFile) -> ImportResult:
    rows = read_rows(uploaded)
    if kind == "members":
        return _import_members(actor=actor, network=network, rows=rows)
    if kind == "people":
        return _import_people(actor=actor, network=network, rows=rows)
    raise ValueError(f"Unknown import kind {kind!r}")


def _run(rows: list[list[Any]], kind: str, import_row: Any) -> list[RowProblem]:
    """Import each row in its own savepoint, collecting every problem."""
    problems: list[RowProblem] = []
    for number, record in _records(rows, kind):
        try:
            with transaction.atomic():
                import_row(number, record)
        except ValidationError as error:
            problems.append(RowProblem(number, _messages(error)))
    return problems


@transaction.atomic
def _import_members(*, actor: Any, network: Network, rows: list[list[Any]]) -> ImportResult:
    index = OrganisationIndex()
    result = ImportResult(kind="members")
    seen: dict[int, int] = {}

    def import_row(number: int, record: dict[str, Any]) -> None:
        organisation = index.find(_text(record.get("organisation")))
        if organisation is None:
            raise ValidationError(
                _("Unknown organisation “%(name)s”.") % {"name": _text(record.get("organisation"))}
            )
        if organisation.pk in seen:
            raise ValidationError(
                _("%(organisation)s also appears on row %(row)d.")
                % {"organisation": organisation.name, "row": seen[organisation.pk]}
            )
        seen[organisation.pk] = number
        via = None
        if _text(record.get("via")):
            via = index.find(_text(record.get("via")))
            if via is None:
                raise ValidationError(
                    _("Unknown via organisation “%(name)s”.") % {"name": _text(record.get("via"))}
                )
        start_date = _date(record.get("start_date"), _("Start date"), required=True)
        assert start_date is not None
        services.membership_add(
            actor=actor,
            network=network,
            organisation=organisation,
            start_date=start_date,
            end_date=_date(record.get("end_date"), _("End date"), required=False),
            via=via,
            note=_text(record.get("note"))[:300],
        )
        result.created += 1

    problems = _run(rows, "members", import_row)
    if problems:
        raise ImportRejected(problems)
    audit_log(actor=actor, action="import.members", obj=network, created=result.created)
    return result


@transaction.atomic
def _import_people(*, actor: Any, network: Network, rows: list[list[Any]]) -> ImportResult:
    index = OrganisationIndex()
    groups = {g.name.casefold(): g for g in Group.objects.filter(network=network)}
    groups.update({g.slug: g for g in groups.values()})
    roles = role_category_lookup()
    result = ImportResult(kind="people")
    seen_emails: dict[str, int] = {}

    def import_row(number: int, record: dict[str, Any]) -> None:
        organisation = index.find(_text(record.get("organisation")))
        if organisation is None:
            raise ValidationError(
                _("Unknown organisation “%(name)s”.") % {"name": _text(record.get("organisation"))}
            )
        email = _text(record.get("email")).lower()
        if email:
            if email in seen_emails:
                raise ValidationError(
                    _("The email address %(email)s also appears on row %(row)d.")
                    % {"email": email, "row": seen_emails[email]}
                )
            seen_emails[email] = number
        role_text = _text(record.get("role_category")).casefold()
        if role_text and role_text not in roles:
            raise ValidationError(_("Unknown role category “%(role)s”.") % {"role": role_text})
        group = None
        if _text(record.get("group")):
            group = groups.get(_text(record.get("group")).casefold())
            if group is None:
                raise ValidationError(
                    _("The network has no group “%(group)s”.")
                    % {"group": _text(record.get("group"))}
                )
        if not _text(record.get("first_name")) or not _text(record.get("last_name")):
            raise ValidationError(_("First name and last name are required."))
        start_date = _date(record.get("start_date"), _("Start date"), required=False)
        start_date = start_date or timezone.localdate()
        person = services.person_create(
            actor=actor,
            registered_by_network=network,
            first_name=_text(record.get("first_name")),
            last_name=_text(record.get("last_name")),
            email=email,
            phone=_text(record.get("phone")),
            title=_text(record.get("title")),
            role_category=roles.get(role_text, Person.RoleCategory.OTHER),
            organisation=organisation,
        )
        if group is not None:
            services.group_membership_add(
                actor=actor, group=group, person=person, start_date=start_date
            )
        if _text(record.get("contact")).casefold() in YES:
            services.contact_assign(
                actor=actor,
                network=network,
                organisation=organisation,
                person=person,
                start_date=start_date,
                group=group,
            )
        result.created += 1

    problems = _run(rows, "people", import_row)
    if problems:
        raise ImportRejected(problems)
    audit_log(actor=actor, action="import.people", obj=network, created=result.created)
    return result
