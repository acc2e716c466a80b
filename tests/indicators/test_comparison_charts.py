"""Indicator charts: ranked bars with a reference line, trend lines, relative colours."""

import re

import pytest

from navet.indicators import charts

pytestmark = pytest.mark.usefixtures("in_english")


def test_ranked_bars_with_reference_and_highlight() -> None:
    svg = charts.ranked_bars(
        ["Borås", "Grums", "Ale"],
        [41.75, 52.25, 60],
        colours=["#111111", "#222222", "#333333"],
        title="Svinn",
        reference=("Riket", 48),
        highlight=[1],
    )
    assert svg.count("<rect") == 3
    assert 'fill="#222222" stroke="#1d2733"' in svg  # the highlighted bar
    assert "Riket 48" in svg and 'stroke-dasharray="6 4"' in svg
    assert ">Grums</text>" in svg  # few bars: labelled
    assert "41,8" in svg  # values above the bars, decimal comma


def test_many_bars_have_no_labels_but_stay_inside_the_chart() -> None:
    values = [float(i) for i in range(290)]
    svg = charts.ranked_bars(
        [f"K{i}" for i in range(290)], values, colours=["#000"] * 290, title="Alla", reference=None
    )
    assert svg.count("<rect") == 290
    assert ">K1</text>" not in svg
    bars = [
        (float(x), float(w))
        for x, w in re.findall(r'<rect x="([\d.]+)" y="[^"]+" width="([\d.]+)"', svg)
    ]
    assert len(bars) == 290
    assert min(x for x, _w in bars) >= charts.LEFT
    assert max(x + w for x, w in bars) <= charts.WIDTH - charts.RIGHT + 0.01


def test_negative_values_get_an_axis_below_zero() -> None:
    svg = charts.ranked_bars(["A", "B"], [-12.5, 30], colours=["#000", "#000"], title="Netto")
    tops = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.-]+)"', svg)]
    assert all(y >= 0 for y in tops)
    assert ">-20</text>" in svg or ">-15</text>" in svg or ">-25</text>" in svg


def test_trend_chart_styles_and_gaps() -> None:
    svg = charts.trend_chart(
        [2020, 2021, 2022],
        [
            charts.TrendLine("Grums", [None, 58, 52.25], "main"),
            charts.TrendLine("Riket", [50, 48, 47.5], "reference"),
            charts.TrendLine("Värmlands län", [49, None, 46]),
        ],
        title="Svinn i Grums",
    )
    assert svg.count("<polyline") == 3
    assert 'stroke-dasharray="7 5"' in svg  # Riket dashed
    assert "52,3" in svg or "52,2" in svg  # the organisation's values are labelled
    assert "Värmlands län" in svg and ">2021<" in svg


def test_quartile_colours_and_labels() -> None:
    assert charts.quartile_colour(1, direction="decrease") != charts.quartile_colour(
        1, direction="none"
    )
    assert charts.quartile_label(1, direction="increase") == "best quarter"
    assert charts.quartile_label(4, direction="none") == "lowest quarter"
    assert charts.quartile_label(None, direction="none") == "no value"
    legend = charts.quartile_legend(direction="decrease")
    assert [entry.quartile for entry in legend] == [1, 2, 3, 4, None]
