"""The business case's charts as plain shapes, drawn once and rendered as SVG or in a PDF.

Each chart is a :class:`Chart`: a canvas ``width`` × ``height`` units (y grows downwards, as
in SVG and in fpdf2) holding rectangles, lines, polylines and text. The HTML report writes the
shapes as inline SVG; the PDF report scales the same shapes onto the page with fpdf2's vector
primitives. So both reports draw exactly the same chart, with no charting library, script or
font to fetch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from cost_model.appraisal import Appraisal
from cost_model.uncertainty import MonteCarloResult, TornadoBar
from data_contracts.enums import CostCategory

WIDTH = 640.0
"""Every chart's canvas width in units (the PDF maps it onto the text width)."""
TEXT_COLOUR = "#212B32"
GRID_COLOUR = "#D8DDE0"
AXIS_COLOUR = "#425563"
NHS_BLUE = "#005EB8"
NHS_RED = "#D5281B"
NHS_GREEN = "#007F3B"
CATEGORY_COLOURS = {
    CostCategory.HARDWARE: "#005EB8",
    CostCategory.SOFTWARE: "#ED8B00",
    CostCategory.INFRASTRUCTURE: "#007F3B",
    CostCategory.TRAINING_IMPLEMENTATION: "#330072",
    CostCategory.MANAGEMENT_ADMIN: "#AE2573",
}
"""The five categories in the NHS identity's colours (each distinct from the others)."""
CATEGORY_LABELS = {
    CostCategory.HARDWARE: "Hardware",
    CostCategory.SOFTWARE: "Software",
    CostCategory.INFRASTRUCTURE: "Infrastructure",
    CostCategory.TRAINING_IMPLEMENTATION: "Training and implementation",
    CostCategory.MANAGEMENT_ADMIN: "Management and administration",
}
"""The five categories as the NIHR evaluation's Table 5 names them."""
HISTOGRAM_BINS = 40
PENNY_GBP = 0.005
"""Under half a penny: no difference once rounded."""
LABEL_GAP = 30.0
"""Percentile labels closer than this (units) are stacked."""
TORNADO_BARS = 10
"""The tornado shows at most this many inputs, largest swing first."""


class Anchor(StrEnum):
    """Which point of a text its ``x`` is."""

    START = "start"
    MIDDLE = "middle"
    END = "end"


@dataclass(frozen=True, slots=True)
class Rect:
    """A filled rectangle (top-left corner, width, height)."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True, slots=True)
class Line:
    """A straight line."""

    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    stroke_width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Polyline:
    """Joined straight lines through ``points``."""

    points: tuple[tuple[float, float], ...]
    stroke: str
    stroke_width: float = 2.0


@dataclass(frozen=True, slots=True)
class Text:
    """A line of text; ``y`` is its baseline."""

    x: float
    y: float
    text: str
    size: float = 11.0
    anchor: Anchor = Anchor.START
    bold: bool = False
    fill: str = TEXT_COLOUR


Shape = Rect | Line | Polyline | Text


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: its title, a description for screen readers, and its shapes.

    Attributes:
        title: The chart's heading.
        description: What the chart shows, in words (the SVG's ``desc``).
        width: Canvas width in units.
        height: Canvas height in units.
        shapes: The shapes, drawn in order.
    """

    title: str
    description: str
    width: float
    height: float
    shapes: tuple[Shape, ...]


@dataclass(frozen=True, slots=True)
class _Plot:
    """A plotting area and its value scale on one axis."""

    left: float
    top: float
    right: float
    bottom: float
    low: float
    high: float

    def y(self, value: float) -> float:
        """The canvas y of a value on a vertical scale."""
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def x(self, value: float) -> float:
        """The canvas x of a value on a horizontal scale."""
        return self.left + (value - self.low) / (self.high - self.low) * (self.right - self.left)


def nice_ticks(low: float, high: float, *, count: int = 5) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (and zero, when it lies between).

    Args:
        low: The smallest value to show.
        high: The largest value to show.
        count: About how many intervals.

    Returns:
        Ticks from a multiple of the step at or below ``low`` to one at or above ``high``,
        the step 1, 2, 2.5 or 5 × a power of ten.
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    value = first
    while value <= last + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def spread(low: float, high: float) -> tuple[float, float]:
    """``low`` to ``high``, widened when they are (nearly) the same value.

    A range narrower than a penny in a thousand pounds would turn float noise into bars
    across the whole chart; it is widened to 5% of the value either side (at least £100).
    """
    if high - low >= max(abs(low), abs(high)) * 0.001 + 1.0:
        return low, high
    middle = (low + high) / 2
    pad = max(abs(middle) * 0.05, 100.0)
    return middle - pad, middle + pad


def money_tick(value: float) -> str:
    """A compact money label for an axis: ``£12k``, ``−£2.5k``, ``£1.2m``, ``£500``."""
    sign = "\u2212" if value < 0 else ""
    size = abs(value)
    if size >= 1_000_000:
        text = f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"
    elif size >= 1_000:
        text = f"{size / 1_000:.2f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{size:.0f}"
    return f"{sign}£{text}"


def _value_axis(plot: _Plot, ticks: Sequence[float]) -> list[Shape]:
    shapes: list[Shape] = []
    for tick in ticks:
        y = plot.y(tick)
        shapes.append(
            Line(plot.left, y, plot.right, y, stroke=AXIS_COLOUR if tick == 0 else GRID_COLOUR)
        )
        shapes.append(Text(plot.left - 6, y + 4, money_tick(tick), size=10, anchor=Anchor.END))
    return shapes


def _money_axis_x(plot: _Plot, ticks: Sequence[float]) -> list[Shape]:
    shapes: list[Shape] = []
    for tick in ticks:
        x = plot.x(tick)
        shapes.append(
            Line(x, plot.top, x, plot.bottom, stroke=AXIS_COLOUR if tick == 0 else GRID_COLOUR)
        )
        shapes.append(Text(x, plot.bottom + 16, money_tick(tick), size=10, anchor=Anchor.MIDDLE))
    return shapes


def _legend(items: Sequence[tuple[str, str]], *, x: float, y: float, width: float) -> list[Shape]:
    """Colour swatches and labels in rows from ``(x, y)``, wrapping at ``width``."""
    shapes: list[Shape] = []
    cursor, row = x, y
    for label, colour in items:
        room = 16 + 6.2 * len(label) + 14
        if cursor + room > x + width and cursor > x:
            cursor, row = x, row + 16
        shapes.append(Rect(cursor, row - 9, 10, 10, fill=colour))
        shapes.append(Text(cursor + 14, row, label, size=10))
        cursor += room
    return shapes


def costs_by_year_chart(appraisal: Appraisal) -> Chart:
    """Stacked bars: each appraisal year's undiscounted costs by category.

    Args:
        appraisal: The appraisal.
    """
    years = appraisal.years
    totals = [float(row.costs_gbp) for row in years]
    ticks = nice_ticks(0.0, max([*totals, 1.0]))
    height = 300.0
    plot = _Plot(left=70, top=56, right=WIDTH - 16, bottom=height - 44, low=0, high=ticks[-1])
    shapes: list[Shape] = _legend(
        [(CATEGORY_LABELS[c], CATEGORY_COLOURS[c]) for c in CostCategory],
        x=plot.left,
        y=16,
        width=plot.right - plot.left,
    )
    shapes += _value_axis(plot, ticks)
    slot = (plot.right - plot.left) / max(len(years), 1)
    bar = min(slot * 0.6, 70.0)
    for index, row in enumerate(years):
        centre = plot.left + slot * (index + 0.5)
        base = 0.0
        for category in CostCategory:
            amount = float(row.costs_by_category_gbp.get(category, Decimal(0)))
            if amount <= 0:
                continue
            top = plot.y(base + amount)
            shapes.append(
                Rect(
                    centre - bar / 2,
                    top,
                    bar,
                    plot.y(base) - top,
                    fill=CATEGORY_COLOURS[category],
                )
            )
            base += amount
        shapes.append(
            Text(centre, plot.bottom + 16, f"Year {row.year}", size=10, anchor=Anchor.MIDDLE)
        )
        shapes.append(
            Text(
                centre,
                plot.bottom + 30,
                f"from {row.starts_on:%b %Y}",
                size=9,
                anchor=Anchor.MIDDLE,
                fill=AXIS_COLOUR,
            )
        )
    biggest = max(range(len(years)), key=lambda i: totals[i]) if years else None
    description = (
        f"Costs in each of the {len(years)} appraisal years, not discounted, stacked by "
        "category."
        + (
            f" The largest is year {years[biggest].year}."
            if biggest is not None and totals[biggest] > 0
            else ""
        )
    )
    return Chart(
        title="Costs by category and appraisal year (not discounted)",
        description=description,
        width=WIDTH,
        height=height,
        shapes=tuple(shapes),
    )


def cumulative_chart(appraisal: Appraisal) -> Chart:
    """The cumulative discounted net benefit month by month, with the break-even month marked.

    Args:
        appraisal: The appraisal.
    """
    months = appraisal.months
    values = [float(row.cumulative_discounted_net_gbp) for row in months]
    ticks = nice_ticks(min([*values, 0.0]), max([*values, 0.0]))
    height = 280.0
    plot = _Plot(
        left=70, top=20, right=WIDTH - 16, bottom=height - 44, low=ticks[0], high=ticks[-1]
    )
    shapes: list[Shape] = _value_axis(plot, ticks)
    count = max(len(months), 1)

    def month_x(index: int) -> float:
        return plot.left + (index + 0.5) / count * (plot.right - plot.left)

    shapes.append(
        Polyline(
            tuple((month_x(i), plot.y(v)) for i, v in enumerate(values)),
            stroke=NHS_BLUE,
            stroke_width=2.5,
        )
    )
    for row in months:
        if row.month_index % 12 == 0:
            x = month_x(row.month_index)
            shapes.append(Line(x, plot.bottom, x, plot.bottom + 4, stroke=AXIS_COLOUR))
            shapes.append(
                Text(x, plot.bottom + 16, f"{row.on:%b %Y}", size=10, anchor=Anchor.MIDDLE)
            )
    shapes.append(
        Text(
            (plot.left + plot.right) / 2,
            plot.bottom + 34,
            "Month of the appraisal",
            size=10,
            anchor=Anchor.MIDDLE,
            fill=AXIS_COLOUR,
        )
    )
    payback = appraisal.discounted_payback_month
    if payback is not None:
        index = payback - 1
        x = month_x(index)
        shapes.append(
            Line(x, plot.top, x, plot.bottom, stroke=NHS_GREEN, stroke_width=1.5, dashed=True)
        )
        on = months[index].on
        label = f"Break-even: month {payback} ({on:%b %Y})"
        anchor = Anchor.START if x < (plot.left + plot.right) / 2 else Anchor.END
        offset = 5 if anchor is Anchor.START else -5
        shapes.append(
            Text(
                x + offset, plot.top + 14, label, size=11, anchor=anchor, bold=True, fill=NHS_GREEN
            )
        )
        description = (
            f"Cumulative discounted net benefit over {len(months)} months; it reaches zero "
            f"(break-even) in month {payback}, {on:%B %Y}."
        )
    else:
        shapes.append(
            Text(
                plot.right,
                plot.top + 14,
                "No break-even within the horizon",
                size=11,
                anchor=Anchor.END,
                bold=True,
                fill=NHS_RED,
            )
        )
        description = (
            f"Cumulative discounted net benefit over {len(months)} months; it stays below zero "
            "to the end of the horizon."
        )
    return Chart(
        title="Cumulative discounted net benefit",
        description=description,
        width=WIDTH,
        height=height,
        shapes=tuple(shapes),
    )


def npv_histogram_chart(simulation: MonteCarloResult) -> Chart:
    """The Monte Carlo draws' NPVs as a histogram, with P10, P50, P90 and zero marked.

    Args:
        simulation: The Monte Carlo result.
    """
    draws: npt.NDArray[np.float64] = np.asarray(simulation.npv_draws_gbp, dtype=float)
    low, high = spread(float(draws.min()), float(draws.max()))
    ticks = nice_ticks(min(low, 0.0) if low < 0 < high else low, high)
    counts, edges = np.histogram(draws, bins=HISTOGRAM_BINS, range=(low, high))
    height = 318.0
    left, right = 56.0, WIDTH - 16
    x_scale = _Plot(
        left=left, top=58, right=right, bottom=height - 44, low=ticks[0], high=ticks[-1]
    )
    top_count = float(max(int(counts.max()), 1))
    shapes: list[Shape] = _money_axis_x(x_scale, ticks)
    for count, start, end in zip(
        counts.tolist(), edges[:-1].tolist(), edges[1:].tolist(), strict=True
    ):
        if count == 0:
            continue
        bar_top = x_scale.bottom - count / top_count * (x_scale.bottom - x_scale.top)
        x1, x2 = x_scale.x(start), x_scale.x(end)
        shapes.append(
            Rect(x1, bar_top, max(x2 - x1 - 0.5, 0.5), x_scale.bottom - bar_top, fill=NHS_BLUE)
        )
    shapes.append(Line(left, x_scale.bottom, right, x_scale.bottom, stroke=AXIS_COLOUR))
    summary = simulation.npv
    placed: list[float] = []
    for label, value in (
        ("P10", summary.p10_gbp),
        ("P50", summary.p50_gbp),
        ("P90", summary.p90_gbp),
    ):
        x = x_scale.x(float(value))
        # a label near one already placed goes above it, so the two can be read
        lift = 12 * sum(1 for other in placed if abs(other - x) < LABEL_GAP)
        placed.append(x)
        shapes.append(Line(x, x_scale.top - 4, x, x_scale.bottom, stroke=TEXT_COLOUR, dashed=True))
        shapes.append(
            Text(x, x_scale.top - 8 - lift, label, size=10, anchor=Anchor.MIDDLE, bold=True)
        )
    if ticks[0] < 0 < ticks[-1]:
        x = x_scale.x(0.0)
        shapes.append(Line(x, x_scale.top, x, x_scale.bottom, stroke=NHS_RED, stroke_width=2))
    chance = f"{float(summary.probability_positive) * 100:.2f}%"
    shapes.append(
        Text(
            right,
            16,
            f"NPV above zero in {chance} of {simulation.draws:,} draws",
            size=11,
            anchor=Anchor.END,
            bold=True,
        )
    )
    shapes.append(
        Text(
            (left + right) / 2,
            height - 10,
            "Net present value",
            size=10,
            anchor=Anchor.MIDDLE,
            fill=AXIS_COLOUR,
        )
    )
    return Chart(
        title="Net present value over the Monte Carlo draws",
        description=(
            f"Histogram of {simulation.draws:,} simulated net present values; the 10th, 50th "
            "and 90th percentiles are marked, and zero in red. The NPV is above zero in "
            f"{chance} of draws."
        ),
        width=WIDTH,
        height=height,
        shapes=tuple(shapes),
    )


def tornado_chart(bars: Sequence[TornadoBar], *, centre_gbp: Decimal) -> Chart:
    """One-at-a-time sensitivities: NPV with each input at its low and at its high.

    Args:
        bars: The tornado bars, largest swing first (at most :data:`TORNADO_BARS` drawn).
        centre_gbp: The NPV with every input at its value.
    """
    shown = list(bars[:TORNADO_BARS])
    centre = float(centre_gbp)
    ends = [float(v) for bar in shown for v in (bar.npv_at_low_gbp, bar.npv_at_high_gbp)]
    ticks = nice_ticks(*spread(min([*ends, centre]), max([*ends, centre])))
    row_height = 26.0
    top = 36.0
    height = top + row_height * max(len(shown), 1) + 44
    plot = _Plot(
        left=250, top=top, right=WIDTH - 16, bottom=height - 44, low=ticks[0], high=ticks[-1]
    )
    shapes: list[Shape] = _money_axis_x(plot, ticks)
    shapes += _legend(
        [("Input at its low", "#768692"), ("Input at its high", NHS_BLUE)],
        x=plot.left,
        y=16,
        width=plot.right - plot.left,
    )
    for index, bar in enumerate(shown):
        y = top + row_height * index + 4
        for value, colour in ((bar.npv_at_low_gbp, "#768692"), (bar.npv_at_high_gbp, NHS_BLUE)):
            if abs(float(value) - centre) < PENNY_GBP:
                continue  # the input does not move the NPV by a penny
            x1, x2 = sorted((plot.x(centre), plot.x(float(value))))
            shapes.append(Rect(x1, y, max(x2 - x1, 0.5), row_height - 8, fill=colour))
        label = bar.label if len(bar.label) <= 40 else bar.label[:39] + "…"
        shapes.append(Text(plot.left - 8, y + row_height / 2, label, size=10, anchor=Anchor.END))
    x = plot.x(centre)
    shapes.append(Line(x, plot.top - 4, x, plot.bottom, stroke=TEXT_COLOUR, stroke_width=1.5))
    widest = shown[0].label if shown else "none"
    return Chart(
        title="What moves the net present value most (one input at a time)",
        description=(
            f"Tornado chart of {len(shown)} inputs: each bar spans the NPV with that input at "
            f"its low and at its high, the others at their values; the widest is {widest}."
        ),
        width=WIDTH,
        height=height,
        shapes=tuple(shapes),
    )
