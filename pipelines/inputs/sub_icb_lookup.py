"""reference.sub_icb_lookup: one row per sub-ICB per valid_from date (spec 5.2)."""

from __future__ import annotations

import duckdb
import polars as pl

from data_contracts.inputs import SUB_ICB_LOOKUP
from pipelines.inputs.writes import WriteCounts, write_keyed_rows

TABLE = "reference.sub_icb_lookup"


def write_lookup(
    *, con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, source_file: str, run_id: str
) -> WriteCounts:
    """Write lookup rows: identical ones already stored are duplicates, changed ones replace.

    ``valid_from`` null means the mapping always holds; it is part of the key, and a null
    matches a null.
    """
    frame = rows.select(
        *SUB_ICB_LOOKUP.column_names,
        pl.lit(source_file).alias("source_file"),
        pl.lit(run_id).alias("run_id"),
    )
    return write_keyed_rows(
        con=con,
        frame=frame,
        table=TABLE,
        key=SUB_ICB_LOOKUP.key,
        content=SUB_ICB_LOOKUP.column_names,
    )
