"""Tests for pipelines.steps.build_quality_impact on an in-memory warehouse with the real schema.

Rows go straight into ``core.locations`` and ``marts.quality_monthly``; the nightly runner's own
path is covered by tests/integration/test_impact_truth.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from pipelines.steps import build_quality_impact
from pipelines.warehouse import create_schema, refresh_current

MONTHS = [date(2023 + i // 12, i % 12 + 1, 1) for i in range(24)]
"""January 2023 to December 2024; go-live on 1 January 2024 splits them 12 and 12."""


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """Care homes L1 (eMAR from go-live), L4 (doses all along) and L3 (not live), L5 (no
    months); home care L2 (no bed days, doses all along)."""
    connection = duckdb.connect()
    create_schema(connection)
    refresh_current(connection, run_id="none")
    connection.execute(
        "insert into core.locations (provider_id, location_id, service_type, dscr_go_live_date) "
        "values ('P1', 'L1', 'care_home', '2024-01-01'), ('P1', 'L2', 'home_care', '2024-01-01'), "
        "('P1', 'L3', 'care_home', null), ('P1', 'L4', 'care_home', '2024-01-01'), "
        "('P1', 'L5', 'care_home', '2024-01-01')"
    )
    for index, month in enumerate(MONTHS):
        after = index >= 12
        # L1: 50 then 40 falls per 1,000 bed days; 1 then 2 harmful; doses only after go-live.
        _month(
            con=connection,
            location="L1",
            month=month,
            bed_days=1_000,
            doses=7_000 * after,
            falls=40 if after else 50,
            harm=2 if after else 1,
            errors=3,
            ulcers=0,
        )
        _month(
            con=connection,
            location="L2",
            month=month,
            bed_days=None,
            doses=4_000,
            falls=2,
            harm=0,
            errors=1,
            ulcers=0,
        )
        _month(
            con=connection,
            location="L3",
            month=month,
            bed_days=1_000,
            doses=0,
            falls=5,
            harm=0,
            errors=1,
            ulcers=1,
        )
        _month(
            con=connection,
            location="L4",
            month=month,
            bed_days=1_000,
            doses=7_000,
            falls=5,
            harm=1,
            errors=6 if after else 3,
            ulcers=1,
        )
    yield connection
    connection.close()


def _month(
    *,
    con: duckdb.DuckDBPyConnection,
    location: str,
    month: date,
    bed_days: int | None,
    doses: int,
    falls: int,
    harm: int,
    errors: int,
    ulcers: int,
) -> None:
    con.execute(
        "insert into marts.quality_monthly (provider_id, location_id, month, occupied_bed_days, "
        "falls, falls_with_harm, scheduled_doses, missed_doses, late_doses, medication_errors, "
        "pressure_ulcers) values ('P1', ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
        [location, month, bed_days, falls, harm, doses, errors, ulcers],
    )


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select location_id, measure, status, exposure_unit, months_before, months_after "
        "from marts.quality_impact order by location_id, measure"
    ).fetchall()


def test_writes_a_row_per_location_and_measure_with_its_status(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # When
    built = build_quality_impact(con, run_id="run-1")

    # Then
    bed_days, doses = "occupied_bed_days", "scheduled_doses"
    assert _rows(con) == [
        ("L1", "falls", "estimated", bed_days, 12, 12),
        ("L1", "falls_with_harm", "estimated", bed_days, 12, 12),
        ("L1", "medication_errors", "estimated", bed_days, 12, 12),  # no doses before go-live
        ("L1", "pressure_ulcers", "no_events", bed_days, 12, 12),
        ("L2", "falls", "no_exposure", bed_days, 0, 0),
        ("L2", "falls_with_harm", "no_exposure", bed_days, 0, 0),
        ("L2", "medication_errors", "estimated", doses, 12, 12),  # doses before go-live
        ("L2", "pressure_ulcers", "no_exposure", bed_days, 0, 0),
        ("L3", "falls", "no_go_live", bed_days, 0, 0),
        ("L3", "falls_with_harm", "no_go_live", bed_days, 0, 0),
        ("L3", "medication_errors", "no_go_live", doses, 0, 0),
        ("L3", "pressure_ulcers", "no_go_live", bed_days, 0, 0),
        ("L4", "falls", "estimated", bed_days, 12, 12),
        ("L4", "falls_with_harm", "estimated", bed_days, 12, 12),
        ("L4", "medication_errors", "estimated", doses, 12, 12),  # doses before go-live too
        ("L4", "pressure_ulcers", "estimated", bed_days, 12, 12),
        ("L5", "falls", "no_exposure", bed_days, 0, 0),  # no monthly rows at all
        ("L5", "falls_with_harm", "no_exposure", bed_days, 0, 0),
        ("L5", "medication_errors", "no_exposure", bed_days, 0, 0),
        ("L5", "pressure_ulcers", "no_exposure", bed_days, 0, 0),
    ]
    assert built.rows == {"marts.quality_impact": 20, "marts.quality_counterfactual": 8 * 12}
    assert built.statuses == {"estimated": 8, "no_events": 1, "no_exposure": 7, "no_go_live": 4}


def test_estimates_match_the_hand_worked_series(con: duckdb.DuckDBPyConnection) -> None:
    # When
    build_quality_impact(con, run_id="run-1")

    # Then: L1 falls 50 -> 40 per 1,000 bed days; L4 errors 3 -> 6 per 7,000 doses
    rows = con.execute(
        "select location_id, measure, go_live_date, round(level_change_ratio, 6), "
        "observed_since_go_live, round(expected_since_go_live, 4), "
        "round(avoided_since_go_live, 4), run_id from marts.quality_impact "
        "where (location_id, measure) in (('L1', 'falls'), ('L4', 'medication_errors')) "
        "order by location_id"
    ).fetchall()
    assert rows == [
        ("L1", "falls", date(2024, 1, 1), 0.8, 480.0, 600.0, 120.0, "run-1"),
        ("L4", "medication_errors", date(2024, 1, 1), 2.0, 72.0, 36.0, -36.0, "run-1"),
    ]


def test_the_counterfactual_has_each_month_after_go_live(con: duckdb.DuckDBPyConnection) -> None:
    # When
    build_quality_impact(con, run_id="run-1")

    # Then
    rows = con.execute(
        "select month, observed, round(expected, 4) from marts.quality_counterfactual "
        "where location_id = 'L1' and measure = 'falls' order by month"
    ).fetchall()
    assert rows == [(month, 40.0, 50.0) for month in MONTHS[12:]]


def test_a_second_build_replaces_the_first(con: duckdb.DuckDBPyConnection) -> None:
    # Given a first build
    build_quality_impact(con, run_id="run-1")

    # When
    build_quality_impact(con, run_id="run-2")

    # Then
    counts = con.execute(
        "select (select count(*) from marts.quality_impact), "
        "(select count(*) from marts.quality_counterfactual), "
        "(select list(distinct run_id) from marts.quality_impact)"
    ).fetchall()
    assert counts == [(20, 96, ["run-2"])]
