"""Indicator charts as inline SVG: ranked bars with a reference line, and trend lines.

Built on navet.core.charts (same size, axis, number style and accessible frame). Colours of
ranks are relative, as Kolada's are: the best quarter of municipalities green through the
worst red. Indicators without a desired direction get a neutral blue scale instead, since
"highest" is neither good nor bad there.
"""

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from navet.core.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    MIN_LABEL_GAP,
    MIN_VALUE_LABEL_SLOT,
    RIGHT,
    TOP,
    WIDTH,
    Number,
    _frame,
    _nice_axis,
    _number,
)

DIRECTED_COLOURS = {1: "#1a7a45", 2: "#93c98a", 3: "#f3c54b", 4: "#c8423b"}
NEUTRAL_COLOURS = {1: "#08519c", 2: "#4a8fc7", 3: "#9ecae1", 4: "#deebf7"}
NO_VALUE_COLOUR = "#e6e9ed"
REFERENCE_COLOUR = "#1d2733"
HIGHLIGHT_COLOUR = "#1d2733"
# Above this many bars there are no labels under them.
MANY_BARS = 60
PLOT = HEIGHT - TOP - BOTTOM  # the height of the plotting area


def quartile_colour(quartile: int | None, *, direction: str) -> str:
    if quartile is None:
        return NO_VALUE_COLOUR
    palette = NEUTRAL_COLOURS if direction == "none" else DIRECTED_COLOURS
    return palette[quartile]


def quartile_class(quartile: int | None, *, direction: str) -> str:
    """The CSS classes of a quarter's swatch (static/css/indicators.css holds the same colours
    as the palettes above, so pages need no inline style)."""
    if quartile is None:
        return "no-value"
    return f"q{quartile} neutral" if direction == "none" else f"q{quartile}"


# Looked up once per value on pages that list every municipality: translated when asked.
DIRECTED_LABELS = {
    1: gettext_lazy("best quarter"),
    2: gettext_lazy("second-best quarter"),
    3: gettext_lazy("second-worst quarter"),
    4: gettext_lazy("worst quarter"),
}
NEUTRAL_LABELS = {
    1: gettext_lazy("highest quarter"),
    2: gettext_lazy("second-highest quarter"),
    3: gettext_lazy("second-lowest quarter"),
    4: gettext_lazy("lowest quarter"),
}


def quartile_label(quartile: int | None, *, direction: str) -> str:
    if quartile is None:
        return _("no value")
    labels = NEUTRAL_LABELS if direction == "none" else DIRECTED_LABELS
    return str(labels[quartile])


@dataclass(frozen=True)
class LegendEntry:
    quartile: int | None
    label: str
    colour: str
    css_class: str = ""


def quartile_legend(*, direction: str) -> list[LegendEntry]:
    entries = [
        LegendEntry(
            q,
            quartile_label(q, direction=direction),
            quartile_colour(q, direction=direction),
            quartile_class(q, direction=direction),
        )
        for q in (1, 2, 3, 4)
    ]
    return [*entries, LegendEntry(None, _("no value"), NO_VALUE_COLOUR, "no-value")]


def _axis_range(values: Sequence[float]) -> tuple[float, float, int]:
    """A round axis from 0 (or a round step below it, for negative values) to above the top."""
    if not values:
        return 0.0, 5.0, 5
    high_value, low_value = max([*values, 0.0]), min([*values, 0.0])
    span, steps = _nice_axis(max(high_value - low_value, 1e-9))
    step = span / steps
    low = math.floor(low_value / step) * step
    high = low + span
    while high < high_value:
        high += step
        steps += 1
    return low, high, steps


def _y(value: float, low: float, high: float) -> float:
    return TOP + PLOT * (1 - (value - low) / ((high - low) or 1))


def _grid(low: float, high: float, steps: int) -> list[str]:
    parts = []
    for i in range(steps + 1):
        value = low + (high - low) * i / steps
        y = _y(value, low, high)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d6dbe1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{_number(round(value, 6))}</text>"
        )
    return parts


def _short(label: str, length: int) -> str:
    return escape(label if len(label) <= length else label[: length - 1] + "…")


def ranked_bars(
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    colours: Sequence[str],
    title: str,
    description: str = "",
    reference: tuple[str, Number | None] | None = None,
    highlight: Collection[int] = (),
) -> str:
    """One bar per label in the given order (best first), each in its own colour.

    ``reference`` draws a dashed line across (e.g. Riket's value); ``highlight`` lists the
    indexes of bars to mark (e.g. the municipality the page is about). Up to 60 bars are
    labelled (upright when they are narrow); with more there are no labels under them, and
    the data table beside the chart has them all.
    """
    present = [float(v) for v in values]
    name, ref_value = reference if reference is not None else ("", None)
    if ref_value is not None:
        present.append(float(ref_value))
    low, high, steps = _axis_range(present)
    body = _grid(low, high, steps)
    count = max(len(labels), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    bar = min(slot * 0.8 if slot > 4 else slot, 40)
    base = TOP + PLOT
    if len(labels) > MANY_BARS or slot < MIN_LABEL_GAP / 2:
        labelling, bottom = "none", 30
    elif slot >= 40:
        labelling, bottom = "slanted", BOTTOM
    else:
        labelling, bottom = "upright", 112
    zero = _y(0, low, high)
    show_values = slot >= MIN_VALUE_LABEL_SLOT
    for index, (label, value, colour) in enumerate(zip(labels, values, colours, strict=True)):
        x = LEFT + slot * index + (slot - bar) / 2
        centre = x + bar / 2
        top = _y(float(value), low, high)
        y, h = min(top, zero), abs(zero - top)
        marked = index in highlight
        stroke = f' stroke="{HIGHLIGHT_COLOUR}" stroke-width="1.5"' if marked else ""
        body.append(
            f'<rect x="{x:.2f}" y="{y:.1f}" width="{bar:.2f}" height="{max(h, 0.5):.1f}" '
            f'fill="{colour}"{stroke}/>'
        )
        if marked:
            # A marker above the bar, so a single bar among 290 can be found.
            body.append(f'<path d="M{centre:.1f} {y - 3:.1f}l-5-9h10z" fill="{HIGHLIGHT_COLOUR}"/>')
        if show_values:
            body.append(
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
                f"{_number(value)}</text>"
            )
        weight = ' font-weight="bold"' if marked else ""
        if labelling == "slanted":
            body.append(
                f'<text x="{centre:.1f}" y="{base + 14}" text-anchor="end" '
                f'transform="rotate(-35 {centre:.1f} {base + 14})"{weight}>'
                f"{_short(label, 22)}</text>"
            )
        elif labelling == "upright":
            body.append(
                f'<text x="{centre + 4:.1f}" y="{base + 8}" text-anchor="end" '
                f'transform="rotate(-90 {centre + 4:.1f} {base + 8})"{weight}>'
                f"{_short(label, 17)}</text>"
            )
    if labelling == "none":
        body.append(
            f'<text x="{LEFT}" y="{base + 18}" fill="#333">'
            f"{escape(_('Municipalities from best to worst rank'))}</text>"
        )
    if ref_value is not None:
        y = _y(float(ref_value), low, high)
        # The label goes at the end where the bars are lower, so it stays clear of them.
        at_left = bool(values) and float(values[0]) <= float(values[-1])
        x, anchor = (LEFT + 4, "start") if at_left else (WIDTH - RIGHT - 4, "end")
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{x}" y="{y - 5:.1f}" text-anchor="{anchor}" '
            f'font-weight="bold" paint-order="stroke" stroke="#fff" stroke-width="3">'
            f"{escape(name)} {_number(ref_value)}</text>"
        )
    return _frame(title, description or title, body, height=base + bottom)


@dataclass(frozen=True)
class TrendLine:
    name: str
    values: Sequence[Number | None]
    # "main" (the organisation, with value labels), "reference" (Riket, dashed) or "other".
    style: str = "other"


@dataclass(frozen=True)
class TrendTarget:
    """The organisation's target: a dashed line at its value, labelled with its year."""

    value: float
    label: str


TARGET_COLOUR = "#8a4b00"

LINE_STYLES = {
    "main": ("#0b5d3b", "3", ""),
    "reference": (REFERENCE_COLOUR, "2", "7 5"),
}
OTHER_LINES = [("#b35c00", "2", "2 4"), ("#1f5fa8", "2", "10 3 2 3"), ("#7a3e9d", "2", "4 2")]


def trend_chart(
    years: Sequence[int],
    lines: Sequence[TrendLine],
    *,
    title: str,
    description: str = "",
    target: TrendTarget | None = None,
) -> str:
    """Lines over the years: the organisation solid, Riket dashed as the reference, others
    in their own dash pattern (so the lines are told apart without colour too); the
    organisation's target, where it has one, as a long-dashed line across with its label."""
    present = [float(v) for line in lines for v in line.values if v is not None]
    if target is not None:
        present.append(target.value)
    low, high, steps = _axis_range(present)
    body = _grid(low, high, steps)
    if target is not None:
        target_y = _y(target.value, low, high)
        # Above the line, unless the line runs along the top of the plot.
        label_y = target_y - 6 if target_y - 6 > TOP + 10 else target_y + 14
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{target_y:.1f}" y2="{target_y:.1f}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="10 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{label_y:.1f}" text-anchor="end" '
            f'fill="{TARGET_COLOUR}" font-weight="bold" paint-order="stroke" stroke="#fff" '
            f'stroke-width="3">{escape(target.label[:60])}</text>'
        )
    count = max(len(years), 1)
    step = (WIDTH - LEFT - RIGHT) / count
    xs = [LEFT + step * (i + 0.5) for i in range(count)]
    label_every = max(1, -(-40 // int(step or 1)))
    for index, (x, year) in enumerate(zip(xs, years, strict=True)):
        if index % label_every == 0:
            body.append(
                f'<text x="{x:.1f}" y="{TOP + PLOT + 16}" text-anchor="middle">{year}</text>'
            )
    others = iter(OTHER_LINES)
    legend: list[str] = []
    # The organisation's line is drawn last so it stays on top.
    ordered = sorted(enumerate(lines), key=lambda item: item[1].style == "main")
    styles: dict[int, tuple[str, str, str]] = {}
    for number, line in enumerate(lines):
        styles[number] = LINE_STYLES.get(line.style) or next(others, OTHER_LINES[-1])
    for number, line in ordered:
        colour, width, dash = styles[number]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = [(x, float(v)) for x, v in zip(xs, line.values, strict=True) if v is not None]
        path = " ".join(f"{x:.1f},{_y(v, low, high):.1f}" for x, v in points)
        if len(points) > 1:
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}"{dash_attr}/>'
            )
        for x, v in points:
            y = _y(v, low, high)
            if line.style == "main":
                body.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
                    f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-weight="bold" '
                    f'paint-order="stroke" stroke="#fff" stroke-width="3">{_number(v)}</text>'
                )
            elif len(points) == 1:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    for number, line in enumerate(lines):
        colour, width, dash = styles[number]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        legend_y = TOP + PLOT + 44 + 16 * number
        legend.append(
            f'<line x1="{LEFT}" x2="{LEFT + 28}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="{width}"{dash_attr}/>'
            f'<text x="{LEFT + 36}" y="{legend_y}">{escape(line.name[:90])}</text>'
        )
    if target is not None:
        legend_y = TOP + PLOT + 44 + 16 * len(lines)
        legend.append(
            f'<line x1="{LEFT}" x2="{LEFT + 28}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="10 4"/>'
            f'<text x="{LEFT + 36}" y="{legend_y}">{escape(target.label[:90])}</text>'
        )
    entries = len(lines) + (1 if target is not None else 0)
    legend_height = TOP + PLOT + 52 + 16 * entries
    return _frame(title, description or title, body + legend, height=legend_height)
