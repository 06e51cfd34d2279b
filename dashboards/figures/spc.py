"""XmR (SPC) charts the Making Data Count way, drawn from models.spc.xmr frames, and their text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import plotly.graph_objects as go
import polars as pl

from dashboards.figures.theme import NHS_DARK_GREY, NHS_PALE_GREY, NHS_RED, TEXT_COLOUR, base_layout
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
) -> go.Figure:
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

    Returns:
        The figure; mean and limits are drawn per segment, so a rebase shows as a step.

    Raises:
        ValueError: If ``x`` does not have one entry per row of ``frame``.
    """
    xs = _x_values(frame, x)
    figure = go.Figure(layout=base_layout(title=title))
    if show_near_band:
        _add_near_bands(figure, frame, xs)
    _add_process_lines(figure, frame, xs)
    if target is not None and xs:
        figure.add_trace(
            go.Scatter(
                name=f"Target ({_number(target)})",
                x=[xs[0], xs[-1]],
                y=[target, target],
                mode="lines",
                line={"color": NHS_RED, "dash": "dash", "width": 2},
                hoverinfo="skip",
            )
        )
    _add_values(figure, frame, xs)
    _add_annotations(figure, xs, annotations)
    figure.update_layout(
        height=520,
        margin={"r": 150, "b": 150},
        hovermode="closest",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.22, "yanchor": "top"},
    )
    figure.update_yaxes(title_text=y_title, gridcolor=NHS_PALE_GREY, linecolor=NHS_DARK_GREY)
    figure.update_xaxes(
        title_text=_notes(frame, improvement=improvement),
        title_font={"size": 13},
        linecolor=NHS_DARK_GREY,
        showgrid=False,
    )
    return figure


def describe_spc(
    frame: pl.DataFrame,
    *,
    y_title: str,
    improvement: Improvement,
    x: Sequence[date | datetime | str] | pl.Series | None = None,
    target: float | None = None,
) -> str:
    """Summarise :func:`spc_figure` in one paragraph, as its text alternative."""
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
    limits = (
        f"process limits {_number(summary.lpl)} to {_number(summary.upl)}"
        if summary.lpl is not None and summary.upl is not None
        else "no process limits yet"
    )
    trial = " (trial limits: fewer than 12 points)" if summary.is_trial_limits else ""
    sentences.append(
        f"Latest value {_number(summary.value)}; mean {_number(summary.mean)}, {limits}{trial}."
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


def _segments(frame: pl.DataFrame) -> list[tuple[int, int, dict[str, object]]]:
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


def _add_process_lines(figure: go.Figure, frame: pl.DataFrame, xs: Sequence[object]) -> None:
    """Draw mean and limits per segment (a gap between segments), labelled on the right."""
    lines = (
        ("mean", "Mean", {"color": TEXT_COLOUR, "width": 1.5}),
        ("upl", "Upper process limit", {"color": NHS_DARK_GREY, "dash": "dash", "width": 1.5}),
        ("lpl", "Lower process limit", {"color": NHS_DARK_GREY, "dash": "dash", "width": 1.5}),
    )
    segments = _segments(frame)
    for column, name, style in lines:
        line_x: list[object] = []
        line_y: list[float | None] = []
        for first, last, row in segments:
            if row[column] is not None:
                line_x += [xs[first], xs[last], None]
                line_y += [row[column], row[column], None]  # type: ignore[list-item]
        if not line_x:
            continue
        figure.add_trace(
            go.Scatter(name=name, x=line_x, y=line_y, mode="lines", line=style, hoverinfo="skip")
        )
        last_value = line_y[-2]
        figure.add_annotation(
            x=line_x[-2],
            y=last_value,
            text=f"{name.replace(' process', '')} {_number(last_value)}",
            showarrow=False,
            xanchor="left",
            xshift=8,
            font={"size": 12, "color": TEXT_COLOUR},
        )


def _add_near_bands(figure: go.Figure, frame: pl.DataFrame, xs: Sequence[object]) -> None:
    band_x: list[object] = []
    band_y: list[float | None] = []
    for first, last, row in _segments(frame):
        mean, lpl, upl = row["mean"], row["lpl"], row["upl"]
        if not isinstance(mean, float) or not isinstance(lpl, float) or not isinstance(upl, float):
            continue
        for limit in (upl, lpl):
            edge = mean + (limit - mean) * 2 / 3
            band_x += [xs[first], xs[last], xs[last], xs[first], xs[first], None]
            band_y += [edge, edge, limit, limit, edge, None]
    if band_x:
        figure.add_trace(
            go.Scatter(
                name="Close to a limit",
                x=band_x,
                y=band_y,
                mode="lines",
                fill="toself",
                fillcolor="rgba(123, 125, 125, 0.12)",
                line={"width": 0},
                hoverinfo="skip",
            )
        )


def _add_values(figure: go.Figure, frame: pl.DataFrame, xs: Sequence[object]) -> None:
    """Draw the value line (gaps left open) and one marker trace per point type present."""
    figure.add_trace(
        go.Scatter(
            name="Value",
            x=list(xs),
            y=frame["value"].to_list(),
            mode="lines",
            line={"color": COMMON_CAUSE_GREY, "width": 1.5},
            connectgaps=False,
            hoverinfo="skip",
            showlegend=False,
        )
    )
    rows = list(frame.iter_rows(named=True))
    for point_type, marker in _MARKERS.items():
        chosen = [(xs[i], row) for i, row in enumerate(rows) if row["point_type"] == point_type]
        if not chosen:
            continue
        figure.add_trace(
            go.Scatter(
                name=marker.name,
                x=[x for x, _ in chosen],
                y=[row["value"] for _, row in chosen],
                mode="markers",
                marker={
                    "color": marker.colour,
                    "symbol": marker.symbol,
                    "size": marker.size,
                    "line": {"color": TEXT_COLOUR, "width": 1},
                },
                hovertext=[_hover(_label(x), row, marker) for x, row in chosen],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )


def _hover(label: str, row: dict[str, object], marker: _Marker) -> str:
    value = row["value"]
    text = f"{label}<br>{_number(value) if isinstance(value, float) else ''}<br>{marker.name}"
    rule = row["rule"]
    return f"{text}: {_RULES[rule]}" if isinstance(rule, str) else text


def _add_annotations(
    figure: go.Figure, xs: Sequence[object], annotations: Sequence[tuple[str | date, str]]
) -> None:
    dates = [_as_date(value) for value in xs]
    known = [value for value in dates if value is not None]
    if not known or len(known) != len(dates):
        return
    for when, label in annotations:
        day = _as_date(when)
        if day is None or not min(known) <= day <= max(known):
            continue
        figure.add_shape(
            type="line",
            xref="x",
            yref="paper",
            x0=day,
            x1=day,
            y0=0,
            y1=1,
            line={"color": NHS_DARK_GREY, "dash": "dot", "width": 2},
        )
        figure.add_annotation(
            x=day,
            y=1,
            yref="paper",
            text=label,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            xshift=4,
            bgcolor="rgba(255, 255, 255, 0.85)",
            font={"size": 12, "color": TEXT_COLOUR},
        )


def _notes(frame: pl.DataFrame, *, improvement: Improvement) -> str:
    """Say which direction is better, and whether any limits are trial limits."""
    notes = {
        "increase": "Higher is better.",
        "decrease": "Lower is better.",
        "neutral": "Neither direction is better.",
    }[improvement]
    if frame["is_trial_limits"].any():
        notes += " Trial limits where a period has fewer than 12 points."
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
