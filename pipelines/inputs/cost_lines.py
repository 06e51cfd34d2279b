"""reference.cost_lines: one row per cost line of each provider's latest statement (spec 5.4)."""

from __future__ import annotations

import duckdb
import polars as pl

from data_contracts.inputs import COSTS
from pipelines.inputs.writes import INCOMING, WriteCounts, insert_rows
from pipelines.textfile import LINE

TABLE = "reference.cost_lines"


def write_statements(
    *, con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, source_file: str, run_id: str
) -> WriteCounts:
    """Replace each provider's cost lines with the ones in this file.

    ``costs.csv`` is the provider's full statement, so a new file for a provider replaces all of
    that provider's stored lines. A statement identical to the stored one (the same lines, in
    any order) is counted as duplicates and left in place. Lines quarantined from a file are not
    part of the statement that replaces the stored one; the quarantine report shows them.
    """
    frame = rows.select(
        *COSTS.column_names,
        pl.col(LINE).alias("source_line"),
        pl.lit(source_file).alias("source_file"),
        pl.lit(run_id).alias("run_id"),
    )
    if frame.is_empty():
        return WriteCounts(loaded=0)
    stored = _stored_lines(con=con, providers=frame.select("provider_id").unique())
    loaded = duplicates = replaced = 0
    for (provider_id,), statement in frame.group_by("provider_id", maintain_order=True):
        before = stored.filter(pl.col("provider_id") == provider_id)
        if _same_lines(before, statement):
            duplicates += statement.height
            continue
        con.execute(f"delete from {TABLE} where provider_id = ?", [provider_id])
        loaded += insert_rows(con=con, frame=statement, table=TABLE)
        replaced += before.height
    return WriteCounts(loaded=loaded, duplicates=duplicates, replaced=replaced)


def _stored_lines(*, con: duckdb.DuckDBPyConnection, providers: pl.DataFrame) -> pl.DataFrame:
    columns = ", ".join(f"c.{name}" for name in COSTS.column_names)
    con.register(INCOMING, providers)
    try:
        return con.sql(
            f"select {columns} from {TABLE} c semi join {INCOMING} p using (provider_id)"
        ).pl()
    finally:
        con.unregister(INCOMING)


def _same_lines(before: pl.DataFrame, statement: pl.DataFrame) -> bool:
    if before.height != statement.height:
        return False
    names = list(COSTS.column_names)
    left = before.select(names).cast(statement.select(names).schema)
    return left.sort(names, nulls_last=True).equals(
        statement.select(names).sort(names, nulls_last=True)
    )
