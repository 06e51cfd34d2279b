"""Days and wall-clock seconds as integers, Europe/London daylight saving, and conversions.

The generator works in integer days since 1970-01-01 and integer seconds of Europe/London
wall-clock time since 1970-01-01T00:00, then converts to polars dates and datetimes.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

EPOCH = date(1970, 1, 1)
DAY_SECONDS = 86_400


def day_number(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def day_date(value: int) -> date:
    """The date of a day number."""
    return EPOCH + timedelta(days=int(value))


def month_key(days: np.ndarray) -> np.ndarray:
    """Months since January 1970 of each day number."""
    return np.asarray(days, dtype="datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start_day(keys: np.ndarray) -> np.ndarray:
    """Day number of the first day of each month key."""
    return np.asarray(keys, dtype="datetime64[M]").astype("datetime64[D]").astype(np.int64)


def last_sunday(year: int, month: int) -> date:
    """The last Sunday of a month (UK clocks change on the last Sunday of March and October)."""
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def clock_change_days(first_year: int, last_year: int) -> np.ndarray:
    """Day numbers of every UK clock-change Sunday in the years given (inclusive)."""
    days = [
        day_number(last_sunday(year, month))
        for year in range(first_year, last_year + 1)
        for month in (3, 10)
    ]
    return np.array(days, dtype=np.int64)


def avoid_clock_change_hour(seconds: np.ndarray) -> np.ndarray:
    """Move wall-clock times out of 01:00-02:00 on clock-change Sundays, keeping their order.

    01:00-02:00 does not exist in spring and occurs twice in autumn, so a real system records
    neither for ordinary events. Times in [01:00, 03:00) are squeezed into [02:00, 03:00), a
    monotone map, so every derived ordering (recorded after care, check-out after check-in)
    survives.
    """
    seconds = np.asarray(seconds, dtype=np.int64)
    if len(seconds) == 0:
        return seconds
    days = seconds // DAY_SECONDS
    years = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    changes = clock_change_days(int(years.min()) - 1, int(years.max()) + 1)
    time_of_day = seconds - days * DAY_SECONDS
    hit = np.isin(days, changes) & (time_of_day >= 3600) & (time_of_day < 3 * 3600)
    moved = days * DAY_SECONDS + 7200 + (time_of_day - 3600) // 2
    return np.where(hit, moved, seconds)


def to_datetime(seconds: np.ndarray, *, valid: np.ndarray | None = None) -> pl.Series:
    """Naive Europe/London datetimes from wall-clock seconds; null where ``valid`` is False."""
    moved = avoid_clock_change_hour(seconds)
    series = pl.Series(moved * 1_000_000, dtype=pl.Int64).cast(pl.Datetime("us"))
    if valid is None:
        return series
    return pl.select(pl.when(pl.Series(valid)).then(series)).to_series()


def to_date(days: np.ndarray, *, valid: np.ndarray | None = None) -> pl.Series:
    """Dates from day numbers; null where ``valid`` is False."""
    series = pl.Series(np.asarray(days, dtype=np.int32), dtype=pl.Int32).cast(pl.Date)
    if valid is None:
        return series
    return pl.select(pl.when(pl.Series(valid)).then(series)).to_series()
