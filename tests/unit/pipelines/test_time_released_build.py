"""Tests for pipelines.marts.time_released on hand-built measured marts and assumptions.

Rows go straight into ``core.locations``, ``marts.documentation_monthly``,
``marts.care_plan_reviews_monthly`` and ``reference.provider_assumptions``; every expected
figure below is worked by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from pipelines.marts.time_released import build_time_released_marts
from pipelines.warehouse import create_schema, refresh_current

D = Decimal


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse with P1's care home L1 (live 10 March 2025) and home care L2 (live 1 January
    2025), and P2's care home L3 (not live) and L4 (live 1 January 2025, nothing entered)."""
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    create_schema(connection)
    refresh_current(connection, run_id="none")
    connection.execute(
        "insert into core.locations (provider_id, location_id, service_type, dscr_go_live_date)"
        " values ('P1', 'L1', 'care_home', '2025-03-10'), ('P1', 'L2', 'home_care', '2025-01-01'),"
        " ('P2', 'L3', 'care_home', null), ('P2', 'L4', 'care_home_nursing', '2025-01-01')"
    )
    documentation = [
        # location, month, service type, basis; all shifts, entry minutes, p10, p90; then the
        # care-worker figures: care shifts, care entry minutes, p10, p90 (care homes' managers
        # add shifts and minutes to the first set only)
        ("P1", "L1", "2025-03-01", "care_home", "shifts", 60, 700.0, 9.0, 13.0,
         50, 600.0, 10.0, 14.0),  # go-live month
        ("P1", "L1", "2025-04-01", "care_home", "shifts", 120, 1500.0, 7.0, 18.0,
         100, 1200.0, 8.0, 20.0),
        ("P1", "L1", "2025-05-01", "care_home", "shifts", 20, 100.0, 5.0, 5.0,
         0, 0.0, None, None),  # managers' shifts only
        ("P1", "L2", "2025-01-01", "home_care", "visits", 310, 620.5, 1.5, 2.5,
         310, 620.5, 1.5, 2.5),
        ("P2", "L3", "2025-04-01", "care_home", "shifts", 80, 900.0, 9.0, 13.0,
         80, 900.0, 9.0, 13.0),  # not live
        ("P2", "L4", "2025-04-01", "care_home_nursing", "shifts", 10, 100.0, 9.0, 11.0,
         10, 100.0, 9.0, 11.0),
    ]  # fmt: skip
    for (
        provider, location, month, service, basis, shifts, minutes, p10, p90,
        care_shifts, care_minutes, care_p10, care_p90,
    ) in documentation:  # fmt: skip
        connection.execute(
            "insert into marts.documentation_monthly (provider_id, location_id, month,"
            " care_notes, entry_minutes, shifts, entry_minutes_per_shift, service_type,"
            " shift_basis, notes_with_entry_seconds, offline_notes, minutes_per_shift_p10,"
            " minutes_per_shift_p90, care_shifts, care_entry_minutes,"
            " entry_minutes_per_care_shift, care_minutes_per_shift_p10,"
            " care_minutes_per_shift_p90)"
            " values (?, ?, ?, 1, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?)",
            [
                provider,
                location,
                month,
                minutes,
                shifts,
                None if minutes is None or not shifts else minutes / shifts,
                service,
                basis,
                p10,
                p90,
                care_shifts,
                care_minutes,
                None if care_minutes is None or not care_shifts else care_minutes / care_shifts,
                care_p10,
                care_p90,
            ],
        )
    for provider, location, month, completed in [
        ("P1", "L1", "2025-03-01", 5),  # before the first whole live month
        ("P1", "L1", "2025-04-01", 7),
        ("P2", "L4", "2025-04-01", 3),  # P2 entered no review times
    ]:
        connection.execute(
            "insert into marts.care_plan_reviews_monthly (provider_id, location_id, month,"
            " reviews_due, reviews_on_time, reviews_late, reviews_outstanding,"
            " reviews_completed, reviews_completed_in_month) values (?, ?, ?, 0, 0, 0, 0, 0, ?)",
            [provider, location, month, completed],
        )
    for name, value in [
        ("baseline_documentation_minutes_per_shift", "30"),
        ("baseline_documentation_minutes_per_visit", "4"),
        ("care_worker_hourly_pay_gbp", "13.00"),
        ("care_plan_review_minutes_before", "240"),
        ("care_plan_review_minutes_after", "30"),
        ("audit_minutes_before", "120"),
        ("audit_minutes_after", "45"),
        ("audits_per_month", "4"),
        ("handover_minutes_before", "20"),  # no after, no frequency: no handover stream
    ]:
        connection.execute(
            "insert into reference.provider_assumptions (provider_id, name, value, unit, note,"
            " set_at, run_id) values ('P1', ?, ?, 'u', null, now(), 'r')",
            [name, value],
        )
    yield connection
    connection.close()


def test_time_released_rows_per_live_location_month(con: duckdb.DuckDBPyConnection) -> None:
    # When the marts are built
    built = build_time_released_marts(con)

    # Then each live location's months from the first whole month after go-live have a row,
    # counting care-worker shifts and minutes only (all of L1's April shifts would give
    # (30 − 1500 / 120) × 120 / 60 = 35 h, crediting the managers' shifts with a carer's
    # paper-era time); L1 in April: (30 − 1200 / 100 = 12) × 100 / 60 = 30 h, at £13 × 1.2775
    # = £16.6075 an hour £498.23 (498.225 half up); low (30 − 20) × 100 / 60 = 16.67 h,
    # £276.79; high (30 − 8) × 100 / 60 = 36.67 h, £608.94. L2 per visit: (4 × 310 − 620.5)
    # / 60 = 10.325 → 10.33 h, £171.47; low (4 − 2.5) × 310 / 60 = 7.75 h, £128.71; high
    # 2.5 × 310 / 60 = 12.92 h, £214.51.
    # L1 in May had no care-worker shift, and P2 entered no baseline: no figure.
    rows = con.execute(
        "select location_id, month, shifts, measured_minutes_per_shift, minutes_per_shift_p10,"
        " minutes_per_shift_p90, baseline_minutes_per_shift, baseline_basis,"
        " hours_released, hours_released_low, hours_released_high, hourly_pay_gbp,"
        " hourly_pay_basis, on_cost_basis, hourly_cost_gbp, value_gbp, value_low_gbp,"
        " value_high_gbp from marts.time_released_monthly order by all"
    ).fetchall()
    assert built.rows == {"marts.time_released_monthly": 4, "marts.benefit_streams": 5}
    assert rows == [
        (
            "L1", date(2025, 4, 1), 100, 12.0, 8.0, 20.0, D(30), "entered", D("30.00"),
            D("16.67"), D("36.67"),
            D(13), "entered", "default", D("16.6075"), D("498.23"), D("276.79"), D("608.94"),
        ),
        (
            "L1", date(2025, 5, 1), 0, None, None, None, D(30), "entered", None, None, None,
            D(13), "entered", "default", D("16.6075"), None, None, None,
        ),
        (
            "L2", date(2025, 1, 1), 310, 620.5 / 310, 1.5, 2.5, D(4), "entered", D("10.33"),
            D("7.75"), D("12.92"),
            D(13), "entered", "default", D("16.6075"), D("171.47"), D("128.71"), D("214.51"),
        ),
        (
            "L4", date(2025, 4, 1), 10, 10.0, 9.0, 11.0, None, "not_entered", None, None, None,
            D(12), "default", "default", D("15.3300"), None, None, None,
        ),
    ]  # fmt: skip


def test_benefit_streams_say_what_was_measured_and_what_assumed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # When the marts are built
    build_time_released_marts(con)

    # Then documentation and reviews are measured and assumed; audits, all entered, are
    # assumed and provider-wide in each month P1 had care-worker shifts or visits (January and
    # April; May had managers' shifts only).
    # Reviews: (240 − 30) × 7 / 60 = 24.5 h at £18.50 × 1.2775 = £23.63375, £579.03.
    # Audits: (120 − 45) × 4 / 60 = 5 h, £118.17 (118.16875). No stream for P2 or handovers.
    rows = con.execute(
        "select provider_id, location_id, month, stream, basis, cash_releasing, quantity, unit,"
        " value_gbp, value_low_gbp, value_high_gbp from marts.benefit_streams order by all"
    ).fetchall()
    assert rows == [
        (
            "P1", "L1", date(2025, 4, 1), "care_worker_documentation_time",
            "measured_and_assumed", False, D("30.00"), "hours", D("498.23"), D("276.79"),
            D("608.94"),
        ),
        (
            "P1", "L1", date(2025, 4, 1), "managerial_care_plan_reviews",
            "measured_and_assumed", False, D("24.50"), "hours", D("579.03"), D("579.03"),
            D("579.03"),
        ),
        (
            "P1", "L2", date(2025, 1, 1), "care_worker_documentation_time",
            "measured_and_assumed", False, D("10.33"), "hours", D("171.47"), D("128.71"),
            D("214.51"),
        ),
        (
            "P1", None, date(2025, 1, 1), "managerial_audits", "assumed", False, D("5.00"),
            "hours", D("118.17"), D("118.17"), D("118.17"),
        ),
        (
            "P1", None, date(2025, 4, 1), "managerial_audits", "assumed", False, D("5.00"),
            "hours", D("118.17"), D("118.17"), D("118.17"),
        ),
    ]  # fmt: skip
    notes = dict(
        con.execute(
            "select stream, basis_note from marts.benefit_streams where month = '2025-04-01'"
        ).fetchall()
    )
    assert notes["care_worker_documentation_time"] == (
        "Measured: 12.0 recording minutes per care-worker shift over 100 care-worker shifts. "
        "Entered: paper-era 30 minutes per care-worker shift. Pay £13.00 an hour (entered) "
        "plus on-costs of 27.75% (default)."
    )
    assert notes["managerial_care_plan_reviews"] == (
        "Measured: 7 care-plan reviews completed in the month. Entered: 240 minutes each on "
        "paper, 30 digitally. Manager pay £18.50 an hour (default) plus on-costs of 27.75% "
        "(default)."
    )
    assert notes["managerial_audits"].startswith("Entered: 4 audits a month, 120 minutes each")


def test_more_time_than_on_paper_is_kept_negative(con: duckdb.DuckDBPyConnection) -> None:
    # Given P1's paper-era baseline was only 10 minutes a shift
    con.execute(
        "update reference.provider_assumptions set value = 10"
        " where name = 'baseline_documentation_minutes_per_shift'"
    )

    # When the marts are built
    build_time_released_marts(con)

    # Then April is (10 − 12) × 100 / 60 = −3.33 h, −£55.36 (−55.358...); the range is
    # (10 − 20) × 100 / 60 = −16.67 h to (10 − 8) × 100 / 60 = 3.33 h
    row = con.execute(
        "select hours_released, hours_released_low, hours_released_high, value_gbp"
        " from marts.time_released_monthly where location_id = 'L1' and month = '2025-04-01'"
    ).fetchone()
    assert row == (D("-3.33"), D("-16.67"), D("3.33"), D("-55.36"))


def test_a_rebuild_replaces_the_rows(con: duckdb.DuckDBPyConnection) -> None:
    # Given a build, then P1's entries withdrawn
    build_time_released_marts(con)
    con.execute("delete from reference.provider_assumptions")

    # When the marts are built again
    built = build_time_released_marts(con)

    # Then the rows are replaced: no baseline anywhere, no stream
    assert built.rows == {"marts.time_released_monthly": 4, "marts.benefit_streams": 0}
    bases = con.execute("select distinct baseline_basis from marts.time_released_monthly")
    assert bases.fetchall() == [("not_entered",)]
