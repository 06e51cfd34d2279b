"""CSV downloads that are safe to open in spreadsheet software."""

from __future__ import annotations

import re
from collections.abc import Collection

import polars as pl

from dashboards.disclosure import SUPPRESSED

# A cell starting with one of these can be run as a formula by spreadsheet software
# (ODE-1 spec, section 2), so it is prefixed with a single quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"
_UNSAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def neutralise_cell(value: str) -> str:
    """Prefix ``value`` with a single quote if a spreadsheet could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def to_safe_csv(frame: pl.DataFrame, *, suppressed: Collection[str] = ()) -> str:
    """Write ``frame`` as CSV text with every text cell neutralised against formula injection.

    Numbers and dates are written as they are: a spreadsheet reads them as values.

    Args:
        frame: The rows to write.
        suppressed: Disclosure-controlled columns; their nulls are written as ``[c]``
            (suppressed), not as empty cells that could be read as zero.
    """
    marked = frame.with_columns(
        pl.col(name).cast(pl.String).fill_null(SUPPRESSED) for name in suppressed
    )
    text_columns = [
        name
        for name, dtype in marked.schema.items()
        if dtype == pl.String and name not in suppressed
    ]
    safe = marked.with_columns(
        pl.when(pl.col(name).str.contains(_TRIGGER_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
    return safe.write_csv()


def download_file_name(*parts: str, suffix: str = ".csv") -> str:
    """Join ``parts`` into a file name of letters, digits, dots, dashes and underscores only."""
    stem = "-".join(_UNSAFE_FILE_NAME.sub("_", part).strip("_") for part in parts if part)
    return f"{stem or 'download'}{suffix}"
