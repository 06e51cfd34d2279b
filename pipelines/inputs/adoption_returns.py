"""reference.adoption_returns: one row per location per PIR submission date (spec 5.3)."""

from __future__ import annotations

import duckdb
import polars as pl

from data_contracts.inputs import ADOPTION_RETURNS
from pipelines.inputs.writes import WriteCounts, write_keyed_rows

TABLE = "reference.adoption_returns"


def write_returns(
    *, con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, source_file: str, run_id: str
) -> WriteCounts:
    """Write returns: an identical re-delivery is a duplicate; a different answer replaces.

    Kept simple on purpose: the latest file to say something about a (location, submission
    date) is believed, and the replaced row is not kept as history.
    """
    frame = rows.select(
        *ADOPTION_RETURNS.column_names,
        pl.lit(source_file).alias("source_file"),
        pl.lit(run_id).alias("run_id"),
    )
    return write_keyed_rows(
        con=con,
        frame=frame,
        table=TABLE,
        key=ADOPTION_RETURNS.key,
        content=ADOPTION_RETURNS.column_names,
    )
