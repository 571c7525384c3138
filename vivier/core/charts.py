"""Server-rendered SVG charts (no JavaScript, CSP-safe), each with its data as a table."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format

# Geometry of the drawing area, in SVG user units; the SVG scales to its container.
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220
BAR_AREA = 460
VALUE_WIDTH = 80
LINE_WIDTH = 640
LINE_HEIGHT = 240
LINE_PAD_LEFT = 48
LINE_PAD_RIGHT = 16
LINE_PAD_TOP = 16
LINE_PAD_BOTTOM = 36
NO_VALUE = "\u2013"  # an en dash where a value is missing
SERIES_CLASSES = 6  # chart-series-0 … chart-series-5 in vivier.css


def format_value(value: float | None, unit: str = "") -> str:
    """The value as shown in the current language: integers bare, others with one decimal, then the unit."""
    if value is None:
        return NO_VALUE
    return f"{number_format(value, decimal_pos=0 if float(value).is_integer() else 1)}{unit}"


@dataclass(frozen=True)
class Bar:
    """One drawn bar: its label, value and geometry."""

    label: str
    value: float
    display: str
    y: float
    width: float
    series: int
    note: str = ""


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart ready for `core/charts/bar.html`."""

    title: str
    bars: list[Bar]
    height: float
    unit: str
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    total_width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    value_x: int = LABEL_WIDTH + BAR_AREA + 6
    text_dy: float = BAR_HEIGHT * 0.7
    bar_height: int = BAR_HEIGHT


def bar_chart(
    rows: Sequence[tuple[str, float | None]] | Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
) -> BarChart:
    """Horizontal bars for (label, value[, note]) rows; a None value draws no bar and shows a dash."""
    values = [row[1] for row in rows if row[1] is not None]
    scale_max = max_value if max_value is not None else max([*values, 0])
    bars = []
    for index, row in enumerate(rows):
        label, value = row[0], row[1]
        note = row[2] if len(row) > 2 else ""
        width = 0.0 if not value or scale_max <= 0 else BAR_AREA * min(value, scale_max) / scale_max
        bars.append(
            Bar(
                label=str(label),
                value=value if value is not None else 0,
                display=format_value(value, unit),
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=round(width, 1),
                series=index % SERIES_CLASSES if len(rows) <= SERIES_CLASSES else 0,
                note=str(note),
            )
        )
    height = max(len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return BarChart(title=title, bars=bars, height=height, unit=unit)


@dataclass(frozen=True)
class Series:
    """One drawn line: its name, values, and SVG points."""

    name: str
    values: list[float | None]
    displays: list[str]
    points: str
    dots: list[tuple[float, float, str]]
    css: int


@dataclass(frozen=True)
class LineChart:
    """A line chart over ordered categories (waves, weeks) ready for `core/charts/line.html`."""

    title: str
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    series: list[Series]
    unit: str
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT
    plot_left: int = LINE_PAD_LEFT
    plot_right: int = LINE_WIDTH - LINE_PAD_RIGHT
    plot_top: int = LINE_PAD_TOP
    plot_bottom: int = LINE_HEIGHT - LINE_PAD_BOTTOM
    label_y: int = LINE_HEIGHT - LINE_PAD_BOTTOM + 20
    table_rows: list[tuple[str, list[str]]] = field(default_factory=list)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    unit: str = "",
    y_min: float | None = None,
    y_max: float | None = None,
) -> LineChart:
    """Lines over the categories in `x_labels`; a None value leaves a gap in that line."""
    known = [value for _name, values in series for value in values if value is not None]
    low = y_min if y_min is not None else min([*known, 0])
    high = y_max if y_max is not None else max([*known, 1])
    if high <= low:
        high = low + 1
    plot_width = LINE_WIDTH - LINE_PAD_LEFT - LINE_PAD_RIGHT
    plot_height = LINE_HEIGHT - LINE_PAD_TOP - LINE_PAD_BOTTOM
    count = len(x_labels)

    def x_at(index: int) -> float:
        return round(
            LINE_PAD_LEFT + (plot_width * index / (count - 1) if count > 1 else plot_width / 2), 1
        )

    def y_at(value: float) -> float:
        return round(LINE_PAD_TOP + plot_height * (1 - (value - low) / (high - low)), 1)

    drawn = []
    for number, (name, values) in enumerate(series):
        segments: list[list[str]] = [[]]
        dots = []
        for index, value in enumerate(values):
            if value is None:
                segments.append([])
                continue
            x, y = x_at(index), y_at(value)
            segments[-1].append(f"{x},{y}")
            dots.append((x, y, format_value(value, unit)))
        points = " M ".join(" L ".join(segment) for segment in segments if segment)
        drawn.append(
            Series(
                name=str(name),
                values=list(values),
                displays=[format_value(value, unit) for value in values],
                points=f"M {points}" if points else "",
                dots=dots,
                css=number % SERIES_CLASSES,
            )
        )
    ticks = [
        (y_at(low + (high - low) * step / 4), format_value(low + (high - low) * step / 4, unit))
        for step in range(5)
    ]
    return LineChart(
        title=title,
        x_labels=[(x_at(index), str(label)) for index, label in enumerate(x_labels)],
        y_ticks=ticks,
        series=drawn,
        unit=unit,
        table_rows=[
            (str(label), [line.displays[index] for line in drawn])
            for index, label in enumerate(x_labels)
        ],
    )
