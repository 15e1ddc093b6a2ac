"""A tiny server-rendered SVG bar chart for the printed summary (no JavaScript in a PDF).

``bar_chart`` computes the geometry of horizontal bars — one per department, the label on the left,
the value at the bar's end — and templates/evaluations/summary/bar_chart.svg draws it; WeasyPrint
renders inline SVG, so the chart prints with the page's fonts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string

TEMPLATE = "evaluations/summary/bar_chart.svg"
LABEL_WIDTH = 170
BAR_AREA = 460
ROW_HEIGHT = 22
TOP = 30
BOTTOM = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: int
    width: float
    text_x: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    label_width: int = LABEL_WIDTH
    row_height: int = ROW_HEIGHT
    axis_y: int = 0

    @property
    def bar_height(self) -> int:
        return self.row_height - 8


def _scale_max(values: Sequence[float], fixed: float | None) -> float:
    if fixed:
        return fixed
    top = max(values, default=0.0)
    return float(max(1, math.ceil(top)))


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


def _ticks(top: float, count: int = 5) -> list[Tick]:
    step = top / count
    return [Tick(LABEL_WIDTH + BAR_AREA * i / count, _number(round(step * i, 2))) for i in range(count + 1)]


def bar_chart(title: str, series: Sequence[tuple[str, float]], *, maximum: float | None = None) -> BarChart:
    """Horizontal bars of (label, value); ``maximum`` fixes the scale (e.g. 5 for a 5..1 score)."""
    top = _scale_max([v for _, v in series], maximum)
    bars = []
    for index, (label, value) in enumerate(series):
        width = BAR_AREA * min(value, top) / top
        y = TOP + index * ROW_HEIGHT
        bars.append(Bar(label[:14], _number(value), y, round(width, 1), LABEL_WIDTH + width + 4))
    axis_y = TOP + len(series) * ROW_HEIGHT
    width = LABEL_WIDTH + BAR_AREA + 40
    return BarChart(title, width, axis_y + BOTTOM, bars, _ticks(top), axis_y=axis_y)


def render_svg(chart: BarChart) -> str:
    return render_to_string(TEMPLATE, {"chart": chart})
