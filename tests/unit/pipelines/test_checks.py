"""Tests for pipelines.checks: table-level GX checks on a tiny DuckDB warehouse."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.checks import ChecksOutcome, run_table_checks
from pipelines.config import PipelineConfig

AUDIT_SQL = Path(__file__).parents[3] / "pipelines" / "sql" / "schema" / "audit.sql"
RUN_AT = datetime(2025, 2, 1, 2, 0, tzinfo=UTC)

# Provider P1: care home L1 and home-care branch L2; provider P2: care home L3.
# In January 2025 stays in L1 fill 2 beds on the 1st-15th and 1 bed on the 16th-31st,
# and occupancy.csv says exactly that.
_WAREHOUSE_SQL = """
create schema core;
create table core.locations (provider_id varchar, location_id varchar, service_type varchar);
insert into core.locations values
    ('P1', 'L1', 'care_home'), ('P1', 'L2', 'home_care'), ('P2', 'L3', 'care_home_nursing');
create table core.people (
    provider_id varchar, person_id varchar, location_id varchar, start_date date, end_date date
);
insert into core.people values
    ('P1', 'A', 'L1', '2024-12-20', null),
    ('P1', 'B', 'L1', '2025-01-01', '2025-01-16'),
    ('P1', 'C', 'L2', '2025-01-01', null),
    ('P2', 'D', 'L3', '2025-01-01', null);
create table core.staff (provider_id varchar, staff_id varchar, location_id varchar);
insert into core.staff values ('P1', 'S1', 'L1'), ('P2', 'S2', 'L3');
create table core.occupancy (
    provider_id varchar, location_id varchar, date date, occupied_beds bigint
);
insert into core.occupancy
    select 'P1', 'L1', day::date, case when day < date '2025-01-16' then 2 else 1 end
    from range(date '2025-01-01', date '2025-02-01', interval 1 day) as days(day);
create table core.care_notes (
    provider_id varchar, record_uid varchar, version bigint, status varchar,
    person_id varchar, staff_id varchar, location_id varchar
);
insert into core.care_notes values
    ('P1', 'n1', 1, 'final', 'A', 'S1', 'L1'),
    ('P1', 'n2', 2, 'final', 'B', null, 'L1'),
    ('P2', 'n1', 1, 'entered_in_error', 'D', 'S2', 'L3');
insert into audit.packages values
    ('P1', 'x1', 'P1_2025-01-31_x1', 'Acme', '2025-01-01', '2025-01-31', '2025-02-01', 'r0', 1),
    ('P2', 'x1', 'P2_2025-01-28_x1', 'Acme', '2025-01-01', '2025-01-28', '2025-02-01', 'r0', 2);
"""


def _config(folder: Path) -> PipelineConfig:
    return PipelineConfig(
        warehouse_path=folder / "carelens.duckdb",
        pseudonym_key=b"k" * 16,
        data_docs_dir=folder / "data_docs",
    )


def _warehouse(config: PipelineConfig) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(config.warehouse_path))
    connection.execute(AUDIT_SQL.read_text())
    connection.execute(_WAREHOUSE_SQL)
    return connection


@pytest.fixture
def config(tmp_path: Path) -> PipelineConfig:
    return _config(tmp_path)


@pytest.fixture
def con(config: PipelineConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = _warehouse(config)
    yield connection
    connection.close()


@pytest.fixture(scope="class")
def clean_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[duckdb.DuckDBPyConnection, PipelineConfig, ChecksOutcome]]:
    """One run of the checks on the consistent warehouse, shared by read-only tests."""
    config = _config(tmp_path_factory.mktemp("clean"))
    connection = _warehouse(config)
    yield connection, config, _check(connection, config)
    connection.close()


def _check(
    con: duckdb.DuckDBPyConnection,
    config: PipelineConfig,
    *,
    run_id: str = "20250201T020000Z-0001",
    run_at: datetime = RUN_AT,
) -> ChecksOutcome:
    return run_table_checks(
        con=con, run_id=run_id, run_started_at=run_at, config=config, docs_dir=config.data_docs_dir
    )


def _results(con: duckdb.DuckDBPyConnection, *, run_id: str, suite: str) -> list[tuple]:
    return con.execute(
        "select target, success, severity, observed from audit.validation_results"
        " where run_id = ? and suite = ? order by target",
        [run_id, suite],
    ).fetchall()


class TestCleanWarehouse:
    def test_passes_with_no_findings(self, clean_run):
        # Given a consistent warehouse
        _, config, outcome = clean_run

        # When the checks ran (fixture)

        # Then nothing blocks and nothing warns
        assert outcome == ChecksOutcome(
            success=True,
            blocking_failures=(),
            warnings=(),
            docs_index=config.data_docs_dir / "20250201T020000Z-0001" / "index.html",
        )

    def test_records_one_row_per_expectation(self, clean_run):
        # Given a warehouse with 5 core tables and 6 declared references among them
        con, _, _ = clean_run

        # When the checks ran (fixture)

        # Then every expectation has an audit row, all successful, with parseable details
        rows = con.execute(
            "select suite, count(*), bool_and(success), min(severity), max(severity),"
            " bool_and(json_valid(details_json)) from audit.validation_results"
            " where run_id = '20250201T020000Z-0001' group by suite order by suite"
        ).fetchall()
        assert rows == [
            ("freshness", 1, True, "warning", "warning", True),
            ("key_uniqueness", 5, True, "error", "error", True),
            ("occupancy", 1, True, "warning", "warning", True),
            ("referential_integrity", 6, True, "error", "error", True),
            ("row_counts", 5, True, "warning", "warning", True),
        ]

    def test_keeps_row_counts_for_the_next_run(self, clean_run):
        # Given a first load, with nothing earlier to compare
        con, _, _ = clean_run

        # When the checks ran (fixture)

        # Then each table passed and said so, and its count is kept
        rows = _results(con, run_id="20250201T020000Z-0001", suite="row_counts")
        assert ("core.occupancy", True, "warning", "31 rows; no previous load to compare") in rows
        counts = con.execute(
            "select table_name, row_count from audit.table_counts order by table_name"
        ).fetchall()
        assert ("core.care_notes", 3) in counts

    def test_writes_offline_data_docs(self, clean_run):
        # Given a consistent warehouse
        _, config, outcome = clean_run

        # When the checks ran (fixture)

        # Then the summary and GX's validation pages exist and load nothing from the internet
        assert outcome.docs_index is not None
        summary = outcome.docs_index.read_text()
        assert "Passed: every check succeeded." in summary
        pages = list(outcome.docs_index.parent.rglob("*.html"))
        validation_pages = [p for p in pages if "validations" in p.parts]
        assert len(validation_pages) == 5
        external = re.compile(r"<(script|link|img)\b[^>]*(src|href)=\"https?://", re.IGNORECASE)
        assert [p for p in pages if external.search(p.read_text())] == []
        for page in validation_pages:
            assert page.relative_to(outcome.docs_index.parent).as_posix() in summary
        assert not list(config.data_docs_dir.glob(".*"))

    def test_rerun_of_a_run_replaces_its_rows(self, con, config):
        # Given checks that already ran for this run id
        _check(con, config)

        # When they run again for the same run
        _check(con, config)

        # Then the audit holds one set of rows and counts for the run
        assert con.execute("select count(*) from audit.validation_results").fetchone() == (18,)
        assert con.execute("select count(*) from audit.table_counts").fetchone() == (5,)


class TestRowCounts:
    def test_warns_when_a_table_shrinks_beyond_the_tolerance(self, con, config):
        # Given a previous load with 31 occupancy rows, and now 12
        _check(con, config, run_id="20250201T020000Z-0001")
        con.execute("delete from core.occupancy where date > '2025-01-12'")

        # When the next run's checks run
        outcome = _check(con, config, run_id="20250202T020000Z-0002")

        # Then a warning names the table and the change, and publication is not blocked
        assert outcome.success
        assert (
            "core.occupancy: 12 rows, 61% fewer than the previous load (31; tolerance 50%)"
            in outcome.warnings
        )
        rows = _results(con, run_id="20250202T020000Z-0002", suite="row_counts")
        assert ("core.occupancy", False, "warning", "12 rows; previous load 31 (-61%)") in rows


class TestFreshness:
    def test_warns_about_each_stale_provider(self, con, config):
        # Given a run 47 days after P1's and 50 days after P2's latest extract
        late = datetime(2025, 3, 19, 2, 0, tzinfo=UTC)

        # When the checks run
        outcome = _check(con, config, run_at=late)

        # Then both providers are named, as warnings that do not block
        assert outcome.success
        assert outcome.warnings == (
            "P1: latest export ends 2025-01-31, 47 days before the run (tolerance 45 days)",
            "P2: latest export ends 2025-01-28, 50 days before the run (tolerance 45 days)",
        )

    def test_uses_the_london_calendar_date_of_the_run(self, con, config):
        # Given P1's latest extract ending 2025-05-31, and a run at 23:30 UTC on 15 July 2025,
        # which is 00:30 on 16 July in London (BST): 46 days on, not 45
        con.execute("update audit.packages set extract_to = '2025-05-31' where provider_id = 'P1'")
        con.execute("update audit.packages set extract_to = '2025-06-30' where provider_id = 'P2'")
        run_at = datetime(2025, 7, 15, 23, 30, tzinfo=UTC)

        # When the checks run
        outcome = _check(con, config, run_at=run_at)

        # Then P1 is stale by the London date
        assert [line for line in outcome.warnings if line.startswith("P")] == [
            "P1: latest export ends 2025-05-31, 46 days before the run (tolerance 45 days)"
        ]


class TestReferentialIntegrity:
    def test_blocks_on_a_reference_missing_in_the_same_provider(self, con, config):
        # Given a P2 care note that points at person A, who belongs to P1
        con.execute("insert into core.care_notes values ('P2', 'n9', 1, 'final', 'A', null, 'L3')")

        # When the checks run
        outcome = _check(con, config)

        # Then publication is blocked with a readable reason and an error row in the audit
        assert not outcome.success
        assert outcome.blocking_failures == (
            "core.care_notes.person_id: 1 row with no matching core.people row of the same"
            " provider",
        )
        rows = _results(con, run_id="20250201T020000Z-0001", suite="referential_integrity")
        assert ("core.care_notes.person_id", False, "error", "1 unresolved") in rows

    def test_ignores_empty_optional_references(self, con, config):
        # Given a care note without a member of staff (staff_id is optional)
        con.execute("insert into core.care_notes values ('P1', 'n8', 1, 'final', 'A', null, 'L1')")

        # When the checks run
        outcome = _check(con, config)

        # Then nothing is reported
        assert outcome.success
        assert outcome.blocking_failures == ()


class TestKeyUniqueness:
    def test_blocks_on_a_repeated_current_key(self, con, config):
        # Given two current rows for P1's record n1
        con.execute("insert into core.care_notes values ('P1', 'n1', 2, 'final', 'A', 'S1', 'L1')")

        # When the checks run
        outcome = _check(con, config)

        # Then publication is blocked, naming the table and key
        assert not outcome.success
        assert outcome.blocking_failures == (
            "core.care_notes: 1 row repeating a key (provider_id, record_uid)",
        )


class TestOccupancy:
    def test_warns_listing_the_location_months_that_disagree(self, con, config):
        # Given occupancy.csv claiming 3 beds on each January day while stays fill 1 or 2
        con.execute("update core.occupancy set occupied_beds = 3")

        # When the checks run
        outcome = _check(con, config)

        # Then one warning lists the location-month with both figures, without blocking
        assert outcome.success
        assert outcome.warnings == (
            "core.occupancy: 1 care-home location-month where occupancy.csv and stays differ"
            " by more than 10%: L1 2025-01 (occupancy.csv 93, stays 46 bed days)",
        )
        rows = _results(con, run_id="20250201T020000Z-0001", suite="occupancy")
        details = con.execute(
            "select details_json from audit.validation_results where suite = 'occupancy'"
        ).fetchone()
        assert rows == [
            ("core.occupancy", False, "warning", "1 location-month compared, 1 beyond 10%")
        ]
        assert json.loads(details[0])["result"]["unexpected_count"] == 1

    def test_names_the_first_ten_location_months_and_counts_the_rest(self, con, config):
        # Given a stay through 2024 filling 1 bed while occupancy.csv says 5 every day of 2024
        con.execute("insert into core.people values ('P1', 'E', 'L1', '2024-01-01', '2025-01-01')")
        con.execute(
            "insert into core.occupancy select 'P1', 'L1', day::date, 5"
            " from range(date '2024-01-01', date '2025-01-01', interval 1 day) as days(day)"
        )

        # When the checks run
        outcome = _check(con, config)

        # Then the one warning names ten months and counts the other two
        (warning,) = outcome.warnings
        assert warning.startswith("core.occupancy: 12 care-home location-months where")
        assert "L1 2024-01 (occupancy.csv 155, stays 31 bed days)" in warning
        assert warning.count("L1 2024-") == 10
        assert warning.endswith("; and 2 more")

    def test_ongoing_stays_end_at_the_providers_latest_extract(self, con, config):
        # Given P1's latest extract ending 2025-01-20 and occupancy.csv rows to the 31st:
        # person A's ongoing stay stops counting after the 20th
        con.execute("update audit.packages set extract_to = '2025-01-20' where provider_id = 'P1'")

        # When the checks run
        outcome = _check(con, config)

        # Then the month disagrees: 11 days x 1 bed are missing from stays (35 against 46)
        assert outcome.warnings == (
            "core.occupancy: 1 care-home location-month where occupancy.csv and stays differ"
            " by more than 10%: L1 2025-01 (occupancy.csv 46, stays 35 bed days)",
        )

    def test_home_care_locations_are_not_compared(self, con, config):
        # Given occupancy rows for the home-care branch L2, where person C has a package
        con.execute("insert into core.occupancy values ('P1', 'L2', '2025-01-05', 40)")

        # When the checks run
        outcome = _check(con, config)

        # Then nothing is reported about L2
        assert outcome.warnings == ()


def test_skips_tables_the_warehouse_does_not_have(tmp_path, config):
    # Given a warehouse holding only the audit schema
    connection = duckdb.connect(str(tmp_path / "bare.duckdb"))
    connection.execute(AUDIT_SQL.read_text())

    # When the checks run
    outcome = _check(connection, config)

    # Then they pass, recording only the checks that apply to what exists
    assert outcome.success
    assert connection.execute(
        "select suite, target from audit.validation_results order by suite"
    ).fetchall() == [("freshness", "audit.packages"), ("occupancy", "core.occupancy")]
