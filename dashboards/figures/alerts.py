"""The alerts page's figures: volumes by day, false alarms by category, burden, heatmap.

Plain-data Plotly figures in NHS colours, each with a text alternative that says what it shows.
The SPC chart of the weekly false-alarm share is :func:`dashboards.figures.spc.spc_figure`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import polars as pl

from dashboards.figures.heatmap import describe_falls_heatmap, falls_heatmap_figure
from dashboards.figures.theme import (
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    Figure,
    base_layout,
    plain_figure,
)

NHS_AQUA_GREEN = "#00A499"
NHS_WARM_YELLOW = "#FFB81C"
NHS_PURPLE = "#330072"
NHS_DARK_PINK = "#7C2855"
NHS_ORANGE = "#ED8B00"
NHS_MID_GREY = "#768692"
SERIES_COLOURS = (
    NHS_BLUE,
    NHS_AQUA_GREEN,
    NHS_WARM_YELLOW,
    NHS_PURPLE,
    NHS_ORANGE,
    NHS_DARK_PINK,
    NHS_MID_GREY,
)
"""Colours of the stacked categories, the last for "Other categories"."""
OTHER = "Other categories"
_ONE_ALERT = re.compile(r"\b1 alerts\b")


def _counted(count: int, noun: str = "alert") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def volume_grain(day_from: date, day_to: date) -> str:
    """``day`` for periods up to 13 weeks, ``week`` beyond (bars stay readable)."""
    return "day" if (day_to - day_from).days < 91 else "week"


def volume_series(
    daily: pl.DataFrame, *, grain: str, label: Callable[[str], str], top: int
) -> pl.DataFrame:
    """Alerts per period (day or ISO week) and category, the ``top`` busiest named, others summed.

    Summed in Python: the frame has a row per day, location and category with alerts (a few
    hundred to a few thousand), and each Polars step on it costs more than the loop.

    Returns:
        ``period``, ``series`` (a category's label, or :data:`OTHER`), ``alerts``; one row per
        period and series with alerts, oldest first.
    """
    days = daily["day"].to_list()
    categories = daily["category"].to_list()
    counts = daily["alerts_raised"].to_list()
    by_category: defaultdict[str, int] = defaultdict(int)
    for category, count in zip(categories, counts, strict=True):
        by_category[category] += count
    busiest = sorted(by_category, key=lambda category: (-by_category[category], category))[:top]
    names = dict.fromkeys(by_category, OTHER) | {category: label(category) for category in busiest}
    sums: defaultdict[tuple[date, str], int] = defaultdict(int)
    for day, category, count in zip(days, categories, counts, strict=True):
        period = day if grain == "day" else day - timedelta(days=day.weekday())
        sums[(period, names[category])] += count
    keys = sorted(sums)
    return pl.DataFrame(
        {
            "period": [period for period, _name in keys],
            "series": [name for _period, name in keys],
            "alerts": [sums[key] for key in keys],
        },
        schema={"period": pl.Date, "series": pl.String, "alerts": pl.Int64},
    )


def _series_totals(series: pl.DataFrame) -> dict[str, int]:
    totals: defaultdict[str, int] = defaultdict(int)
    for name, count in zip(series["series"], series["alerts"], strict=True):
        totals[name] += count
    return totals


def volume_figure(series: pl.DataFrame, *, grain: str) -> Figure:
    """Stacked bars of alerts per day or week by category (the busiest first in the legend)."""
    totals = _series_totals(series)
    order = sorted(totals, key=lambda name: (name == OTHER, -totals[name], name))
    points: dict[str, tuple[list[str], list[int]]] = {name: ([], []) for name in order}
    for period, name, count in series.iter_rows():
        points[name][0].append(period.isoformat())
        points[name][1].append(count)
    traces = []
    for index, name in enumerate(order):
        colour = SERIES_COLOURS[-1] if name == OTHER else SERIES_COLOURS[index % 6]
        traces.append(
            {
                "type": "bar",
                "name": name,
                "x": points[name][0],
                "y": points[name][1],
                "marker": {"color": colour},
                "hovertemplate": f"{name}: %{{y:,}}<extra>%{{x|%-d %b %Y}}</extra>",
            }
        )
    layout = base_layout(title=None)
    layout.update(
        barmode="stack",
        height=380,
        margin={"l": 70, "r": 20, "t": 70, "b": 60},
        xaxis={
            "title": {"text": "Day" if grain == "day" else "Week commencing (Monday)"},
            "type": "date",
            "tickformat": "%-d %b %Y",
            "linecolor": NHS_DARK_GREY,
        },
        yaxis={"title": {"text": "Alerts raised"}, "rangemode": "tozero", "gridcolor": "#E8EDEE"},
    )
    return plain_figure(data=traces, layout=layout)


def describe_volumes(series: pl.DataFrame, *, grain: str, where: str, period_text: str) -> str:
    """The volume chart in words: total, busiest period, mean per period, biggest categories."""
    total = int(series["alerts"].sum()) if series.height else 0
    if total == 0:
        return f"No alerts were raised at {where} from {period_text}."
    per: defaultdict[date, int] = defaultdict(int)
    for period, count in zip(series["period"], series["alerts"], strict=True):
        per[period] += count
    busiest = min(per, key=lambda period: (-per[period], period))
    noun = "day" if grain == "day" else "week"
    when = _day(busiest) if grain == "day" else f"the week of {_day(busiest)}"
    totals = _series_totals(series)
    largest = sorted(
        (name for name in totals if name != OTHER), key=lambda name: (-totals[name], name)
    )[:3]
    biggest = ", ".join(
        f"{name.lower()} {_counted(totals[name])} ({totals[name] / total:.0%})" for name in largest
    )
    return (
        f"{_counted(total)} raised at {where} from {period_text}, by {noun} and category. "
        f"Busiest {noun}: {when} ({_counted(per[busiest])}); on average "
        f"{total / len(per):,.1f} per {noun} with alerts. Largest categories: {biggest}."
    )


def ranking_figure(ranked: pl.DataFrame, *, labels: Sequence[str]) -> Figure:
    """Horizontal bars of false alarms and duplicates per category or location, most at the top."""
    layout = base_layout(title=None)
    layout.update(
        barmode="stack",
        height=max(240, 40 * ranked.height + 110),
        margin={"l": 200, "r": 20, "t": 60, "b": 50},
        xaxis={"title": {"text": "Alerts closed as"}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
    )
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": list(labels),
            "x": ranked[column].to_list(),
            "marker": {"color": colour},
            "hovertemplate": f"%{{y}}: %{{x:,}} {name.lower()}<extra></extra>",
        }
        for name, column, colour in (
            ("False alarms", "false_alarms", NHS_DARK_BLUE),
            ("Duplicates", "duplicates", NHS_MID_GREY),
        )
    ]
    return plain_figure(data=traces, layout=layout)


def describe_ranking(ranked: pl.DataFrame, *, labels: Sequence[str], what: str) -> str:
    """The ranking in words: the top three with their false alarms and share of closed alerts."""
    if ranked.is_empty() or int(ranked["false_alarms"].sum()) == 0:
        return f"No alerts were closed as false alarms in this period, by {what}."
    parts = []
    for label, row in zip(labels[:3], ranked.head(3).iter_rows(named=True), strict=False):
        share = row["false_alarm_share"]
        share_text = f", {share:.0%} of the {row['alerts_closed']:,} closed" if share else ""
        parts.append(f"{label} ({_counted(row['false_alarms'], 'false alarm')}{share_text})")
    total = int(ranked["false_alarms"].sum())
    return (
        f"{_counted(total, 'false alarm')} in this period, by {what}, most first. "
        f"The most: {'; '.join(parts)}."
    )


def burden_figure(totals: pl.DataFrame) -> Figure:
    """Alerts per care-worker shift and per manager shift by month (a line each)."""
    months = [month.isoformat() for month in totals["month"]]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": months,
            "y": totals[column].to_list(),
            "line": {"color": colour, "width": 2, "dash": dash},
            "marker": {"symbol": symbol, "size": 8, "color": colour},
            "hovertemplate": f"{name}: %{{y:.2f}}<extra>%{{x|%b %Y}}</extra>",
        }
        for name, column, colour, dash, symbol in (
            ("Per care-worker shift", "alerts_per_care_worker_shift", NHS_BLUE, "solid", "circle"),
            ("Per manager shift", "alerts_per_manager_shift", NHS_DARK_PINK, "dash", "square"),
        )
    ]
    layout = base_layout(title=None)
    layout.update(
        height=340,
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
        xaxis={
            "title": {"text": "Month"},
            "type": "date",
            "tickformat": "%b %Y",
            "dtick": "M1",
            "linecolor": NHS_DARK_GREY,
        },
        yaxis={"title": {"text": "Alerts per shift"}, "rangemode": "tozero"},
    )
    return plain_figure(data=traces, layout=layout)


def describe_burden(totals: pl.DataFrame, *, where: str) -> str:
    """The burden chart in words: the latest month's alerts per shift and the range."""
    if totals.is_empty():
        return f"No alerts or shifts are recorded at {where} in this period."
    latest = totals.row(-1, named=True)
    month = latest["month"].strftime("%B %Y")
    care = latest["alerts_per_care_worker_shift"]
    manager = latest["alerts_per_manager_shift"]
    sentences = [
        f"Alerts per shift at {where}, by month, {totals.height} "
        f"month{'s' if totals.height != 1 else ''}."
    ]
    if care is None:
        sentences.append(f"In {month} no care-worker shifts were recorded.")
    else:
        rates = totals["alerts_per_care_worker_shift"].drop_nulls().to_list()
        low, high = min(rates), max(rates)
        sentences.append(
            f"In {month}, {care:.2f} alerts per care-worker shift "
            f"({latest['alerts_raised']:,} alerts over {latest['care_worker_shifts']:,} "
            f"shifts); from {low:.2f} to {high:.2f} over the months shown."
        )
    if manager is None:
        sentences.append(
            f"No manager or deputy manager shifts were recorded in {month}, so there is no "
            "rate per manager shift."
        )
    else:
        sentences.append(
            f"{manager:.2f} alerts per manager shift ({latest['manager_shifts']:,} shifts)."
        )
    return " ".join(sentences)


def alerts_heatmap_figure(frame: pl.DataFrame) -> Figure:
    """Alerts by day of the week and hour of the day: the falls heatmap, counting alerts."""
    figure = falls_heatmap_figure(frame.rename({"alerts": "falls"}), noun="alerts")
    trace = figure["data"][0]
    trace["hovertext"] = [
        [_ONE_ALERT.sub("1 alert", text) for text in row] for row in trace["hovertext"]
    ]
    return figure


def describe_alerts_heatmap(frame: pl.DataFrame, *, where: str) -> str:
    """The heatmap in words (busiest hour of the week, day, hour of the day, night share)."""
    if frame.is_empty():
        return f"No alerts were raised at {where} in this period, so there is nothing to map."
    text = describe_falls_heatmap(frame.rename({"alerts": "falls"}), noun="alerts")
    return _ONE_ALERT.sub("1 alert", text)
