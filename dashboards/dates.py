"""How the web app shows instants: Europe/London wall-clock time, e.g. ``22 Nov 2026 02:00``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

LONDON = "Europe/London"
_FORMAT = "%-d %b %Y %H:%M"


def format_instant(value: datetime | None) -> str:
    """Format a timezone-aware instant as London time; a missing value becomes an empty string.

    Raises:
        ValueError: If ``value`` is naive (its instant would be a guess).
    """
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("refusing to format a naive datetime: its time zone is unknown")
    local = value.astimezone(ZoneInfo(LONDON))
    return f"{local.day} {local:%b %Y %H:%M}"


def london_time(column: str) -> pl.Expr:
    """Return an expression formatting a UTC ``Datetime`` column as London wall-clock text."""
    return pl.col(column).dt.convert_time_zone(LONDON).dt.strftime(_FORMAT).fill_null("")
