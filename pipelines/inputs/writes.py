"""Writing validated input rows to the reference tables, with the counts the accounting needs.

Frames reach DuckDB by registration, never by interpolating values into SQL; the table and
column names in the SQL below come from this package's declarations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

INCOMING = "_carelens_incoming_input"
"""Name under which the incoming frame is registered while it is written."""


@dataclass(frozen=True, slots=True)
class WriteCounts:
    """What a write did with the rows it was given."""

    loaded: int
    duplicates: int = 0
    replaced: int = 0
    """Of ``loaded``, rows that replaced a stored row with the same key and other content."""


def count_of(result: duckdb.DuckDBPyConnection) -> int:
    """The row count a DuckDB insert or delete reports, fetching the result to its end."""
    rows = result.fetchall()
    return int(rows[0][0]) if rows else 0


def insert_rows(*, con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, table: str) -> int:
    """Insert every row of ``frame`` into ``table`` by column name; return rows inserted."""
    if frame.is_empty():
        return 0
    con.register(INCOMING, frame)
    try:
        return count_of(con.execute(f"insert into {table} by name select * from {INCOMING}"))
    finally:
        con.unregister(INCOMING)


def write_keyed_rows(
    *,
    con: duckdb.DuckDBPyConnection,
    frame: pl.DataFrame,
    table: str,
    key: Sequence[str],
    content: Sequence[str],
) -> WriteCounts:
    """Write rows unique on ``key``: identical ones already stored are duplicates, others replace.

    Args:
        con: the build warehouse, inside the runner's transaction.
        frame: the rows to write, unique on ``key``, with every column of ``table``.
        table: the reference table.
        key: columns identifying a row (nulls match nulls).
        content: columns compared to decide whether a stored row is the same answer; lineage
            columns (source file, run) are left out so a re-delivery is a duplicate.
    """
    if frame.is_empty():
        return WriteCounts(loaded=0)
    same_key = " and ".join(f"t.{c} is not distinct from i.{c}" for c in key)
    same_content = " and ".join(f"t.{c} is not distinct from i.{c}" for c in content)
    con.register(INCOMING, frame)
    try:
        replaced = count_of(
            con.execute(
                f"delete from {table} t using {INCOMING} i "
                f"where {same_key} and not ({same_content})"
            )
        )
        loaded = count_of(
            con.execute(
                f"insert into {table} by name select i.* from {INCOMING} i "
                f"where not exists (select 1 from {table} t where {same_key})"
            )
        )
    finally:
        con.unregister(INCOMING)
    return WriteCounts(loaded=loaded, duplicates=frame.height - loaded, replaced=replaced)
