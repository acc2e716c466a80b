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


def test_trend_chart_draws_the_target_as_a_labelled_line_inside_the_axis() -> None:
    """A target below every value still gets its line on the chart, labelled and in the
    legend; without a target nothing of it is drawn."""
    lines = [charts.TrendLine("Grums", [58, 52.25], "main")]
    plain = charts.trend_chart([2021, 2022], lines, title="Svinn i Grums")
    with_target = charts.trend_chart(
        [2021, 2022], lines, title="Svinn i Grums", target=charts.TrendTarget(30, "Mål 2030: 30")
    )
    assert charts.TARGET_COLOUR not in plain and "Mål 2030" not in plain
    assert with_target.count("Mål 2030: 30") == 2  # on the line and in the legend
    target_lines = re.findall(
        r'<line x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)" stroke="'
        + charts.TARGET_COLOUR,
        with_target,
    )
    x1, x2, y1, y2 = (float(v) for v in target_lines[0])
    assert (x1, x2) == (charts.LEFT, charts.WIDTH - charts.RIGHT)  # across the plot
    assert y1 == y2 and charts.TOP <= y1 <= charts.TOP + charts.PLOT  # within the axis
    assert ">30<" in with_target or ">20<" in with_target  # the axis reaches down to it


@pytest.mark.django_db
def test_the_trend_page_shows_the_organisations_target_line(client: object) -> None:
    from django.urls import reverse

    from navet.indicators.models import Indicator, Target, Value
    from tests.factories import organisation

    grums = organisation("1764")
    indicator = Indicator.objects.create(code="NAVET-T1", title="Svinn", unit="g/ätande")
    for year, value in ((2021, 58.0), (2022, 52.25)):
        Value.objects.create(indicator=indicator, organisation=grums, year=year, value=value)
    url = reverse("indicators:organisation_indicator", args=[grums.pk, indicator.code])
    assert "Target 2030" not in client.get(url).content.decode()  # type: ignore[attr-defined]
    Target.objects.create(
        organisation=grums, indicator=indicator, target_year=2030, target_value=30.0
    )
    page = client.get(url).content.decode()  # type: ignore[attr-defined]
    assert page.count("Target 2030: 30") == 2
