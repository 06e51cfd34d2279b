"""CSV downloads that are safe to open in spreadsheet software."""

from __future__ import annotations

import polars as pl

# A cell starting with one of these can be run as a formula by spreadsheet software
# (ODE-1 spec, section 2), so it is prefixed with a single quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"


def neutralise_cell(value: str) -> str:
    """Prefix ``value`` with a single quote if a spreadsheet could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def to_safe_csv(frame: pl.DataFrame) -> str:
    """Write ``frame`` as CSV text with every text cell neutralised against formula injection.

    Numbers and dates are written as they are: a spreadsheet reads them as values.
    """
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(
        pl.when(pl.col(name).str.contains(_TRIGGER_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
    return safe.write_csv()
