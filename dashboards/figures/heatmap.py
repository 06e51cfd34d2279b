"""When falls happen: a day-of-the-week by hour-of-the-day heatmap (UK time), and its text."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from dashboards.figures.theme import (
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    Figure,
    base_layout,
    plain_figure,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Day names by ISO weekday (1 Monday to 7 Sunday)."""
HOURS = tuple(range(24))
NIGHT_HOURS = frozenset({22, 23, 0, 1, 2, 3, 4, 5, 6})
"""Hours counted as night in the text alternative (22:00 to 06:59)."""
_GRID_COLUMNS = ["weekday", "day", "hour", "falls"]
_COLOUR_SCALE = [[0.0, "#F0F4F5"], [0.01, "#DDEBF7"], [0.5, "#5B9BD5"], [1.0, NHS_DARK_BLUE]]


def hour_label(hour: int) -> str:
    """Name an hour of the day as the span it covers: ``14:00 to 14:59``."""
    return f"{hour:02d}:00 to {hour:02d}:59"


def heatmap_grid(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill a sparse ``weekday``, ``hour``, ``falls`` frame to every hour of every day.

    Args:
        frame: One row per weekday (1 to 7) and hour (0 to 23) with falls; others are zero.
            A grid this function returned is given back as it is.

    Returns:
        168 rows, Monday 00:00 first: ``weekday`` (1 to 7), ``day`` (its name), ``hour``
        (0 to 23) and ``falls`` (0 where ``frame`` has no row).
    """
    if frame.columns == _GRID_COLUMNS and frame.height == len(WEEKDAYS) * len(HOURS):
        return frame
    every = pl.DataFrame(
        {
            "weekday": [day for day in range(1, 8) for _ in HOURS],
            "hour": [hour for _ in range(1, 8) for hour in HOURS],
        },
        schema={"weekday": pl.Int32, "hour": pl.Int32},
    )
    counts = frame.select(
        pl.col("weekday").cast(pl.Int32), pl.col("hour").cast(pl.Int32), pl.col("falls")
    )
    return (
        every.join(counts, on=["weekday", "hour"], how="left")
        .with_columns(
            pl.col("falls").fill_null(0).cast(pl.Int64),
            day=pl.col("weekday").replace_strict(dict(enumerate(WEEKDAYS, start=1))),
        )
        .select(_GRID_COLUMNS)
        .sort("weekday", "hour")
    )


def falls_heatmap_figure(frame: pl.DataFrame, *, noun: str = "falls") -> Figure:
    """Draw falls by day of the week (rows, Monday at the top) and hour of the day (columns).

    Each cell shows its count (blank when none) as well as a shade of blue, so the figure
    reads without colour.

    Args:
        frame: ``weekday``, ``hour``, ``falls`` (sparse; see :func:`heatmap_grid`).
        noun: What is counted, in the plural (``"falls with harm"``), for hover text.

    Returns:
        A figure (plain data) with one heatmap trace; the page's heading names it.
    """
    counts = _counts(frame)
    singular = noun.replace("falls", "fall", 1)
    hover = [
        [
            f"{WEEKDAYS[day]}, {hour_label(hour)}: {count} {singular if count == 1 else noun}"
            for hour, count in enumerate(row)
        ]
        for day, row in enumerate(counts)
    ]
    layout = base_layout(title=None)
    layout.update(
        height=360,
        margin={"l": 100, "r": 20, "t": 20, "b": 60},
        xaxis={
            "title": {"text": "Hour of the day (UK time; 14 is 14:00 to 14:59)"},
            "type": "category",
            "linecolor": NHS_DARK_GREY,
        },
        yaxis={"autorange": "reversed", "type": "category", "linecolor": NHS_DARK_GREY},
    )
    heatmap = {
        "type": "heatmap",
        "z": counts,
        "x": [f"{hour:02d}" for hour in HOURS],
        "y": list(WEEKDAYS),
        "text": [[str(count) if count else "" for count in row] for row in counts],
        "texttemplate": "%{text}",
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "colorscale": _COLOUR_SCALE,
        "zmin": 0,
        "zmax": max(1, max(max(row) for row in counts)),
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": noun.capitalize()}, "thickness": 14},
    }
    return plain_figure(data=[heatmap], layout=layout)


def describe_falls_heatmap(frame: pl.DataFrame, *, noun: str = "falls") -> str:
    """Summarise :func:`falls_heatmap_figure` in a few sentences, as its text alternative."""
    counts = _counts(frame)
    total = sum(sum(row) for row in counts)
    if total == 0:
        return f"No {noun} are recorded at this location, so there is nothing to map."
    singular = noun.replace("falls", "fall", 1)

    def counted(count: int) -> str:
        return f"{count:,} {singular if count == 1 else noun}"

    by_day = [sum(row) for row in counts]
    by_hour = [sum(row[hour] for row in counts) for hour in HOURS]
    most = max(max(row) for row in counts)
    cells = [
        f"{WEEKDAYS[day]} {hour_label(hour)}"
        for day, row in enumerate(counts)
        for hour, count in enumerate(row)
        if count == most
    ]
    days = [WEEKDAYS[day] for day, count in enumerate(by_day) if count == max(by_day)]
    hours = [hour_label(hour) for hour, count in enumerate(by_hour) if count == max(by_hour)]
    night = sum(by_hour[hour] for hour in NIGHT_HOURS)
    return " ".join(
        [
            f"{counted(total)} by day of the week and hour of the day, in UK time.",
            f"The most in one hour of the week: {_listed(cells)} ({counted(most)}"
            f"{' each' if len(cells) > 1 else ''}).",
            f"Busiest day: {_listed(days)} ({counted(max(by_day))}).",
            f"Busiest hour of the day: {_listed(hours)} ({counted(max(by_hour))}).",
            f"At night (22:00 to 06:59): {counted(night)}, {night / total:.0%} of all.",
        ]
    )


def _counts(frame: pl.DataFrame) -> list[list[int]]:
    """The grid's counts as seven rows (Monday first) of 24 hours (00 first)."""
    falls: list[int] = heatmap_grid(frame)["falls"].to_list()
    return [falls[day * len(HOURS) : (day + 1) * len(HOURS)] for day in range(len(WEEKDAYS))]


def _listed(items: Iterable[str]) -> str:
    """Join names in English: ``a``, ``a and b``, ``a, b and c`` (beyond four, "and n more")."""
    names = list(items)
    if len(names) > 4:
        names = [*names[:3], f"{len(names) - 3} more"]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
