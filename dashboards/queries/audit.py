"""Typed queries over the load audit tables (``audit.*``): what each nightly load did."""

from __future__ import annotations

import polars as pl

from dashboards.queries.reader import WarehouseReader

DISPLAY_ROW_LIMIT = 500


def load_runs(*, reader: WarehouseReader) -> pl.DataFrame:
    """Return the load history.

    Returns:
        One row per run of ``carelens load``, newest first; timestamps in UTC, counts of
        packages and rows.
    """
    return reader.query("load_runs")


def load_files(*, reader: WarehouseReader, run_id: str) -> pl.DataFrame:
    """Return rows read, loaded, skipped as duplicates and quarantined, per file of one run.

    Returns:
        One row per file (or section 5 input) applied in the run.
    """
    return reader.query("load_files", run_id=run_id)


def quarantine_reasons(*, reader: WarehouseReader, run_id: str) -> pl.DataFrame:
    """Return how many rows each rule quarantined in each file of one run.

    Returns:
        One row per rule per file, ``rows_count`` rows, largest first.
    """
    return reader.query("quarantine_reasons", run_id=run_id)


def quarantine_rows(
    *, reader: WarehouseReader, run_id: str, row_limit: int | None = DISPLAY_ROW_LIMIT
) -> pl.DataFrame:
    """Return the quarantined rows of one run: file, physical line number, rule and reason.

    Args:
        reader: The warehouse reader.
        run_id: The run.
        row_limit: At most this many rows, in file and line order; ``None`` for all.

    Returns:
        One row per quarantined row.
    """
    return reader.query("quarantine_rows", run_id=run_id, row_limit=row_limit)


def quarantine_count(*, reader: WarehouseReader, run_id: str) -> int:
    """Return the number of rows quarantined in one run."""
    frame = reader.query("quarantine_count", run_id=run_id)
    return int(frame.item(0, "rows_count"))


def load_warnings(*, reader: WarehouseReader, run_id: str) -> pl.DataFrame:
    """Return the warnings of one run (rows that loaded, with something to note).

    Returns:
        One row per warning; ``line_number`` is null for a warning about a whole file.
    """
    return reader.query("load_warnings", run_id=run_id)


def validation_results(*, reader: WarehouseReader, run_id: str) -> pl.DataFrame:
    """Return the table-level Great Expectations results of one run, failures first.

    Returns:
        One row per expectation checked.
    """
    return reader.query("validation_results", run_id=run_id)
