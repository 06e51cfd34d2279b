"""Funnel plots (a rate against its exposure, with exact Poisson limits) and their text.

Drawn from :func:`models.funnel.funnel` results as plain-data Plotly figures: the 99.8% and
95% limit curves, the pooled average, and one point per plotted provider, coloured the SPC way
(common cause grey; concern orange on the worse side, improvement blue on the better side) and
shaped too, so the positions do not rely on colour. Providers whose counts are suppressed are
not plotted; the caption under the chart says how many.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import polars as pl

from dashboards.figures.spc import COMMON_CAUSE_GREY, CONCERN_ORANGE, IMPROVEMENT_BLUE
from dashboards.figures.theme import (
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_PALE_GREY,
    Figure,
    base_layout,
    plain_figure,
)
from models.funnel import Funnel, FunnelPosition, FunnelUnit


def _providers(count: int) -> str:
    return f"{count:,} provider{'' if count == 1 else 's'}"


def _number(value: float) -> str:
    """Three significant figures, at least two decimals below 10: 6.59, 12.3, 0.0966."""
    if value == 0:
        return "0"
    decimals = min(6, max(0, 2 - math.floor(math.log10(abs(value)))))
    return f"{value:,.{decimals}f}"


def _axis_title(text: str) -> str:
    """Break a long rate label before "per" so it fits beside a 520-pixel chart."""
    head, separator, tail = text.partition(" per ")
    return f"{head}<br>per {tail}" if separator and len(text) > 34 else text


def funnel_units(
    frame: pl.DataFrame,
    *,
    events: str,
    exposure: str,
    rate: str | None = None,
    labels: Sequence[str] = ("provider_name", "provider_id"),
) -> list[FunnelUnit]:
    """Turn a disclosure-controlled result (one row per provider) into funnel units.

    Args:
        frame: Rows as the reader returns them (suppressed counts are null).
        events: The count column (``falls``).
        exposure: The exposure column (``occupied_bed_days``).
        rate: The reader's rate column from the unrounded counts (``falls_rate``), used to
            place each point where rounding to 5 would move it.
        labels: Columns to name a point by, the first that is not null (name, then code).

    Raises:
        KeyError: If a named column is missing (none of ``labels`` counts as missing).
    """
    present = [column for column in labels if column in frame.columns]
    if not present:
        raise KeyError(f"none of the label columns {list(labels)} is in the frame")
    units: list[FunnelUnit] = []
    for row in frame.iter_rows(named=True):
        label = next((row[column] for column in present if row[column] is not None), "")
        count, days = row[events], row[exposure]
        units.append(
            FunnelUnit(
                label=str(label),
                events=None if count is None else int(count),
                exposure=None if days is None else float(days),
                unrounded_rate=None if rate is None or row[rate] is None else float(row[rate]),
            )
        )
    return units


def _limit_traces(result: Funnel) -> list[dict[str, Any]]:
    limits = result.limits
    exposure = list(limits.exposure)
    traces: list[dict[str, Any]] = []
    if not exposure:
        return traces
    for name, lower, upper, dash, width in (
        ("99.8% limits", limits.lower_99_8, limits.upper_99_8, "dash", 1.5),
        ("95% limits", limits.lower_95, limits.upper_95, "dot", 2),
    ):
        for index, values in enumerate((upper, lower)):
            traces.append(
                {
                    "type": "scatter",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": index == 0,
                    "x": exposure,
                    "y": list(values),
                    "mode": "lines",
                    "line": {"color": NHS_DARK_GREY, "dash": dash, "width": width},
                    "hoverinfo": "skip",
                }
            )
    if result.average is not None:
        traces.append(
            {
                "type": "scatter",
                "name": f"Average ({_number(result.average)})",
                "x": [0, exposure[-1]],
                "y": [result.average, result.average],
                "mode": "lines",
                "line": {"color": NHS_DARK_BLUE, "width": 2},
                "hoverinfo": "skip",
            }
        )
    return traces


def _markers(*, higher_is_worse: bool) -> dict[str, tuple[str, str, str]]:
    """Position to (legend name, colour, symbol): filled beyond 99.8%, open beyond 95%."""
    high, low = (
        (CONCERN_ORANGE, IMPROVEMENT_BLUE)
        if higher_is_worse
        else (IMPROVEMENT_BLUE, CONCERN_ORANGE)
    )
    high_word, low_word = ("concern", "better") if higher_is_worse else ("better", "concern")
    return {
        FunnelPosition.WITHIN: ("Within the 95% limits", COMMON_CAUSE_GREY, "circle"),
        FunnelPosition.ABOVE_95: (f"Above the 95% limit ({high_word})", high, "triangle-up-open"),
        FunnelPosition.ABOVE_99_8: (f"Above the 99.8% limit ({high_word})", high, "triangle-up"),
        FunnelPosition.BELOW_95: (f"Below the 95% limit ({low_word})", low, "triangle-down-open"),
        FunnelPosition.BELOW_99_8: (f"Below the 99.8% limit ({low_word})", low, "triangle-down"),
    }


def _point_traces(
    result: Funnel,
    *,
    rate_label: str,
    events_label: str,
    exposure_label: str,
    higher_is_worse: bool,
) -> list[dict[str, Any]]:
    template = (
        "<b>%{text}</b><br>"
        + rate_label
        + ": %{y:,.3r}<br>"
        + events_label
        + ": %{customdata[0]:,}<br>"
        + exposure_label
        + ": %{x:,.0f}<extra></extra>"
    )
    traces: list[dict[str, Any]] = []
    for position, (name, colour, symbol) in _markers(higher_is_worse=higher_is_worse).items():
        points = [point for point in result.points if point.position == position]
        if not points:
            continue
        traces.append(
            {
                "type": "scatter",
                "name": name,
                "x": [point.exposure for point in points],
                "y": [point.rate for point in points],
                "text": [point.label for point in points],
                "customdata": [[point.events] for point in points],
                "mode": "markers",
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": 9 if position == FunnelPosition.WITHIN else 12,
                    "line": {"color": colour, "width": 2},
                },
                "hovertemplate": template,
            }
        )
    return traces


def funnel_caption(result: Funnel) -> str:
    """The note under a funnel plot: what the average is over, and who is not shown.

    Hand-worked: 5 points and 2 suppressed providers give "Average and exact Poisson limits
    (95% and 99.8%) over the 5 providers shown. 2 providers are not shown: a count of 1 to 7 is
    suppressed."
    """
    return " ".join(_caption_sentences(result))


def _caption_sentences(result: Funnel) -> list[str]:
    shown = len(result.points)
    sentences = [
        f"Average and exact Poisson limits (95% and 99.8%) over the {_providers(shown)} shown."
        if shown
        else "No provider has enough data to plot."
    ]
    hidden = len(result.suppressed)
    if hidden:
        verb = "is" if hidden == 1 else "are"
        sentences.append(f"{_providers(hidden)} {verb} not shown: a count of 1 to 7 is suppressed.")
    return sentences


def funnel_figure(
    result: Funnel,
    *,
    title: str,
    rate_label: str,
    exposure_label: str = "Exposure",
    events_label: str = "Events",
    higher_is_worse: bool = True,
) -> Figure:
    """Draw a funnel plot: limit curves, the average and a point per plotted provider.

    Args:
        result: A :func:`models.funnel.funnel` result.
        title: The figure's title (empty for none).
        rate_label: The rate and its unit, e.g. "Falls per 1,000 occupied bed days" (y axis).
        exposure_label: The exposure, e.g. "Occupied bed days" (x axis and hover).
        events_label: The count, e.g. "Falls (rounded to 5)" (hover).
        higher_is_worse: Points above the limits are a concern (orange) and below them better
            (blue); ``False`` swaps the colours. True for falls and medication errors.

    Returns:
        The figure as plain data; the x axis's title carries :func:`funnel_caption`, a
        sentence a line.
    """
    traces = _limit_traces(result) + _point_traces(
        result,
        rate_label=rate_label,
        events_label=events_label,
        exposure_label=exposure_label,
        higher_is_worse=higher_is_worse,
    )
    layout = base_layout(title=title or None)
    top = _y_top(result)  # a little below zero too, so a provider at 0 is not on the axis line
    layout.update(
        height=520,
        margin={**layout["margin"], "l": 90, "b": 170},
        hovermode="closest",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.3, "yanchor": "top"},
        xaxis={
            "title": {
                "text": "<br>".join([exposure_label, *_caption_sentences(result)]),
                "font": {"size": 13},
            },
            "rangemode": "tozero",
            "linecolor": NHS_DARK_GREY,
            "gridcolor": NHS_PALE_GREY,
            "separatethousands": True,
        },
        yaxis={
            "title": {"text": _axis_title(rate_label)},
            "range": [-0.03 * top, top],
            "linecolor": NHS_DARK_GREY,
            "gridcolor": NHS_PALE_GREY,
        },
    )
    if not result.points:
        layout["annotations"] = [
            {
                "text": "No provider has enough data to plot.",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 16},
            }
        ]
    return plain_figure(data=traces, layout=layout)


def _y_top(result: Funnel) -> float:
    """Room for every point and the limits from the smallest provider's exposure up.

    The curves start at half the smallest exposure, where the upper limit can be far above any
    point; it is cut off there rather than squashing the points.
    """
    if not result.points:
        return 1.0
    smallest = min(point.exposure for point in result.points)
    limits = [
        upper
        for exposure, upper in zip(result.limits.exposure, result.limits.upper_99_8, strict=True)
        if exposure >= smallest
    ]
    top = max([point.rate for point in result.points] + limits + [result.average or 0.0])
    return top * 1.1 if top > 0 else 1.0


def describe_funnel(result: Funnel, *, rate_label: str) -> str:
    """Summarise :func:`funnel_figure` in one paragraph, as its text alternative.

    Hand-worked: 4 providers (3 within, 1 above the 99.8% limit) around an average of 5.25 and
    one suppressed give "Falls per 1,000 occupied bed days, 4 providers against an average of
    5.25: 3 within the 95% limits, 1 above the 99.8% limit. Average and exact ..."

    Args:
        result: A :func:`models.funnel.funnel` result.
        rate_label: The rate and its unit, which the paragraph starts with.
    """
    if not result.points or result.average is None:
        return f"{rate_label}: {funnel_caption(result)}"
    positions = Counter(point.position for point in result.points)
    words = {
        FunnelPosition.WITHIN: "within the 95% limits",
        FunnelPosition.ABOVE_95: "above the 95% limit",
        FunnelPosition.ABOVE_99_8: "above the 99.8% limit",
        FunnelPosition.BELOW_95: "below the 95% limit",
        FunnelPosition.BELOW_99_8: "below the 99.8% limit",
    }
    counts = ", ".join(
        f"{positions[position]:,} {phrase}"
        for position, phrase in words.items()
        if positions[position]
    )
    return (
        f"{rate_label}, {_providers(len(result.points))} against an average of "
        f"{_number(result.average)}: {counts}. {funnel_caption(result)}"
    )
