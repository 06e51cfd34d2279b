"""Tests for pipelines.steps.adoption_trajectory on an in-memory warehouse with the real schema.

Rows go straight into ``marts.adoption_monthly``. ICB QZZ follows the hand-worked curve of
tests/unit/models/test_adoption_trajectory.py: in month t from January 2024, 3^t of
3^t + 2^(t+2) locations have adopted, so logit(rate) = ln(1/4) + ln(3/2)·t exactly and the
rate first reaches 80% in August 2024 (t = 7), the 80% interval being August to September.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from models.adoption_trajectory import TrajectoryFit, project
from pipelines.steps.adoption_trajectory import build_adoption_trajectory
from pipelines.warehouse import create_schema


def month(t: int) -> date:
    """The first day of month ``t``, January 2024 being ``t = 0``."""
    return date(2024 + t // 12, t % 12 + 1, 1)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """QZZ: six months on the curve; QZY: five months; QZX: 90 locations reaching 80% in May;
    and a stale row from an earlier run for an ICB no longer in the monthly mart."""
    connection = duckdb.connect()
    create_schema(connection)
    for t in range(6):
        _month(connection, icb="QZZ", t=t, active=3**t + 2 ** (t + 2), adopted=3**t)
    for t in range(5):
        _month(connection, icb="QZY", t=t, active=40, adopted=10 + t)
    for t, adopted in enumerate([18, 30, 45, 60, 72, 80]):
        _month(connection, icb="QZX", t=t, active=90, adopted=adopted)
    connection.execute(
        "insert into marts.adoption_trajectory (icb_code, status, origin_month, months_fitted, "
        "target_rate, latest_month, run_id) "
        "values ('QOLD', 'fitted', '2023-01-01', 12, 0.8, '2023-12-01', 'run-0')"
    )
    yield connection
    connection.close()


def _month(con: duckdb.DuckDBPyConnection, *, icb: str, t: int, active: int, adopted: int) -> None:
    start = month(t)
    end = month(t + 1).toordinal() - 1
    con.execute(
        "insert into marts.adoption_monthly (icb_code, month, active_locations, "
        "adopted_locations, no_return_locations, adoption_rate, care_home_beds, "
        "adopted_care_home_beds, month_end, returned_no_locations, universe_snapshot_date) "
        "values (?, ?, ?, ?, 0, ?, 0, 0, ?, ?, '2024-01-01')",
        [icb, start, active, adopted, adopted / active, date.fromordinal(end), active - adopted],
    )


def _rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    cursor = con.execute("select * from marts.adoption_trajectory order by icb_code")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_writes_one_row_per_icb_with_its_status_and_months(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """It replaces the table with each ICB's status, months and reaching months."""
    # Given the monthly rows of three ICBs and a stale fit
    # When the step runs
    build_adoption_trajectory(con, run_id="run-1")
    # Then each ICB has one row of this run and the stale one is gone
    summary = [
        (
            row["icb_code"],
            row["status"],
            row["origin_month"],
            row["months_fitted"],
            row["latest_month"],
            row["month_reaching_target"],
            row["month_reaching_low"],
            row["month_reaching_high"],
            row["run_id"],
        )
        for row in _rows(con)
    ]
    assert summary == [
        # reached 72 of 90 in May 2024 (t = 4)
        ("QZX", "reached", month(0), 6, month(5), month(4), month(4), month(4), "run-1"),
        ("QZY", "too_few_months", month(0), 5, month(4), None, None, None, "run-1"),
        ("QZZ", "fitted", month(0), 6, month(5), month(7), month(7), month(8), "run-1"),
    ]


def test_the_stored_coefficients_reproduce_the_curve_without_refitting(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """It stores a = ln(1/4), b = ln(3/2) and their covariance, which project as fitted."""
    # Given the step has run
    build_adoption_trajectory(con, run_id="run-1")
    # When QZZ's row is read back as a fit and projected to August 2024
    row = next(row for row in _rows(con) if row["icb_code"] == "QZZ")
    fit = TrajectoryFit.from_row(row)
    august = project(fit, through=month(7))[-1]
    # Then the coefficients are the hand-worked ones, the scale 1 (an exact fit), the latest
    # rate 243/371, and August's rate 2187/2699 with its band 0.758050 to 0.853448
    assert row["intercept"] == pytest.approx(math.log(0.25), abs=1e-6)
    assert row["slope"] == pytest.approx(math.log(1.5), abs=1e-6)
    assert row["var_slope"] == pytest.approx(0.0072521, abs=1e-6)
    assert row["scale"] == 1.0
    assert row["target_rate"] == 0.8
    assert row["latest_rate"] == pytest.approx(243 / 371)
    assert august.rate == pytest.approx(2187 / 2699)
    assert (august.low, august.high) == pytest.approx((0.758050, 0.853448), abs=1e-6)


def test_no_monthly_rows_leave_the_table_empty(con: duckdb.DuckDBPyConnection) -> None:
    """It empties the table when there is nothing to fit."""
    # Given no monthly rows
    con.execute("delete from marts.adoption_monthly")
    # When the step runs
    build_adoption_trajectory(con, run_id="run-2")
    # Then no fit remains
    assert _rows(con) == []


def test_an_icb_with_its_locations_gets_the_location_clustered_covariance(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The cohort of tests/unit/models/test_adoption_trajectory.py, through the step."""
    # Given ICB QZW's 40 locations over 7 months, location k adopted from month k mod 10, and
    #   its monthly counts 4, 8, …, 28 of 40
    for t in range(7):
        _month(con, icb="QZW", t=t, active=40, adopted=4 * (t + 1))
        for k in range(40):
            con.execute(
                "insert into marts.adoption_location_monthly (month, month_end, icb_code, "
                "location_id, location_name, provider_id, service_type, size_band, "
                "universe_snapshot_date, has_return, is_adopted) "
                "values (?, ?, 'QZW', ?, 'Home', '1-1', 'care_home', '10-24 beds', "
                "'2024-01-01', true, ?)",
                [month(t), month(t + 1), f"1-{k:09d}", t >= k % 10],
            )

    # When the step runs
    build_adoption_trajectory(con, run_id="run-1")

    # Then QZW's stored slope variance is the clustered 0.006405 (binomial: 0.005298), and the
    #   ICBs with no location rows keep the binomial covariance
    rows = {row["icb_code"]: row for row in _rows(con)}
    assert rows["QZW"]["interval_method"] == "location_clustered"
    assert rows["QZW"]["var_slope"] == pytest.approx(0.006405, abs=1e-6)
    assert rows["QZX"]["interval_method"] == "binomial"
