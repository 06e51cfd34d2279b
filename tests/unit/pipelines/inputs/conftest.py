"""Shared fixtures for the section 5 input tests: a warehouse with the reference schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from input_files import SCHEMA, TODAY, Apply

from pipelines.inputs import InputKind, apply_input


@pytest.fixture
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse holding the reference schema."""
    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    yield con
    con.close()


@pytest.fixture
def apply(warehouse: duckdb.DuckDBPyConnection) -> Apply:
    """apply_input on the test warehouse, with a fixed run id and run date."""

    def run(path: Path, kind: InputKind, *, run_id: str = "run-1", today: date = TODAY):
        return apply_input(
            con=warehouse, path=path, kind=kind, run_id=run_id, sha256="0" * 64, today=today
        )

    return run
