"""Disclosure control for figures published outside the provider (the ICB view and downloads).

shared/spec/metrics-v1.md: "any count from 1 to 7 is suppressed and other counts are rounded
to the nearest 5; rates are computed from unrounded counts and are suppressed with them".
Zero stays zero: an empty cell discloses nobody. A suppressed count is null (shown as a
suppression mark, never as a number).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import polars as pl

from dashboards.errors import DashboardError

SUPPRESSION_THRESHOLD = 7
"""Counts from 1 to this value are suppressed."""
ROUNDING_BASE = 5
"""Other counts are rounded to the nearest multiple of this."""
SUPPRESSED = "[c]"
"""How a suppressed figure is shown and downloaded (the ONS mark for confidential)."""


class DisclosureControlError(DashboardError):
    """Disclosure control was asked to treat something that is not a count as one."""


def control_count(count: int | None) -> int | None:
    """Return ``count`` as it may be published: ``None`` if 1 to 7, else the nearest 5.

    Examples (hand-worked): 0 → 0, 1 → None, 7 → None, 8 → 10, 12 → 10, 13 → 15, 22 → 20,
    23 → 25. Counts are whole numbers, so no count is ever half-way between two multiples.

    Raises:
        DisclosureControlError: If ``count`` is negative.
    """
    if count is None:
        return None
    if count < 0:
        raise DisclosureControlError(f"a count cannot be negative: {count}")
    if count == 0:
        return 0
    if count <= SUPPRESSION_THRESHOLD:
        return None
    return ROUNDING_BASE * ((count + ROUNDING_BASE // 2) // ROUNDING_BASE)


def _controlled(column: str) -> pl.Expr:
    count = pl.col(column)
    rounded = ((count + ROUNDING_BASE // 2) // ROUNDING_BASE) * ROUNDING_BASE
    return (
        pl.when(count == 0)
        .then(pl.lit(0, dtype=pl.Int64))
        .when(count <= SUPPRESSION_THRESHOLD)
        .then(pl.lit(None, dtype=pl.Int64))
        .otherwise(rounded.cast(pl.Int64))
        .alias(column)
    )


def apply_disclosure_control(
    frame: pl.DataFrame,
    *,
    counts: Collection[str],
    rates: Mapping[str, tuple[str, str]],
) -> pl.DataFrame:
    """Return ``frame`` with its counts controlled and its rates computed and suppressed.

    Each rate is computed here from the unrounded counts (``numerator / denominator``; null
    when the denominator is zero), replacing any column of that name, and is null wherever
    its numerator or denominator is suppressed.

    Args:
        frame: Rows with unrounded counts.
        counts: The count columns; each becomes ``Int64`` with nulls where suppressed.
        rates: Rate column name to its ``(numerator, denominator)`` count columns.

    Raises:
        DisclosureControlError: If a count column is missing, not a whole number, or negative,
            or a rate is over columns not listed as counts.
    """
    for column in counts:
        if column not in frame.columns:
            raise DisclosureControlError(f"no count column {column!r}")
        dtype = frame.schema[column]
        if not (dtype.is_integer() or (dtype.is_decimal() and getattr(dtype, "scale", 0) == 0)):
            raise DisclosureControlError(f"count column {column!r} is {dtype}, not a whole number")
        if frame.height and (frame[column].min() or 0) < 0:  # type: ignore[operator]
            raise DisclosureControlError(f"count column {column!r} has negative values")
    for rate, (numerator, denominator) in rates.items():
        if not {numerator, denominator} <= set(counts):
            raise DisclosureControlError(f"rate {rate!r} is not over declared counts")
    whole = frame.with_columns(pl.col(column).cast(pl.Int64) for column in counts)
    with_rates = whole.with_columns(
        pl.when(pl.col(denominator) > 0)
        .then(pl.col(numerator) / pl.col(denominator))
        .otherwise(None)
        .cast(pl.Float64)
        .alias(rate)
        for rate, (numerator, denominator) in rates.items()
    )
    controlled = with_rates.with_columns(_controlled(column) for column in counts)
    return controlled.with_columns(
        pl.when(pl.col(numerator).is_null() | pl.col(denominator).is_null())
        .then(None)
        .otherwise(pl.col(rate))
        .alias(rate)
        for rate, (numerator, denominator) in rates.items()
    )
