"""The municipality map: every municipality drawn, coloured by class, fast to render."""

import re
import time

import pytest

from navet.indicators import maps
from navet.networks.models import Organisation


def test_outlines_have_every_municipality_once() -> None:
    outlines = maps.outlines()
    codes = [shape.code for shape in outlines.shapes]
    assert len(codes) == len(set(codes)) == 290
    assert all(re.fullmatch(r"M\d+ \d+l[-\d ]+z.*", shape.d) for shape in outlines.shapes)
    # SWEREF99 TM keeps Sweden's proportions: about 2.3 times as tall as wide.
    assert 2.1 < outlines.height / outlines.width < 2.5


@pytest.mark.django_db
def test_outlines_match_the_reference_municipalities() -> None:
    reference = set(
        Organisation.objects.filter(kind="municipality").values_list("scb_code", flat=True)
    )
    assert {shape.code for shape in maps.outlines().shapes} == reference


def _areas() -> dict[str, maps.Area]:
    shapes = maps.outlines().shapes
    return {
        shape.code: maps.Area(colour="#1a7a45", css_class=f"q{i % 4 + 1}", tooltip=f"{i},5")
        for i, shape in enumerate(shapes)
        if shape.code != "1764"
    }


def test_map_has_290_paths_with_classes_and_titles() -> None:
    svg = maps.municipality_map(
        areas=_areas(),
        title="Karta <svinn>",
        description="Kommunerna färgade efter kvartil.",
        no_value_text="inget värde",
        highlight="1490",
    )
    assert svg.startswith('<svg class="map"') and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and "Karta &lt;svinn&gt;" in svg
    paths = re.findall(
        r'<path d="[^"]+" fill="([^"]+)" class="([^"]+)" data-code="(\d+)">'
        r"<title>([^<]+)</title></path>",
        svg,
    )
    assert len(paths) == 290
    by_code = {code: (fill, css, title) for fill, css, code, title in paths}
    assert by_code["1764"] == ("url(#map-no-value)", "no-value", "Grums: inget värde")
    assert by_code["1490"][1] in {"q1", "q2", "q3", "q4"}
    assert by_code["1490"][2].startswith("Borås: ")
    assert {css for _fill, css, _code, _title in paths} == {"q1", "q2", "q3", "q4", "no-value"}
    assert svg.count('class="highlight"') == 1
    assert 'id="map-no-value"' in svg


def test_map_renders_fast() -> None:
    areas = _areas()
    maps.outlines()  # read once per process
    start = time.perf_counter()
    for _ in range(20):
        maps.municipality_map(areas=areas, title="t", description="d", no_value_text="-")
    assert (time.perf_counter() - start) / 20 < 0.05
