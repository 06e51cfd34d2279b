"""Charts of the Time page: monthly lines with a shaded range, and monthly shares.

Figures are plain data (:func:`dashboards.figures.theme.plain_figure`). Each builder has a
``describe_*`` companion giving its text alternative, shown beside the chart for screen readers.
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

NHS_AQUA_GREEN = "#00A499"
BAND_FILL = "rgba(0, 94, 184, 0.15)"
"""NHS blue, pale: the shaded range between the low and high lines."""


def month_text(month: date) -> str:
    """``Mar 2026``."""
    return f"{month:%b %Y}"


def _axes(*, y_title: str, tickformat: str | None = None) -> dict[str, Any]:
    y_axis: dict[str, Any] = {
        "title": {"text": y_title},
        "gridcolor": NHS_PALE_GREY,
        "linecolor": NHS_DARK_GREY,
        "zerolinecolor": NHS_DARK_GREY,
    }
    if tickformat:
        y_axis["tickformat"] = tickformat
    return {
        "xaxis": {
            "type": "date",
            "tickformat": "%b %Y",
            "dtick": "M1",
            "linecolor": NHS_DARK_GREY,
        },
        "yaxis": y_axis,
    }


def _go_live_shape(go_live: date | None) -> list[dict[str, Any]]:
    if go_live is None:
        return []
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": go_live.isoformat(),
            "x1": go_live.isoformat(),
            "y0": 0,
            "y1": 1,
            "line": {"color": NHS_DARK_GREY, "dash": "dot", "width": 1.5},
        }
    ]


def _go_live_note(go_live: date | None) -> list[dict[str, Any]]:
    if go_live is None:
        return []
    return [
        {
            "x": go_live.isoformat(),
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "text": "Go-live",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"color": NHS_DARK_GREY, "size": 12},
        }
    ]


@dataclass(frozen=True, slots=True)
class BandSeries:
    """A monthly series with a low-to-high range drawn as a shaded band.

    Attributes:
        months: First day of each month, oldest first.
        values: The central figure of each month (``None``: a gap).
        low: The low end of the range each month (``None``: no band that month).
        high: The high end.
        name: The line's legend name.
        band_name: The band's legend name.
        hover_unit: Written after each value when hovering (``min per shift``).
    """

    months: Sequence[date]
    values: Sequence[float | None]
    low: Sequence[float | None]
    high: Sequence[float | None]
    name: str
    band_name: str
    hover_unit: str


def band_figure(
    series: BandSeries,
    *,
    y_title: str,
    go_live: date | None = None,
    reference: tuple[float, str] | None = None,
) -> Figure:
    """Draw a monthly line with its range shaded behind it.

    Args:
        series: The months, values and range.
        y_title: The vertical axis title (with its unit).
        go_live: Marks DSCR go-live with a dotted vertical line, if given.
        reference: A horizontal line at ``value`` with its ``label`` (a baseline entered, or
            zero for hours released).

    Returns:
        A plain figure: the band (high, then low filled to it), the line, the reference.
    """
    x = [month.isoformat() for month in series.months]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": list(series.high),
            "line": {"width": 0, "color": BAND_FILL},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": f"{series.band_name} (high)",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": list(series.low),
            "fill": "tonexty",
            "fillcolor": BAND_FILL,
            "line": {"width": 0, "color": BAND_FILL},
            "hoverinfo": "skip",
            "name": series.band_name,
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": list(series.values),
            "name": series.name,
            "line": {"color": NHS_BLUE, "width": 2.5},
            "marker": {"color": NHS_BLUE, "size": 7},
            "hovertemplate": f"%{{x|%b %Y}}<br>%{{y:,.1f}} {series.hover_unit}<extra></extra>",
        },
    ]
    shapes = _go_live_shape(go_live)
    annotations = _go_live_note(go_live)
    if reference is not None:
        value, label = reference
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": value,
                "y1": value,
                "line": {"color": NHS_RED, "dash": "dash", "width": 1.5},
            }
        )
        annotations.append(
            {
                "x": 0,
                "y": value,
                "xref": "paper",
                "yref": "y",
                "text": label,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"color": NHS_RED, "size": 12},
            }
        )
    layout = {
        **base_layout(title=None),
        **_axes(y_title=y_title),
        "height": 380,
        "shapes": shapes,
        "annotations": annotations,
    }
    return plain_figure(data=data, layout=layout)


@dataclass(frozen=True, slots=True)
class ShareSeries:
    """One monthly share (0 to 1) to draw as a line.

    Attributes:
        name: Its legend name.
        values: The share each month (``None``: a gap).
    """

    name: str
    values: Sequence[float | None]


_SHARE_COLOURS = (NHS_BLUE, NHS_AQUA_GREEN, NHS_DARK_BLUE, NHS_RED)
_SHARE_DASHES = ("solid", "dash", "dot", "dashdot")


def shares_figure(
    months: Sequence[date],
    series: Sequence[ShareSeries],
    *,
    y_title: str,
    go_live: date | None = None,
) -> Figure:
    """Draw monthly shares as percentages from 0 to 100%, one line each (colour and dash differ).

    Args:
        months: First day of each month, oldest first.
        series: The lines (at most four).
        y_title: The vertical axis title.
        go_live: Marks DSCR go-live, if given.
    """
    x = [month.isoformat() for month in months]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": list(line.values),
            "name": line.name,
            "line": {"color": colour, "width": 2.5, "dash": dash},
            "marker": {"color": colour, "size": 7},
            "hovertemplate": f"%{{x|%b %Y}}<br>{line.name}: %{{y:.1%}}<extra></extra>",
        }
        for line, colour, dash in zip(series, _SHARE_COLOURS, _SHARE_DASHES, strict=False)
    ]
    axes = _axes(y_title=y_title, tickformat=".0%")
    axes["yaxis"]["range"] = [0, 1.05]
    layout = {
        **base_layout(title=None),
        **axes,
        "height": 340,
        "shapes": _go_live_shape(go_live),
        "annotations": _go_live_note(go_live),
    }
    return plain_figure(data=data, layout=layout)


def _known(values: Sequence[float | None]) -> list[tuple[int, float]]:
    return [(index, value) for index, value in enumerate(values) if value is not None]


def describe_band(series: BandSeries, *, unit: str, decimals: int = 1) -> str:
    """Say what :func:`band_figure` shows: first and latest month, and the latest range.

    Args:
        series: What the figure draws.
        unit: The unit after each number (``minutes per shift``).
        decimals: Decimal places of the numbers.
    """
    known = _known(series.values)
    if not known:
        return "There is no month to chart yet."
    first_index, first = known[0]
    last_index, last = known[-1]
    first_month = month_text(series.months[first_index])
    last_month = month_text(series.months[last_index])
    text = f"{series.name}: {first:,.{decimals}f} {unit} in {first_month}"
    if last_index != first_index:
        text += f", {last:,.{decimals}f} {unit} in {last_month}"
    text += f" ({len(known)} month{'s' if len(known) != 1 else ''} charted)."
    low, high = series.low[last_index], series.high[last_index]
    if low is not None and high is not None:
        text += (
            f" In {last_month} the {series.band_name.lower()} ran from {low:,.{decimals}f} to "
            f"{high:,.{decimals}f}."
        )
    return text


def describe_shares(months: Sequence[date], series: Sequence[ShareSeries]) -> str:
    """Say what :func:`shares_figure` shows: each line's first and latest share."""
    parts = []
    for line in series:
        known = _known(line.values)
        if not known:
            parts.append(f"{line.name}: no month to show.")
            continue
        (first_index, first), (last_index, last) = known[0], known[-1]
        if first_index == last_index:
            parts.append(f"{line.name}: {last:.1%} in {month_text(months[last_index])}.")
        else:
            parts.append(
                f"{line.name}: {first:.1%} in {month_text(months[first_index])}, "
                f"{last:.1%} in {month_text(months[last_index])}."
            )
    return " ".join(parts)
