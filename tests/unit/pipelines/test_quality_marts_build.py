"""Tests for pipelines.marts.build_quality_marts on an in-memory warehouse with the real schema.

Rows go straight into ``core.*`` and ``audit.packages``; the nightly runner's own path is
covered by tests/integration/test_quality_marts.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.config import PipelineConfig
from pipelines.marts import build_quality_marts
from pipelines.warehouse import create_schema, refresh_current

CONFIG = PipelineConfig(
    warehouse_path=Path("unused.duckdb"), pseudonym_key=b"k" * 16, data_docs_dir=Path("unused")
)
MONTHS = (
    "select location_id, month, occupied_bed_days, falls, scheduled_doses, late_doses, "
    "pressure_ulcers from marts.quality_monthly order by location_id, month"
)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty warehouse: every schema and table, with P1's care home L1 and home care L2."""
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    create_schema(connection)
    refresh_current(connection, run_id="none")
    connection.execute(
        "insert into core.locations (provider_id, location_id, service_type) values "
        "('P1', 'L1', 'care_home_nursing'), ('P1', 'L2', 'home_care')"
    )
    yield connection
    connection.close()


def _package(con: duckdb.DuckDBPyConnection, *, extract_from: str, extract_to: str) -> None:
    con.execute(
        "insert into audit.packages (provider_id, extract_id, export_id, extract_from, "
        "extract_to, run_id, sequence) values ('P1', ?, ?, ?, ?, 'r1', 1)",
        [extract_to, f"P1_{extract_to}", extract_from, extract_to],
    )


def _incident(
    con: duckdb.DuckDBPyConnection,
    *,
    location_id: str,
    occurred_at: str,
    incident_type: str = "fall",
    status: str = "final",
) -> None:
    con.execute(
        "insert into core.incidents (provider_id, record_uid, version, status, location_id, "
        "person_id, occurred_at, incident_type, harm) "
        "values ('P1', gen_random_uuid()::varchar, 1, ?, ?, 'A', ?, ?, 'low')",
        [status, location_id, occurred_at, incident_type],
    )


def _dose(
    con: duckdb.DuckDBPyConnection,
    *,
    scheduled_at: str | None,
    recorded_at: str,
    is_prn: bool | None = False,
    is_time_critical: bool | None = False,
) -> None:
    con.execute(
        "insert into core.medication_administrations (provider_id, record_uid, version, status, "
        "person_id, location_id, scheduled_at, recorded_at, outcome, is_prn, is_time_critical) "
        "values ('P1', gen_random_uuid()::varchar, 1, 'final', 'A', 'L2', ?, ?, 'given', ?, ?)",
        [scheduled_at, recorded_at, is_prn, is_time_critical],
    )


def test_an_empty_warehouse_gives_empty_marts(con: duckdb.DuckDBPyConnection) -> None:
    # Given no records

    # When
    built = build_quality_marts(con, config=CONFIG)

    # Then
    assert built.rows == {"marts.quality_monthly": 0, "marts.quality_weekly": 0}
    assert con.execute("select count(*) from marts.quality_monthly").fetchall() == [(0,)]


def test_each_build_replaces_the_marts_and_leaves_no_temporary_table(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given a fall in L2 in the marts, then retracted in core
    _incident(con, location_id="L2", occurred_at="2025-02-10 10:00:00+00")
    build_quality_marts(con, config=CONFIG)
    assert con.execute(MONTHS).fetchall() == [("L2", date(2025, 2, 1), None, 1, 0, 0, 0)]
    con.execute("update core.incidents set status = 'entered_in_error'")

    # When
    built = build_quality_marts(con, config=CONFIG)

    # Then the location has no event left, so no month at all
    assert built.rows == {"marts.quality_monthly": 0, "marts.quality_weekly": 0}
    assert con.execute(
        "select count(*) from duckdb_tables() where table_name = 'quality_daily'"
    ).fetchall() == [(0,)]


def test_any_final_incident_or_dose_extends_the_range_with_zero_counts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given in L2 a fall in January, a skin tear in March and an as-required dose in April
    _incident(con, location_id="L2", occurred_at="2025-01-10 10:00:00+00")
    _incident(
        con, location_id="L2", occurred_at="2025-03-10 10:00:00+00", incident_type="skin_tear"
    )
    _dose(con, scheduled_at=None, recorded_at="2025-04-10 10:00:00+00", is_prn=True)

    # When
    build_quality_marts(con, config=CONFIG)

    # Then January to April, with nothing counted after January
    assert con.execute(MONTHS).fetchall() == [
        ("L2", date(2025, 1, 1), None, 1, 0, 0, 0),
        ("L2", date(2025, 2, 1), None, 0, 0, 0, 0),
        ("L2", date(2025, 3, 1), None, 0, 0, 0, 0),
        ("L2", date(2025, 4, 1), None, 0, 0, 0, 0),
    ]


def test_a_dose_of_unknown_time_criticality_uses_the_ordinary_window(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given two given doses, time-criticality not recorded: 45 and 61 minutes after schedule
    _dose(
        con,
        scheduled_at="2025-05-01 08:00:00+00",
        recorded_at="2025-05-01 08:45:00+00",
        is_time_critical=None,
    )
    _dose(
        con,
        scheduled_at="2025-05-01 12:00:00+00",
        recorded_at="2025-05-01 13:01:00+00",
        is_time_critical=None,
    )

    # When
    build_quality_marts(con, config=CONFIG)

    # Then only the second is late (beyond 60 minutes, not 30)
    assert con.execute(MONTHS).fetchall() == [("L2", date(2025, 5, 1), None, 0, 2, 1, 0)]


def test_a_nursing_home_counts_stays_inside_the_exports_and_ulcers_without_a_person(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given a nursing home with two residents over February (one leaving on the 15th), exports
    # covering February only, and a pressure ulcer recorded without a person
    con.execute(
        "insert into core.people (provider_id, person_id, location_id, start_date, end_date) "
        "values ('P1', 'A', 'L1', '2024-06-01', null), ('P1', 'B', 'L1', '2025-01-20', "
        "'2025-02-15')"
    )
    _package(con, extract_from="2025-02-01", extract_to="2025-02-28")
    con.execute(
        "insert into core.incidents (provider_id, record_uid, version, status, location_id, "
        "occurred_at, incident_type, harm) "
        "values ('P1', 'U1', 1, 'final', 'L1', '2025-02-03 09:00:00+00', 'pressure_ulcer', 'low')"
    )

    # When
    build_quality_marts(con, config=CONFIG)

    # Then February only: A's 28 days and B's 14 (1 to 14 February)
    assert con.execute(MONTHS).fetchall() == [("L1", date(2025, 2, 1), 42, 0, 0, 0, 1)]
    assert con.execute(
        "select round(pressure_ulcers_per_1000_bed_days, 6) from marts.quality_monthly"
    ).fetchall() == [(23.809524,)]  # 1 / 42 * 1000
