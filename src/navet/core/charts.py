"""Charts drawn on the server, so the web page, the PDF and the DOCX show the same picture.

A chart is built once as a list of simple shapes (:class:`Chart`) and written out as inline SVG
(web page, PDF) or as a PNG drawn with Pillow (the DOCX, whose readers cannot be trusted with
SVG). Every chart carries a title and a description for screen readers; pages show a data
table beside it as well. Values may be missing (None): no bar, a gap in the line.

Labels never run outside the picture nor into each other: category labels are drawn level
when they fit, in two staggered rows when they nearly do, and slanted otherwise, with every
n-th label only when even that is too tight (the data table has them all); the margins grow
to hold them. Legends wrap between words. ``x_title`` and ``y_title`` name the axes where the
unit is not obvious, and ``targets`` draw a dashed target line (e.g. the 2030 target) with
its label.

``bar_chart`` and ``line_chart`` return SVG text as before; ``bar_figure`` and ``line_figure``
return the :class:`Chart` for ``.svg()`` or ``.png()``. Modules that draw their own SVG (the
indicators) use the constants, ``_frame``, ``_nice_axis``, ``_number``, ``wrap`` and
``target_svg``.
"""

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from html import escape
from typing import Any

Number = int | float | Decimal

# The classic frame (kept for modules that draw their own SVG on it).
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 80
# Horizontal room (in chart units) a rotated category label and a value label need.
MIN_LABEL_GAP, MIN_VALUE_LABEL_SLOT = 24, 24
COLOURS = ["#0b5d3b", "#b35c00", "#1f5fa8", "#7a3e9d", "#5f6b00"]
TARGET_COLOUR = "#8a1c1c"
GRID_COLOUR = "#d6dbe1"
TEXT_COLOUR = "#333"

FONT_SIZE = 11
# The average advance of a character of DejaVu Sans at 11 px, and the height of a line:
# enough to lay labels out without measuring (Swedish text, mostly lower case).
CHAR_WIDTH, LINE_HEIGHT = 6.4, 14
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
LONGEST_LABEL = 34  # characters of a level category label; longer ones end in "…"
LONGEST_SLANTED = 24  # characters of a slanted one
SLANT = 45  # degrees for slanted labels


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
    """The y of ``value`` in the classic frame."""
    span = (high - low) or 1
    return TOP + PLOT_HEIGHT * (1 - (value - low) / span)


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def shorten(text: str, length: int = LONGEST_LABEL) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def wrap(text: str, width: float) -> list[str]:
    """Break ``text`` between words into lines of at most ``width`` chart units; a single word
    longer than a line is kept whole on its own line rather than cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


# --- Shapes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    kind: str  # "line", "rect", "circle", "polyline", "text"
    attrs: dict[str, Any]


@dataclass
class Chart:
    """A chart as shapes in a ``width`` × ``height`` box, written out by ``svg`` and ``png``."""

    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Shape] = field(default_factory=list)

    def _add(self, kind: str, **attrs: Any) -> None:
        self.shapes.append(Shape(kind, attrs))

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        colour: str,
        width: float = 1,
        dash: str = "",
    ) -> None:
        self._add("line", x1=x1, y1=y1, x2=x2, y2=y2, colour=colour, width=width, dash=dash)

    def rect(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        self._add("rect", x=x, y=y, w=w, h=h, colour=colour)

    def circle(self, x: float, y: float, r: float, colour: str) -> None:
        self._add("circle", x=x, y=y, r=r, colour=colour)

    def polyline(self, points: list[tuple[float, float]], colour: str, width: float) -> None:
        self._add("polyline", points=points, colour=colour, width=width)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        anchor: str = "start",
        rotate: float = 0,
        colour: str = TEXT_COLOUR,
        bold: bool = False,
        halo: bool = False,
    ) -> None:
        self._add(
            "text",
            x=x,
            y=y,
            text=text,
            anchor=anchor,
            rotate=rotate,
            colour=colour,
            bold=bold,
            halo=halo,
        )

    # SVG -------------------------------------------------------------------------------------

    def svg(self) -> str:
        return _frame(self.title, self.description, [_svg_shape(s) for s in self.shapes],
                      height=self.height, width=self.width)  # fmt: skip

    # PNG -------------------------------------------------------------------------------------

    def png(self, scale: float = 2.5) -> bytes:
        """The chart as a PNG, ``scale`` pixels per chart unit (2.5: sharp on paper at the
        width of an A4 text column)."""
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (round(self.width * scale), round(self.height * scale)), "white")
        draw = ImageDraw.Draw(image)
        for shape in self.shapes:
            _png_shape(image, draw, shape, scale)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def _frame(
    title: str, description: str, body: list[str], height: int = HEIGHT, width: int = WIDTH
) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{_id(title)}-t {_id(title)}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{FONT_SIZE}">'
        f'<title id="{_id(title)}-t">{escape(title)}</title>'
        f'<desc id="{_id(title)}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _svg_shape(shape: Shape) -> str:
    a = shape.attrs
    if shape.kind == "line":
        dash = f' stroke-dasharray="{a["dash"]}"' if a["dash"] else ""
        return (
            f'<line x1="{a["x1"]:.1f}" x2="{a["x2"]:.1f}" y1="{a["y1"]:.1f}" y2="{a["y2"]:.1f}" '
            f'stroke="{a["colour"]}" stroke-width="{a["width"]}"{dash}/>'
        )
    if shape.kind == "rect":
        return (
            f'<rect x="{a["x"]:.1f}" y="{a["y"]:.1f}" width="{a["w"]:.1f}" '
            f'height="{a["h"]:.1f}" fill="{a["colour"]}"/>'
        )
    if shape.kind == "circle":
        return f'<circle cx="{a["x"]:.1f}" cy="{a["y"]:.1f}" r="{a["r"]}" fill="{a["colour"]}"/>'
    if shape.kind == "polyline":
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in a["points"])
        return (
            f'<polyline points="{points}" fill="none" stroke="{a["colour"]}" '
            f'stroke-width="{a["width"]}"/>'
        )
    extra = ""
    if a["anchor"] != "start":
        extra += f' text-anchor="{a["anchor"]}"'
    if a["rotate"]:
        extra += f' transform="rotate({a["rotate"]:.0f} {a["x"]:.1f} {a["y"]:.1f})"'
    if a["colour"] != TEXT_COLOUR:
        extra += f' fill="{a["colour"]}"'
    if a["bold"]:
        extra += ' font-weight="bold"'
    text = f'<text x="{a["x"]:.1f}" y="{a["y"]:.1f}"{extra}>{escape(a["text"])}</text>'
    if a["halo"]:
        # A white outline under the text, as a copy drawn first: ``paint-order`` is not
        # honoured by every renderer (WeasyPrint paints the stroke over the letters).
        under = extra.replace(f' fill="{a["colour"]}"', "")
        halo = ' fill="#fff" stroke="#fff" stroke-width="3" aria-hidden="true"'
        return (
            f'<text x="{a["x"]:.1f}" y="{a["y"]:.1f}"{under}{halo}>{escape(a["text"])}</text>'
            + text
        )
    return text


FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVuSans.ttf",
)
BOLD_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "DejaVuSans-Bold.ttf",
)


@cache
def _font(size: int, bold: bool = False) -> Any:
    """DejaVu Sans as in the SVG; Pillow's own scalable font where it is not installed."""
    from PIL import ImageFont

    for path in BOLD_FONT_FILES if bold else FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _png_shape(image: Any, draw: Any, shape: Shape, scale: float) -> None:
    from PIL import Image, ImageDraw

    a = shape.attrs
    if shape.kind == "line":
        start, end = (a["x1"] * scale, a["y1"] * scale), (a["x2"] * scale, a["y2"] * scale)
        width = max(1, round(a["width"] * scale))
        if not a["dash"]:
            draw.line([start, end], fill=a["colour"], width=width)
            return
        on, off = (float(part) * scale for part in str(a["dash"]).split()[:2])
        length = math.dist(start, end) or 1
        ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
        position = 0.0
        while position < length:
            stop = min(position + on, length)
            draw.line(
                [
                    (start[0] + ux * position, start[1] + uy * position),
                    (start[0] + ux * stop, start[1] + uy * stop),
                ],
                fill=a["colour"],
                width=width,
            )
            position = stop + off
        return
    if shape.kind == "rect":
        if a["h"] > 0 and a["w"] > 0:
            box = [a["x"] * scale, a["y"] * scale, (a["x"] + a["w"]) * scale,
                   (a["y"] + a["h"]) * scale]  # fmt: skip
            draw.rectangle(box, fill=a["colour"])
        return
    if shape.kind == "circle":
        r = a["r"] * scale
        draw.ellipse(
            [a["x"] * scale - r, a["y"] * scale - r, a["x"] * scale + r, a["y"] * scale + r],
            fill=a["colour"],
        )
        return
    if shape.kind == "polyline":
        points = [(x * scale, y * scale) for x, y in a["points"]]
        draw.line(points, fill=a["colour"], width=max(1, round(a["width"] * scale)), joint="curve")
        return
    font = _font(round(FONT_SIZE * scale), a["bold"])
    text = a["text"]
    # The SVG's y is the baseline; Pillow's "ls" anchor (left, baseline) matches it.
    anchor = {"start": "ls", "middle": "ms", "end": "rs"}[a["anchor"]]
    stroke = {"stroke_width": round(1.5 * scale), "stroke_fill": "white"} if a["halo"] else {}
    if not a["rotate"]:
        draw.text((a["x"] * scale, a["y"] * scale), text, font=font, fill=a["colour"],
                  anchor=anchor, **stroke)  # fmt: skip
        return
    # Rotated text: drawn level on its own layer around the anchor point, turned, and pasted
    # with the anchor where the SVG has it.
    size = round(font.getlength(text)) + 8
    half = size + 8
    layer = Image.new("RGBA", (2 * half, 2 * half), (255, 255, 255, 0))
    ImageDraw.Draw(layer).text((half, half), text, font=font, fill=a["colour"], anchor=anchor)
    turned = layer.rotate(-a["rotate"], resample=Image.Resampling.BICUBIC, center=(half, half))
    image.paste(turned, (round(a["x"] * scale) - half, round(a["y"] * scale) - half), turned)


# --- Building blocks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A target to draw as a dashed line across the plot, e.g. ``Target(40, "Mål 2030")``.
    ``at``: the x label (e.g. "2030") where a marker shows the target point on a line chart."""

    value: Number
    label: str
    at: str | None = None


@dataclass
class _Plot:
    """The plotting area of a chart being laid out."""

    left: float
    top: float
    right: float
    bottom: float  # the y of the x axis
    low: float
    high: float

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1
        return self.bottom - (self.bottom - self.top) * (value - self.low) / span


def target_svg(y: float, label: str, *, left: float = LEFT, right: float = WIDTH - RIGHT,
               x: float | None = None) -> str:  # fmt: skip
    """SVG for a target line at height ``y`` (in the caller's own scale) with its label at the
    right end, and a marker at ``x`` when given: for charts that draw their own SVG."""
    chart = Chart("", "")
    _target(chart, y, label, left, right, x)
    return "".join(_svg_shape(shape) for shape in chart.shapes)


def _target(
    chart: Chart, y: float, label: str, left: float, right: float, x: float | None = None
) -> None:
    chart.line(left, y, right, y, TARGET_COLOUR, 1.5, "6 4")
    end = right - 2 if x is None else x - 10
    chart.text(end, y - 5, label, anchor="end", colour=TARGET_COLOUR, bold=True, halo=True)
    if x is not None:
        chart.line(x - 6, y - 6, x + 6, y + 6, TARGET_COLOUR, 2)
        chart.line(x - 6, y + 6, x + 6, y - 6, TARGET_COLOUR, 2)


def _grid(chart: Chart, plot: _Plot, steps: int) -> None:
    for i in range(steps + 1):
        value = plot.low + (plot.high - plot.low) * i / steps
        y = plot.y(value)
        chart.line(plot.left, y, plot.right, y, GRID_COLOUR)
        chart.text(plot.left - 6, y + 4, _number(round(value, 6)), anchor="end")


@dataclass(frozen=True)
class _Labels:
    mode: str  # "level", "stagger" or "slant"
    every: int
    texts: list[str]
    height: float  # room below the axis
    overhang: float  # room a slanted first label needs left of its slot's centre


def _lay_out_labels(labels: Sequence[str], slot: float) -> _Labels:
    texts = [shorten(label) for label in labels]
    widest = max((text_width(t) for t in texts), default=0)
    if widest <= slot - 4:
        return _Labels("level", 1, texts, LINE_HEIGHT + 6, 0)
    if widest <= 2 * slot - 6:
        return _Labels("stagger", 1, texts, 2 * LINE_HEIGHT + 6, 0)
    # Slanted: neighbours are ``slot * sin`` apart across their baselines; a line needs
    # LINE_HEIGHT, so with narrow slots only every n-th label is drawn.
    angle = math.radians(SLANT)
    every = max(1, math.ceil((LINE_HEIGHT - 2) / (slot * math.sin(angle))))
    texts = [shorten(label, LONGEST_SLANTED) for label in labels]
    drawn = texts[::every]
    longest = max((text_width(t) for t in drawn), default=0)
    return _Labels(
        "slant",
        every,
        texts,
        longest * math.sin(angle) + LINE_HEIGHT + 8,
        longest * math.cos(angle),
    )


def _draw_labels(chart: Chart, layout: _Labels, centres: list[float], axis_y: float) -> None:
    for index, (x, text) in enumerate(zip(centres, layout.texts, strict=True)):
        if index % layout.every:
            continue
        if layout.mode == "level":
            chart.text(x, axis_y + 15, text, anchor="middle")
        elif layout.mode == "stagger":
            chart.text(x, axis_y + 15 + LINE_HEIGHT * (index % 2), text, anchor="middle")
        else:
            chart.text(x + 4, axis_y + 12, text, anchor="end", rotate=-SLANT)


def _axis_titles(chart: Chart, plot: _Plot, x_title: str, y_title: str, below: float) -> float:
    """Draw the axis titles; returns the room the x title takes below ``below``."""
    if y_title:
        middle = (plot.top + plot.bottom) / 2
        chart.text(12, middle, shorten(y_title, 40), anchor="middle", rotate=-90)
    if x_title:
        chart.text((plot.left + plot.right) / 2, below + LINE_HEIGHT, x_title, anchor="middle")
        return LINE_HEIGHT + 4
    return 0


def _legend(chart: Chart, entries: list[tuple[str, str]], left: float, top: float) -> float:
    """Swatch and name per entry, names wrapped between words; returns the height used."""
    y = top
    for name, colour in entries:
        lines = wrap(name, WIDTH - left - RIGHT - 24)
        chart.rect(left, y - 9, 12, 12, colour)
        for number, line in enumerate(lines):
            chart.text(left + 18, y + 1 + LINE_HEIGHT * number, line)
        y += LINE_HEIGHT * len(lines) + 4
    return y - top


# --- Bar chart --------------------------------------------------------------------------------


def bar_figure(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str,
    description: str = "",
    maximum: Number | None = None,
    x_title: str = "",
    y_title: str = "",
    targets: Sequence[Target] = (),
) -> Chart:
    """Vertical bars, one per label. ``maximum`` fixes the top of the axis (e.g. 6)."""
    present = [float(v) for v in values if v is not None]
    present += [float(t.value) for t in targets]
    high, steps = (float(maximum), 6) if maximum is not None else _nice_axis(max([*present, 5.0]))
    count = max(len(labels), 1)
    left: float = LEFT + (18 if y_title else 0)
    slot = (WIDTH - left - RIGHT) / count
    layout = _lay_out_labels(labels, slot)
    # A slanted first label may need more room on the left than the axis leaves.
    left = max(left, layout.overhang - slot / 2 + 2)
    slot = (WIDTH - left - RIGHT) / count
    plot = _Plot(left, TOP, WIDTH - RIGHT, TOP + PLOT_HEIGHT, 0, high)
    chart = Chart(title, description or title)
    _grid(chart, plot, steps)
    bar = min(slot * 0.7, 48)
    show_values = slot >= MIN_VALUE_LABEL_SLOT
    centres = []
    for index, value in enumerate(values):
        x = left + slot * index + (slot - bar) / 2
        centres.append(x + bar / 2)
        if value is None:
            continue
        top = plot.y(float(value))
        chart.rect(x, top, bar, plot.bottom - top, COLOURS[0])
        if show_values:
            chart.text(x + bar / 2, top - 4, _number(value), anchor="middle")
    for target in targets:
        _target(chart, plot.y(float(target.value)), target.label, plot.left, plot.right)
    _draw_labels(chart, layout, centres, plot.bottom)
    below = plot.bottom + layout.height
    below += _axis_titles(chart, plot, x_title, y_title, below)
    chart.height = math.ceil(max(below + 6, HEIGHT if not x_title else 0))
    return chart


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str,
    description: str = "",
    maximum: Number | None = None,
    x_title: str = "",
    y_title: str = "",
    targets: Sequence[Target] = (),
) -> str:
    """``bar_figure`` as inline SVG."""
    return bar_figure(labels, values, title=title, description=description, maximum=maximum,
                      x_title=x_title, y_title=y_title, targets=targets).svg()  # fmt: skip


# --- Line chart -------------------------------------------------------------------------------


def line_figure(
    x_labels: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    title: str,
    description: str = "",
    minimum: Number = 0,
    maximum: Number | None = None,
    x_title: str = "",
    y_title: str = "",
    targets: Sequence[Target] = (),
) -> Chart:
    """One line per series over the x labels (e.g. years), with a legend. A target whose
    ``at`` is one of the x labels gets a marker there (add "2030" to the labels, with None
    values, to show where a trend should arrive)."""
    present = [float(v) for values in series.values() for v in values if v is not None]
    present += [float(t.value) for t in targets]
    low = float(minimum)
    if maximum is not None:
        high, steps = float(maximum), max(int(float(maximum) - low), 1)
    else:
        span, steps = _nice_axis(max([*present, low + 1]) - low)
        high = low + span
    left: float = LEFT + (18 if y_title else 0)
    count = max(len(x_labels), 1)
    step = (WIDTH - left - RIGHT) / count
    layout = _lay_out_labels(x_labels, step)
    plot = _Plot(left, TOP, WIDTH - RIGHT, TOP + PLOT_HEIGHT, low, high)
    chart = Chart(title, description or title)
    _grid(chart, plot, steps if steps <= 10 else 5)
    xs = [left + step * (i + 0.5) for i in range(count)]
    for target in targets:
        at = xs[list(x_labels).index(target.at)] if target.at and target.at in x_labels else None
        _target(chart, plot.y(float(target.value)), target.label, plot.left, plot.right, at)
    entries = []
    label_values = len(series) <= 2
    for number, (name, values) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        # A missing value breaks the line: one polyline per run of values.
        runs: list[list[tuple[float, float]]] = [[]]
        for x, v in zip(xs, values, strict=True):
            if v is None:
                runs.append([])
                continue
            y = plot.y(float(v))
            runs[-1].append((x, y))
            chart.circle(x, y, 4, colour)
            # The second series has its values below the points, so two close lines' labels
            # do not sit on each other; with more lines the labels would collide whatever
            # their place, and the data table beside the chart has the values.
            if label_values:
                y_label = y + 18 if number % 2 else y - 8
                chart.text(x, y_label, _number(v), anchor="middle", halo=True)
        for run in runs:
            if len(run) > 1:
                chart.polyline(run, colour, 2.5)
        entries.append((name, colour))
    _draw_labels(chart, layout, xs, plot.bottom)
    below = plot.bottom + layout.height
    below += _axis_titles(chart, plot, x_title, y_title, below)
    below += _legend(chart, entries, LEFT, below + 14) + 8
    chart.height = math.ceil(below + 4)
    return chart


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    title: str,
    description: str = "",
    minimum: Number = 0,
    maximum: Number | None = None,
    x_title: str = "",
    y_title: str = "",
    targets: Sequence[Target] = (),
) -> str:
    """``line_figure`` as inline SVG."""
    return line_figure(x_labels, series, title=title, description=description, minimum=minimum,
                       maximum=maximum, x_title=x_title, y_title=y_title,
                       targets=targets).svg()  # fmt: skip
