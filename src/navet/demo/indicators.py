"""Demo indicators: invented values for six catalogue indicators, plus follow-up targets.

Every municipality, region and Riket gets a value a year for 2015–2024. The figures are made up
(deterministic, so each load gives the same ones, and trending the way such figures do), and
are labelled as such: the indicators get ``is_demo`` and the import run says "Demodata".
Two figures are real, from seeds/002 (Dalalab): Grums's måltidssvinn in 2021, 58 g per
eater, against 48 for Riket; the invented series run through them.

Loading is idempotent: the values are written once (by one demo import run); the targets and
the network's indicator set are only added where missing.
"""

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from statistics import fmean

from django.db import transaction

from navet.indicators import runs, services
from navet.indicators.catalogue import ensure_catalogue
from navet.indicators.models import (
    ImportRun,
    Indicator,
    IndicatorSet,
    IndicatorSetEntry,
    SdgTarget,
    Target,
)
from navet.indicators.values import StoreCounts, ValueRow, store_values
from navet.networks.models import Network, Organisation

DEMO_MARKER = "navet-demo-indicators"
YEARS = range(2015, 2025)
DEMO_NOTE = (
    "Demodata: påhittade värden för att prova plattformen, inte verklig statistik. "
    "Undantag: Grums måltidssvinn 2021 (58 g/ätande) och rikssnittet 2021 (48 g/ätande) "
    "kommer från Dalalab (Region Dalarna, 2025)."
)
MEALS = "NAVET-MALTIDSSVINN"
REAL_POINTS: dict[tuple[str, str], float] = {
    # (indicator code, organisation name) -> the real 2021 value
    (MEALS, "Grums"): 58.0,
    (MEALS, "Riket"): 48.0,
}
REAL_YEAR = 2021
NETWORK_SLUG = "kommunnatverket"
NETWORK_SET_SLUG = "kommunnatverket-nyckeltal"
MEMBER_WITH_TARGETS = "Borås"
GRUMS = "Grums"


@dataclass(frozen=True)
class DemoSeries:
    code: str
    level: tuple[float, float]  # a municipality's 2015 value lies in this range
    trend: tuple[float, float]  # its relative change a year lies in this range
    decimals: int
    ceiling: float | None = None
    gender_gap: tuple[float, float] | None = None  # men above women by this much


SERIES: tuple[DemoSeries, ...] = (
    DemoSeries("N00401", level=(2.2, 9.5), trend=(-0.06, -0.01), decimals=2),
    DemoSeries("U07801", level=(380, 620), trend=(-0.025, 0.005), decimals=0),
    DemoSeries("N85054", level=(0.4, 12.0), trend=(0.0, 0.05), decimals=1, ceiling=100),
    DemoSeries("U07409", level=(8, 42), trend=(0.01, 0.07), decimals=0, ceiling=100),
    DemoSeries(
        "N00914",
        level=(72, 84),
        trend=(-0.002, 0.006),
        decimals=1,
        ceiling=95,
        gender_gap=(0.5, 4.0),
    ),
    DemoSeries(MEALS, level=(45, 75), trend=(-0.05, 0.0), decimals=0),
)
DEMO_CODES = tuple(series.code for series in SERIES)


@transaction.atomic
def load_demo_indicators() -> bool:
    """Load the demo values, targets and network set; False if the values were there already."""
    if Indicator.objects.filter(code__in=DEMO_CODES).count() < len(DEMO_CODES):
        ensure_catalogue()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=DEMO_CODES)}
    Indicator.objects.filter(code__in=DEMO_CODES, is_demo=False).update(is_demo=True)
    done = ImportRun.objects.filter(
        kind=ImportRun.Kind.DEMO,
        parameters__demo=DEMO_MARKER,
        status=ImportRun.Status.SUCCEEDED,
    ).exists()
    if not done:
        _store_demo_values(indicators)
    _targets(indicators)
    _network_set(indicators)
    return not done


def _store_demo_values(indicators: dict[str, Indicator]) -> None:
    run = runs.create_run(
        kind=ImportRun.Kind.DEMO,
        parameters={
            "demo": DEMO_MARKER,
            "note": DEMO_NOTE,
            "indicators": list(DEMO_CODES),
            "years": [YEARS[0], YEARS[-1]],
        },
        steps_total=len(SERIES),
    )
    runs.start_run(run)
    runs.log_line(run, DEMO_NOTE)
    places = _Places.load()
    for series in SERIES:
        indicator = indicators[series.code]
        counts: StoreCounts = store_values(run=run, rows=_rows(series, indicator, places))
        runs.add_counts(run, counts)
        runs.log_line(run, f"{indicator.code} {indicator.title}: {counts.added} demovärden.")
    runs.finish_run(run)


@dataclass
class _Places:
    municipalities: list[Organisation]
    regions: dict[str, Organisation]  # by county code
    riket: Organisation

    @classmethod
    def load(cls) -> "_Places":
        organisations = Organisation.objects.filter(
            kind__in=[
                Organisation.Kind.MUNICIPALITY,
                Organisation.Kind.REGION,
                Organisation.Kind.NATION,
            ],
            scb_code__isnull=False,
        )
        municipalities: list[Organisation] = []
        regions: dict[str, Organisation] = {}
        riket = None
        for organisation in organisations.order_by("scb_code"):
            if organisation.kind == Organisation.Kind.MUNICIPALITY:
                municipalities.append(organisation)
            elif organisation.kind == Organisation.Kind.REGION:
                regions[str(organisation.scb_code)] = organisation
            else:
                riket = organisation
        if riket is None:
            raise ValueError("Riket (SCB code 0000) is missing from the organisations.")
        return cls(municipalities=municipalities, regions=regions, riket=riket)


def _rows(series: DemoSeries, indicator: Indicator, places: _Places) -> Iterator[ValueRow]:
    totals: dict[int, dict[int, float]] = {}  # organisation id -> year -> value
    gaps: dict[int, float] = {}
    for municipality in places.municipalities:
        # A string seed is hashed the same way in every process (unlike hash()).
        rng = random.Random(f"{series.code}:{municipality.scb_code}")
        level = rng.uniform(*series.level)
        trend = rng.uniform(*series.trend)
        values = {}
        for year in YEARS:
            noise = 1 + rng.uniform(-0.03, 0.03)
            values[year] = level * (1 + trend) ** (year - YEARS[0]) * noise
        real = REAL_POINTS.get((series.code, municipality.name))
        if real is not None:
            values = _through(values, real)
        totals[municipality.pk] = values
        if series.gender_gap is not None:
            gaps[municipality.pk] = rng.uniform(*series.gender_gap)

    # Regions and Riket: the mean of their municipalities (unweighted, as demo figures go).
    by_county: dict[str, list[int]] = defaultdict(list)
    for municipality in places.municipalities:
        by_county[municipality.county_code].append(municipality.pk)
    wholes: list[tuple[Organisation, list[int]]] = [
        (region, by_county[code]) for code, region in places.regions.items() if by_county[code]
    ]
    wholes.append((places.riket, [m.pk for m in places.municipalities]))
    for organisation, parts in wholes:
        values = {year: fmean(totals[pk][year] for pk in parts) for year in YEARS}
        real = REAL_POINTS.get((series.code, organisation.name))
        totals[organisation.pk] = _through(values, real) if real is not None else values
        if series.gender_gap is not None:
            gaps[organisation.pk] = fmean(gaps[pk] for pk in parts)

    for organisation_id, values in totals.items():
        for year, value in values.items():
            yield _row(series, indicator.pk, organisation_id, year, "T", value)
            if series.gender_gap is not None:
                half = gaps[organisation_id] / 2
                yield _row(series, indicator.pk, organisation_id, year, "K", value - half)
                yield _row(series, indicator.pk, organisation_id, year, "M", value + half)


def _through(values: dict[int, float], real: float) -> dict[int, float]:
    """The series shifted so that it passes exactly through the real value of REAL_YEAR."""
    shift = real - values[REAL_YEAR]
    return {year: value + shift for year, value in values.items()}


def _row(
    series: DemoSeries,
    indicator_id: int,
    organisation_id: int,
    year: int,
    gender: str,
    value: float,
) -> ValueRow:
    value = max(0.0, value)
    if series.ceiling is not None:
        value = min(series.ceiling, value)
    return ValueRow(
        indicator_id=indicator_id,
        organisation_id=organisation_id,
        year=year,
        gender=gender,
        value=round(value, series.decimals),
    )


@dataclass(frozen=True)
class _DemoTarget:
    organisation: str
    code: str
    sdg_target: str
    baseline_year: int
    target_factor: float  # target value = baseline value × this
    desired_state: str
    steering_document: str
    strategy_link: str = ""
    current_state: str = ""


DEMO_STEERING = "Exempel på styrdokument (demodata)"
TARGETS: tuple[_DemoTarget, ...] = (
    _DemoTarget(
        organisation=GRUMS,
        code=MEALS,
        sdg_target="12.3",
        baseline_year=REAL_YEAR,
        target_factor=0.5,
        strategy_link="Robust samhälle",
        desired_state=(
            "Måltidssvinnet i grundskolan har halverats jämfört med 2021. "
            "(Demodata: målet är ett exempel.)"
        ),
        current_state="Grums 2021 = 58 g/ätande. Rikssnitt 48 g/ätande.",
        steering_document="Exempel: plan för minskat matsvinn (demodata)",
    ),
    _DemoTarget(
        organisation=MEMBER_WITH_TARGETS,
        code="N00401",
        sdg_target="13.2",
        baseline_year=2015,
        target_factor=0.35,
        desired_state="Utsläppen av växthusgaser har minskat med 65 procent sedan 2015.",
        steering_document=DEMO_STEERING,
    ),
    _DemoTarget(
        organisation=MEMBER_WITH_TARGETS,
        code="U07801",
        sdg_target="12.5",
        baseline_year=2015,
        target_factor=0.8,
        desired_state="Mängden kommunalt avfall per invånare har minskat med en femtedel.",
        steering_document=DEMO_STEERING,
    ),
    _DemoTarget(
        organisation=MEMBER_WITH_TARGETS,
        code="U07409",
        sdg_target="12.7",
        baseline_year=2015,
        target_factor=2.0,
        desired_state="Minst dubbelt så stor andel ekologiska livsmedel som 2015.",
        steering_document=DEMO_STEERING,
    ),
    _DemoTarget(
        organisation=MEMBER_WITH_TARGETS,
        code=MEALS,
        sdg_target="12.3",
        baseline_year=2019,
        target_factor=0.5,
        desired_state="Måltidssvinnet i grundskolan har halverats jämfört med 2019.",
        steering_document=DEMO_STEERING,
    ),
)


def _targets(indicators: dict[str, Indicator]) -> None:
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, name__in={t.organisation for t in TARGETS}
        )
    }
    sdg_targets = {
        t.code: t for t in SdgTarget.objects.filter(code__in={t.sdg_target for t in TARGETS})
    }
    for demo in TARGETS:
        organisation = organisations[demo.organisation]
        indicator = indicators[demo.code]
        if Target.objects.filter(organisation=organisation, indicator=indicator).exists():
            continue
        baseline = services.stored_value(
            organisation=organisation, indicator=indicator, year=demo.baseline_year
        )
        target_value = None
        if baseline is not None:
            ceiling = 100.0 if indicator.unit == "%" else None
            target_value = round(baseline * demo.target_factor, indicator.decimals)
            if ceiling is not None:
                target_value = min(ceiling, target_value)
        data = services.TargetInput(
            indicator=indicator,
            sdg_target=sdg_targets.get(demo.sdg_target),
            strategy_link=demo.strategy_link,
            baseline_year=demo.baseline_year,
            baseline_value=baseline,
            target_year=2030,
            target_value=target_value,
            desired_state=demo.desired_state,
            current_state=demo.current_state,
            steering_document=demo.steering_document,
        )
        services.target_create(actor=None, organisation=organisation, data=data)


def _network_set(indicators: dict[str, Indicator]) -> None:
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is None:
        return
    indicator_set, _created = IndicatorSet.objects.get_or_create(
        slug=NETWORK_SET_SLUG,
        defaults={
            "name": f"{network.name}: gemensamma nyckeltal",
            "kind": IndicatorSet.Kind.NETWORK,
            "network": network,
            "description": (
                "Nyckeltal som nätverkets medlemmar följer upp tillsammans (demodata: urvalet "
                "och värdena är påhittade)."
            ),
        },
    )
    for position, code in enumerate(DEMO_CODES, start=1):
        IndicatorSetEntry.objects.get_or_create(
            indicator_set=indicator_set,
            indicator=indicators[code],
            defaults={"position": position},
        )
