"""Paths and small helpers shared by the section 5 input tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from pipelines.accounting import FileOutcome

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "fixtures" / "inputs"
REAL = REPO / "tests" / "fixtures" / "real"
SCHEMA = REPO / "pipelines" / "sql" / "schema" / "reference.sql"
TODAY = date(2026, 1, 15)

Apply = Callable[..., FileOutcome]
"""The ``apply`` fixture: apply_input on the test warehouse."""


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    """All rows of a query."""
    return con.execute(sql).fetchall()
