"""Charts as inline SVG, drawn on the server, so the web page and the PDF show the same picture.

Every chart carries a title and a description for screen readers; pages show a data table
beside it as well. Values may be missing (None): no bar, a gap in the line.
"""

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

Number = int | float | Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 80
# Horizontal room (in chart units) a rotated category label and a value label need.
MIN_LABEL_GAP, MIN_VALUE_LABEL_SLOT = 24, 24
COLOURS = ["#0b5d3b", "#b35c00", "#1f5fa8", "#7a3e9d", "#5f6b00"]


def _number(value: Number) -> str:
    """Swedish style: decimal comma, no trailing zeros beyond one decimal."""
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _nice_axis(value: float) -> tuple[float, int]:
    """A round axis top >= value and a number of steps that gives round ticks."""
    magnitude = 10 ** math.floor(math.log10(max(value, 1e-9)))
    for multiple, steps in ((1, 5), (2, 4), (3, 3), (4, 4), (5, 5), (6, 3), (8, 4), (10, 5)):
        if multiple * magnitude >= value:
            return multiple * magnitude, steps
    return 10 * magnitude, 5


def _scale(value: float, low: float, high: float) -> float:
    plot_height = HEIGHT - TOP - BOTTOM
    span = (high - low) or 1
    return TOP + plot_height * (1 - (value - low) / span)


def _frame(title: str, description: str, body: list[str], height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{_id(title)}-t {_id(title)}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" font-size="11">'
        f'<title id="{_id(title)}-t">{escape(title)}</title>'
        f'<desc id="{_id(title)}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]


def _axis(low: float, high: float, steps: int) -> list[str]:
    parts = []
    for i in range(steps + 1):
        value = low + (high - low) * i / steps
        y = _scale(value, low, high)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d6dbe1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{_number(value)}</text>"
        )
    return parts


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str,
    description: str = "",
    maximum: Number | None = None,
) -> str:
    """Vertical bars, one per label. ``maximum`` fixes the top of the axis (e.g. 6)."""
    present = [float(v) for v in values if v is not None]
    high, steps = (float(maximum), 6) if maximum is not None else _nice_axis(max([*present, 5.0]))
    body = _axis(0, high, steps)
    count = max(len(labels), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    bar = min(slot * 0.7, 48)
    # With many bars, labels would overlap: every n-th category label is drawn, and the values
    # above the bars only where they fit (the data table beside every chart has them all).
    label_every = max(1, math.ceil(MIN_LABEL_GAP / slot))
    show_values = slot >= MIN_VALUE_LABEL_SLOT
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + slot * index + (slot - bar) / 2
        centre = x + bar / 2
        if value is not None:
            top = _scale(float(value), 0, high)
            body.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" '
                f'height="{HEIGHT - BOTTOM - top:.1f}" fill="{COLOURS[0]}"/>'
            )
            if show_values:
                body.append(
                    f'<text x="{centre:.1f}" y="{top - 4:.1f}" text-anchor="middle">'
                    f"{_number(value)}</text>"
                )
        if index % label_every:
            continue
        body.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="end" '
            f'transform="rotate(-35 {centre:.1f} {HEIGHT - BOTTOM + 14})">'
            f"{escape(label if len(label) <= 22 else label[:21] + '…')}</text>"
        )
    return _frame(title, description or title, body)


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    title: str,
    description: str = "",
    minimum: Number = 0,
    maximum: Number | None = None,
) -> str:
    """One line per series over the x labels (e.g. years), with a legend."""
    present = [float(v) for values in series.values() for v in values if v is not None]
    low = float(minimum)
    if maximum is not None:
        high, steps = float(maximum), max(int(float(maximum) - low), 1)
    else:
        span, steps = _nice_axis(max([*present, low + 1]) - low)
        high = low + span
    body = _axis(low, high, steps if steps <= 10 else 5)
    count = max(len(x_labels), 1)
    step = (WIDTH - LEFT - RIGHT) / count
    xs = [LEFT + step * (i + 0.5) for i in range(count)]
    for x, label in zip(xs, x_labels, strict=True):
        body.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for number, (name, values) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        path = " ".join(f"{x:.1f},{_scale(float(v), low, high):.1f}" for x, v in points)
        if len(points) > 1:
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
        for x, v in points:
            y = _scale(float(v), low, high)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
                f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{_number(v)}</text>'
            )
        legend_y = HEIGHT - 20 + 16 * number
        body.append(
            f'<rect x="{LEFT}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{LEFT + 18}" y="{legend_y + 1}">{escape(name[:90])}</text>'
        )
    return _frame(title, description or title, body, height=HEIGHT + 16 * len(series))
