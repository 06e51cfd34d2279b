from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from audit_sample import CLEAN_RUN, QUARANTINE_RUN, write_audit_warehouse

from dashboards import queries
from dashboards.errors import WarehouseNotReadyError, WarehouseUnavailableError
from dashboards.queries import WarehouseReader


class TestWarehouseReader:
    def test_missing_file_is_not_ready(self, tmp_path: Path) -> None:
        # Given a path where no load has written a warehouse
        reader = WarehouseReader(tmp_path / "absent.duckdb")

        # When / Then
        with pytest.raises(WarehouseNotReadyError, match="carelens load INBOX"):
            queries.load_runs(reader=reader)
        assert not (tmp_path / "absent.duckdb").exists()

    def test_warehouse_without_audit_tables_is_not_ready(self, tmp_path: Path) -> None:
        # Given a DuckDB file with no audit schema
        path = tmp_path / "empty.duckdb"
        duckdb.connect(str(path)).close()

        # When / Then
        with pytest.raises(WarehouseNotReadyError):
            queries.load_runs(reader=WarehouseReader(path))

    def test_file_that_is_not_duckdb_is_unavailable(self, tmp_path: Path) -> None:
        # Given a file that is not a DuckDB database
        path = tmp_path / "carelens.duckdb"
        path.write_text("not a database")

        # When / Then
        with pytest.raises(WarehouseUnavailableError, match="could not be opened"):
            queries.load_runs(reader=WarehouseReader(path))

    def test_rejects_query_names_that_are_paths(self, reader: WarehouseReader) -> None:
        with pytest.raises(ValueError, match="not a query name"):
            reader.query("../load_runs")

    def test_connection_is_read_only(self, reader: WarehouseReader, tmp_path: Path) -> None:
        # Given a query file that tries to write
        sql_dir = tmp_path / "sql"
        sql_dir.mkdir()
        (sql_dir / "vandal.sql").write_text("delete from audit.load_runs")
        vandal = WarehouseReader(reader.warehouse_path, sql_dir=sql_dir)

        # When / Then
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            vandal.query("vandal")
        assert queries.load_runs(reader=reader).height == 2

    def test_sees_a_warehouse_published_by_rename(self, tmp_path: Path) -> None:
        # Given the reader has read the current warehouse
        reader = WarehouseReader(write_audit_warehouse(tmp_path / "carelens.duckdb"))
        assert queries.load_runs(reader=reader).height == 2

        # When a new warehouse with one more run is renamed over it
        new = write_audit_warehouse(tmp_path / "next.duckdb")
        with duckdb.connect(str(new)) as connection:
            connection.execute(
                "insert into audit.load_runs (run_id, started_at, inbox, status, exit_code)"
                " values ('20261123T020000Z-cccc', '2026-11-23 02:00:00+00', 'inbox', 'clean', 0)"
            )
        os.replace(new, reader.warehouse_path)

        # Then the next query sees the new run
        assert queries.load_runs(reader=reader).height == 3


def test_load_runs_are_newest_first(reader: WarehouseReader) -> None:
    runs = queries.load_runs(reader=reader)

    assert runs["run_id"].to_list() == [QUARANTINE_RUN, CLEAN_RUN]
    assert runs["rows_quarantined"].to_list() == [3, 0]


def test_load_files_are_for_the_chosen_run_only(reader: WarehouseReader) -> None:
    files = queries.load_files(reader=reader, run_id=QUARANTINE_RUN)

    assert files["file_name"].to_list() == ["care_notes.csv", "incidents.csv"]
    assert files["rows_quarantined"].to_list() == [2, 1]


def test_quarantine_reasons_count_rows_by_rule_and_file(reader: WarehouseReader) -> None:
    reasons = queries.quarantine_reasons(reader=reader, run_id=QUARANTINE_RUN)

    assert reasons.select("rule", "file_name", "rows_count").rows() == [
        ("date_format", "care_notes.csv", 2),
        ("unresolved_reference", "incidents.csv", 1),
    ]


class TestQuarantineRows:
    def test_are_in_file_and_line_order(self, reader: WarehouseReader) -> None:
        rows = queries.quarantine_rows(reader=reader, run_id=QUARANTINE_RUN)

        assert rows.select("file_name", "line_number").rows() == [
            ("care_notes.csv", 5),
            ("care_notes.csv", 9),
            ("incidents.csv", 12),
        ]

    def test_respect_the_row_limit(self, reader: WarehouseReader) -> None:
        rows = queries.quarantine_rows(reader=reader, run_id=QUARANTINE_RUN, row_limit=2)

        assert rows.height == 2
        assert queries.quarantine_count(reader=reader, run_id=QUARANTINE_RUN) == 3

    def test_a_run_id_is_bound_not_interpolated(self, reader: WarehouseReader) -> None:
        rows = queries.quarantine_rows(reader=reader, run_id="x' or '1'='1")

        assert rows.is_empty()


def test_warnings_and_checks_of_a_run(reader: WarehouseReader) -> None:
    warnings = queries.load_warnings(reader=reader, run_id=QUARANTINE_RUN)
    checks = queries.validation_results(reader=reader, run_id=QUARANTINE_RUN)

    assert warnings["rule"].to_list() == ["extra_columns"]
    assert checks["success"].to_list() == [False, True]
