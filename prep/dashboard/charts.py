"""Geometry of the dashboard's server-rendered SVG charts (the markup is in dashboard/_charts.html).

Plain numbers in SVG user units; the SVG scales with its viewBox, and every chart also has a
table of the same data on the page. Colours come from CSS classes, never from style attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str = ""
    value_text: str = ""
    empty: bool = False
    anchor: str = "middle"  # of the label: start, middle or end

    @property
    def label_x(self) -> float:
        return {"start": self.x, "end": self.x + self.width}.get(self.anchor, self.x + self.width / 2)


@dataclass(frozen=True)
class GridLine:
    y: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value_text: str


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    left: float
    right: float
    baseline: float
    bars: list[Bar] = field(default_factory=list)
    grid: list[GridLine] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    size: float
    day: date
    studied: bool


@dataclass(frozen=True)
class Calendar:
    width: float
    height: float
    cells: list[Cell]
    row_labels: list[tuple[float, str]]


def _nice_max(value: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step:
            return step
    return int(value) + 1


def bar_chart(
    values: Sequence[tuple[str, float | None, str]],
    maximum: float | None = None,
    width: float = 560,
    height: float = 200,
    left: float = 40,
    ends_only: bool = False,
) -> Chart:
    """Vertical bars: (label, value or None for "no data", text above the bar).

    `ends_only` labels only the first and the last bar (for narrow charts).
    """
    top, bottom, right = 22.0, 26.0, width - 8
    top_value = maximum or _nice_max(max((v or 0) for _, v, _ in values) if values else 1)
    baseline = height - bottom
    plot = baseline - top
    slot = (right - left) / max(1, len(values))
    bars = []
    for n, (label, value, text) in enumerate(values):
        h = 0.0 if not value else plot * min(value, top_value) / top_value
        bars.append(
            Bar(
                x=left + n * slot + slot * 0.15,
                y=baseline - h,
                width=slot * 0.7,
                height=h,
                label=label if not ends_only or n in (0, len(values) - 1) else "",
                value_text=text,
                empty=value is None,
                anchor=("start" if n == 0 else "end" if n == len(values) - 1 else "middle") if ends_only else "middle",
            )
        )
    fractions = (0.0, 0.5, 1.0) if maximum == 100 or top_value % 2 == 0 else (0.0, 1.0)
    grid = [GridLine(baseline - plot * f, _tick(top_value * f, maximum)) for f in fractions]
    return Chart(width, height, left, right, baseline, bars=bars, grid=grid)


def _tick(value: float, maximum: float | None) -> str:
    return f"{value:g}%" if maximum == 100 else f"{value:g}"


def line_chart(values: Sequence[tuple[str, float]], width: float = 560, height: float = 220) -> Chart:
    """Percentages (0-100) as connected points, oldest first."""
    left, top, bottom, right = 44.0, 24.0, 26.0, width - 24
    baseline = height - bottom
    plot = baseline - top
    step = (right - left) / max(1, len(values) - 1)
    points = [
        Point(
            x=left + (n * step if len(values) > 1 else (right - left) / 2),
            y=baseline - plot * max(0.0, min(value, 100.0)) / 100,
            label=label,
            value_text=f"{value:.0f}%",
        )
        for n, (label, value) in enumerate(values)
    ]
    grid = [GridLine(baseline - plot * f / 100, f"{f}%") for f in (0, 25, 50, 75, 100)]
    return Chart(width, height, left, right, baseline, grid=grid, points=points)


def calendar_chart(weeks: Sequence[Sequence[tuple[date, bool]]], size: float = 18, gap: float = 4) -> Calendar:
    """One column per week (Monday on top), one square per day."""
    left, top = 40.0, 4.0
    cells = []
    for w, week in enumerate(weeks):
        for day, studied in week:
            cells.append(Cell(left + w * (size + gap), top + day.weekday() * (size + gap), size, day, studied))
    labels = [(top + r * (size + gap) + size * 0.8, name) for r, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))]
    return Calendar(left + len(weeks) * (size + gap), top + 7 * (size + gap), cells, labels)
