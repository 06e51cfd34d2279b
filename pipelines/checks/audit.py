"""Audit rows the checks write: one per expectation, inserted with bound values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One expectation's result, as written to ``audit.validation_results``."""

    suite: str
    expectation: str
    target: str
    success: bool
    severity: str
    """``error`` (blocks publication) or ``warning``."""
    observed: str
    details_json: str
    description: str


def record_results(
    *, con: duckdb.DuckDBPyConnection, run_id: str, rows: Sequence[ResultRow]
) -> None:
    """Replace this run's rows in ``audit.validation_results`` with ``rows``."""
    con.execute("delete from audit.validation_results where run_id = ?", [run_id])
    insert_rows(
        con=con,
        table="audit.validation_results",
        columns=(
            "run_id",
            "suite",
            "expectation",
            "target",
            "success",
            "severity",
            "observed",
            "details_json",
        ),
        rows=[
            (
                run_id,
                r.suite,
                r.expectation,
                r.target,
                r.success,
                r.severity,
                r.observed,
                r.details_json,
            )
            for r in rows
        ],
    )


def insert_rows(
    *,
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> None:
    """Insert ``rows`` in one statement with bound values (executemany costs a trip per row)."""
    if not rows:
        return
    placeholders = ", ".join(["(" + ", ".join(["?"] * len(columns)) + ")"] * len(rows))
    con.execute(
        f"insert into {table} ({', '.join(columns)}) values {placeholders}",
        [value for row in rows for value in row],
    )
