"""The SVG charts shared by evaluation results and the annual report."""

from xml.etree import ElementTree

from navet.core.charts import _nice_axis, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_a_title_and_one_bar_per_value() -> None:
    svg = bar_chart(["Ale", "Borås", "Lerum"], [41, None, 27.5], title="Deltagare per träff")
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Deltagare per träff"
    assert root.get("role") == "img"
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2  # the missing value draws no bar
    assert "27,5" in svg  # Swedish decimal comma
    assert float(bars[0].get("height")) > float(bars[1].get("height"))


def test_line_chart_draws_each_series_and_skips_gaps() -> None:
    svg = line_chart(
        ["2019", "2020", "2021", "2022"],
        {"Nöjd": [4.9, 5.2, None, 5.2], "Nytta": [4.9, 4.7, 4.8, 4.6]},
        title="Enkät",
        minimum=1,
        maximum=6,
    )
    root = ElementTree.fromstring(svg)
    assert len(root.findall(f"{SVG}polyline")) == 2
    assert len(root.findall(f"{SVG}circle")) == 7
    assert "5,2" in svg and "Nytta" in svg


def test_axis_tops_are_round() -> None:
    assert _nice_axis(41) == (50, 5)
    assert _nice_axis(7) == (8, 4)
    assert _nice_axis(250) == (300, 3)
