"""Charts of the DSCR adoption page: the monthly rate against the 80% target, and bars.

Figures are plain data (:func:`dashboards.figures.theme.plain_figure`). Each builder has a
``describe_*`` companion giving its text alternative, shown beside the chart. Suppressed
figures (``None``) are never drawn: the text says which were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dashboards.figures.theme import (
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_PALE_GREY,
    NHS_RED,
    Figure,
    base_layout,
    plain_figure,
)

PROJECTION_FILL = "rgba(66, 85, 99, 0.18)"
"""NHS dark grey, pale: the projection's 80% interval."""


def percent_text(rate: float | None, *, places: int = 1) -> str:
    """``60.0%``; ``[c]`` for a suppressed (``None``) rate."""
    return "[c]" if rate is None else f"{rate * 100:.{places}f}%"


def month_text(month: date) -> str:
    """``Dec 2025``."""
    return f"{month:%b %Y}"


@dataclass(frozen=True, slots=True)
class RateSeries:
    """The monthly adoption rates of one ICB, oldest first (``None``: suppressed).

    Attributes:
        months: First day of each month.
        by_locations: Adopted ÷ active locations.
        by_beds: Adopted ÷ all care-home beds.
    """

    months: Sequence[date]
    by_locations: Sequence[float | None]
    by_beds: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class Projection:
    """The growth model's central rate and 80% interval for each month, oldest first.

    Attributes:
        months: First day of each month projected.
        rate: The central rate.
        low: The interval's low end (10th percentile).
        high: The interval's high end (90th percentile).
    """

    months: Sequence[date]
    rate: Sequence[float]
    low: Sequence[float]
    high: Sequence[float]


def _iso(months: Sequence[date]) -> list[str]:
    return [month.isoformat() for month in months]


def _projection_traces(projection: Projection) -> list[dict[str, Any]]:
    months = _iso(projection.months)
    hover = "%{x|%b %Y}: %{y:.1%}<extra>%{fullData.name}</extra>"
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "x": months,
            "y": list(projection.high),
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Projection, 90th percentile",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": months,
            "y": list(projection.low),
            "fill": "tonexty",
            "fillcolor": PROJECTION_FILL,
            "line": {"width": 0},
            "name": "Projection, 80% interval",
            "hovertemplate": hover,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": months,
            "y": list(projection.rate),
            "line": {"color": NHS_DARK_GREY, "dash": "dash", "width": 2},
            "name": "Projection at the current pace",
            "hovertemplate": hover,
        },
    ]


def rate_figure(
    series: RateSeries,
    *,
    target_rate: float,
    projection: Projection | None = None,
    chosen: date | None = None,
) -> Figure:
    """Draw the monthly adoption rate by locations and by beds against the target.

    Args:
        series: The observed monthly rates.
        target_rate: The target (0.80), drawn as a red dotted line.
        projection: The growth model's projection with its interval, if any.
        chosen: A month to mark with a vertical line (the date chosen on the page).
    """
    months = _iso(series.months)
    hover = "%{x|%b %Y}: %{y:.1%}<extra>%{fullData.name}</extra>"
    data: list[dict[str, Any]] = _projection_traces(projection) if projection else []
    data += [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": months,
            "y": list(series.by_locations),
            "line": {"color": NHS_BLUE, "width": 3},
            "marker": {"size": 7},
            "name": "By locations",
            "hovertemplate": hover,
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": months,
            "y": list(series.by_beds),
            "line": {"color": NHS_DARK_BLUE, "width": 2, "dash": "dot"},
            "marker": {"size": 6, "symbol": "square"},
            "name": "By care-home beds",
            "hovertemplate": hover,
        },
    ]
    shapes: list[dict[str, Any]] = [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": target_rate,
            "y1": target_rate,
            "line": {"color": NHS_RED, "dash": "dot", "width": 2},
        }
    ]
    annotations: list[dict[str, Any]] = [
        {
            "xref": "paper",
            "yref": "y",
            "x": 0,
            "y": target_rate,
            "text": f"Target {percent_text(target_rate, places=0)}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "font": {"color": NHS_RED, "size": 12},
        }
    ]
    if chosen is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": chosen.isoformat(),
                "x1": chosen.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": NHS_DARK_GREY, "dash": "dot", "width": 1.5},
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": chosen.isoformat(),
                "y": 1,
                "text": f"By {month_text(chosen)}",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "top",
                "font": {"color": NHS_DARK_GREY, "size": 12},
            }
        )
    layout = {
        **base_layout(title=None),
        "xaxis": {"type": "date", "tickformat": "%b %Y", "linecolor": NHS_DARK_GREY},
        "yaxis": {
            "title": {"text": "Locations using a DSCR"},
            "tickformat": ".0%",
            "range": [0, 1.02],
            "gridcolor": NHS_PALE_GREY,
            "linecolor": NHS_DARK_GREY,
        },
        "shapes": shapes,
        "annotations": annotations,
        "hovermode": "x unified",
    }
    return plain_figure(data=data, layout=layout)


def describe_rates(series: RateSeries, *, target_rate: float) -> str:
    """The rate chart in words: first and latest month by locations and by beds."""
    if not series.months:
        return "No month of adoption figures yet."
    first, last = series.months[0], series.months[-1]
    return (
        f"Share of active locations whose latest return says they use a DSCR, "
        f"{month_text(first)} to {month_text(last)}: by locations "
        f"{percent_text(series.by_locations[0])} then {percent_text(series.by_locations[-1])}; "
        f"by care-home beds {percent_text(series.by_beds[0])} then "
        f"{percent_text(series.by_beds[-1])}; target {percent_text(target_rate, places=0)}."
    )


@dataclass(frozen=True, slots=True)
class Bars:
    """One bar per category (``None``: suppressed, not drawn).

    Attributes:
        categories: The categories, in the order drawn (top to bottom).
        values: The rate (0 to 1) or count of each.
        is_rate: Whether the values are rates (drawn as percentages against the target).
        axis_title: What the values are.
    """

    categories: Sequence[str]
    values: Sequence[float | None]
    is_rate: bool
    axis_title: str


def bars_figure(bars: Bars, *, target_rate: float | None = None) -> Figure:
    """Draw horizontal bars for the categories whose value is shown.

    Args:
        bars: The categories and values.
        target_rate: For rates, the target drawn as a red dotted line.
    """
    shown = [
        (category, value)
        for category, value in zip(bars.categories, bars.values, strict=True)
        if value is not None
    ]
    categories = [category for category, _ in shown][::-1]
    values = [value for _, value in shown][::-1]
    text = [percent_text(value) if bars.is_rate else f"{value:,.0f}" for value in values]
    x_axis: dict[str, Any] = {
        "title": {"text": bars.axis_title},
        "gridcolor": NHS_PALE_GREY,
        "linecolor": NHS_DARK_GREY,
        "rangemode": "tozero",
    }
    if bars.is_rate:
        x_axis.update({"tickformat": ".0%", "range": [0, 1.05]})
    shapes = (
        [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": target_rate,
                "x1": target_rate,
                "y0": 0,
                "y1": 1,
                "line": {"color": NHS_RED, "dash": "dot", "width": 2},
            }
        ]
        if bars.is_rate and target_rate is not None
        else []
    )
    layout = {
        **base_layout(title=None),
        "xaxis": x_axis,
        "yaxis": {"automargin": True, "linecolor": NHS_DARK_GREY, "type": "category"},
        "shapes": shapes,
        "height": max(220, 60 + 36 * len(shown)),
        "margin": {"l": 20, "r": 30, "t": 20, "b": 60},
        "showlegend": False,
    }
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": values,
            "y": categories,
            "text": text,
            "textposition": "auto",
            "marker": {"color": NHS_BLUE},
            "hovertemplate": "%{y}: %{text}<extra></extra>",
            "name": bars.axis_title,
        }
    ]
    return plain_figure(data=data, layout=layout)


def describe_bars(bars: Bars) -> str:
    """The bars in words, naming the suppressed categories."""
    shown = [
        f"{category} {percent_text(value) if bars.is_rate else f'{value:,.0f}'}"
        for category, value in zip(bars.categories, bars.values, strict=True)
        if value is not None
    ]
    hidden = [
        category
        for category, value in zip(bars.categories, bars.values, strict=True)
        if value is None
    ]
    text = f"{bars.axis_title}: " + ("; ".join(shown) if shown else "none shown") + "."
    if hidden:
        text += f" Not shown, as the counts are small ([c]): {', '.join(hidden)}."
    return text
