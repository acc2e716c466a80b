"""Authorisation expectations for the comparison pages (see tests/authz.py), and the helpers
the comparison tests share to make indicators and store values.

Indicator values are open statistics: every comparison page and download is public.
"""

from collections.abc import Mapping
from typing import Any

from navet.indicators.models import ImportRun, Indicator
from navet.indicators.runs import create_run, finish_run
from navet.indicators.values import ValueRow, store_values
from navet.networks.models import Organisation
from tests.authz import Expectation, everyone

CODE = "CMP0001"
YEAR = 2022

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "indicators:indicator_detail": ("get", everyone(200)),
    "indicators:ranking_download": ("get", everyone(200)),
    "indicators:organisation_indicators": ("get", everyone(200)),
    "indicators:organisation_indicators_download": ("get", everyone(200)),
    "indicators:organisation_indicator": ("get", everyone(200)),
    "indicators:trend_download": ("get", everyone(200)),
    "indicators:network_indicators": ("get", everyone(200)),
}


def make_indicator(code: str = CODE, **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "title": f"Indikator {code}",
        "unit": "kg/invånare",
        "direction": Indicator.Direction.DECREASE,
    }
    return Indicator.objects.create(code=code, **{**defaults, **fields})


def store(indicator: Indicator, values: Mapping[str, Mapping[int, float | None]]) -> None:
    """Store ``{scb_code: {year: value}}`` for the indicator through the one value path."""
    organisations = dict(
        Organisation.objects.filter(scb_code__in=list(values)).values_list("scb_code", "pk")
    )
    run = create_run(kind=ImportRun.Kind.FILE, parameters={"test": True})
    store_values(
        run=run,
        rows=[
            ValueRow(indicator.pk, organisations[code], year, "T", value)
            for code, by_year in values.items()
            for year, value in by_year.items()
        ],
    )
    finish_run(run)


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    # Values are public statistics shared by every network: a second world reuses them.
    existing = Indicator.objects.filter(code=CODE).first()
    if existing is not None:
        return {"comparison_indicator": existing}
    indicator = make_indicator()
    store(
        indicator,
        {
            "0000": {YEAR - 1: 50.0, YEAR: 48.0},
            "14": {YEAR: 47.0},
            "1490": {YEAR - 1: 55.0, YEAR: 52.5},
            "1480": {YEAR: 40.0},
            "1764": {YEAR: 58.0},
        },
    )
    return {"comparison_indicator": indicator}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if name not in EXPECTED:
        return None
    code = objects["comparison_indicator"].code
    boras = Organisation.objects.get(scb_code="1490").pk
    return {
        "indicators:indicator_detail": {"code": code},
        "indicators:ranking_download": {"code": code, "year": YEAR, "fmt": "xlsx"},
        "indicators:organisation_indicators": {"pk": boras},
        "indicators:organisation_indicators_download": {"pk": boras, "fmt": "csv"},
        "indicators:organisation_indicator": {"pk": boras, "code": code},
        "indicators:trend_download": {"pk": boras, "code": code, "fmt": "xlsx"},
        "indicators:network_indicators": {"slug": objects["network"].slug},
    }[name]
