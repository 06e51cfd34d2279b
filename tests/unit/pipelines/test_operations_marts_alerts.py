"""Tests for the alert marts of pipelines.marts.build_operations_marts (issue #5).

Rows go straight into ``core.*`` of an in-memory warehouse with the real schema; every expected
number is worked by hand in the comments. The nightly runner's own path is covered by
tests/integration/test_nightly_load.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.config import PipelineConfig
from pipelines.marts import OPERATIONS_MARTS, build_operations_marts
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


def _alert(
    con: duckdb.DuckDBPyConnection,
    *,
    raised_at: str,
    location_id: str = "L1",
    category: str = "missed_medication",
    acknowledged_at: str | None = None,
    resolved_at: str | None = None,
    outcome: str | None = None,
    status: str = "final",
    record_uid: str | None = None,
) -> None:
    con.execute(
        "insert into core.alerts (provider_id, record_uid, version, status, location_id, "
        "person_id, staff_id, category, severity, raised_at, acknowledged_at, resolved_at, "
        "outcome) values ('P1', coalesce(?, gen_random_uuid()::varchar), 1, ?, ?, 'A', 'S', ?, "
        "'high', ?, ?, ?, ?)",
        [
            record_uid,
            status,
            location_id,
            category,
            raised_at,
            acknowledged_at,
            resolved_at,
            outcome,
        ],
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchall()


def test_an_empty_warehouse_gives_empty_marts(con: duckdb.DuckDBPyConnection) -> None:
    # Given no records

    # When
    built = build_operations_marts(con, config=CONFIG)

    # Then every operations mart is built, empty, and no temporary table is left behind
    assert built.rows == dict.fromkeys(OPERATIONS_MARTS, 0)
    assert _rows(
        con, "select count(*) from duckdb_tables() where table_name = 'documentation_days'"
    ) == [(0,)]


def test_alert_facts_time_each_alert_in_london_and_keep_the_24_hour_boundary(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given (clocks went forward on 30 March 2025, so 31 March 23:30Z is 00:30 on 1 April)
    # A: acknowledged after 15 minutes, resolved exactly 24 hours after it was raised
    _alert(
        con,
        record_uid="A",
        raised_at="2025-03-31 23:30:00+00",
        acknowledged_at="2025-03-31 23:45:00+00",
        resolved_at="2025-04-01 23:30:00+00",
        outcome="actioned",
    )
    # B: never acknowledged, resolved 24 hours and 1 second later
    _alert(
        con,
        record_uid="B",
        raised_at="2025-04-01 10:00:00+00",
        resolved_at="2025-04-02 10:00:01+00",
        outcome="false_alarm",
    )
    # C: open; D: entered in error
    _alert(con, record_uid="C", raised_at="2025-04-02 08:00:00+00")
    _alert(con, record_uid="D", raised_at="2025-04-02 09:00:00+00", status="entered_in_error")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then
    facts = (
        "select record_uid, day, hour, weekday, minutes_to_acknowledge, minutes_to_resolve, "
        "outcome, is_open, resolved_within_24h from marts.alert_facts order by record_uid"
    )
    assert _rows(con, facts) == [
        ("A", date(2025, 4, 1), 0, 2, 15.0, 1440.0, "actioned", False, True),
        ("B", date(2025, 4, 1), 11, 2, None, 1440 + 1 / 60, "false_alarm", False, False),
        ("C", date(2025, 4, 2), 9, 3, None, None, None, True, None),
    ]
    # no package loaded: the data's as-of instant is the provider's latest raised_at
    assert _rows(con, "select distinct data_as_of from marts.alert_facts") == [
        (datetime(2025, 4, 2, 8, tzinfo=UTC),)
    ]
    # no person, staff or free text
    columns = {row[0] for row in _rows(con, "describe marts.alert_facts")}
    assert not columns & {"person_id", "staff_id"}


def test_alert_facts_are_as_of_the_latest_export_generated(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given one alert and two packages of P1, the later generated at 2 a.m. on 3 April
    _alert(con, raised_at="2025-04-02 08:00:00+00")
    con.execute(
        "insert into audit.packages (provider_id, extract_id, export_id, generated_at, run_id, "
        "sequence) values ('P1', 'e1', 'x1', '2025-03-03 02:00:00+00', 'r', 1), "
        "('P1', 'e2', 'x2', '2025-04-03 02:00:00+00', 'r', 2)"
    )

    # When
    build_operations_marts(con, config=CONFIG)

    # Then
    assert _rows(con, "select data_as_of from marts.alert_facts") == [
        (datetime(2025, 4, 3, 2, tzinfo=UTC),)
    ]


def test_alerts_daily_counts_by_london_day_and_category(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given on 31 March (London): two alerts acknowledged after 10 and 30 minutes, resolved
    # exactly 24 hours later, no action needed
    for raised, acknowledged in (("21:00", "21:10"), ("22:30", "23:00")):
        _alert(
            con,
            raised_at=f"2025-03-31 {raised}:00+00",
            acknowledged_at=f"2025-03-31 {acknowledged}:00+00",
            resolved_at=f"2025-04-01 {raised}:00+00",
            outcome="no_action_needed",
        )
    # on 1 April (London), missed medication: acknowledged after 10 (raised 00:30 London),
    # 20 and 60 minutes, resolved after 1 hour, 25 hours, open, 2 hours
    _alert(
        con,
        raised_at="2025-03-31 23:30:00+00",
        acknowledged_at="2025-03-31 23:40:00+00",
        resolved_at="2025-04-01 00:30:00+00",
        outcome="actioned",
    )
    _alert(
        con,
        raised_at="2025-04-01 09:00:00+00",
        acknowledged_at="2025-04-01 09:20:00+00",
        resolved_at="2025-04-02 10:00:00+00",
        outcome="false_alarm",
    )
    _alert(con, raised_at="2025-04-01 12:00:00+00")
    _alert(
        con,
        raised_at="2025-04-01 13:00:00+00",
        acknowledged_at="2025-04-01 14:00:00+00",
        resolved_at="2025-04-01 15:00:00+00",
        outcome="duplicate",
    )
    # and one retracted, and an open low fluid intake alert never acknowledged
    _alert(con, raised_at="2025-04-01 14:00:00+00", status="entered_in_error", outcome="actioned")
    _alert(con, raised_at="2025-04-01 16:00:00+00", category="low_fluid_intake")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then spec columns (median of 10 and 30 is 20; of 10, 20 and 60 is 20) ...
    spec = (
        "select day, category, alerts_raised, alerts_resolved_within_24h, false_alarms, "
        "median_minutes_to_acknowledge from marts.alerts_daily order by day, category"
    )
    assert _rows(con, spec) == [
        (date(2025, 3, 31), "missed_medication", 2, 2, 0, 20.0),
        (date(2025, 4, 1), "low_fluid_intake", 1, 0, 0, None),
        (date(2025, 4, 1), "missed_medication", 4, 2, 1, 20.0),
    ]
    # ... and extensions
    extensions = (
        "select duplicates, actioned, no_action_needed, open_alerts, acknowledged_alerts "
        "from marts.alerts_daily order by day, category"
    )
    assert _rows(con, extensions) == [(0, 0, 2, 0, 2), (0, 0, 0, 1, 0), (1, 1, 0, 1, 3)]


def test_alerts_weekly_keeps_empty_weeks_and_leaves_shares_without_closed_alerts_null(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given a false alarm late on Sunday 30 March (23:30 London: week of 24 March), then in
    # the week of 31 March one actioned (Sunday 23:30Z is Monday 00:30 London), one open and one
    # duplicate; nothing in the week of 7 April; one open alert in the week of 14 April
    _alert(con, raised_at="2025-03-30 22:30:00+00", outcome="false_alarm")
    _alert(con, raised_at="2025-03-30 23:30:00+00", outcome="actioned")
    _alert(con, raised_at="2025-04-02 10:00:00+00")
    _alert(con, raised_at="2025-04-06 10:00:00+00", outcome="duplicate")
    _alert(con, raised_at="2025-04-15 10:00:00+00")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then
    weeks = (
        "select week, alerts_raised, alerts_closed, false_alarms, duplicates, false_alarm_share "
        "from marts.alerts_weekly order by week"
    )
    assert _rows(con, weeks) == [
        (date(2025, 3, 24), 1, 1, 1, 0, 1.0),
        (date(2025, 3, 31), 3, 2, 0, 1, 0.0),
        (date(2025, 4, 7), 0, 0, 0, 0, None),
        (date(2025, 4, 14), 1, 0, 0, 0, None),
    ]


def _staff(con: duckdb.DuckDBPyConnection, *, staff_id: str, location_id: str, role: str) -> None:
    con.execute(
        "insert into core.staff (provider_id, staff_id, location_id, role) values ('P1', ?, ?, ?)",
        [staff_id, location_id, role],
    )


def _shift(
    con: duckdb.DuckDBPyConnection, *, staff_id: str, start_at: str, status: str = "final"
) -> None:
    con.execute(
        "insert into core.shifts (provider_id, record_uid, version, status, staff_id, "
        "location_id, start_at, end_at) values ('P1', gen_random_uuid()::varchar, 1, ?, ?, 'L1', "
        "?::timestamptz, ?::timestamptz + interval 8 hour)",
        [status, staff_id, start_at, start_at],
    )


def _visit(
    con: duckdb.DuckDBPyConnection,
    *,
    staff_id: str | None,
    scheduled_start: str,
    visit_status: str = "completed",
) -> None:
    con.execute(
        "insert into core.visits (provider_id, record_uid, version, status, person_id, staff_id, "
        "location_id, scheduled_start, scheduled_end, visit_status) values ('P1', "
        "gen_random_uuid()::varchar, 1, 'final', 'A', ?, 'L2', ?::timestamptz, "
        "?::timestamptz + interval 30 minute, ?)",
        [staff_id, scheduled_start, scheduled_start, visit_status],
    )


BURDEN = (
    "select location_id, month, shift_basis, alerts_raised, manager_shifts, care_worker_shifts, "
    "alerts_per_manager_shift, alerts_per_care_worker_shift from marts.alert_burden_monthly "
    "order by location_id, month"
)


def test_alert_burden_in_a_care_home_counts_shifts_by_role(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given a manager, deputy, care worker, nurse and domestic at L1
    for staff_id, role in (
        ("M", "manager"),
        ("D", "deputy_manager"),
        ("C", "care_worker"),
        ("N", "nurse"),
        ("X", "domestic"),
    ):
        _staff(con, staff_id=staff_id, location_id="L1", role=role)
    # the care worker's shift at 23:30 London on 31 March is March's; the one starting 23:30Z
    # that night is April's (00:30 London)
    _shift(con, staff_id="C", start_at="2025-03-31 22:30:00+00")
    _shift(con, staff_id="C", start_at="2025-03-31 23:30:00+00")
    _shift(con, staff_id="C", start_at="2025-04-05 07:00:00+00")
    for staff_id in ("M", "D", "N", "X"):
        _shift(con, staff_id=staff_id, start_at="2025-04-10 07:00:00+00")
    _shift(con, staff_id="M", start_at="2025-04-11 07:00:00+00", status="entered_in_error")
    # three alerts in April, one in May
    for raised in ("2025-04-02", "2025-04-12", "2025-04-20", "2025-05-03"):
        _alert(con, raised_at=f"{raised} 10:00:00+00")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then April: 2 manager shifts (M, D), 3 care-worker shifts (C twice, N): 3/2 and 3/3
    assert _rows(con, BURDEN) == [
        ("L1", date(2025, 3, 1), "shifts", 0, 0, 1, None, 0.0),
        ("L1", date(2025, 4, 1), "shifts", 3, 2, 3, 1.5, 1.0),
        ("L1", date(2025, 5, 1), "shifts", 1, 0, 0, None, None),
    ]


def test_alert_burden_in_home_care_counts_staff_days_with_a_completed_visit(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Given a care worker, a senior care worker and a manager at L2
    for staff_id, role in (("C", "care_worker"), ("S", "senior_care_worker"), ("M", "manager")):
        _staff(con, staff_id=staff_id, location_id="L2", role=role)
    # C: two completed visits on 10 June (one day), one on 11 June, a missed one on 12 June
    _visit(con, staff_id="C", scheduled_start="2025-06-10 08:00:00+00")
    _visit(con, staff_id="C", scheduled_start="2025-06-10 13:00:00+00")
    _visit(con, staff_id="C", scheduled_start="2025-06-11 08:00:00+00")
    _visit(con, staff_id="C", scheduled_start="2025-06-12 08:00:00+00", visit_status="missed")
    # S and M one completed visit each on 10 June; one completed visit with no staff recorded
    _visit(con, staff_id="S", scheduled_start="2025-06-10 09:00:00+00")
    _visit(con, staff_id="M", scheduled_start="2025-06-10 10:00:00+00")
    _visit(con, staff_id=None, scheduled_start="2025-06-10 11:00:00+00")
    # two alerts at L2 in June
    _alert(con, location_id="L2", raised_at="2025-06-10 12:00:00+00", category="late_visit")
    _alert(con, location_id="L2", raised_at="2025-06-20 12:00:00+00", category="missed_visit")

    # When
    build_operations_marts(con, config=CONFIG)

    # Then 1 manager visit day and 3 care-worker visit days: 2/1 and 2/3
    assert _rows(con, BURDEN) == [
        ("L2", date(2025, 6, 1), "visit_days", 2, 1, 3, 2.0, 2 / 3),
    ]
