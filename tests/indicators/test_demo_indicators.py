"""The demo indicators: invented values for every municipality, labelled, plus real points."""

import time

import pytest
from django.db import models

from navet.core.models import AuditEntry
from navet.demo.indicators import DEMO_CODES, DEMO_MARKER, YEARS, load_demo_indicators
from navet.demo.loader import load_demo
from navet.indicators.models import (
    ImportRun,
    Indicator,
    IndicatorSet,
    IndicatorSetEntry,
    Target,
    Value,
)
from navet.networks.models import Organisation

pytestmark = pytest.mark.django_db

TABLES: list[type[models.Model]] = [
    Value,
    ImportRun,
    Target,
    Indicator,
    IndicatorSet,
    IndicatorSetEntry,
    AuditEntry,
]


def _value(code: str, scb_code: str, year: int, gender: str = "T") -> float | None:
    return Value.objects.get(
        indicator__code=code, organisation__scb_code=scb_code, year=year, gender=gender
    ).value


@pytest.fixture
def demo() -> None:
    assert load_demo() is True


def test_the_real_figures_from_grums_and_riket_are_exact(demo: None) -> None:
    grums = Organisation.objects.get(kind="municipality", name="Grums")
    assert _value("NAVET-MALTIDSSVINN", grums.scb_code, 2021) == 58
    assert _value("NAVET-MALTIDSSVINN", "0000", 2021) == 48
    # The invented years around them are plausible, not copies of the real point.
    series = [_value("NAVET-MALTIDSSVINN", grums.scb_code, year) for year in YEARS]
    assert len(set(series)) > 5
    assert all(value is not None and 20 < value < 120 for value in series)


def test_values_exist_for_every_municipality_region_and_riket_every_year(demo: None) -> None:
    municipalities = Organisation.objects.filter(kind="municipality", scb_code__isnull=False)
    assert municipalities.count() == 290
    places = 290 + 21 + 1
    for code in DEMO_CODES:
        totals = Value.objects.filter(indicator__code=code, gender="T")
        assert totals.filter(organisation__in=municipalities).count() == 290 * len(YEARS), code
        assert totals.count() == places * len(YEARS), code
        assert not totals.filter(value__isnull=True).exists()
        assert set(totals.values_list("year", flat=True)) == set(YEARS)
    # One indicator is split by gender, for every place and year.
    assert Value.objects.filter(indicator__code="N00914", gender="K").count() == places * 10
    assert Value.objects.filter(indicator__code="N00914", gender="M").count() == places * 10
    assert not Value.objects.exclude(indicator__code="N00914").exclude(gender="T").exists()
    women, men = _value("N00914", "1490", 2020, "K"), _value("N00914", "1490", 2020, "M")
    assert women is not None and men is not None and women < men


def test_the_values_trend_and_stay_plausible(demo: None) -> None:
    # Greenhouse gases fall in every municipality from 2015 to 2024 (the trend is down).
    first = dict(
        Value.objects.filter(indicator__code="N00401", year=2015, gender="T").values_list(
            "organisation_id", "value"
        )
    )
    last = dict(
        Value.objects.filter(indicator__code="N00401", year=2024, gender="T").values_list(
            "organisation_id", "value"
        )
    )
    assert sum(last[pk] < first[pk] for pk in first) > 0.9 * len(first)
    shares = Value.objects.filter(indicator__code__in=["U07409", "N85054", "N00914"])
    assert not shares.filter(models.Q(value__lt=0) | models.Q(value__gt=100)).exists()
    # Regions lie within the range of their municipalities.
    region = _value("U07801", "14", 2020)
    in_county = Value.objects.filter(
        indicator__code="U07801", year=2020, gender="T", organisation__county_code="14",
        organisation__kind="municipality",
    ).values_list("value", flat=True)  # fmt: skip
    assert region is not None and min(in_county) <= region <= max(in_county)


def test_invented_values_are_labelled_as_demo_data(demo: None) -> None:
    assert set(Indicator.objects.filter(is_demo=True).values_list("code", flat=True)) == set(
        DEMO_CODES
    )
    run = ImportRun.objects.get(kind=ImportRun.Kind.DEMO)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.parameters["demo"] == DEMO_MARKER
    assert "Demodata" in run.parameters["note"]
    assert "Demodata" in run.log
    assert run.added == Value.objects.count()
    assert set(Value.objects.values_list("source", flat=True)) == {"demo"}


def test_targets_for_grums_and_a_member_and_the_networks_set(demo: None) -> None:
    grums = Target.objects.get(organisation__name="Grums", indicator__code="NAVET-MALTIDSSVINN")
    assert (grums.baseline_year, grums.baseline_value) == (2021, 58)
    assert (grums.target_year, grums.target_value) == (2030, 29)
    assert grums.sdg_target is not None and grums.sdg_target.code == "12.3"
    assert grums.strategy_link == "Robust samhälle"
    assert grums.desired_state and grums.steering_document
    assert "48" in grums.current_state

    boras = Target.objects.filter(organisation__scb_code="1490")
    assert boras.count() == 4
    for target in boras:
        assert target.baseline_value == _value(
            target.indicator.code, "1490", target.baseline_year or 0
        )
        assert target.target_value is not None and target.steering_document

    network_set = IndicatorSet.objects.get(kind=IndicatorSet.Kind.NETWORK)
    assert network_set.network is not None and network_set.network.slug == "kommunnatverket"
    assert [e.indicator.code for e in network_set.entries.order_by("position")] == list(DEMO_CODES)


def test_loading_twice_changes_nothing(demo: None) -> None:
    before = {model: model._default_manager.count() for model in TABLES}
    values = set(
        Value.objects.values_list("indicator_id", "organisation_id", "year", "gender", "value")
    )
    assert load_demo() is False  # load_demo loads the indicators again, idempotently
    assert load_demo_indicators() is False
    assert {model: model._default_manager.count() for model in TABLES} == before
    assert (
        set(Value.objects.values_list("indicator_id", "organisation_id", "year", "gender", "value"))
        == values
    )


def test_a_database_loaded_before_the_indicators_gets_them(demo: None) -> None:
    Value.objects.all().delete()
    ImportRun.objects.all().delete()
    Target.objects.all().delete()
    IndicatorSet.objects.filter(kind=IndicatorSet.Kind.NETWORK).delete()
    assert load_demo() is False
    assert Value.objects.filter(indicator__code="N00401").count() == 312 * len(YEARS)
    assert Target.objects.count() == 5
    assert IndicatorSet.objects.filter(kind=IndicatorSet.Kind.NETWORK).count() == 1


def test_loading_the_values_is_fast() -> None:
    started = time.perf_counter()
    assert load_demo_indicators() is True
    elapsed = time.perf_counter() - started
    assert Value.objects.count() == 312 * len(YEARS) * (len(DEMO_CODES) + 2)
    # Without the demo networks there is no network set, but Grums's target is there.
    assert not IndicatorSet.objects.filter(kind=IndicatorSet.Kind.NETWORK).exists()
    assert Target.objects.filter(organisation__name="Grums").exists()
    assert elapsed < 10, elapsed  # about 1–2 s on SQLite; generous for a busy machine
