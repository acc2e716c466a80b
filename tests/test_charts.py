"""The SVG charts shared by evaluation results and the annual report."""

import io
import itertools
from xml.etree import ElementTree

import pytest

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


# Issue #11: labels that neither clip nor overlap, legends that wrap, axis titles, targets, PNG.

import math as _math  # noqa: E402

from navet.core.charts import (  # noqa: E402
    CHAR_WIDTH,
    WIDTH,
    Target,
    bar_figure,
    line_figure,
    target_svg,
    wrap,
)


def _text_boxes(chart) -> list[tuple[float, float, float, float]]:
    """Rough boxes (x0, y0, x1, y1) of the category labels below the axis."""
    boxes = []
    for shape in chart.shapes:
        a = shape.attrs
        if shape.kind != "text" or a["y"] < 185:
            continue
        length = len(a["text"]) * CHAR_WIDTH
        if a["rotate"]:
            angle = _math.radians(-a["rotate"])
            boxes.append(
                (
                    a["x"] - length * _math.cos(angle),
                    a["y"],
                    a["x"],
                    a["y"] + length * _math.sin(angle),
                )
            )
        else:
            start = {"start": 0, "middle": length / 2, "end": length}[a["anchor"]]
            boxes.append((a["x"] - start, a["y"] - 11, a["x"] - start + length, a["y"]))
    return boxes


@pytest.mark.parametrize("count", [6, 21, 60, 120])
def test_category_labels_stay_inside_the_picture(count: int) -> None:
    labels = [f"{n}/3 Nätverksträff om klimatanpassning nummer {n}" for n in range(count)]
    chart = bar_figure(labels, list(range(count)), title="Deltagare", y_title="Deltagare")
    for x0, _y0, x1, y1 in _text_boxes(chart):
        assert x0 >= 0 and x1 <= WIDTH and y1 <= chart.height, (count, x0, x1, y1)


def test_level_labels_when_they_fit_and_staggered_when_they_nearly_do() -> None:
    level = bar_figure([str(n) for n in range(1, 7)], [1, 2, 3, 4, 5, 6], title="Svar")
    assert all(not s.attrs["rotate"] for s in level.shapes if s.kind == "text")
    names = ["Miljöstrategi", "Naturvård", "Rättvis handel", "Klimat", "Energi", "Avfall",
             "Vatten", "Mat", "Skog", "Hav", "Luft", "Buller"]  # fmt: skip
    staggered = bar_figure(names, list(range(12)), title="Grupper")
    ys = {round(s.attrs["y"]) for s in staggered.shapes if s.kind == "text" and s.attrs["y"] > 185}
    assert len(ys) == 2  # two rows, none rotated
    assert all(not s.attrs["rotate"] for s in staggered.shapes if s.kind == "text")


def test_many_slanted_labels_are_thinned_so_they_do_not_overlap() -> None:
    chart = bar_figure([f"Träff {n}" for n in range(120)], [1] * 120, title="Många")
    drawn = [s for s in chart.shapes if s.kind == "text" and s.attrs["rotate"]]
    assert 0 < len(drawn) < 120
    xs = sorted(s.attrs["x"] for s in drawn)
    gap = min(b - a for a, b in itertools.pairwise(xs))
    assert gap * _math.sin(_math.radians(45)) >= 12


def test_legends_wrap_between_words_instead_of_cutting() -> None:
    question = (
        "Hur nöjd är du med nätverkets verksamhet som helhet under året som gått, med "
        "träffar, webbinarier och utskick till kommunernas miljö- och hållbarhetsstrateger?"
    )
    chart = line_figure(
        ["2021", "2022"], {question: [4.8, 5.1]}, title="Enkät", minimum=1, maximum=6
    )
    texts = [s.attrs["text"] for s in chart.shapes if s.kind == "text"]
    assert "strateger?" in " ".join(texts)
    assert " ".join(t for t in texts if t in question) == question
    assert wrap("ett två tre", 6 * CHAR_WIDTH) == ["ett", "två", "tre"]
    assert wrap("Oerhörtlångtordutanmellanrum", 40) == ["Oerhörtlångtordutanmellanrum"]


def test_axis_titles_and_a_target_line_with_its_marker() -> None:
    svg = line_chart(
        ["2020", "2021", "2022", "2030"],
        {"Utsläpp per invånare": [5.1, 4.8, 4.4, None]},
        title="Utsläpp",
        y_title="ton CO₂e per invånare",
        x_title="År",
        targets=[Target(2.0, "Mål 2030: 2,0", at="2030")],
    )
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "ton CO₂e per invånare" in texts and "År" in texts and "Mål 2030: 2,0" in texts
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert dashed  # the target line
    assert "stroke-dasharray" in target_svg(100, "Mål")


def test_bar_chart_keeps_its_old_call() -> None:
    svg = bar_chart(["a", "b"], [1, 2], title="t", description="d", maximum=6)
    assert svg.startswith("<svg") and 'role="img"' in svg


def test_png_is_a_picture_of_the_same_chart() -> None:
    chart = bar_figure(["Ale", "Borås", "Lerum"], [41, 12, 27], title="Deltagare")
    png = chart.png(scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.size == (round(chart.width * 2), round(chart.height * 2))
    # The first bar is drawn in the chart's green somewhere in its column.
    colours = {image.getpixel((x, y)) for x in range(100, 500, 4) for y in range(200, 440, 4)}
    assert (11, 93, 59) in colours


def test_value_labels_only_where_they_cannot_collide() -> None:
    two = line_figure(["2021", "2022"], {"A": [4.1, 4.2], "B": [4.0, 4.3]}, title="t")
    three = line_figure(
        ["2021", "2022"], {"A": [4.1, 4.2], "B": [4.0, 4.3], "C": [4, 4]}, title="t"
    )
    assert any(s.attrs["text"] == "4,1" for s in two.shapes if s.kind == "text")
    assert not any(s.attrs["text"] == "4,1" for s in three.shapes if s.kind == "text")
