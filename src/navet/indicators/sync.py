"""Syncing from Kolada: KPI metadata, municipalities, municipality groups and values.

Kolada's municipality ids map onto the reference organisations: four digits are a
municipality's SCB code, ``00XX`` is the region of county XX and ``0000`` is Riket. Ids that
match no organisation are logged and skipped; nothing is ever created for them.

Values are written per batch (one data request with all its pages) in one transaction through
values.store_values, and the run's counts and steps move with each batch, so a failed run
keeps the batches that landed, says which those were, and has nothing of the failed batch.
Re-running a sync finds every value unchanged.

Municipality groups: Kolada has thousands (every municipality's “Liknande kommuner” per
service area, county averages, …). Only SKR's municipality groups (kommungruppsindelning) are
synced by default, since that is what the comparison offers; ``all_groups=True`` takes every
group.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from navet.indicators.kolada import Batch, DataPoint, KoladaClient, KoladaError
from navet.indicators.models import ImportRun, Indicator, MunicipalityGroup
from navet.indicators.runs import add_counts, fail_run, finish_run, log_line, start_run
from navet.indicators.values import StoreCounts, ValueRow, store_values
from navet.networks.models import Organisation

RIKET = "0000"
KPI_ID = re.compile(r"^[A-Z]\d{5}$")
KOLADA_MUNICIPALITY_ID = re.compile(r"^\d{4}$")
TITLE_LENGTH = Indicator._meta.get_field("title").max_length or 400
GROUP_TITLE_LENGTH = MunicipalityGroup._meta.get_field("title").max_length or 300
# SKR's municipality groups (2023 and 2017 divisions), as Kolada titles them.
SKR_GROUP_NAMES = (
    "storstäder",
    "pendlingskommun nära storstad",
    "större stad",
    "pendlingskommun nära större stad",
    "lågpendlingskommun nära större stad",
    "mindre stad/tätort",
    "pendlingskommun nära mindre stad/tätort",
    "landsbygdskommun",
    "landsbygdskommun med besöksnäring",
    "förortskommuner till storstäder",
    "större städer",
    "förortskommuner till större städer",
    "pendlingskommuner",
    "turism- och besöksnäringskommuner",
    "varuproducerande kommuner",
    "glesbygdskommuner",
    "kommuner i tätbefolkad region",
    "kommuner i glesbefolkad region",
)


class SyncError(Exception):
    """The sync was asked for something it cannot do (unknown codes, no KPIs, …)."""


@dataclass
class MetadataCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"


# -- Municipality ids ----------------------------------------------------------------------


def kolada_id(organisation: Organisation) -> str:
    """Kolada's id for a municipality, region or Riket."""
    code = organisation.scb_code or ""
    return code if len(code) == 4 else f"00{code}"


def scb_code_for(kolada_municipality_id: str) -> str | None:
    """The SCB code a Kolada municipality id stands for, or None if it cannot be one."""
    if not KOLADA_MUNICIPALITY_ID.match(kolada_municipality_id):
        return None
    if kolada_municipality_id == RIKET:
        return RIKET
    if kolada_municipality_id.startswith("00"):
        return kolada_municipality_id[2:]
    return kolada_municipality_id


def organisations_by_kolada_id(ids: Iterable[str]) -> dict[str, int]:
    """Kolada id → organisation pk, for the ids that match a reference organisation."""
    codes = {kid: scb_code_for(kid) for kid in set(ids)}
    kinds = {
        Organisation.Kind.MUNICIPALITY,
        Organisation.Kind.REGION,
        Organisation.Kind.NATION,
    }
    by_code = dict(
        Organisation.objects.filter(
            scb_code__in=[c for c in codes.values() if c], kind__in=kinds
        ).values_list("scb_code", "pk")
    )
    return {kid: by_code[code] for kid, code in codes.items() if code in by_code}


def all_municipality_ids() -> list[str]:
    """Kolada ids of every municipality (the 290)."""
    return sorted(
        kolada_id(o) for o in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    )


def check_municipality_ids(ids: Sequence[str]) -> list[str]:
    """The given ids, checked: raises SyncError naming every id that is no known municipality,
    region or Riket."""
    known = organisations_by_kolada_id(ids)
    unknown = [kid for kid in ids if kid not in known]
    if unknown:
        raise SyncError(f"Unknown municipality codes: {', '.join(unknown)}")
    return list(dict.fromkeys(ids))


def check_kpi_ids(ids: Sequence[str]) -> list[str]:
    wrong = [kid for kid in ids if not KPI_ID.match(kid)]
    if wrong:
        raise SyncError(f"Not Kolada KPI ids (like N00401): {', '.join(wrong)}")
    if not ids:
        raise SyncError("No KPIs were given.")
    return list(dict.fromkeys(ids))


def _log(run: ImportRun | None, line: str) -> None:
    if run is not None:
        log_line(run, line)


# -- Metadata ------------------------------------------------------------------------------


def sync_kpis(
    *, client: KoladaClient, kpi_ids: Sequence[str], run: ImportRun | None = None
) -> MetadataCounts:
    """Create or update the Kolada indicators' title, description and gender split; what
    the catalogue adds (unit, direction, goals, …) is kept.

    ``kolada_updated`` is set when Kolada's metadata changed what we hold, so re-running
    changes nothing. An own indicator with the same code is left alone.
    """
    counts = MetadataCounts()
    kpis = client.kpis(kpi_ids)
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[k.id for k in kpis])}
    now = timezone.now()
    with transaction.atomic():
        for kpi in kpis:
            title = kpi.title[:TITLE_LENGTH]
            indicator = existing.get(kpi.id)
            # Kolada's description replaces ours, unless Kolada has none.
            description = kpi.description or (indicator.description if indicator else "")
            if indicator is None:
                Indicator.objects.create(
                    code=kpi.id,
                    title=title,
                    description=description,
                    has_gender_split=kpi.is_divided_by_gender,
                    source=Indicator.Source.KOLADA,
                    kolada_updated=now,
                )
                counts.added += 1
            elif indicator.source != Indicator.Source.KOLADA:
                _log(run, f"KPI {kpi.id}: an own indicator has this code; left alone.")
                counts.unknown.append(kpi.id)
            elif (indicator.title, indicator.description, indicator.has_gender_split) != (
                title,
                description,
                kpi.is_divided_by_gender,
            ):
                indicator.title, indicator.description = title, description
                indicator.has_gender_split = kpi.is_divided_by_gender
                indicator.kolada_updated = now
                indicator.save(
                    update_fields=["title", "description", "has_gender_split", "kolada_updated"]
                )
                counts.changed += 1
            else:
                counts.unchanged += 1
    returned = {k.id for k in kpis}
    not_found = [kid for kid in kpi_ids if kid not in returned]
    if not_found:
        counts.unknown.extend(not_found)
        _log(run, f"KPIs Kolada does not know: {', '.join(not_found)}")
    _log(run, f"KPI metadata: {counts.summary()}.")
    return counts


@dataclass
class MunicipalityMatch:
    matched: dict[str, int]
    unknown: list[str]
    not_in_kolada: list[str]


def sync_municipalities(*, client: KoladaClient, run: ImportRun | None = None) -> MunicipalityMatch:
    """Match Kolada's municipalities and regions to the reference organisations.

    Nothing is written: the organisations are the network core's reference data. Kolada ids
    without an organisation, and organisations Kolada does not list, are logged.
    """
    municipalities = client.municipalities()
    matched = organisations_by_kolada_id(m.id for m in municipalities)
    unknown = sorted(m.id for m in municipalities if m.id not in matched)
    ours = Organisation.objects.filter(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION]
    ).exclude(scb_code=None)
    matched_pks = set(matched.values())
    not_in_kolada = sorted(o.name for o in ours if o.pk not in matched_pks)
    _log(run, f"Municipalities: {len(matched)} of Kolada's {len(municipalities)} matched.")
    if unknown:
        _log(run, f"Kolada municipality ids without an organisation: {', '.join(unknown)}")
    if not_in_kolada:
        _log(run, f"Organisations Kolada does not list: {', '.join(not_in_kolada)}")
    return MunicipalityMatch(matched=matched, unknown=unknown, not_in_kolada=not_in_kolada)


def is_skr_group(title: str) -> bool:
    lowered = title.lower()
    if lowered.startswith("liknande kommuner"):
        return False
    return "skr" in lowered or "skl" in lowered or any(n in lowered for n in SKR_GROUP_NAMES)


def sync_municipality_groups(
    *, client: KoladaClient, run: ImportRun | None = None, all_groups: bool = False
) -> MetadataCounts:
    """Create or update SKR's municipality groups (or every group) with their members.

    Members that match no organisation are logged and left out.
    """
    counts = MetadataCounts()
    groups = [g for g in client.municipality_groups() if all_groups or is_skr_group(g.title)]
    organisations = organisations_by_kolada_id(m for g in groups for m in g.members)
    existing = {
        g.kolada_id: g
        for g in MunicipalityGroup.objects.filter(kolada_id__in=[g.id for g in groups])
    }
    with transaction.atomic():
        for group in groups:
            members = {organisations[m] for m in group.members if m in organisations}
            unknown = [m for m in group.members if m not in organisations]
            if unknown:
                counts.unknown.extend(unknown)
                _log(
                    run, f"Group {group.id}: members without an organisation: {', '.join(unknown)}"
                )
            title = group.title[:GROUP_TITLE_LENGTH]
            stored = existing.get(group.id)
            if stored is None:
                stored = MunicipalityGroup.objects.create(kolada_id=group.id, title=title)
                stored.members.set(members)
                counts.added += 1
                continue
            held = set(stored.members.values_list("pk", flat=True))
            if stored.title == title and held == members:
                counts.unchanged += 1
                continue
            if stored.title != title:
                stored.title = title
                stored.save(update_fields=["title"])
            stored.members.set(members)
            counts.changed += 1
    _log(run, f"Municipality groups: {counts.summary()}.")
    return counts


# -- Values --------------------------------------------------------------------------------


def _rows_for_batch(
    *,
    batch: Batch,
    points: list[DataPoint],
    indicators: dict[str, int],
    organisations: dict[str, int],
) -> tuple[list[ValueRow], list[str]]:
    """The batch's value rows, and the municipality ids of the points skipped as unknown."""
    rows: dict[tuple[int, int, int, str], ValueRow] = {}
    unknown: list[str] = []
    for point in points:
        organisation_id = organisations.get(point.municipality)
        indicator_id = indicators.get(point.kpi)
        if indicator_id is None or point.period not in batch.years:
            raise KoladaError(
                f"Unexpected data from Kolada: {point.kpi} {point.period} was not asked for "
                f"in batch {batch.number}"
            )
        if organisation_id is None:
            unknown.append(point.municipality)
            continue
        # A withdrawn figure is no longer a value: it is kept as missing, with its status.
        value = None if point.deleted else point.value
        status = point.status or ("deleted" if point.deleted else "")
        row = ValueRow(
            indicator_id=indicator_id,
            organisation_id=organisation_id,
            year=point.period,
            gender=point.gender,
            value=value,
            status=status[:30],
        )
        if row.key in rows:
            raise KoladaError(
                f"Unexpected data from Kolada: {point.kpi} {point.municipality} {point.period} "
                f"{point.gender} came twice in batch {batch.number}"
            )
        rows[row.key] = row
    return list(rows.values()), unknown


def sync_values(
    *,
    client: KoladaClient,
    run: ImportRun,
    kpi_ids: Sequence[str],
    municipality_codes: Sequence[str],
    years: Sequence[int],
) -> StoreCounts:
    """Fetch and store values batch by batch; raises KoladaError when a batch fails (the
    batches before it stay, and the run's log says which they were), SyncError when none of
    the KPIs is in the catalogue."""
    indicators = dict(
        Indicator.objects.filter(code__in=kpi_ids, source=Indicator.Source.KOLADA).values_list(
            "code", "pk"
        )
    )
    absent = [k for k in kpi_ids if k not in indicators]
    if absent:
        log_line(run, f"KPIs not in the catalogue, skipped: {', '.join(absent)}")
    kpis = [k for k in kpi_ids if k in indicators]
    if not kpis:
        raise SyncError("None of the KPIs is a Kolada indicator in the catalogue.")
    batches = client.batches(kpis=kpis, municipalities=municipality_codes, years=years)
    run.steps_total = len(batches)
    run.save(update_fields=["steps_total"])
    organisations: dict[str, int] = {}
    total = StoreCounts()
    skipped_total = 0
    for batch in batches:
        try:
            points = client.fetch_batch(batch)
            organisations.update(
                organisations_by_kolada_id(
                    p.municipality for p in points if p.municipality not in organisations
                )
            )
            rows, skipped = _rows_for_batch(
                batch=batch,
                points=points,
                indicators=indicators,
                organisations=organisations,
            )
        except KoladaError as error:
            landed = batch.number - 1
            raise KoladaError(
                f"Batch {batch.number} of {len(batches)} ({batch.describe()}) failed: {error}. "
                f"Nothing of it was written; "
                + (
                    f"batches 1–{landed} were saved."
                    if landed > 1
                    else ("batch 1 was saved." if landed == 1 else "no batch was saved.")
                )
            ) from error
        with transaction.atomic():
            counts = store_values(run=run, rows=rows)
            add_counts(run, counts)
            line = (
                f"Batch {batch.number} of {len(batches)} saved ({batch.describe()}): "
                f"{counts.added} added, {counts.changed} changed, {counts.unchanged} unchanged, "
                f"{counts.missing} missing."
            )
            if skipped:
                skipped_total += len(skipped)
                line += (
                    f" {len(skipped)} values skipped for unknown municipality codes: "
                    f"{', '.join(sorted(set(skipped)))}."
                )
            log_line(run, line)
        total += counts
    if skipped_total:
        log_line(run, f"Skipped in all for unknown municipality codes: {skipped_total} values.")
    return total


# -- A whole run ---------------------------------------------------------------------------


def sync_parameters(
    *,
    kpi_ids: Sequence[str],
    municipality_codes: Sequence[str],
    years: Sequence[int],
    metadata: bool = False,
    scope: str = "",
) -> dict[str, Any]:
    """A Kolada run's parameters, checked (SyncError names what is wrong)."""
    kpis = check_kpi_ids([k.strip().upper() for k in kpi_ids if k.strip()])
    if not municipality_codes:
        raise SyncError("No municipalities were given.")
    codes = check_municipality_ids(municipality_codes)
    if not years:
        raise SyncError("No years were given.")
    return {
        "kpis": kpis,
        "municipalities": codes,
        "years": sorted(set(years)),
        "metadata": metadata,
        "scope": scope,
    }


def run_kolada_sync(*, run: ImportRun, client: KoladaClient) -> ImportRun:
    """Carry out a Kolada run from its parameters: KPI metadata first (so every KPI is in the
    catalogue), municipalities and groups too if asked, then the values. Ends SUCCEEDED or
    FAILED with the reason in the log; never raises for Kolada's or the parameters' faults."""
    if run.status == ImportRun.Status.QUEUED:
        start_run(run)
    params = run.parameters
    try:
        parameters = sync_parameters(
            kpi_ids=list(params.get("kpis", [])),
            municipality_codes=list(params.get("municipalities", [])),
            years=[int(y) for y in params.get("years", [])],
            metadata=bool(params.get("metadata")),
        )
        log_line(
            run,
            f"Kolada sync: {len(parameters['kpis'])} KPIs × "
            f"{len(parameters['municipalities'])} municipalities × "
            f"{len(parameters['years'])} years, from {client.base_url}.",
        )
        sync_kpis(client=client, kpi_ids=parameters["kpis"], run=run)
        if parameters["metadata"]:
            sync_municipalities(client=client, run=run)
            sync_municipality_groups(client=client, run=run)
        counts = sync_values(
            client=client,
            run=run,
            kpi_ids=parameters["kpis"],
            municipality_codes=parameters["municipalities"],
            years=parameters["years"],
        )
    except (KoladaError, SyncError, ValueError) as error:
        fail_run(run, str(error))
        return run
    log_line(
        run,
        f"Done: {counts.added} added, {counts.changed} changed, {counts.unchanged} unchanged, "
        f"{counts.missing} missing.",
    )
    finish_run(run)
    return run
