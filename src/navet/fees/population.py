"""Population per municipality and year: from Kolada (KPI N01951) or an SCB file.

Both land whole or not at all. Only the network's member municipalities are touched (the
figures are public statistics shared by every network, so a coordinator's import refreshes
them for everyone, as the indicator imports do).
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from navet.core import uploads
from navet.core.audit import audit_log
from navet.core.bounds import check_upload_size
from navet.core.uploads import TEXT, check_upload
from navet.fees.models import Population
from navet.indicators.kolada import KoladaClient, KoladaError
from navet.networks.imports import ImportRejected, RowProblem
from navet.networks.models import Membership, Network, Organisation
from navet.networks.permissions import can_manage_network

KPI_POPULATION = "N01951"  # Kolada: "Invånare totalt, antal" (31 December)
MAX_INHABITANTS = 100_000_000
REGION = re.compile(r"^\s*(\d{4})\s+(\S.*)$")
COUNTY_OR_NATION = re.compile(r"^\s*(\d{2}|00)\s+\S")
YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass
class PopulationResult:
    saved: int = 0
    skipped: int = 0
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return ngettext(
            "%(count)d population figure was saved.",
            "%(count)d population figures were saved.",
            self.saved,
        ) % {"count": self.saved}


def member_municipalities(network: Network) -> dict[str, Organisation]:
    """The network's member municipalities of any time, by SCB code (the via ones included)."""
    ids = Membership.objects.filter(network=network).values("organisation_id")
    return {
        o.scb_code: o
        for o in Organisation.objects.filter(
            Q(pk__in=ids), kind=Organisation.Kind.MUNICIPALITY, scb_code__isnull=False
        )
        if o.scb_code
    }


def _save(figures: dict[tuple[int, int], int], source: str) -> int:
    for (organisation_id, year), inhabitants in figures.items():
        Population.objects.update_or_create(
            organisation_id=organisation_id,
            year=year,
            defaults={"inhabitants": inhabitants, "source": source},
        )
    return len(figures)


def _read_scb(uploaded: UploadedFile) -> list[list[str]]:
    """SCB's CSV: semicolons (its title line may hold commas), UTF-8 or Windows-1252."""
    uploaded.seek(0)
    content = uploaded.read()
    text = uploads.decode_csv(content)
    if text is None:
        raise ImportRejected([RowProblem(0, _("The file is not a CSV text file."))])
    delimiter = ";" if ";" in text else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise ImportRejected(
            [RowProblem(0, _("The file could not be read as CSV (%(error)s).") % {"error": error})]
        ) from error


def population_import_scb(
    *, actor: Any, network: Network, uploaded: UploadedFile
) -> PopulationResult:
    """An SCB "Folkmängd i riket, län och kommuner 31 december" table as CSV: a ``region``
    column ("1490 Borås") and one column per year. Title lines above the header are allowed;
    county and nation rows ("14 Västra Götalands län", "00 Riket") are passed over."""
    if not can_manage_network(actor, network):
        raise PermissionDenied
    check_upload_size(uploaded)
    check_upload(uploaded, allowed=(TEXT,))
    if not (uploaded.name or "").lower().endswith((".csv", ".txt")):
        raise ImportRejected([RowProblem(0, _("Upload the SCB table as a CSV file."))])
    rows = _read_scb(uploaded)
    header_at = next(
        (i for i, row in enumerate(rows) if row and str(row[0]).strip().lower() == "region"),
        None,
    )
    if header_at is None:
        raise ImportRejected(
            [RowProblem(0, _('The file has no header row starting with "region".'))]
        )
    header = rows[header_at]
    years: dict[int, int] = {}
    for position, title in enumerate(header[1:], start=1):
        match = YEAR.match(str(title).strip().strip('"')) or re.search(r"(\d{4})\s*$", str(title))
        if match is None:
            raise ImportRejected(
                [
                    RowProblem(
                        header_at + 1,
                        _('Column %(column)d ("%(title)s") is not a year.')
                        % {"column": position + 1, "title": str(title)[:40]},
                    )
                ]
            )
        year = int(match.group(1))
        if not 1990 <= year <= 2100:
            raise ImportRejected(
                [
                    RowProblem(
                        header_at + 1, _("The year %(year)d is out of range.") % {"year": year}
                    )
                ]
            )
        years[position] = year
    known = member_municipalities(network)
    problems: list[RowProblem] = []
    figures: dict[tuple[int, int], int] = {}
    result = PopulationResult()
    for index, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not row or not any(str(cell).strip() for cell in row):
            continue
        region = str(row[0]).strip()
        match = REGION.match(region)
        if match is None:
            if COUNTY_OR_NATION.match(region):
                continue
            problems.append(
                RowProblem(
                    index,
                    _('"%(region)s" is not a municipality code and name such as "1490 Borås".')
                    % {"region": region[:60]},
                )
            )
            continue
        if len(row) != len(header):
            problems.append(
                RowProblem(
                    index,
                    _("The row has %(found)d columns; the header has %(expected)d.")
                    % {"found": len(row), "expected": len(header)},
                )
            )
            continue
        organisation = known.get(match.group(1))
        for position, year in years.items():
            cell = str(row[position]).strip().replace("\u00a0", "").replace(" ", "")
            if cell in {"..", ""}:
                continue  # SCB writes ".." for a figure it does not have
            if not cell.isdigit() or int(cell) > MAX_INHABITANTS:
                problems.append(
                    RowProblem(
                        index,
                        _(
                            'The population of %(region)s for %(year)d ("%(value)s") is not a '
                            "whole number of inhabitants."
                        )
                        % {"region": region[:60], "year": year, "value": cell[:20]},
                    )
                )
                continue
            if organisation is not None:
                figures[(organisation.pk, year)] = int(cell)
        if organisation is None:
            result.skipped += 1
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        result.saved = _save(figures, Population.Source.SCB)
        audit_log(
            actor=actor,
            action="fees.population_import",
            obj=network,
            source="scb",
            saved=result.saved,
        )
    return result


def population_import_kolada(
    *,
    actor: Any,
    network: Network,
    years: Sequence[int],
    client: KoladaClient | None = None,
) -> PopulationResult:
    """N01951 (total, both sexes) for the network's member municipalities and ``years``."""
    if not can_manage_network(actor, network):
        raise PermissionDenied
    known = member_municipalities(network)
    result = PopulationResult()
    if not known:
        result.details.append(_("The network has no member municipalities with an SCB code."))
        return result
    client = client or KoladaClient()
    figures: dict[tuple[int, int], int] = {}
    try:
        for batch in client.batches(
            kpis=[KPI_POPULATION], municipalities=sorted(known), years=list(years)
        ):
            for point in client.fetch_batch(batch):
                organisation = known.get(point.municipality)
                if (
                    point.kpi != KPI_POPULATION
                    or point.gender != "T"
                    or point.deleted
                    or point.value is None
                    or organisation is None
                ):
                    continue
                if (
                    point.value < 0
                    or point.value > MAX_INHABITANTS
                    or point.value != int(point.value)
                ):
                    raise ImportRejected(
                        [
                            RowProblem(
                                0,
                                _("Kolada gave %(value)s inhabitants for %(name)s %(year)d.")
                                % {
                                    "value": point.value,
                                    "name": organisation.name,
                                    "year": point.period,
                                },
                            )
                        ]
                    )
                figures[(organisation.pk, point.period)] = int(point.value)
    except KoladaError as error:
        raise ImportRejected(
            [RowProblem(0, _("Kolada could not be read: %(error)s") % {"error": error})]
        ) from error
    with transaction.atomic():
        result.saved = _save(figures, Population.Source.KOLADA)
        audit_log(
            actor=actor,
            action="fees.population_import",
            obj=network,
            source="kolada",
            saved=result.saved,
            years=list(years),
        )
    missing = sorted(
        {o.name for o in known.values()}
        - {known[code].name for code in known if any((known[code].pk, y) in figures for y in years)}
    )
    if missing:
        result.details.append(
            _("Kolada had no figure for %(names)s.") % {"names": ", ".join(missing)}
        )
    return result


@dataclass
class PopulationTable:
    years: list[int]
    rows: list[tuple[Organisation, list[Population | None]]]


def population_table(*, network: Network, last_years: int = 4) -> PopulationTable:
    """The member municipalities' figures of the latest years held, for the import page."""
    municipalities = sorted(member_municipalities(network).values(), key=lambda o: o.name)
    figures = Population.objects.filter(organisation__in=municipalities)
    years = sorted(set(figures.values_list("year", flat=True)))[-last_years:]
    by_key = {(p.organisation_id, p.year): p for p in figures.filter(year__in=years)}
    return PopulationTable(
        years=years,
        rows=[(o, [by_key.get((o.pk, year)) for year in years]) for o in municipalities],
    )
