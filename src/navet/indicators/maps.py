"""A map of Sweden's 290 municipalities as inline SVG, each coloured by its quartile.

The outlines are projected once, at build time (data/geo/build_paths.py), into compact SVG
paths; they are read once per process and kept in memory, so drawing a map only joins
strings. Municipalities without a value are hatched grey. The map has a title and a
description, and each municipality a tooltip; the ranking table beside it has every figure.
Source of the outlines: okfse/sweden-geojson (see data/geo/README.md).
"""

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path

from navet.core.charts import _id

PATHS = Path(__file__).resolve().parent / "data" / "geo" / "municipality_paths.json"
NO_VALUE_PATTERN = "map-no-value"
HIGHLIGHT_STROKE = "#1d2733"


@dataclass(frozen=True)
class Shape:
    code: str  # SCB municipality code
    name: str
    d: str


@dataclass(frozen=True)
class Outlines:
    width: int
    height: int
    shapes: tuple[Shape, ...]


@functools.cache
def outlines() -> Outlines:
    data = json.loads(PATHS.read_text(encoding="utf-8"))
    return Outlines(
        width=data["width"],
        height=data["height"],
        shapes=tuple(Shape(m["code"], m["name"], m["d"]) for m in data["municipalities"]),
    )


@dataclass(frozen=True)
class Area:
    """How one municipality is drawn: its fill colour, a CSS class and its tooltip text."""

    colour: str
    css_class: str
    tooltip: str


def municipality_map(
    *,
    areas: Mapping[str, Area],
    title: str,
    description: str,
    no_value_text: str,
    highlight: str | None = None,
    height: int = 680,
) -> str:
    """The map; ``areas`` maps SCB codes to how each is drawn. Codes missing from ``areas``
    are drawn hatched, with "<name>: ``no_value_text``" as their tooltip."""
    shapes = outlines()
    width = round(shapes.width * height / shapes.height)
    chart_id = _id(title)
    body = [
        f'<svg class="map" viewBox="0 0 {shapes.width} {shapes.height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
        f'<defs><pattern id="{NO_VALUE_PATTERN}" width="5" height="5" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="5" height="5" fill="#eef0f2"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#98a1ab" stroke-width="2"/></pattern></defs>'
        '<g stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">'
    ]
    marked: Shape | None = None
    for shape in shapes.shapes:
        area = areas.get(shape.code)
        if area is None:
            fill, css, tooltip = f"url(#{NO_VALUE_PATTERN})", "no-value", no_value_text
        else:
            fill, css, tooltip = area.colour, area.css_class, area.tooltip
        body.append(
            f'<path d="{shape.d}" fill="{fill}" class="{css}" data-code="{shape.code}">'
            f"<title>{escape(shape.name)}: {escape(tooltip)}</title></path>"
        )
        if shape.code == highlight:
            marked = shape
    body.append("</g>")
    if marked is not None:
        # Drawn again on top with a dark outline, so neighbours don't cover the border.
        body.append(
            f'<path d="{marked.d}" fill="none" stroke="{HIGHLIGHT_STROKE}" stroke-width="2.5" '
            'stroke-linejoin="round" class="highlight"/>'
        )
    body.append("</svg>")
    return "".join(body)
