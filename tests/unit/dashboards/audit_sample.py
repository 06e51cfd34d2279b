"""A small hand-written audit warehouse: two runs, one clean and one with quarantined rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import flask

from dashboards.config import DashboardConfig
from dashboards.context import AppServices, attach_services
from dashboards.queries import WarehouseReader

AUDIT_SCHEMA = Path(__file__).parents[3] / "pipelines" / "sql" / "schema" / "audit.sql"

CLEAN_RUN = "20261121T020000Z-aaaa"
QUARANTINE_RUN = "20261122T020000Z-bbbb"

_RUNS = [
    # run_id, started_at, status, exit, loaded/skipped/rejected packages,
    # rows read/loaded/duplicates/quarantined, checks, data docs
    (CLEAN_RUN, "2026-11-21 02:00:00+00", "clean", 0, 2, 0, 0, 1000, 1000, 0, 0, True, True),
    (
        QUARANTINE_RUN,
        "2026-11-22 02:00:00+00",
        "quarantined",
        1,
        1,
        2,
        0,
        523,
        500,
        20,
        3,
        False,
        False,
    ),
]
_FILES = [
    (CLEAN_RUN, "pkg-a", "care_notes.csv", "care_notes", 1000, 1000, 0, 0, "loaded"),
    (QUARANTINE_RUN, "pkg-b", "care_notes.csv", "care_notes", 300, 298, 0, 2, "partial"),
    (QUARANTINE_RUN, "pkg-b", "incidents.csv", "incidents", 223, 202, 20, 1, "partial"),
]
_QUARANTINE = [
    (QUARANTINE_RUN, "pkg-b", "care_notes.csv", 9, "date_format", "=HYPERLINK(bad) in date"),
    (QUARANTINE_RUN, "pkg-b", "care_notes.csv", 5, "date_format", "recorded_at: 03/04/2025"),
    (QUARANTINE_RUN, "pkg-b", "incidents.csv", 12, "unresolved_reference", "person_id: P9"),
]
_WARNINGS = [
    (QUARANTINE_RUN, "pkg-b", "incidents.csv", None, "extra_columns", "ignored column: notes"),
]
_CHECKS = [
    (
        QUARANTINE_RUN,
        "staging",
        "expect_column_values_to_not_be_null",
        "incidents.person_id",
        True,
        "error",
        "0 nulls",
    ),
    (
        QUARANTINE_RUN,
        "staging",
        "expect_column_values_to_be_between",
        "incidents.harm",
        False,
        "warning",
        "2 out of range",
    ),
]


def write_audit_warehouse(path: Path) -> Path:
    """Create a DuckDB file at ``path`` holding the audit schema and the rows above."""
    with duckdb.connect(str(path)) as connection:
        connection.execute(AUDIT_SCHEMA.read_text())
        for run in _RUNS:
            run_id, started, status, exit_code, loaded, skipped, rejected = run[:7]
            rows_read, rows_loaded, duplicates, quarantined, checks, has_docs = run[7:]
            connection.execute(
                "insert into audit.load_runs (run_id, started_at, finished_at, inbox, status,"
                " exit_code, packages_found, packages_loaded, packages_skipped,"
                " packages_rejected, rows_read, rows_loaded, duplicates_skipped,"
                " rows_quarantined, checks_passed, data_docs_path, message)"
                " values (?, ?::timestamptz, ?::timestamptz + interval 5 minute, 'inbox', ?, ?,"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    started,
                    started,
                    status,
                    exit_code,
                    loaded + skipped + rejected,
                    loaded,
                    skipped,
                    rejected,
                    rows_read,
                    rows_loaded,
                    duplicates,
                    quarantined,
                    checks,
                    f"data_docs/{run_id}/index.html" if has_docs else None,
                    f"{rows_loaded} rows loaded, {quarantined} quarantined",
                ],
            )
        connection.executemany(
            "insert into audit.load_files (run_id, export_id, file_name, entity, rows_read,"
            " rows_loaded, duplicates_skipped, rows_quarantined, status, loaded_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            _FILES,
        )
        connection.executemany(
            "insert into audit.quarantine (run_id, export_id, file_name, line_number, rule,"
            " reason) values (?, ?, ?, ?, ?, ?)",
            _QUARANTINE,
        )
        connection.executemany(
            "insert into audit.warnings (run_id, export_id, file_name, line_number, rule,"
            " message) values (?, ?, ?, ?, ?, ?)",
            _WARNINGS,
        )
        connection.executemany(
            "insert into audit.validation_results (run_id, suite, expectation, target, success,"
            " severity, observed) values (?, ?, ?, ?, ?, ?, ?)",
            _CHECKS,
        )
    return path


@contextmanager
def serving(warehouse_path: Path) -> Iterator[AppServices]:
    """Run the body inside an application context whose reader reads ``warehouse_path``."""
    server = flask.Flask("carelens-test")
    app_services = AppServices(
        config=DashboardConfig(
            warehouse_path=warehouse_path, data_docs_dir=warehouse_path.parent / "data_docs"
        ),
        reader=WarehouseReader(warehouse_path),
    )
    attach_services(server, services=app_services)
    with server.app_context():
        yield app_services
