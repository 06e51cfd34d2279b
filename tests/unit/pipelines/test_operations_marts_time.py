"""Tests for the documentation, visit and care-plan review marts of build_operations_marts.

Rows go straight into ``core.*`` of an in-memory warehouse with the real schema; every expected
number is worked by hand in the comments (issue #5).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.config import PipelineConfig
from pipelines.marts import build_operations_marts
from pipelines.warehouse import create_schema, refresh_current

CONFIG = PipelineConfig(
    warehouse_path=Path("unused.duckdb"), pseudonym_key=b"k" * 16, data_docs_dir=Path("unused")
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
        "('P1', 'L1', 'care_home'), ('P1', 'L2', 'home_care')"
    )
    yield connection
    connection.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def _note(
    con: duckdb.DuckDBPyConnection,
    *,
    care_at: str,
    recorded_after: str = "0 seconds",
    entry_seconds: int | None = 60,
    recorded_offline: bool | None = False,
    location_id: str = "L1",
    status: str = "final",
    staff_id: str | None = "S",
) -> None:
    con.execute(
        "insert into core.care_notes (provider_id, record_uid, version, status, person_id, "
        "staff_id, location_id, category, care_at, recorded_at, entry_seconds, entry_method, "
        "recorded_offline) values ('P1', gen_random_uuid()::varchar, 1, ?, 'A', ?, ?, "
        "'personal_care', ?::timestamptz, ?::timestamptz + ?::interval, ?, 'icon', ?)",
        [
            status,
            staff_id,
            location_id,
            care_at,
            care_at,
            recorded_after,
            entry_seconds,
            recorded_offline,
        ],
    )


def _shift(
    con: duckdb.DuckDBPyConnection, *, start_at: str, status: str = "final", staff_id: str = "S"
) -> None:
    con.execute(
        "insert into core.shifts (provider_id, record_uid, version, status, staff_id, "
        "location_id, start_at, end_at) values ('P1', gen_random_uuid()::varchar, 1, ?, ?, "
        "'L1', ?::timestamptz, ?::timestamptz + interval 8 hour)",
        [status, staff_id, start_at, start_at],
    )


def _staff(con: duckdb.DuckDBPyConnection, *, staff_id: str, role: str) -> None:
    con.execute(
        "insert into core.staff (provider_id, staff_id, location_id, role) "
        "values ('P1', ?, 'L1', ?)",
        [staff_id, role],
    )


def _visit(
    con: duckdb.DuckDBPyConnection,
    *,
    scheduled_start: str,
    visit_status: str = "completed",
    check_in_after: str | None = None,
    location_id: str = "L2",
    status: str = "final",
) -> None:
    con.execute(
        "insert into core.visits (provider_id, record_uid, version, status, person_id, staff_id, "
        "location_id, scheduled_start, scheduled_end, check_in_at, visit_status) values ('P1', "
        "gen_random_uuid()::varchar, 1, ?, 'A', 'S', ?, ?::timestamptz, "
        "?::timestamptz + interval 30 minute, ?::timestamptz + ?::interval, ?)",
        [
            status,
            location_id,
            scheduled_start,
            scheduled_start,
            scheduled_start,
            check_in_after,
            visit_status,
        ],
    )


def _care_home_april(con: duckdb.DuckDBPyConnection) -> None:
    """Notes and shifts at L1 over 31 March to 3 April 2025 (clocks went forward on 30 March)."""
    # 31 March 23:30 London (22:30Z): 30 seconds, recorded 5 minutes later, no shift
    _note(con, care_at="2025-03-31 22:30:00+00", entry_seconds=30, recorded_after="5 minutes")
    # 1 April: a note at 00:30 London (23:30Z) of 120 s recorded exactly 15 minutes later, and
    # one of 60 s recorded offline 15 minutes 1 second later; one shift starting 00:30 London
    _note(con, care_at="2025-03-31 23:30:00+00", entry_seconds=120, recorded_after="15 minutes")
    _note(
        con,
        care_at="2025-04-01 09:00:00+00",
        entry_seconds=60,
        recorded_after="15 minutes 1 second",
        recorded_offline=True,
    )
    _shift(con, start_at="2025-03-31 23:30:00+00")
    # 2 April: 600 s recorded 3 minutes before the care, and one with neither entry time nor
    # offline flag; two shifts
    _note(con, care_at="2025-04-02 09:00:00+00", entry_seconds=600, recorded_after="-3 minutes")
    _note(
        con,
        care_at="2025-04-02 10:00:00+00",
        entry_seconds=None,
        recorded_after="1 minute",
        recorded_offline=None,
    )
    _shift(con, start_at="2025-04-02 07:00:00+00")
    _shift(con, start_at="2025-04-02 19:00:00+00")
    # 3 April: 1200 s and one shift; a retracted note and a retracted shift
    _note(con, care_at="2025-04-03 09:00:00+00", entry_seconds=1200)
    _note(con, care_at="2025-04-03 10:00:00+00", entry_seconds=3600, status="entered_in_error")
    _shift(con, start_at="2025-04-03 07:00:00+00")
    _shift(con, start_at="2025-04-03 19:00:00+00", status="entered_in_error")


def test_documentation_monthly_spec_columns_in_a_care_home(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given
    _care_home_april(con)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then March: 1 note, 0.5 minutes, no shift. April: 5 notes, 120+60+600+1200 s = 33
    # minutes over 4 shifts = 8.25; within 15 minutes: all but the 15:01 one, 4 of 5
    spec = (
        "select location_id, month, care_notes, entry_minutes, shifts, entry_minutes_per_shift, "
        "notes_recorded_within_15_minutes from marts.documentation_monthly order by month"
    )
    assert _rows(con, spec) == [
        ("L1", date(2025, 3, 1), 1, 0.5, 0, None, 1.0),
        ("L1", date(2025, 4, 1), 5, 33.0, 4, 8.25, 0.8),
    ]


def test_documentation_monthly_extensions_in_a_care_home(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given
    _care_home_april(con)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then April: offline 1 of the 4 notes whose flag is known; minutes per shift by day 3, 5
    # and 20: 10th percentile at rank 0.2 = 3 + 0.2 * 2 = 3.4, 90th at rank 1.8 = 5 + 0.8 * 15
    # = 17. March has no day with a shift, so no spread
    extensions = (
        "select service_type, shift_basis, notes_with_entry_seconds, offline_notes, "
        "offline_share, round(minutes_per_shift_p10, 9), round(minutes_per_shift_p90, 9) "
        "from marts.documentation_monthly order by month"
    )
    assert _rows(con, extensions) == [
        ("care_home", "shifts", 1, 0, 0.0, None, None),
        ("care_home", "shifts", 4, 1, 0.25, 3.4, 17.0),
    ]


def test_documentation_daily_has_each_london_day(con: duckdb.DuckDBPyConnection) -> None:
    # Given
    _care_home_april(con)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then 2 April: 10 minutes (the note without entry time adds nothing) over 2 shifts
    daily = (
        "select day, care_notes, entry_minutes, shifts, entry_minutes_per_shift "
        "from marts.documentation_daily order by day"
    )
    assert _rows(con, daily) == [
        (date(2025, 3, 31), 1, 0.5, 0, None),
        (date(2025, 4, 1), 2, 3.0, 1, 3.0),
        (date(2025, 4, 2), 2, 10.0, 2, 5.0),
        (date(2025, 4, 3), 1, 20.0, 1, 20.0),
    ]


def test_documentation_months_without_measured_time_or_activity(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given at L1 two notes in January with no entry time, nothing in February, one in March
    _note(con, care_at="2025-01-10 09:00:00+00", entry_seconds=None, recorded_offline=None)
    _note(con, care_at="2025-01-11 09:00:00+00", entry_seconds=None, recorded_offline=None)
    _shift(con, start_at="2025-01-10 07:00:00+00")
    _note(con, care_at="2025-03-10 09:00:00+00", entry_seconds=90)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then January's time is unknown (null, not 0); February has a row of zeros and null shares
    months = (
        "select month, care_notes, entry_minutes, shifts, entry_minutes_per_shift, "
        "notes_recorded_within_15_minutes, notes_with_entry_seconds, offline_share "
        "from marts.documentation_monthly order by month"
    )
    assert _rows(con, months) == [
        (date(2025, 1, 1), 2, None, 1, None, 1.0, 0, None),
        (date(2025, 2, 1), 0, 0.0, 0, None, None, 0, None),
        (date(2025, 3, 1), 1, 1.5, 0, None, 1.0, 1, 0.0),
    ]


def _care_home_with_managers(con: duckdb.DuckDBPyConnection) -> None:
    """Shifts and notes at L1 on 1 to 4 April 2025 by care staff, a manager and others.

    C1 is a care worker, N1 a nurse, M1 a manager and D1 domestic staff; X is not in
    core.staff, and some notes have no staff_id at all. Every time is 07:00Z to 19:00Z, the
    same London day.
    """
    for staff_id, role in (
        ("C1", "care_worker"),
        ("N1", "nurse"),
        ("M1", "manager"),
        ("D1", "domestic"),
    ):
        _staff(con, staff_id=staff_id, role=role)
    # 1 April: shifts of C1, M1 and X; notes of C1 120 s, M1 600 s, no staff 60 s
    for staff_id in ("C1", "M1", "X"):
        _shift(con, start_at="2025-04-01 07:00:00+00", staff_id=staff_id)
    _note(con, care_at="2025-04-01 09:00:00+00", entry_seconds=120, staff_id="C1")
    _note(con, care_at="2025-04-01 10:00:00+00", entry_seconds=600, staff_id="M1")
    _note(con, care_at="2025-04-01 11:00:00+00", entry_seconds=60, staff_id=None)
    # 2 April: shifts of N1 and D1; notes of N1 300 s, D1 240 s, X 60 s
    _shift(con, start_at="2025-04-02 07:00:00+00", staff_id="N1")
    _shift(con, start_at="2025-04-02 07:00:00+00", staff_id="D1")
    _note(con, care_at="2025-04-02 09:00:00+00", entry_seconds=300, staff_id="N1")
    _note(con, care_at="2025-04-02 10:00:00+00", entry_seconds=240, staff_id="D1")
    _note(con, care_at="2025-04-02 11:00:00+00", entry_seconds=60, staff_id="X")
    # 3 April: M1's shift only; M1's note of 120 s and C1's with no entry time
    _shift(con, start_at="2025-04-03 07:00:00+00", staff_id="M1")
    _note(con, care_at="2025-04-03 09:00:00+00", entry_seconds=120, staff_id="M1")
    _note(con, care_at="2025-04-03 10:00:00+00", entry_seconds=None, staff_id="C1")
    # 4 April: C1's day and night shifts and M1's; C1's note of 1200 s
    _shift(con, start_at="2025-04-04 07:00:00+00", staff_id="C1")
    _shift(con, start_at="2025-04-04 19:00:00+00", staff_id="C1")
    _shift(con, start_at="2025-04-04 07:00:00+00", staff_id="M1")
    _note(con, care_at="2025-04-04 09:00:00+00", entry_seconds=1200, staff_id="C1")


def test_documentation_daily_care_worker_extensions_leave_managers_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given
    _care_home_with_managers(con)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then all notes and shifts count in the spec columns; the care columns keep the care
    # roles' shifts and the notes of care roles, of X (unknown) and without staff:
    # 1 April: 120 + 600 + 60 s = 13 min over 3 shifts; care: C1's shift, 120 + 60 s = 3 min
    # 2 April: 300 + 240 + 60 s = 10 min over 2 shifts; care: N1's shift, 300 + 60 s = 6 min
    # 3 April: 2 min (M1's) over 1 shift; care: no care shift, and the carers' only note (C1's)
    #   has no entry time, so their minutes are not measured (null)
    # 4 April: 20 min over 3 shifts; care: 2 shifts of C1, 20 min, 10 per care shift
    daily = (
        "select day, care_notes, entry_minutes, shifts, round(entry_minutes_per_shift, 9), "
        "care_shifts, care_entry_minutes, entry_minutes_per_care_shift "
        "from marts.documentation_daily order by day"
    )
    assert _rows(con, daily) == [
        (date(2025, 4, 1), 3, 13.0, 3, round(13 / 3, 9), 1, 3.0, 3.0),
        (date(2025, 4, 2), 3, 10.0, 2, 5.0, 1, 6.0, 6.0),
        (date(2025, 4, 3), 2, 2.0, 1, 2.0, 0, None, None),
        (date(2025, 4, 4), 1, 20.0, 3, round(20 / 3, 9), 2, 20.0, 10.0),
    ]


def test_documentation_monthly_care_worker_extensions_leave_managers_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given
    _care_home_with_managers(con)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then April: 9 notes, 13 + 10 + 2 + 20 = 45 min over 9 shifts = 5 per shift; care: 1 + 1 +
    # 0 + 2 = 4 care shifts, 3 + 6 + 0 + 20 = 29 min (the month's carers' notes do carry entry
    # time, so C1's unmeasured note adds nothing), 29 / 4 = 7.25 per care shift. Care minutes
    # per care shift by day: 3, 6 and 10 (3 April has none): 10th percentile at rank 0.2 =
    # 3 + 0.2 * 3 = 3.6, 90th at rank 1.8 = 6 + 0.8 * 4 = 9.2
    monthly = (
        "select month, care_notes, entry_minutes, shifts, entry_minutes_per_shift, care_shifts, "
        "care_entry_minutes, entry_minutes_per_care_shift, "
        "round(care_minutes_per_shift_p10, 9), round(care_minutes_per_shift_p90, 9) "
        "from marts.documentation_monthly"
    )
    assert _rows(con, monthly) == [(date(2025, 4, 1), 9, 45.0, 9, 5.0, 4, 29.0, 7.25, 3.6, 9.2)]


def test_documentation_monthly_care_minutes_unknown_when_no_carer_note_has_entry_time(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given in May a care worker's shift and note without entry time, and a manager's note of
    # 300 s
    _staff(con, staff_id="C1", role="care_worker")
    _staff(con, staff_id="M1", role="manager")
    _shift(con, start_at="2025-05-06 07:00:00+00", staff_id="C1")
    _note(con, care_at="2025-05-06 09:00:00+00", entry_seconds=None, staff_id="C1")
    _note(con, care_at="2025-05-06 10:00:00+00", entry_seconds=300, staff_id="M1")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then the spec columns measure 5 minutes over 1 shift, but the carers' minutes are not
    # measured: null, not 0 (which would read as all the paper-era time released)
    monthly = (
        "select entry_minutes, shifts, entry_minutes_per_shift, care_shifts, "
        "care_entry_minutes, entry_minutes_per_care_shift, care_minutes_per_shift_p10 "
        "from marts.documentation_monthly"
    )
    assert _rows(con, monthly) == [(5.0, 1, 5.0, 1, None, None, None)]


def test_warehouse_published_before_the_care_columns_gains_them() -> None:
    # Given a warehouse whose documentation marts have the columns of before
    connection = duckdb.connect()
    connection.execute(
        "create schema marts; "
        "create table marts.documentation_daily (provider_id varchar not null, location_id "
        "varchar not null, day date not null, care_notes bigint not null, entry_minutes double, "
        "shifts bigint not null, entry_minutes_per_shift double)"
    )

    # When
    create_schema(connection)

    # Then the care-worker columns are added at the end
    columns = _rows(
        connection,
        "select column_name from information_schema.columns "
        "where table_name = 'documentation_daily' order by ordinal_position",
    )
    assert [name for (name,) in columns][-4:] == [
        "entry_minutes_per_shift",
        "care_shifts",
        "care_entry_minutes",
        "entry_minutes_per_care_shift",
    ]
    connection.close()


def test_documentation_in_home_care_counts_completed_visits_as_shifts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given at L2 two notes of 90 s, two completed visits (one 23:30Z on 30 June, 1 July in
    # London) and a missed one in June, and a shift recorded against the home care location
    _note(con, location_id="L2", care_at="2025-06-10 09:00:00+00", entry_seconds=90)
    _note(con, location_id="L2", care_at="2025-06-11 09:00:00+00", entry_seconds=90)
    _visit(con, scheduled_start="2025-06-10 08:30:00+00")
    _visit(con, scheduled_start="2025-06-11 08:30:00+00")
    _visit(con, scheduled_start="2025-06-30 23:30:00+00")
    _visit(con, scheduled_start="2025-06-12 08:30:00+00", visit_status="missed")
    con.execute(
        "insert into core.shifts (provider_id, record_uid, version, status, staff_id, "
        "location_id, start_at, end_at) values ('P1', 'SH', 1, 'final', 'S', 'L2', "
        "'2025-06-10 07:00:00+00', '2025-06-10 15:00:00+00')"
    )

    # When
    build_operations_marts(con, config=CONFIG)

    # Then June: 3 minutes over 2 visits; July: the late-night visit, no note. The care
    # columns are the same: completed visits are the care shifts, and staff S (not in
    # core.staff) is taken as a carer
    months = (
        "select month, service_type, shift_basis, care_notes, entry_minutes, shifts, "
        "entry_minutes_per_shift, care_shifts, care_entry_minutes, entry_minutes_per_care_shift "
        "from marts.documentation_monthly order by month"
    )
    assert _rows(con, months) == [
        (date(2025, 6, 1), "home_care", "visits", 2, 3.0, 2, 1.5, 2, 3.0, 1.5),
        (date(2025, 7, 1), "home_care", "visits", 0, 0.0, 1, 0.0, 1, 0.0, 0.0),
    ]


def _may_visits(con: duckdb.DuckDBPyConnection) -> None:
    """Visits at L2 scheduled in May 2025 (London), one of each outcome and timing."""
    _visit(con, scheduled_start="2025-05-01 08:00:00+00", check_in_after="15 minutes")
    _visit(con, scheduled_start="2025-05-01 10:00:00+00", check_in_after="30 minutes")
    _visit(con, scheduled_start="2025-05-01 12:00:00+00", check_in_after="15 minutes 6 seconds")
    _visit(con, scheduled_start="2025-05-01 14:00:00+00", check_in_after="-5 minutes")
    _visit(con, scheduled_start="2025-05-01 16:00:00+00")  # completed, no check-in
    _visit(con, scheduled_start="2025-05-02 08:00:00+00", visit_status="missed")
    _visit(con, scheduled_start="2025-05-02 09:00:00+00", visit_status="cancelled_by_person")
    _visit(con, scheduled_start="2025-05-02 10:00:00+00", visit_status="cancelled_by_provider")
    _visit(
        con,
        scheduled_start="2025-05-02 11:00:00+00",
        check_in_after="50 minutes",
        status="entered_in_error",
    )
    # 23:30Z on 30 April is 00:30 on 1 May in London
    _visit(con, scheduled_start="2025-04-30 23:30:00+00", visit_status="cancelled_by_person")
    # a care home's visit is not home care; a visit in July leaves June empty
    _visit(con, scheduled_start="2025-05-03 10:00:00+00", location_id="L1")
    _visit(con, scheduled_start="2025-07-03 10:00:00+00", visit_status="cancelled_by_provider")


VISITS = (
    "select location_id, month, visits_scheduled, visits_completed, visits_missed, "
    "visits_cancelled_by_person, visits_cancelled_by_provider, visits_late, "
    "visits_on_time_share, round(median_minutes_late, 9), missed_share "
    "from marts.visits_monthly order by month"
)


def test_visits_monthly_counts_punctuality_with_the_15_minute_default(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given
    _may_visits(con)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then May: 9 visits, 5 completed, 4 of them checked in, 2 late (30 and 15.1 minutes; 15
    # exactly is on time): on time 2/4, median late (30 + 15.1) / 2, missed 1 / (5 + 1)
    assert _rows(con, VISITS) == [
        ("L2", date(2025, 5, 1), 9, 5, 1, 2, 1, 2, 0.5, 22.55, 1 / 6),
        ("L2", date(2025, 6, 1), 0, 0, 0, 0, 0, 0, None, None, None),
        ("L2", date(2025, 7, 1), 1, 0, 0, 0, 1, 0, None, None, None),
    ]


def test_visits_monthly_uses_the_configured_late_window(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given a 20-minute window
    _may_visits(con)
    config = dataclasses.replace(CONFIG, visit_late_minutes=20)

    # When
    build_operations_marts(con, config=config)

    # Then only the 30-minute check-in is late: on time 3 of 4
    assert _rows(con, VISITS)[0] == ("L2", date(2025, 5, 1), 9, 5, 1, 2, 1, 1, 0.75, 30.0, 1 / 6)


def _review(
    con: duckdb.DuckDBPyConnection,
    *,
    due_date: str,
    completed_at: str | None,
    status: str = "final",
) -> None:
    con.execute(
        "insert into core.care_plan_reviews (provider_id, record_uid, version, status, "
        "person_id, location_id, due_date, completed_at) values ('P1', "
        "gen_random_uuid()::varchar, 1, ?, 'A', 'L1', ?, ?)",
        [status, due_date, completed_at],
    )


def test_care_plan_reviews_monthly_on_time_by_the_london_end_of_the_due_day(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given reviews due in March: completed 23:30 London on the due day (on time), 00:30
    # London the next day (late, completed in April), early (on time), outstanding, retracted;
    # and one due in May completed the day before
    _review(con, due_date="2025-03-31", completed_at="2025-03-31 22:30:00+00")
    _review(con, due_date="2025-03-31", completed_at="2025-03-31 23:30:00+00")
    _review(con, due_date="2025-03-10", completed_at="2025-03-01 10:00:00+00")
    _review(con, due_date="2025-03-15", completed_at=None)
    _review(con, due_date="2025-03-20", completed_at=None, status="entered_in_error")
    _review(con, due_date="2025-05-20", completed_at="2025-05-19 10:00:00+00")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then
    reviews = (
        "select location_id, month, reviews_due, reviews_on_time, reviews_late, "
        "reviews_outstanding, on_time_share, reviews_completed, reviews_completed_in_month "
        "from marts.care_plan_reviews_monthly order by month"
    )
    assert _rows(con, reviews) == [
        ("L1", date(2025, 3, 1), 4, 2, 1, 1, 0.5, 3, 2),
        ("L1", date(2025, 4, 1), 0, 0, 0, 0, None, 0, 1),
        ("L1", date(2025, 5, 1), 1, 1, 0, 0, 1.0, 1, 1),
    ]


def test_documentation_days_and_months_across_the_autumn_clock_change(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given notes at L1 around 26 October 2025, when clocks went back at 01:00Z (02:00 BST):
    # 22:30Z on the 25th is 23:30 BST that day; 23:30Z is 00:30 BST on the 26th; 00:30Z and
    # 01:30Z on the 26th are 01:30 BST and 01:30 GMT, both the 26th; 23:30Z on 31 October is
    # 23:30 GMT, still October (while 23:30Z on 30 June was already July: see the home-care test)
    for care_at, seconds in (
        ("2025-10-25 22:30:00+00", 60),
        ("2025-10-25 23:30:00+00", 120),
        ("2025-10-26 00:30:00+00", 180),
        ("2025-10-26 01:30:00+00", 240),
        ("2025-10-31 23:30:00+00", 300),
    ):
        _note(con, care_at=care_at, entry_seconds=seconds)

    # When
    build_operations_marts(con, config=CONFIG)

    # Then the 26th has three notes (2 + 3 + 4 minutes); all five are October's
    days = (
        "select day, care_notes, entry_minutes from marts.documentation_daily "
        "where care_notes > 0 order by day"
    )
    assert _rows(con, days) == [
        (date(2025, 10, 25), 1, 1.0),
        (date(2025, 10, 26), 3, 9.0),
        (date(2025, 10, 31), 1, 5.0),
    ]
    assert _rows(
        con, "select month, care_notes, entry_minutes from marts.documentation_monthly"
    ) == [(date(2025, 10, 1), 5, 15.0)]


def test_visits_late_on_31_october_stay_in_october(con: duckdb.DuckDBPyConnection) -> None:
    # Given completed visits at L2 at 23:30Z on 31 October 2025 (23:30 GMT) and at 00:30Z on
    # 1 November, checked in 20 minutes late
    _visit(con, scheduled_start="2025-10-31 23:30:00+00", check_in_after="20 minutes")
    _visit(con, scheduled_start="2025-11-01 00:30:00+00", check_in_after="20 minutes")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then one visit in each month, each late by 20 minutes
    months = (
        "select month, visits_completed, visits_late, median_minutes_late "
        "from marts.visits_monthly order by month"
    )
    assert _rows(con, months) == [
        (date(2025, 10, 1), 1, 1, 20.0),
        (date(2025, 11, 1), 1, 1, 20.0),
    ]
    assert _rows(con, "select month, shifts from marts.documentation_monthly order by month") == [
        (date(2025, 10, 1), 1),
        (date(2025, 11, 1), 1),
    ]
