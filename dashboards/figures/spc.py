"""XmR (SPC) charts the Making Data Count way, drawn from models.spc.xmr frames, and their text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from dashboards.figures.theme import (
    NHS_DARK_GREY,
    NHS_PALE_GREY,
    NHS_RED,
    TEXT_COLOUR,
    Figure,
    base_layout,
    plain_figure,
)
from models.spc import Assurance, Improvement, PointType, Variation, summarise

COMMON_CAUSE_GREY = "#7B7D7D"
IMPROVEMENT_BLUE = "#289DE0"
CONCERN_ORANGE = "#FAB428"
NEUTRAL_PURPLE = "#361475"

DSCR_GO_LIVE = (("2025-02-13", "DSCR go-live"),)
"""The default annotation: when the digital social care record went live."""


@dataclass(frozen=True, slots=True)
class _Marker:
    name: str
    colour: str
    symbol: str
    size: int


# Shape as well as colour tells the point types apart, for readers who cannot tell the colours.
_MARKERS: dict[PointType, _Marker] = {
    "common_cause": _Marker("Common cause", COMMON_CAUSE_GREY, "circle", 7),
    "special_cause_improvement": _Marker(
        "Special cause: improving", IMPROVEMENT_BLUE, "diamond", 11
    ),
    "special_cause_concern": _Marker("Special cause: concerning", CONCERN_ORANGE, "square", 10),
    "special_cause_neutral_high": _Marker(
        "Special cause: higher (neutral)", NEUTRAL_PURPLE, "triangle-up", 11
    ),
    "special_cause_neutral_low": _Marker(
        "Special cause: lower (neutral)", NEUTRAL_PURPLE, "triangle-down", 11
    ),
}
_RULES = {
    "beyond_limit": "beyond a process limit",
    "trend": "part of a run rising or falling",
    "two_of_three": "two of three points close to a limit",
    "shift": "part of a run on one side of the mean",
}

VARIATION_LABELS: dict[Variation, str] = {
    "common_cause": "Common cause variation: no significant change",
    "special_cause_improvement_high": "Special cause variation: improving, higher",
    "special_cause_improvement_low": "Special cause variation: improving, lower",
    "special_cause_concern_high": "Special cause variation: concerning, higher",
    "special_cause_concern_low": "Special cause variation: concerning, lower",
    "special_cause_neutral_high": "Special cause variation: higher, neither better nor worse",
    "special_cause_neutral_low": "Special cause variation: lower, neither better nor worse",
}
"""What each variation icon means, in words (labels, alt text, text alternatives)."""
ASSURANCE_LABELS: dict[Assurance, str] = {
    "consistently_passing": "The process will consistently meet the target",
    "consistently_failing": "The process will consistently miss the target",
    "hit_and_miss": "The process will hit and miss the target at random",
}
"""What each assurance icon means, in words."""
_ASSURANCE_SENTENCES: dict[Assurance, str] = {
    "consistently_passing": "The process will consistently meet the target of {target}.",
    "consistently_failing": "The process will consistently miss the target of {target}.",
    "hit_and_miss": "The process will hit and miss the target of {target} at random.",
}


def spc_figure(
    frame: pl.DataFrame,
    *,
    title: str | None,
    y_title: str,
    improvement: Improvement,
    x: Sequence[date | datetime | str] | pl.Series | None = None,
    target: float | None = None,
    annotations: Sequence[tuple[str | date, str]] = DSCR_GO_LIVE,
    show_near_band: bool = False,
    non_negative: bool = False,
) -> Figure:
    """Draw an XmR chart: values, mean, labelled process limits and special-cause points.

    Args:
        frame: A :func:`models.spc.xmr` frame (one row per period, gaps included).
        title: The figure's title; ``None`` when the page heading names the chart.
        y_title: The measure and its unit, e.g. "Falls per 1,000 occupied bed days".
        improvement: The direction the frame was computed with (stated under the chart).
        x: One period per row (dates, usually first days of months); ``None`` numbers points.
        target: Drawn as a dashed line when given.
        annotations: ``(date, label)`` pairs drawn as labelled vertical lines, such as go-live;
            dates outside ``x`` (or any date when ``x`` is ``None``) are left out.
        show_near_band: Shade the close-to-limit bands.
        non_negative: The measure cannot be negative (a rate or a count): a lower process
            limit below zero is drawn and labelled at zero, and the note under the chart says
            so. The frame's limits, and so the special-cause rules, are left as computed.

    Returns:
        The figure as plain data (``data`` and ``layout``, which ``dcc.Graph`` draws); mean
        and limits are drawn per segment, so a rebase shows as a step.

    Raises:
        ValueError: If ``x`` does not have one entry per row of ``frame``.
    """
    xs = _x_values(frame, x)
    traces: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    segments = _segments(frame)
    floor = 0.0 if non_negative else None
    if show_near_band:
        traces += _near_bands(segments, xs, floor=floor)
    process_traces, process_notes = _process_lines(segments, xs, floor=floor)
    traces += process_traces
    notes += process_notes
    if target is not None and xs:
        traces.append(
            {
                "type": "scatter",
                "name": f"Target ({_number(target)})",
                "x": [xs[0], xs[-1]],
                "y": [target, target],
                "mode": "lines",
                "line": {"color": NHS_RED, "dash": "dash", "width": 2},
                "hoverinfo": "skip",
            }
        )
    traces += _values(frame, xs)
    annotation_shapes, annotation_notes = _annotations(xs, annotations)
    shapes += annotation_shapes
    notes += annotation_notes
    layout = base_layout(title=title)
    layout.update(
        height=520,
        margin={**layout["margin"], "r": 150, "b": 150},
        hovermode="closest",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.22, "yanchor": "top"},
        yaxis={"title": {"text": y_title}, "gridcolor": NHS_PALE_GREY, "linecolor": NHS_DARK_GREY},
        xaxis={
            "title": {
                "text": _notes(
                    frame, improvement=improvement, floored=_is_floored(segments, floor=floor)
                ),
                "font": {"size": 13},
            },
            "linecolor": NHS_DARK_GREY,
            "showgrid": False,
        },
    )
    if notes:
        layout["annotations"] = notes
    if shapes:
        layout["shapes"] = shapes
    return plain_figure(data=traces, layout=layout)


def describe_spc(
    frame: pl.DataFrame,
    *,
    y_title: str,
    improvement: Improvement,
    x: Sequence[date | datetime | str] | pl.Series | None = None,
    target: float | None = None,
    non_negative: bool = False,
) -> str:
    """Summarise :func:`spc_figure` in one paragraph, as its text alternative.

    Args:
        frame: A :func:`models.spc.xmr` frame (one row per period, gaps included).
        y_title: The measure and its unit, which the paragraph starts with.
        improvement: The direction the frame was computed with.
        x: One period per row, as given to :func:`spc_figure`.
        target: The target, if one is set (the paragraph then ends with the assurance).
        non_negative: As for :func:`spc_figure`: a latest lower limit below zero is given as
            zero, saying so.
    """
    summary = summarise(frame, improvement=improvement, target=target)
    if summary.variation is None or summary.value is None or summary.mean is None:
        return f"{y_title}: there are no values to chart yet."
    xs = _x_values(frame, x)
    labels = [_label(value) for value in xs]
    present = frame.with_row_index("position").filter(pl.col("value").is_not_null())
    first, last = present["position"][0], present["position"][-1]
    span = (
        f"1 point, {labels[last]}"
        if present.height == 1
        else (f"{present.height} points from {labels[first]} to {labels[last]}")
    )
    sentences = [f"{y_title}: {span}."]
    lower = _shown_lower(summary.lpl, floor=0.0 if non_negative else None)
    limits = (
        f"process limits {_number(lower)} to {_number(summary.upl)}"
        if isinstance(lower, float) and summary.upl is not None
        else "no process limits yet"
    )
    asides = [LOWER_LIMIT_AT_ZERO] if lower != summary.lpl else []
    if summary.is_trial_limits:
        asides.append("trial limits: fewer than 12 points")
    aside = f" ({'; '.join(asides)})" if asides else ""
    sentences.append(
        f"Latest value {_number(summary.value)}; mean {_number(summary.mean)}, {limits}{aside}."
    )
    starts = frame.filter(pl.col("segment").diff() > 0)["index"].to_list()
    if starts:
        sentences.append(f"Limits recalculated from {', '.join(labels[i] for i in starts)}.")
    sentences.append(f"Latest point: {VARIATION_LABELS[summary.variation].lower()}.")
    sentences.append(_special_cause_counts(present))
    if summary.assurance is not None and target is not None:
        sentences.append(_ASSURANCE_SENTENCES[summary.assurance].format(target=_number(target)))
    return " ".join(sentences)


def _x_values(
    frame: pl.DataFrame, x: Sequence[date | datetime | str] | pl.Series | None
) -> list[date | datetime | str | int]:
    if x is None:
        return [index + 1 for index in frame["index"].to_list()]
    values = x.to_list() if isinstance(x, pl.Series) else list(x)
    if len(values) != frame.height:
        raise ValueError(f"x has {len(values)} entries for {frame.height} rows")
    return values


_Segment = tuple[int, int, dict[str, object]]
"""A segment's first row, last row and first row's values."""


def _segments(frame: pl.DataFrame) -> list[_Segment]:
    """Return (first row, last row, first row's values) for each segment."""
    bounds = (
        frame.with_row_index("row")
        .group_by("segment", maintain_order=True)
        .agg(pl.col("row").first().alias("first"), pl.col("row").last().alias("last"))
    )
    return [
        (first, last, frame.row(first, named=True))
        for first, last in bounds.select("first", "last").iter_rows()
    ]


LOWER_LIMIT_AT_ZERO = "lower limit set at zero: rates cannot be negative"
"""Said wherever a lower process limit below zero is shown as zero."""


def _shown_lower(value: float | None, *, floor: float | None) -> float | None:
    """A lower process limit as shown: ``floor`` when it lies below it (``None`` stays)."""
    if floor is not None and value is not None and value < floor:
        return floor
    return value


def _is_floored(segments: Sequence[_Segment], *, floor: float | None) -> bool:
    """Whether any segment's lower process limit is drawn at ``floor`` instead of its value."""
    return any(_shown_lower(_limit(row, "lpl"), floor=floor) != row["lpl"] for *_, row in segments)


def _limit(row: dict[str, object], column: str) -> float | None:
    """A segment's mean or limit (``None`` before the segment has enough points)."""
    value = row[column]
    return value if isinstance(value, float) else None


def _process_lines(
    segments: Sequence[_Segment],
    xs: Sequence[object],
    *,
    floor: float | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mean and limits per segment (a gap between segments), and their labels on the right."""
    lines = (
        ("mean", "Mean", {"color": TEXT_COLOUR, "width": 1.5}),
        ("upl", "Upper process limit", {"color": NHS_DARK_GREY, "dash": "dash", "width": 1.5}),
        ("lpl", "Lower process limit", {"color": NHS_DARK_GREY, "dash": "dash", "width": 1.5}),
    )
    traces: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for column, name, style in lines:
        line_x: list[object] = []
        line_y: list[float | None] = []
        for first, last, row in segments:
            value = _limit(row, column)
            if column == "lpl":
                value = _shown_lower(value, floor=floor)
            if value is not None:
                line_x += [xs[first], xs[last], None]
                line_y += [value, value, None]
        if not line_x:
            continue
        traces.append(
            {
                "type": "scatter",
                "name": name,
                "x": line_x,
                "y": line_y,
                "mode": "lines",
                "line": style,
                "hoverinfo": "skip",
            }
        )
        last_value = line_y[-2]
        notes.append(
            {
                "x": line_x[-2],
                "y": last_value,
                "text": f"{name.replace(' process', '')} {_number(last_value)}",
                "showarrow": False,
                "xanchor": "left",
                "xshift": 8,
                "font": {"size": 12, "color": TEXT_COLOUR},
            }
        )
    return traces, notes


def _near_bands(
    segments: Sequence[_Segment],
    xs: Sequence[object],
    *,
    floor: float | None,
) -> list[dict[str, Any]]:
    band_x: list[object] = []
    band_y: list[float | None] = []
    for first, last, row in segments:
        mean, lpl, upl = row["mean"], row["lpl"], row["upl"]
        if not isinstance(mean, float) or not isinstance(lpl, float) or not isinstance(upl, float):
            continue
        for limit in (upl, lpl):
            edge = _shown_lower(mean + (limit - mean) * 2 / 3, floor=floor)
            shown = _shown_lower(limit, floor=floor)
            band_x += [xs[first], xs[last], xs[last], xs[first], xs[first], None]
            band_y += [edge, edge, shown, shown, edge, None]
    if not band_x:
        return []
    return [
        {
            "type": "scatter",
            "name": "Close to a limit",
            "x": band_x,
            "y": band_y,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": "rgba(123, 125, 125, 0.12)",
            "line": {"width": 0},
            "hoverinfo": "skip",
        }
    ]


def _values(frame: pl.DataFrame, xs: Sequence[object]) -> list[dict[str, Any]]:
    """The value line (gaps left open) and one marker trace per point type present."""
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "name": "Value",
            "x": list(xs),
            "y": frame["value"].to_list(),
            "mode": "lines",
            "line": {"color": COMMON_CAUSE_GREY, "width": 1.5},
            "connectgaps": False,
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    rows = list(frame.select("value", "point_type", "rule").iter_rows(named=True))
    for point_type, marker in _MARKERS.items():
        chosen = [(xs[i], row) for i, row in enumerate(rows) if row["point_type"] == point_type]
        if not chosen:
            continue
        traces.append(
            {
                "type": "scatter",
                "name": marker.name,
                "x": [x for x, _ in chosen],
                "y": [row["value"] for _, row in chosen],
                "mode": "markers",
                "marker": {
                    "color": marker.colour,
                    "symbol": marker.symbol,
                    "size": marker.size,
                    "line": {"color": TEXT_COLOUR, "width": 1},
                },
                "hovertext": [_hover(_label(x), row, marker) for x, row in chosen],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return traces


def _hover(label: str, row: dict[str, object], marker: _Marker) -> str:
    value = row["value"]
    text = f"{label}<br>{_number(value) if isinstance(value, float) else ''}<br>{marker.name}"
    rule = row["rule"]
    return f"{text}: {_RULES[rule]}" if isinstance(rule, str) else text


def _annotations(
    xs: Sequence[object], annotations: Sequence[tuple[str | date, str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A dotted vertical line (shape) and its label (annotation) per date within ``xs``."""
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    dates = [_as_date(value) for value in xs]
    known = [value for value in dates if value is not None]
    if not known or len(known) != len(dates):
        return shapes, notes
    for when, label in annotations:
        day = _as_date(when)
        if day is None or not min(known) <= day <= max(known):
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"color": NHS_DARK_GREY, "dash": "dot", "width": 2},
            }
        )
        notes.append(
            {
                "x": day,
                "y": 1,
                "yref": "paper",
                "text": label,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                "xshift": 4,
                "bgcolor": "rgba(255, 255, 255, 0.85)",
                "font": {"size": 12, "color": TEXT_COLOUR},
            }
        )
    return shapes, notes


def _notes(frame: pl.DataFrame, *, improvement: Improvement, floored: bool = False) -> str:
    """Say which direction is better, whether any limits are trial limits, and any floor."""
    notes = {
        "increase": "Higher is better.",
        "decrease": "Lower is better.",
        "neutral": "Neither direction is better.",
    }[improvement]
    if frame["is_trial_limits"].any():
        notes += " Trial limits where a period has fewer than 12 points."
    if floored:
        notes += f" {LOWER_LIMIT_AT_ZERO[0].upper()}{LOWER_LIMIT_AT_ZERO[1:]}."
    return notes


def _special_cause_counts(present: pl.DataFrame) -> str:
    counts = present["point_type"].value_counts()
    by_type = dict(zip(counts["point_type"].to_list(), counts["count"].to_list(), strict=True))
    special = present.height - by_type.get("common_cause", 0)
    if special == 0:
        return "No point shows special cause variation."
    parts = [
        f"{by_type[name]} {word}"
        for name, word in (
            ("special_cause_improvement", "improving"),
            ("special_cause_concern", "concerning"),
            ("special_cause_neutral_high", "higher"),
            ("special_cause_neutral_low", "lower"),
        )
        if by_type.get(name)
    ]
    noun = "point shows" if special == 1 else "points show"
    return f"{special} {noun} special cause variation: {', '.join(parts)}."


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _label(value: object) -> str:
    """Name a period: "Feb 2025" for the first of a month, "13 Feb 2025" otherwise."""
    day = _as_date(value)
    if day is None:
        return f"point {value}" if isinstance(value, int) else str(value)
    return f"{day:%b %Y}" if day.day == 1 else f"{day.day} {day:%b %Y}"


def _number(value: float | None) -> str:
    """Format to three significant figures (no trailing zeros), with thousands separators."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
